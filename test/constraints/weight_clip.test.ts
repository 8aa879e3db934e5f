import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { WeightClip, hadamRNN, quantizedDense, weightClip } from '../../src';
import { expectClose, expectNoLeaks, valuesOf } from '../harness/expect';
import { randomValues } from '../harness/random';

describe('WeightClip', () => {
  it('clips to [-clipValue, clipValue], including the bounds themselves', async () => {
    await expectNoLeaks(() => {
      const w = tf.tensor1d([-3, -0.5, -0.5, 0, 0.5, 0.5, 3]);
      const clipped = weightClip({ clipValue: 0.5 }).apply(w);
      expectClose(valuesOf(clipped), [-0.5, -0.5, -0.5, 0, 0.5, 0.5, 0.5], 0);
      tf.dispose([w, clipped]);
    });
  });

  it('is a tfjs-layers constraint that stock layers accept', () => {
    const dense = tfl.layers.dense({ units: 2, kernelConstraint: weightClip(), inputShape: [2] });
    tf.dispose(dense.apply(tf.zeros([1, 2])) as tf.Tensor);
    const kernel = tf.tensor2d([
      [5, -5],
      [0.25, 0],
    ]);
    dense.setWeights([kernel, tf.zeros([2])]);
    expectClose(valuesOf(dense.getWeights()[0]), [1, -1, 0.25, 0], 0);
    kernel.dispose();
    dense.dispose();
  });

  it('rejects a non-positive clipValue', () => {
    expect(() => new WeightClip({ clipValue: 0 })).toThrow(
      'WeightClip: clipValue must be a positive number, got 0',
    );
  });

  it('takes effect during fit: latent u stays in [-1, 1] with a large learning rate', async () => {
    const model = tfl.sequential({
      layers: [
        // u starts inside the box (the paper's ±0.43 at 16 units), and is clipped to it.
        hadamRNN({
          units: 16,
          returnSequences: true,
          inputShape: [5, 4],
          signRecipe: 'paper',
          recurrentConstraint: weightClip({ clipValue: 1 }),
        }),
        quantizedDense({
          units: 3,
          activation: 'softmax',
          kernelConstraint: weightClip({ clipValue: 0.25 }),
        }),
      ],
    });
    model.compile({ optimizer: tf.train.sgd(100), loss: 'categoricalCrossentropy' });
    const x = tf.tensor3d(randomValues(32 * 5 * 4, 3), [32, 5, 4]);
    const y = tf.oneHot(
      tf.tensor2d(
        Int32Array.from({ length: 160 }, (_, i) => (i * 7) % 3),
        [32, 5],
        'int32',
      ),
      3,
    );
    const before = valuesOf(model.layers[0].getWeights()[1]);
    await model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0 });
    const u = valuesOf(model.layers[0].getWeights()[1]);
    const v = valuesOf(model.layers[1].getWeights()[0]);
    // The updates were large enough to leave the box many times over ...
    expect(Math.max(...u.map((value, i) => Math.abs(value - before[i])))).toBeGreaterThan(0.5);
    // ... and every value ended inside it, some on its boundary.
    expect(Math.max(...u.map(Math.abs))).toBeLessThanOrEqual(1);
    expect(u.some((value) => Math.abs(value) === 1)).toBe(true);
    expect(Math.max(...v.map(Math.abs))).toBeLessThanOrEqual(0.25);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('without the package hook, fit would have left the box: an unconstrained u goes past 1', async () => {
    const model = tfl.sequential({
      layers: [
        hadamRNN({
          units: 16,
          returnSequences: true,
          inputShape: [5, 4],
          signRecipe: 'paper', // u starts inside [-1, 1]
          recurrentConstraint: null,
        }),
      ],
    });
    model.compile({ optimizer: tf.train.sgd(100), loss: 'meanSquaredError' });
    const x = tf.tensor3d(randomValues(32 * 5 * 4, 3), [32, 5, 4]);
    const y = tf.tensor3d(randomValues(32 * 5 * 16, 4), [32, 5, 16]);
    await model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0 });
    expect(Math.max(...valuesOf(model.layers[0].getWeights()[1]).map(Math.abs))).toBeGreaterThan(1);
    tf.dispose([x, y]);
    model.dispose();
  });
});
