// Bundles of tfjs-hadamrnn/lite (src/lite), the dependency-free runtime of `bits` files:
// - tfjs-hadamrnn-lite.min.js: a minified script exposing the global `hadamrnnLite` (pages and
//   classic Web Workers, importScripts);
// - tfjs-hadamrnn-lite.esm.min.js: a minified ES module (bundlers, module workers).
// Both must stay within LITE_MAX_BYTES (test/lite/bundle.test.ts checks it) and import nothing.
//
//   node scripts/build_lite.mjs [--outdir DIR]     (default dist; `npm run build:browser` calls it)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const ENTRY = fileURLToPath(new URL('../src/lite/index.ts', import.meta.url));
/** The size promised for the minified runtime: 10 KiB. */
export const LITE_MAX_BYTES = 10 * 1024;

/** Builds both lite bundles into `outdir`; returns their paths, sizes and bundled source files. */
export async function buildLiteBundles(outdir = 'dist') {
  const common = {
    entryPoints: [ENTRY],
    bundle: true,
    minify: true,
    target: 'es2020',
    metafile: true,
    logLevel: 'warning',
  };
  const script = join(outdir, 'tfjs-hadamrnn-lite.min.js');
  const esm = join(outdir, 'tfjs-hadamrnn-lite.esm.min.js');
  const results = [
    await build({
      ...common,
      format: 'iife',
      globalName: 'hadamrnnLite',
      platform: 'browser',
      outfile: script,
    }),
    await build({ ...common, format: 'esm', platform: 'neutral', outfile: esm }),
  ];
  return [script, esm].map((file, i) => {
    const bytes = readFileSync(file);
    return {
      file,
      bytes: bytes.length,
      gzipBytes: gzipSync(bytes, { level: 9 }).length,
      inputs: Object.keys(results[i].metafile.inputs),
    };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--outdir');
  for (const { file, bytes, gzipBytes } of await buildLiteBundles(
    at > 0 ? process.argv[at + 1] : 'dist',
  )) {
    console.log(
      `${file}: ${(bytes / 1024).toFixed(1)} KiB (${(gzipBytes / 1024).toFixed(1)} KiB gzipped)`,
    );
  }
}
