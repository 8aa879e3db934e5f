// Builds dist/: CommonJS (tsc), ES module bundles of the package's own code (esbuild; tfjs stays
// external so the application's single tfjs-core copy holds every registration) and .d.ts files.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const tsc = (...args) =>
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json', ...args], { stdio: 'inherit' });

rmSync('dist', { recursive: true, force: true });
tsc('--module', 'commonjs', '--outDir', 'dist/cjs');
tsc('--declaration', '--emitDeclarationOnly', '--outDir', 'dist/types');
// Two entry points, the package (index.js) and its ops alone (ops.js, `tfjs-hadamrnn/ops`), with
// the code they share in chunks, so that an application importing both registers each kernel once.
await build({
  entryPoints: { index: 'src/index.ts', ops: 'src/ops_only.ts' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2020',
  outdir: 'dist/esm',
  external: ['@tensorflow/*'],
  sourcemap: true,
  logLevel: 'warning',
});
// tfjs-hadamrnn/lite: its own entry, importing nothing (src/lite).
await build({
  entryPoints: ['src/lite/index.ts'],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2020',
  outfile: 'dist/esm/lite.js',
  sourcemap: true,
  logLevel: 'warning',
});
mkdirSync('dist/cjs', { recursive: true });
writeFileSync('dist/cjs/package.json', '{"type": "commonjs"}\n');
writeFileSync('dist/esm/package.json', '{"type": "module"}\n');
