/**
 * Builds and serves the demo page (`npm run demo:web`, and test/browser/demo_page.test.ts).
 *
 * The page runs on the official tfjs bundles, as an application loading tfjs from a CDN would:
 * `tf.min.js`, `tf-backend-wasm.min.js` and `tf-backend-webgpu.min.js` from node_modules, then the package's script-tag bundle
 * `tfjs-hadamrnn.min.js` (scripts/build_browser.mjs), then `demo.js`, the page's own code bundled
 * by esbuild. In `demo.js` every '@tensorflow/*' import is the page's global `tf` and every import
 * of the package (`src/index.ts`) is the global `hadamrnn`, so the page holds one copy of each.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { startStaticServer, type StaticServer } from '../../test/browser/server';

/** The repository root. */
export const REPO_ROOT = resolve(__dirname, '..', '..');
const PACKAGE_ENTRY = join(REPO_ROOT, 'src', 'index.ts');

/**
 * Resolves an import of '@tensorflow/*' or of the package to a global of the page: `tf` (the union
 * bundle holds every tfjs package), `tf.wasm` (set by tf-backend-wasm.min.js) or `hadamrnn`.
 */
const pageGlobals: Plugin = {
  name: 'page-globals',
  setup(b) {
    b.onResolve({ filter: /^@tensorflow\// }, (args) => ({
      path: args.path === '@tensorflow/tfjs-backend-wasm' ? 'tf.wasm' : 'tf',
      namespace: 'page-global',
    }));
    b.onResolve({ filter: /(^|\/)src(\/index)?$/ }, (args) =>
      [join(REPO_ROOT, 'src'), PACKAGE_ENTRY.replace(/\.ts$/, '')].includes(
        resolve(args.resolveDir, args.path),
      )
        ? { path: 'hadamrnn', namespace: 'page-global' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'page-global' }, (args) => ({
      contents: `module.exports = globalThis.${args.path};`,
      loader: 'js',
    }));
  },
};

/** Writes index.html, demo.js and tfjs-hadamrnn.min.js (+ source maps) to `outdir`. */
export async function buildDemoPage(outdir: string): Promise<void> {
  mkdirSync(outdir, { recursive: true });
  execFileSync('node', [join(REPO_ROOT, 'scripts', 'build_browser.mjs'), '--outdir', outdir], {
    cwd: REPO_ROOT,
    stdio: 'pipe',
  });
  await build({
    entryPoints: [join(__dirname, 'main.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    outfile: join(outdir, 'demo.js'),
    sourcemap: true,
    plugins: [pageGlobals],
    logLevel: 'error',
  });
  copyFileSync(join(__dirname, 'index.html'), join(outdir, 'index.html'));
}

/**
 * Serves a built page from `outdir` on 127.0.0.1, with the shipped model under /model/ and the
 * official tfjs bundles under /tfjs/, /tfjs-wasm/ (the .wasm binaries sit beside their script) and
 * /tfjs-webgpu/.
 *
 * @param outdir A folder written by {@link buildDemoPage}.
 * @param port The port; 0 (default) picks a free one.
 */
export function serveDemoPage(outdir: string, port = 0): Promise<StaticServer> {
  const tensorflow = join(REPO_ROOT, 'node_modules', '@tensorflow');
  return startStaticServer(
    {
      '/': outdir,
      '/model/': join(REPO_ROOT, 'demo', 'model'),
      '/tfjs/': join(tensorflow, 'tfjs', 'dist'),
      '/tfjs-wasm/': join(tensorflow, 'tfjs-backend-wasm', 'dist'),
      '/tfjs-webgpu/': join(tensorflow, 'tfjs-backend-webgpu', 'dist'),
    },
    port,
  );
}
