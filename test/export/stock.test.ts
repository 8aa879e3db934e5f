/**
 * The `stock` format: plain tfjs layers (SimpleRNN + Activation + Dense) that predict within 1e-5
 * of the source model, in this process and in a Node process that never imports the package.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { fileSystem, hadamRNN, quantizedDense, stockArtifacts } from '../../src/index';
import { expectClose, expectNoLeaks } from '../harness/expect';
import { randomValues } from '../harness/random';
import { removeFolder, temporaryFolder } from '../io/fixtures/saved';
import {
  BASE,
  fixtureInput,
  fixtureModel,
  predictOne,
  referenceModel,
  type Fixture,
} from './fixtures';

const ROOT = path.join(__dirname, '..', '..');

const CASES: [string, Partial<Fixture>][] = [
  ['HadamRNN → QuantizedDense (b = 8 of 16)', {}],
  [
    'full HadamRNN (b = n = 32) read backwards, last step only',
    { units: 32, blockSize: 32, goBackwards: true, returnSequences: false },
  ],
  ['HadamRNN alone, linear outputs, 3 bits', { outputs: null, activation: 'linear', bitsU: 3 }],
  ['8-bit read-out with a sigmoid', { bitsV: 8, readoutActivation: 'sigmoid' }],
];

async function stockModel(model: tfl.LayersModel): Promise<tfl.LayersModel> {
  return tfl.loadLayersModel(tf.io.fromMemory(await stockArtifacts(model)));
}

describe("exportModel format 'stock'", () => {
  it.each(CASES)(
    '%s: predicts within 1e-5 of the model and of the float64 reference',
    async (_n, options) => {
      const f = { ...BASE, ...options };
      const model = fixtureModel(f);
      const artifacts = await expectNoLeaks(() => stockArtifacts(model));
      const stock = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
      const classes = stock.layers.map((l) => l.getClassName());
      expect(classes).toEqual([
        'SimpleRNN',
        ...(f.activation === 'linear' ? [] : ['Activation']),
        ...(f.outputs == null ? [] : ['Dense']),
      ]);
      const x = fixtureInput(f);
      const expected = predictOne(model, x, f);
      expectClose(predictOne(stock, x, f), expected, 1e-5);
      expectClose(predictOne(stock, x, f), referenceModel(model, x, f), 1e-5);
      // Kernels and the recurrent matrix are lossless uint8 codes; biases float32.
      const coded = artifacts.weightSpecs!.filter((s) => s.quantization != null).map((s) => s.name);
      expect(coded).toEqual([
        'rnn/kernel',
        'rnn/recurrent_kernel',
        ...(f.outputs == null || f.bitsV > 8 ? [] : ['readout/kernel']),
      ]);
      stock.dispose();
      model.dispose();
    },
  );

  it('writes the recurrent kernel as the transpose of W = diag(s)(I ⊗ S_b)/sqrt(b)', async () => {
    const model = fixtureModel(BASE);
    const stock = await stockModel(model);
    const recurrent = stock.getLayer('rnn').getWeights()[1].dataSync();
    const w = (model.getLayer('rnn') as unknown as import('../../src').HadamRNN).recurrentMatrix();
    const wValues = w.dataSync();
    const n = BASE.units;
    const transposed = Float64Array.from(
      { length: n * n },
      (_, k) => wValues[(k % n) * n + Math.floor(k / n)],
    );
    expectClose(recurrent, transposed, 1e-7);
    w.dispose();
    stock.dispose();
    model.dispose();
  });

  it('converts a functional model, redirecting the consumers of the HadamRNN to its activation', async () => {
    const input = tfl.input({ shape: [6, 3] });
    const rnn = hadamRNN({ name: 'rnn', units: 8, returnSequences: true }).apply(
      input,
    ) as tfl.SymbolicTensor;
    const a = quantizedDense({ name: 'a', units: 2 }).apply(rnn) as tfl.SymbolicTensor;
    const b = tfl.layers.dense({ name: 'b', units: 2 }).apply(rnn) as tfl.SymbolicTensor;
    const sum = tfl.layers.add({ name: 'sum' }).apply([a, b]) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: [sum, rnn] });
    const weights = model
      .getWeights()
      .map((w, i) => tf.tensor(randomValues(w.size, 10 + i), w.shape));
    model.setWeights(weights);
    tf.dispose(weights);
    const stock = await stockModel(model);
    const x = tf.tensor3d(randomValues(2 * 6 * 3, 5), [2, 6, 3]);
    const expected = model.predict(x) as tf.Tensor[];
    const actual = stock.predict(x) as tf.Tensor[];
    expect(actual.length).toBe(2);
    actual.forEach((t, i) => expectClose(t.dataSync(), expected[i].dataSync(), 1e-5));
    tf.dispose([x, ...expected, ...actual]);
    stock.dispose();
    model.dispose();
  });

  it.each([
    [
      'returnState',
      { returnState: true },
      /HadamRNN 'rnn' has return_state true; it cannot be converted/,
    ],
    [
      'stateful',
      { stateful: true, batchInputShape: [1, 4, 2] },
      /HadamRNN 'rnn' has stateful true/,
    ],
  ])('refuses %s clearly', async (_name, args, message) => {
    const input = tfl.input({ batchShape: [1, 4, 2] });
    const out = hadamRNN({ name: 'rnn', units: 4, ...args }).apply(input) as tfl.SymbolicTensor[];
    const model = tfl.model({ inputs: input, outputs: Array.isArray(out) ? out[0] : out });
    await expect(stockArtifacts(model)).rejects.toThrow(message);
    model.dispose();
  });
});

describe('the copy-task model (demo/model) exported by the CLI', () => {
  it("'stock' predicts within 1e-5 in a Node process that never imports the package", async () => {
    const dir = temporaryFolder('hadamrnn-stock-');
    try {
      const cli = path.join(ROOT, 'bin', 'tfjs-hadamrnn.js');
      const report = execFileSync(
        process.execPath,
        [cli, 'export', path.join(ROOT, 'demo', 'model'), '--format', 'stock', '--out', dir],
        { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      expect(report).toBe('');
      const model = await tfl.loadLayersModel(
        fileSystem(path.join(ROOT, 'demo', 'model', 'model.json')),
      );
      const shape = [2, 20, 10];
      const values = Array.from(randomValues(2 * 20 * 10, 3));
      const expected = tf.tidy(() =>
        (model.predict(tf.tensor(values, shape)) as tf.Tensor).dataSync(),
      );
      model.dispose();
      const child = execFileSync(
        process.execPath,
        [
          path.join(__dirname, 'fixtures', 'predict_stock.cjs'),
          dir,
          JSON.stringify({ shape, values }),
        ],
        { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      );
      const result = JSON.parse(child) as {
        classes: string[];
        values: number[];
        modules: string[];
      };
      expect(result.classes).toEqual(['SimpleRNN', 'Activation', 'Dense']);
      expect(
        result.modules.filter(
          (m) => m.includes(`${path.sep}src${path.sep}`) || m.includes('tfjs-hadamrnn'),
        ),
      ).toEqual([]);
      expectClose(result.values, expected, 1e-5);
      expect(fs.readdirSync(dir).sort()).toEqual([
        'model.json',
        expect.stringMatching(/^model\.[a-z0-9]+\.shard1of1\.bin$/),
      ]);
    } finally {
      removeFolder(dir);
    }
  });
});
