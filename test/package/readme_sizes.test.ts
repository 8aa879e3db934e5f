/**
 * The README's bundle size table against a fresh build of the browser bundles and the lite
 * runtime's (scripts/build_browser.mjs and build_lite.mjs, into a temporary folder): a stale row fails, naming the fix.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

it('README.md quotes the sizes of the bundles the build makes', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'hadamrnn-sizes-'));
  try {
    // The build script is an ES module: run it in a child process, which prints the README's size
    // rows as they are and as the build says they should be.
    const program = `
      import { readFileSync } from 'node:fs';
      import { buildBrowserBundles, readmeWithSizes } from ${JSON.stringify(join(ROOT, 'scripts', 'build_browser.mjs'))};
      import { buildLiteBundles } from ${JSON.stringify(join(ROOT, 'scripts', 'build_lite.mjs'))};
      const sizes = [
        ...(await buildBrowserBundles(${JSON.stringify(outdir)})),
        ...(await buildLiteBundles(${JSON.stringify(outdir)})),
      ];
      const readme = readFileSync(${JSON.stringify(join(ROOT, 'README.md'))}, 'utf8');
      const rows = (text) => text.split('\\n').filter((line) => /^\\| \`dist\\//.test(line));
      console.log(JSON.stringify({ files: sizes.map((s) => s.file), actual: rows(readme), expected: rows(readmeWithSizes(readme, sizes)) }));
    `;
    const out = execFileSync('node', ['--input-type=module', '-e', program], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const { files, actual, expected } = JSON.parse(out.trim().split('\n').pop()!) as Record<
      string,
      string[]
    >;
    expect(files.map((f) => f.split(/[\\/]/).pop()).sort()).toEqual([
      'tfjs-hadamrnn-lite.esm.min.js',
      'tfjs-hadamrnn-lite.min.js',
      'tfjs-hadamrnn.esm.js',
      'tfjs-hadamrnn.min.js',
    ]);
    expect(actual).toHaveLength(4);
    // On failure: node scripts/build_browser.mjs --outdir /tmp/bundles --update-readme
    expect(actual).toEqual(expected);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}, 120_000);
