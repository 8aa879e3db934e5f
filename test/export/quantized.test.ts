/**
 * The `quantized` format: codes in the manifest, bit-identical predictions and configs with the
 * plugin, fine-tuning after load, and the size bound on the copy-task model.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { exportModel, fileSystem, quantizedArtifacts } from '../../src/index';
import { temporaryFolder, removeFolder } from '../io/fixtures/saved';
import { expectNoLeaks } from '../harness/expect';
import { BASE, fixtureInput, fixtureModel, predictOne, type Fixture } from './fixtures';

const CASES: [string, Partial<Fixture>][] = [
  ['HadamRNN → QuantizedDense, 4 bits', {}],
  [
    'Block-HadamRNN read backwards, last step only, 3 and 7 bits',
    { blockSize: 4, goBackwards: true, returnSequences: false, bitsU: 3, bitsV: 7 },
  ],
  ['8-bit kernels (uint16 codes)', { bitsU: 8, bitsV: 8 }],
  ['HadamRNN alone, tanh', { outputs: null, activation: 'tanh' }],
];

describe("exportModel format 'quantized'", () => {
  it.each(CASES)(
    '%s: loads with the plugin and predicts bit-identically',
    async (_name, options) => {
      const f = { ...BASE, ...options };
      const model = fixtureModel(f);
      const artifacts = await expectNoLeaks(() => quantizedArtifacts(model));
      const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
      const x = fixtureInput(f);
      expect(predictOne(loaded, x, f)).toEqual(predictOne(model, x, f));
      // The effective weights are the same bits: Q(U), s and Q(V) quantize back identically.
      const effective = (m: tfl.LayersModel) =>
        tf.tidy(() => {
          const rnn = m.getLayer('rnn') as unknown as import('../../src').HadamRNN;
          const out = [rnn.cell.projection.effectiveKernel(), rnn.cell.recurrentSigns()];
          if (f.outputs != null) {
            out.push(
              (
                m.getLayer('readout') as unknown as import('../../src').QuantizedDense
              ).projection.effectiveKernel(),
            );
          }
          // -0 (a small negative U rounded to 0) decodes as +0: the same value in every product.
          return out.map((t) => Array.from(t.dataSync(), (v) => v + 0));
        });
      expect(effective(loaded)).toEqual(effective(model));
      // Config keys left out at their default come back as the same layer config; initializers
      // are left out whatever they were (every weight is in the file) and come back as defaults.
      const withoutInitializers = (config: object) =>
        Object.fromEntries(Object.entries(config).filter(([k]) => !k.endsWith('Initializer')));
      for (const layer of model.layers) {
        expect(withoutInitializers(loaded.getLayer(layer.name).getConfig())).toEqual(
          withoutInitializers(layer.getConfig()),
        );
      }
      const specs = artifacts.weightSpecs!;
      const codedKernel = specs.find((s) => s.name.endsWith('rnn/kernel'))!;
      expect(codedKernel.quantization?.dtype).toBe(f.bitsU <= 7 ? 'uint8' : 'uint16');
      const u = specs.find((s) => s.name.endsWith('recurrent_kernel'))!;
      expect(u.quantization).toEqual({ dtype: 'uint8', scale: 2, min: -1 });
      expect(
        specs.filter((s) => s.name.endsWith('bias')).every((s) => s.quantization == null),
      ).toBe(true);
      loaded.dispose();
      model.dispose();
    },
  );

  it('stores the 4-bit codes of U and the 0/1 signs of u', async () => {
    const model = fixtureModel(BASE);
    const artifacts = quantizedArtifacts(model);
    const data = new Uint8Array(artifacts.weightData as ArrayBuffer);
    const { inputDim, units } = BASE;
    const kernel = data.subarray(0, inputDim * units);
    const signs = data.subarray(inputDim * units, inputDim * units + units);
    // Codes are round(U · 8 / alpha) + 8 in [0, 16] (16 where U = +alpha, which the quantizer clips).
    const latent = model.getWeights()[0].dataSync() as Float32Array;
    const alpha = latent.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    latent.forEach((value, i) =>
      expect(Math.abs(kernel[i] - 8 - (value * 8) / alpha)).toBeLessThanOrEqual(0.5 + 1e-6),
    );
    expect(Math.max(...kernel)).toBeLessThanOrEqual(16);
    const uValues = model.getWeights()[1].dataSync();
    uValues.forEach((value, i) => expect(signs[i]).toBe(value >= 0 ? 1 : 0));
    model.dispose();
  });

  it('can be fine-tuned after loading: one fit step changes the weights and leaks nothing', async () => {
    const f = BASE;
    const model = fixtureModel(f);
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(quantizedArtifacts(model)));
    loaded.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const x = tf.tensor3d(fixtureInput(f), [1, f.steps, f.inputDim]);
    const y = tf.cast(
      tf.oneHot(tf.tensor2d([[0, 1, 2, 3, 0, 1, 2]], undefined, 'int32'), 4),
      'float32',
    );
    const before = loaded.getWeights().map((w) => Array.from(w.dataSync()));
    await loaded.fit(x, y, { epochs: 1, verbose: 0 }); // the first fit creates the optimizer's slots
    const history = await expectNoLeaks(() => loaded.fit(x, y, { epochs: 1, verbose: 0 }));
    expect(Number.isFinite(history.history.loss[0] as number)).toBe(true);
    const after = loaded.getWeights().map((w) => Array.from(w.dataSync()));
    expect(after[0]).not.toEqual(before[0]);
    tf.dispose([x, y]);
    loaded.dispose();
    model.dispose();
  });

  it('refuses a model holding NaN, naming the weight', async () => {
    const model = fixtureModel(BASE);
    const [kernel, ...rest] = model.getWeights();
    const bad = kernel.bufferSync();
    bad.set(NaN, 0, 3);
    model.setWeights([bad.toTensor(), ...rest]);
    expect(() => quantizedArtifacts(model)).toThrow(/weight 'rnn\/kernel' holds NaN at index 3/);
    model.dispose();
  });
});

describe('the copy-task model (demo/model)', () => {
  it("exports 'quantized' at most a third of the float32 save, predicting identically", async () => {
    const source = path.join(__dirname, '..', '..', 'demo', 'model');
    const model = await tfl.loadLayersModel(fileSystem(path.join(source, 'model.json')));
    const dir = temporaryFolder('hadamrnn-export-');
    try {
      const result = await exportModel(model, dir, { format: 'quantized' });
      const float32Bytes = fs
        .readdirSync(source)
        .reduce((sum, name) => sum + fs.statSync(path.join(source, name)).size, 0);
      expect(result.bytes).toBe(
        result.files.reduce((sum, file) => sum + fs.statSync(file).size, 0),
      );
      expect(result.bytes * 3).toBeLessThanOrEqual(float32Bytes);
      const loaded = await tfl.loadLayersModel(fileSystem(path.join(dir, 'model.json')));
      const x = tf.tidy(() =>
        tf.cast(
          tf.oneHot(
            tf.tensor2d([[...Array(20).keys()].map((i) => i % 10)], undefined, 'int32'),
            10,
          ),
          'float32',
        ),
      );
      const [a, b] = [model, loaded].map((m) => m.predict(x) as tf.Tensor);
      expect(b.dataSync()).toEqual(a.dataSync());
      tf.dispose([x, a, b]);
      loaded.dispose();
    } finally {
      removeFolder(dir);
      model.dispose();
    }
  });
});
