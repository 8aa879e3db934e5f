/**
 * Bundles the test page (test/browser/page/entry.ts, the package from src/, every backend and the
 * suites of suites.ts) with esbuild: one copy of each tfjs package, one chunk per suite.
 */
import { copyFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';

const PAGE = resolve(__dirname, 'page');

/** Redirects the suites' `../harness/backends` to the page's single-backend version. */
const pageHarness: Plugin = {
  name: 'page-harness',
  setup(b) {
    b.onResolve({ filter: /\/harness\/backends$/ }, (args) =>
      args.importer === join(PAGE, 'backends.ts') ? undefined : { path: join(PAGE, 'backends.ts') },
    );
  },
};

/** Writes entry.js, its chunks and index.html to `outdir`. */
export async function buildTestPage(outdir: string): Promise<void> {
  await build({
    entryPoints: { entry: join(PAGE, 'entry.ts') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    outdir,
    plugins: [pageHarness],
    logLevel: 'error',
    // Node-only fallbacks inside tfjs-backend-wasm's Emscripten glue.
    external: ['fs', 'path', 'os', 'worker_threads', 'perf_hooks', 'crypto'],
  });
  copyFileSync(join(PAGE, 'index.html'), join(outdir, 'index.html'));
}

export const REPO_ROOT = resolve(dirname(__dirname), '..');
