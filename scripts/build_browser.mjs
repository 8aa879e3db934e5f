// Browser bundles of the package (esbuild), both over the application's single copy of tfjs:
// - dist/tfjs-hadamrnn.esm.js: an ES module importing '@tensorflow/tfjs-core' and
//   '@tensorflow/tfjs-layers' (for bundlers and import maps);
// - dist/tfjs-hadamrnn.min.js: a minified script for a <script> tag after tf.min.js: it takes tfjs
//   from the page's global `tf`, registers its ops, kernels, gradients and classes there, and
//   exposes the package's exports as the global `hadamrnn`.
// Then the lite runtime's bundles (scripts/build_lite.mjs). Prints each bundle's size, raw and
// gzipped (the README quotes them; test/package/readme_sizes checks the README against a build,
// and --update-readme rewrites its rows).
//
//   node scripts/build_browser.mjs [--outdir DIR] [--update-readme]   (default dist; `npm run build`)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { buildLiteBundles } from './build_lite.mjs';

const ENTRY = fileURLToPath(new URL('../src/index.ts', import.meta.url));

/** Maps every '@tensorflow/*' import to the page's global `tf` (the union bundle holds them all). */
const globalTf = {
  name: 'global-tf',
  setup(b) {
    b.onResolve({ filter: /^@tensorflow\// }, (args) => ({
      path: args.path,
      namespace: 'global-tf',
    }));
    b.onLoad({ filter: /.*/, namespace: 'global-tf' }, (args) => ({
      contents:
        'if (typeof globalThis.tf !== "object") {\n' +
        `  throw new Error("tfjs-hadamrnn.min.js: global tf not found (importing ${args.path}); ` +
        'load tf.min.js first");\n}\nmodule.exports = globalThis.tf;\n',
      loader: 'js',
    }));
  },
};

const COMMON = { entryPoints: [ENTRY], bundle: true, target: 'es2020', logLevel: 'warning' };

/** Builds both bundles into `outdir`; returns their paths and sizes. */
export async function buildBrowserBundles(outdir = 'dist') {
  const esm = join(outdir, 'tfjs-hadamrnn.esm.js');
  const script = join(outdir, 'tfjs-hadamrnn.min.js');
  await build({
    ...COMMON,
    format: 'esm',
    platform: 'browser',
    external: ['@tensorflow/*'],
    outfile: esm,
    sourcemap: true,
  });
  await build({
    ...COMMON,
    format: 'iife',
    platform: 'browser',
    globalName: 'hadamrnn',
    minify: true,
    plugins: [globalTf],
    outfile: script,
    sourcemap: true,
  });
  return [esm, script].map((file) => {
    const bytes = readFileSync(file);
    return { file, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
  });
}

const README = fileURLToPath(new URL('../README.md', import.meta.url));
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

/** The README's size table with each bundle's row set to `sizes` (rows start with the file name
 * in backticks, `dist/<name>`); throws if a bundle has no row. */
export function readmeWithSizes(readme, sizes) {
  let text = readme;
  for (const { file, bytes, gzipBytes } of sizes) {
    const name = `dist/${file.split(/[\\/]/).pop()}`;
    const row = new RegExp(
      `^(\\| \`${name.replace(/\./g, '\\.')}\`[^|]*\\|) [^|]* \\| [^|]* \\|$`,
      'm',
    );
    if (!row.test(text)) {
      throw new Error(`build_browser: README.md has no size row for ${name}`);
    }
    text = text.replace(row, `$1 ${kib(bytes)} | ${kib(gzipBytes)} |`);
  }
  return text;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--outdir');
  const outdir = at > 0 ? process.argv[at + 1] : 'dist';
  const sizes = [...(await buildBrowserBundles(outdir)), ...(await buildLiteBundles(outdir))];
  for (const { file, bytes, gzipBytes } of sizes) {
    console.log(`${file}: ${kib(bytes)} (${kib(gzipBytes)} gzipped)`);
  }
  if (process.argv.includes('--update-readme')) {
    writeFileSync(README, readmeWithSizes(readFileSync(README, 'utf8'), sizes));
  }
}
