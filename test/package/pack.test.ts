/**
 * The package as a user meets it: `npm pack`'s tarball installed into a fresh consumer project
 * from the npm cache where it can (`npm ci` filled it with the tarballs; the registry's package
 * metadata, which `npm ci` never fetches, comes from the network once), next to
 * @tensorflow/tfjs and @tensorflow/tfjs-backend-wasm. Then the CLI trains and writes its
 * checkpoint, a CommonJS and an ES module script use the package by name, the shipped Node
 * examples run, and a consumer .ts file compiles with tsc --strict. The package is built and packed from a copy of the sources, so
 * that the other tests' builds of dist/ cannot race with it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const CONSUMER_FILES = join(__dirname, 'consumer');
const SOURCES = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'LICENSE'];
const FOLDERS = ['scripts', 'src', 'bin', 'examples'];

const versionOf = (pkg: string): string =>
  (
    JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;

let work = '';
let consumer = '';

function run(command: string, args: string[], cwd = consumer, env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'hadamrnn-pack-'));
  const source = join(work, 'package');
  mkdirSync(source);
  for (const file of SOURCES) {
    cpSync(join(ROOT, file), join(source, file));
  }
  for (const folder of FOLDERS) {
    cpSync(join(ROOT, folder), join(source, folder), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(source, 'node_modules'), 'dir');
  run('node', ['scripts/build.mjs'], source);
  run('node', ['scripts/build_browser.mjs'], source);
  const tarball = run('npm', ['pack', '--silent', '--pack-destination', work], source).trim();

  consumer = join(work, 'consumer');
  mkdirSync(consumer);
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }),
  );
  run('npm', [
    'install',
    '--prefer-offline',
    '--no-audit',
    '--no-fund',
    join(work, tarball.split('\n').pop()!),
    `@tensorflow/tfjs@${versionOf('@tensorflow/tfjs')}`,
    `@tensorflow/tfjs-backend-wasm@${versionOf('@tensorflow/tfjs-backend-wasm')}`,
  ]);
  for (const file of ['smoke.cjs', 'esm_smoke.mjs', 'consumer.ts']) {
    cpSync(join(CONSUMER_FILES, file), join(consumer, file));
  }
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

it('installs one copy of each tfjs package, and ships the examples and the LICENSE', () => {
  const tree = run('npm', ['ls', '--all', '--parseable', '@tensorflow/tfjs-core']);
  expect(
    tree
      .trim()
      .split('\n')
      .filter((line) => line.endsWith('tfjs-core')),
  ).toHaveLength(1);
  const installed = join(consumer, 'node_modules', 'tfjs-hadamrnn');
  for (const file of ['LICENSE', 'examples/text_classifier.mjs', 'dist/tfjs-hadamrnn.min.js']) {
    expect(existsSync(join(installed, file))).toBe(true);
  }
  // ./dist/* is exported: the script-tag bundle resolves by name.
  expect(run('node', ['-p', "require.resolve('tfjs-hadamrnn/dist/tfjs-hadamrnn.min.js')"])).toMatch(
    /tfjs-hadamrnn\.min\.js/,
  );
});

it('runs the CLI: --version, then a short copy-task run that writes its checkpoint', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  expect(run('npx', ['--offline', 'tfjs-hadamrnn', '--version']).trim()).toBe(pkg.version);
  const cli = spawnSync(
    'npx',
    [
      '--offline',
      'tfjs-hadamrnn',
      'train',
      'copy',
      '--T',
      '20',
      '--epochs',
      '1',
      '--steps',
      '5',
      '--out',
      'run',
    ],
    { cwd: consumer, encoding: 'utf8' },
  );
  expect(cli.status).toBe(0);
  const output = cli.stdout + cli.stderr;
  expect(output).not.toContain('Hi, looks like you are running TensorFlow.js in Node.js');
  for (const file of ['checkpoint/model.json', 'checkpoint/state.json', 'metrics.json']) {
    expect(existsSync(join(consumer, 'run', file))).toBe(true);
  }
  const metrics = JSON.parse(readFileSync(join(consumer, 'run', 'metrics.json'), 'utf8')) as {
    backend: string;
    status: string;
    test: { loss: number };
  };
  expect(metrics).toMatchObject({ backend: 'wasm', status: 'done' });
  expect(Number.isFinite(metrics.test.loss)).toBe(true);
  // On cpu, tfjs-backend-cpu's "install tfjs-node" banner is silenced too.
  const short = ['--units', '16', '--batch', '8', '--eval-size', '8', '--steps', '1'];
  const onCpu = spawnSync(
    'npx',
    [
      '--offline',
      'tfjs-hadamrnn',
      'train',
      'copy',
      '--T',
      '20',
      '--epochs',
      '1',
      ...short,
      '--backend',
      'cpu',
      '--out',
      'run-cpu',
    ],
    { cwd: consumer, encoding: 'utf8' },
  );
  expect(onCpu.status).toBe(0);
  expect(onCpu.stdout + onCpu.stderr).not.toContain('Hi, looks like');
}, 300_000);

it('works from a CommonJS script on cpu and wasm (test/package/consumer/smoke.cjs)', () => {
  const result = JSON.parse(run('node', ['smoke.cjs']).trim().split('\n').pop()!) as {
    ok: boolean;
    backends: string[];
  };
  expect(result).toMatchObject({ ok: true, backends: ['cpu', 'wasm'] });
}, 120_000);

it('works from an ES module next to @tensorflow/tfjs', () => {
  const result = JSON.parse(run('node', ['esm_smoke.mjs']).trim().split('\n').pop()!) as unknown;
  expect(result).toEqual({ y: [10, -2, -4, 0], classNames: ['HadamRNN', 'HadamQuantizedDense'] });
}, 120_000);

it.each(['text_classifier.mjs', 'time_series.mjs'])(
  'runs the shipped example %s',
  (example) => {
    run('node', [join('node_modules', 'tfjs-hadamrnn', 'examples', example)], consumer, {
      EPOCHS: '2',
    });
  },
  300_000,
);

it('runs the README quick start as written', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /<!-- quickstart[^]*?```js\n([^]*?)```/.exec(readme);
  expect(block).not.toBeNull();
  writeFileSync(join(consumer, 'quickstart.mjs'), block![1]);
  const output = run('node', ['quickstart.mjs']);
  expect(output).toMatch(/accuracy 0?\.\d+/);
  expect(output).toMatch(
    /Tensor\n\s+\[\[[-\d.e]+ *, [-\d.e]+ *\],\n\s+\[[-\d.e]+ *, [-\d.e]+ *\]\]/,
  );
  expect(existsSync(join(consumer, 'my-model', 'model.json'))).toBe(true);
}, 120_000);

it('type-checks a consumer .ts file and the package .d.ts files with tsc --strict', () => {
  // tfjs's own .d.ts files fail tsc --strict (tfjs users set skipLibCheck), so the library check
  // stays on and only errors outside node_modules/@tensorflow count.
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const args = ['--strict', '--noEmit', '--module', 'nodenext', '--moduleResolution', 'nodenext'];
  let output = '';
  try {
    output = run('node', [tsc, ...args, '--target', 'es2020', 'consumer.ts']);
  } catch (error) {
    output = String((error as { stdout?: string }).stdout);
  }
  const errors = output
    .split('\n')
    .filter((line) => /error TS\d+/.test(line) && !line.startsWith('node_modules/@tensorflow/'));
  expect(errors).toEqual([]);
  expect(output).not.toMatch(/consumer\.ts|tfjs-hadamrnn/);
}, 120_000);
