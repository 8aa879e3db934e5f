/**
 * tfjs-hadamrnn/lite against the tfjs model and the float64 reference: `predict` over a sequence,
 * `step` one time step at a time, `reset`, and its refusals of bad inputs.
 */
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { exportBits, fileSystem } from '../../src/index';
import { loadModel } from '../../src/lite';
import { modelSize } from '../../src/training/models/model_size';
import { expectClose } from '../harness/expect';
import { randomValues } from '../harness/random';
import {
  BASE,
  fixtureInput,
  fixtureModel,
  predictOne,
  referenceModel,
  type Fixture,
} from '../export/fixtures';

const CASES: [string, Partial<Fixture>][] = [
  ['HadamRNN → 4-bit QuantizedDense, softmax, b = 8 of 16', {}],
  [
    'full HadamRNN b = n = 64, last step only',
    { units: 64, blockSize: 64, returnSequences: false },
  ],
  ['read backwards, b = 1 (diagonal W)', { blockSize: 1, goBackwards: true }],
  [
    '3-bit U, 5-bit V, tanh, sigmoid',
    { bitsU: 3, bitsV: 5, activation: 'tanh', readoutActivation: 'sigmoid' },
  ],
  ['16-bit U, 1-bit V, linear read-out', { bitsU: 16, bitsV: 1, readoutActivation: 'linear' }],
  ['HadamRNN alone', { outputs: null }],
];

describe('tfjs-hadamrnn/lite', () => {
  it.each(CASES)(
    '%s: predict matches the tfjs model and the float64 reference within 1e-5',
    (_n, options) => {
      const f = { ...BASE, ...options };
      const model = fixtureModel(f);
      const lite = loadModel(exportBits(model));
      expect([lite.inputDim, lite.outputDim, lite.units, lite.blockSize]).toEqual([
        f.inputDim,
        f.outputs ?? f.units,
        f.units,
        f.blockSize,
      ]);
      const x = fixtureInput(f);
      const y = lite.predict(x, f.steps);
      expect(y.length).toBe((f.returnSequences ? f.steps : 1) * (f.outputs ?? f.units));
      expectClose(y, predictOne(model, x, f), 1e-5);
      expectClose(y, referenceModel(model, x, f), 1e-5);
      model.dispose();
    },
  );

  it.each(CASES.filter(([, o]) => !o.goBackwards))(
    '%s: step by step gives the outputs of predict',
    (_n, options) => {
      const f = { ...BASE, ...options, returnSequences: true };
      const model = fixtureModel(f);
      const lite = loadModel(exportBits(model));
      const x = fixtureInput(f);
      const sequence = lite.predict(x, f.steps);
      const o = lite.outputDim;
      for (let round = 0; round < 2; round++) {
        for (let t = 0; t < f.steps; t++) {
          const y = lite.step(x.subarray(t * f.inputDim, (t + 1) * f.inputDim));
          expectClose(y, sequence.subarray(t * o, (t + 1) * o), 1e-6);
        }
        lite.reset(); // the second round starts from zeros again
      }
      model.dispose();
    },
  );

  it('predict leaves the streaming state alone', () => {
    const model = fixtureModel(BASE);
    const lite = loadModel(exportBits(model));
    const x = fixtureInput(BASE);
    const d = BASE.inputDim;
    const first = lite.step(x.subarray(0, d));
    lite.predict(x, BASE.steps);
    const second = lite.step(x.subarray(d, 2 * d));
    lite.reset();
    lite.step(x.subarray(0, d));
    expect(lite.step(x.subarray(d, 2 * d))).toEqual(second);
    expect(first.length).toBe(BASE.outputs);
    model.dispose();
  });

  it('refuses bad inputs with the API, the value and the rule', () => {
    const model = fixtureModel(BASE);
    const lite = loadModel(exportBits(model));
    expect(() => lite.predict(new Float32Array(10), BASE.steps)).toThrow(
      'LiteModel.predict: x must hold steps (7) × inputDim = 35 values, got 10',
    );
    expect(() => lite.predict(new Float32Array(0), 0)).toThrow(
      'LiteModel.predict: steps must be a positive integer, got 0',
    );
    expect(() => lite.step(new Float32Array(4))).toThrow(
      'LiteModel.step: x must hold inputDim = 5 values, got 4',
    );
    const backwards = loadModel(exportBits(fixtureModel({ ...BASE, goBackwards: true })));
    expect(() => backwards.step(new Float32Array(5))).toThrow(/goBackwards\); use predict/);
    model.dispose();
  });
});

describe('the copy-task model (demo/model) in the bits format', () => {
  it('is within 64 bytes of the paper count; lite predict and step agree with tfjs within 1e-5', async () => {
    const model = await tfl.loadLayersModel(
      fileSystem(path.join(__dirname, '..', '..', 'demo', 'model', 'model.json')),
    );
    const bytes = exportBits(model);
    const paperBytes = modelSize(model).paperBits / 8;
    expect(bytes.length - paperBytes).toBeGreaterThanOrEqual(0);
    expect(bytes.length - paperBytes).toBeLessThanOrEqual(64);
    const lite = loadModel(bytes);
    const [steps, d] = [20, 10];
    const symbols = Array.from(randomValues(steps, 4), (v) => Math.floor(Math.abs(v) * 10) % 10);
    const x = new Float32Array(steps * d);
    symbols.forEach((s, t) => (x[t * d + s] = 1));
    const expected = tf.tidy(() =>
      (model.predict(tf.tensor3d(x, [1, steps, d])) as tf.Tensor).dataSync(),
    );
    expectClose(lite.predict(x, steps), expected, 1e-5);
    const o = lite.outputDim;
    for (let t = 0; t < steps; t++) {
      expectClose(
        lite.step(x.subarray(t * d, (t + 1) * d)),
        expected.subarray(t * o, (t + 1) * o),
        1e-5,
      );
    }
    model.dispose();
  });
});
