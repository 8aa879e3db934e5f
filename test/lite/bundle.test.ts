/**
 * The lite bundles of scripts/build_lite.mjs: at most 10 KiB minified, importing nothing, and
 * running the copy-task model's bits file in a bare Node VM context, in a Chromium page, in a
 * classic Web Worker (importScripts) and in a module Web Worker, within 1e-5 of tfjs and of the
 * float64 reference.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vm from 'node:vm';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { exportBits, fileSystem } from '../../src/index';
import { launchChromium, type Chromium } from '../browser/chromium';
import { startStaticServer, type StaticServer } from '../browser/server';
import { expectClose } from '../harness/expect';
import { referenceModel } from '../export/fixtures';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..');
const LITE_MAX_BYTES = 10 * 1024;
const [STEPS, DIM] = [20, 10];

let outdir = '';
let expected: Float32Array;
/** The float64 reference of the same model (test/export/fixtures.ts). */
let reference: Float64Array;
let input: number[];

/** What each runtime reports: predict over the sequence, and step by step. */
interface LiteRun {
  predicted: number[];
  stepped: number[];
}

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'hadamrnn-lite-'));
  execFileSync('node', [join(ROOT, 'scripts', 'build_lite.mjs'), '--outdir', outdir], {
    cwd: ROOT,
    stdio: 'pipe',
  });
  const model = await tfl.loadLayersModel(fileSystem(join(ROOT, 'demo', 'model', 'model.json')));
  writeFileSync(join(outdir, 'model.hrnn'), exportBits(model));
  input = Array.from({ length: STEPS * DIM }, (_, k) =>
    k % DIM === (Math.floor(k / DIM) * 7) % 9 ? 1 : 0,
  );
  expected = tf.tidy(
    () =>
      (model.predict(tf.tensor3d(input, [1, STEPS, DIM])) as tf.Tensor).dataSync() as Float32Array,
  );
  const fixture = {
    units: 128,
    blockSize: 128,
    inputDim: DIM,
    steps: STEPS,
    outputs: 9,
    bitsU: 4,
    bitsV: 4,
    returnSequences: true,
    goBackwards: false,
    activation: 'relu',
    readoutActivation: 'softmax',
  };
  reference = referenceModel(model, Float32Array.from(input), fixture);
  model.dispose();
});

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** The program every runtime runs, given the lite module `lite` and the file's bytes. */
const RUN = `function runLite(lite, bytes, input, steps) {
  const model = lite.loadModel(bytes);
  const predicted = Array.from(model.predict(Float32Array.from(input), steps));
  const stepped = [];
  for (let t = 0; t < steps; t++) {
    const d = model.inputDim;
    stepped.push(...model.step(Float32Array.from(input.slice(t * d, (t + 1) * d))));
  }
  return { predicted, stepped };
}`;

function checkRun(run: LiteRun): void {
  for (const values of [run.predicted, run.stepped]) {
    expectClose(values, expected, 1e-5);
    expectClose(values, reference, 1e-5);
  }
}

describe('lite bundles', () => {
  it(`are at most ${LITE_MAX_BYTES} bytes minified and import nothing`, () => {
    for (const name of ['tfjs-hadamrnn-lite.min.js', 'tfjs-hadamrnn-lite.esm.min.js']) {
      const code = readFileSync(join(outdir, name), 'utf8');
      expect(code.length).toBeLessThanOrEqual(LITE_MAX_BYTES);
      expect(code).not.toMatch(/\brequire\(|\bimport\s*[{*"'(]|\bimport\.meta/);
    }
    // The sources import only each other.
    for (const file of readdirSync(join(ROOT, 'src', 'lite'))) {
      const source = readFileSync(join(ROOT, 'src', 'lite', file), 'utf8');
      const specifiers = [...source.matchAll(/^(?:import|export)[^;]*?from '([^']+)'/gm)].map(
        (m) => m[1],
      );
      expect(specifiers.filter((s) => !/^\.\/[a-z_]+$/.test(s))).toEqual([]);
    }
  });

  it('runs in a bare Node VM context (no require, no process)', () => {
    const context = vm.createContext({});
    vm.runInContext(readFileSync(join(outdir, 'tfjs-hadamrnn-lite.min.js'), 'utf8'), context);
    vm.runInContext(RUN, context);
    const bytes = new Uint8Array(readFileSync(join(outdir, 'model.hrnn')));
    context.args = { bytes, input, steps: STEPS };
    const run = vm.runInContext(
      'runLite(hadamrnnLite, args.bytes, args.input, args.steps)',
      context,
    ) as LiteRun;
    checkRun(run);
  });
});

describe('lite in Chromium', () => {
  let server: StaticServer;
  let browser: Chromium;

  beforeAll(async () => {
    writeFileSync(join(outdir, 'run.js'), RUN);
    writeFileSync(
      join(outdir, 'page.html'),
      '<!doctype html><meta charset="utf-8"><script src="tfjs-hadamrnn-lite.min.js"></script><script src="run.js"></script>',
    );
    const fetchAndRun = `const bytes = new Uint8Array(await (await fetch('model.hrnn')).arrayBuffer());
      postMessage(runLite(lite, bytes, e.data.input, e.data.steps));`;
    writeFileSync(
      join(outdir, 'classic_worker.js'),
      `importScripts('tfjs-hadamrnn-lite.min.js', 'run.js');
      onmessage = async (e) => { const lite = hadamrnnLite; ${fetchAndRun} };`,
    );
    writeFileSync(
      join(outdir, 'module_worker.js'),
      `import * as lite from './tfjs-hadamrnn-lite.esm.min.js';
      const runLite = new Function('return ' + ${JSON.stringify(RUN)})();
      onmessage = async (e) => { ${fetchAndRun} };`,
    );
    server = await startStaticServer({ '/': outdir });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('runs in a page', async () => {
    const page = await browser.context.newPage();
    try {
      await page.goto(`${server.url}page.html`);
      const run = await page.evaluate(
        async ({ input, steps }) => {
          const w = window as unknown as {
            hadamrnnLite: unknown;
            runLite: (...a: unknown[]) => LiteRun;
          };
          const bytes = new Uint8Array(await (await fetch('model.hrnn')).arrayBuffer());
          return w.runLite(w.hadamrnnLite, bytes, input, steps);
        },
        { input, steps: STEPS },
      );
      checkRun(run);
    } finally {
      await page.close();
    }
  });

  it.each([
    ['a classic Web Worker', 'classic_worker.js', 'classic'],
    ['a module Web Worker', 'module_worker.js', 'module'],
  ])('runs in %s', async (_name, script, type) => {
    const page = await browser.context.newPage();
    try {
      await page.goto(`${server.url}page.html`);
      const run = await page.evaluate(
        ({ script, type, input, steps }) =>
          new Promise<LiteRun>((resolve, reject) => {
            const worker = new Worker(script, { type: type as WorkerType });
            worker.onmessage = (e) => resolve(e.data as LiteRun);
            worker.onerror = (e) => reject(new Error(e.message));
            worker.postMessage({ input, steps });
          }),
        { script, type, input, steps: STEPS },
      );
      checkRun(run);
    } finally {
      await page.close();
    }
  });
});
