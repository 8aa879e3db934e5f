// Loads tf.min.js and tfjs-hadamrnn.min.js from the first place that has them: this repository
// (node_modules/ and dist/ at its root) or an installed package (node_modules/tfjs-hadamrnn/).
// In your own page, use two script tags instead (see the README: CDN URLs).
/* exported loadScripts */
async function loadScripts() {
  const candidates = [
    ['../../node_modules/@tensorflow/tfjs/dist/tf.min.js', '../../dist/tfjs-hadamrnn.min.js'],
    ['../../../@tensorflow/tfjs/dist/tf.min.js', '../../dist/tfjs-hadamrnn.min.js'],
  ];
  for (const [tfUrl, packageUrl] of candidates) {
    if ((await fetch(tfUrl, { method: 'HEAD' })).ok) {
      for (const src of [tfUrl, packageUrl]) {
        await new Promise((resolve, reject) => {
          const script = document.createElement('script');
          script.src = src;
          script.onload = resolve;
          script.onerror = () => reject(new Error(`cannot load ${src}`));
          document.head.append(script);
        });
      }
      return {
        tfUrl: new URL(tfUrl, location.href).href,
        packageUrl: new URL(packageUrl, location.href).href,
      };
    }
  }
  throw new Error('tf.min.js not found: serve your project root, with @tensorflow/tfjs installed');
}
