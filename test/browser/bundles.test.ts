/**
 * The browser bundles of scripts/build_browser.mjs, each loaded in Chromium next to the official
 * tfjs bundle (node_modules/@tensorflow/tfjs/dist/tf.min.js, served locally): the script-tag bundle
 * through the global `tf`, the ES module through an import map onto that same `tf`. On cpu and
 * webgl each page runs the op and the fused recurrence against the float64 references, and saves
 * and reloads a model built from the package's layers.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './bundle';
import { launchChromium, type Chromium } from './chromium';
import { startStaticServer, type StaticServer } from './server';
import { expectClose } from '../harness/expect';
import { randomSigns, randomValues } from '../harness/random';
import { referenceRecurrence, referenceTransform } from '../reference/dense';

jest.setTimeout(120_000);

const TF_MIN = '/node_modules/@tensorflow/tfjs/dist/tf.min.js';

/** Each page: tf.min.js, then the bundle under test, exposing `window.hadamrnn`. */
function pages(esmImports: Record<string, string>): Record<string, string> {
  const importMap = JSON.stringify({ imports: esmImports });
  return {
    'script.html': `<script src="${TF_MIN}"></script><script src="./tfjs-hadamrnn.min.js"></script>`,
    'esm.html':
      `<script src="${TF_MIN}"></script><script type="importmap">${importMap}</script>` +
      `<script type="module">import * as hadamrnn from './tfjs-hadamrnn.esm.js'; ` +
      `window.hadamrnn = hadamrnn;</script>`,
  };
}

/**
 * An ES module re-exporting, from the page's global `tf`, the names the ESM bundle imports from
 * `pkg` (the union bundle holds every tfjs package's exports).
 */
function globalTfModule(bundle: string, pkg: string): string {
  const names = new Set<string>();
  const pattern = new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*"${pkg}"`, 'g');
  for (const [, list] of bundle.matchAll(pattern)) {
    for (const item of list.split(',')) {
      names.add(item.trim().split(/\s+as\s+/)[0]);
    }
  }
  names.delete('');
  return `const tf = globalThis.tf;\nexport const { ${[...names].join(', ')} } = tf;\nexport default tf;\n`;
}

let outdir = '';
let server: StaticServer;
let browser: Chromium;

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'hadamrnn-bundles-'));
  execFileSync('node', [join(REPO_ROOT, 'scripts', 'build_browser.mjs'), '--outdir', outdir], {
    cwd: REPO_ROOT,
    stdio: 'pipe',
  });
  const esm = readFileSync(join(outdir, 'tfjs-hadamrnn.esm.js'), 'utf8');
  const imports: Record<string, string> = {};
  for (const pkg of ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers']) {
    const file = `${pkg.split('/')[1]}.global.js`;
    writeFileSync(join(outdir, file), globalTfModule(esm, pkg));
    imports[pkg] = `./${file}`;
  }
  for (const [name, html] of Object.entries(pages(imports))) {
    writeFileSync(join(outdir, name), `<!doctype html><meta charset="utf-8">${html}`);
  }
  server = await startStaticServer({ '/': REPO_ROOT, '/bundles/': outdir });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(outdir, { recursive: true, force: true });
});

const N = 16;
const RECURRENCE = { batch: 2, steps: 5, units: N, blockSize: 8, goBackwards: false };
const X = randomValues(3 * N, 1);
const Z = randomValues(RECURRENCE.batch * RECURRENCE.steps * N, 2);
const S = randomSigns(N, 3);
const H0 = randomValues(RECURRENCE.batch * N, 4);

/** What the page reports for one backend. */
interface BundleRun {
  kernels: boolean[];
  transform: number[];
  states: number[];
  model: { before: number[]; after: number[]; classNames: string[]; expectedClassNames: string[] };
}

describe.each(['script.html', 'esm.html'])('bundle page %s', (pageName) => {
  it.each(['cpu', 'webgl'])(
    'runs the op, the recurrence and a saved model on %s',
    async (backend) => {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      try {
        await page.goto(`${server.url}bundles/${pageName}`);
        await page.waitForFunction(() => 'hadamrnn' in window, null, { timeout: 30_000 });
        const run: BundleRun = await page.evaluate(
          async ({ backend, x, z, s, h0, shape }) => {
            type Tf = typeof import('@tensorflow/tfjs');
            type Package = typeof import('../../src');
            const { tf, hadamrnn } = window as unknown as { tf: Tf; hadamrnn: Package };
            await tf.setBackend(backend);
            const names = ['HadamardTransform', 'HadamardRecurrence', 'HadamardRecurrenceGrad'];
            const transform = hadamrnn.hadamardTransform(tf.tensor2d(x, [3, 16]));
            const states = hadamrnn.hadamardRecurrence(
              tf.tensor3d(z, [shape.batch, shape.steps, shape.units]),
              tf.tensor1d(s),
              tf.tensor2d(h0, [shape.batch, shape.units]),
              { blockSize: shape.blockSize },
            );
            // A model of the package's layers, saved and reloaded through the global tf.
            const model = tf.sequential({
              layers: [
                hadamrnn.hadamRNN({ units: 16, blockSize: 8, inputShape: [5, 3] }),
                hadamrnn.quantizedDense({ units: 2 }),
              ],
            });
            const input = tf.tensor3d(z.slice(0, 2 * 5 * 3), [2, 5, 3]);
            const before = model.predict(input) as import('@tensorflow/tfjs').Tensor;
            let artifacts: import('@tensorflow/tfjs').io.ModelArtifacts | undefined;
            await model.save(
              tf.io.withSaveHandler(async (a) => {
                artifacts = a;
                return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
              }),
            );
            const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
            const after = loaded.predict(input) as import('@tensorflow/tfjs').Tensor;
            return {
              kernels: names.map((name) => tf.getKernel(name, backend) != null),
              transform: Array.from(await transform.data()),
              states: Array.from(await states.data()),
              model: {
                before: Array.from(await before.data()),
                after: Array.from(await after.data()),
                classNames: loaded.layers.map((layer) => layer.getClassName()),
                expectedClassNames: [
                  hadamrnn.HadamRNN.className,
                  hadamrnn.QuantizedDense.className,
                ],
              },
            };
          },
          {
            backend,
            x: Array.from(X),
            z: Array.from(Z),
            s: Array.from(S),
            h0: Array.from(H0),
            shape: RECURRENCE,
          },
        );
        expect(run.kernels).toEqual([true, true, true]);
        expectClose(run.transform, referenceTransform(X, N, true), 1e-5);
        expectClose(run.states, referenceRecurrence(Z, S, H0, null, RECURRENCE), 1e-5);
        expect(run.model.classNames).toEqual(run.model.expectedClassNames);
        expect(run.model.before).toHaveLength(2 * 2);
        expect(run.model.after).toEqual(run.model.before);
      } catch (error) {
        throw new Error(`${String(error)}\npage errors: ${errors.join('\n') || 'none'}`);
      } finally {
        await page.close();
      }
    },
  );
});
