/**
 * Leaks and long runs: repeated predict and fit calls keep tf.memory().numTensors flat, dispose()
 * frees everything, and a 100,000-step sequence runs through the HadamRNN layer without stack
 * overflow, with memory linear in T and, with zero input and no bias, the state norm preserved.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { hadamRNN } from '../../src/index';
import { randomValues } from '../harness/random';
import { FIXTURE, fixtureInput, fixtureModel } from '../io/fixtures/model';

function oneHotTargets(): tf.Tensor3D {
  const { batch, steps, classes } = FIXTURE;
  const labels = Array.from({ length: batch * steps }, (_, i) => (i * 7) % classes);
  return tf.tidy(
    () => tf.reshape(tf.oneHot(labels, classes), [batch, steps, classes]) as tf.Tensor3D,
  );
}

describe('leaks', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('1,000 predict calls leave numTensors where it was', () => {
    const model = fixtureModel();
    const x = fixtureInput();
    tf.dispose(model.predict(x) as tf.Tensor); // first call: anything lazily created
    const before = tf.memory();
    for (let i = 0; i < 1000; i++) {
      tf.dispose(model.predict(x) as tf.Tensor);
    }
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    x.dispose();
    model.dispose();
  });

  it('100 fit steps leave numTensors where the first step left it', async () => {
    const model = fixtureModel();
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const x = fixtureInput();
    const y = oneHotTargets();
    await model.fit(x, y, { epochs: 1, batchSize: FIXTURE.batch, verbose: 0 }); // Adam's slots now exist
    const before = tf.memory().numTensors;
    const history = await model.fit(x, y, { epochs: 100, batchSize: FIXTURE.batch, verbose: 0 });
    expect(tf.memory().numTensors).toBe(before);
    const losses = history.history.loss as number[];
    expect(losses[99]).toBeLessThan(losses[0]); // the steps really trained
    tf.dispose([x, y]);
    model.optimizer.dispose();
    model.dispose();
  });

  it('dispose() frees every tensor a model made, trained or not', async () => {
    const baseline = tf.memory().numTensors;
    const model = fixtureModel();
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    const x = fixtureInput();
    const y = oneHotTargets();
    await model.fit(x, y, { epochs: 3, batchSize: FIXTURE.batch, verbose: 0 });
    tf.dispose(model.predict(x) as tf.Tensor);
    tf.dispose([x, y]);
    // A string optimizer is owned by the model and disposed with it.
    model.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });
});

describe('long sequences', () => {
  const UNITS = 16;

  function zeroInputLayer(): { layer: tfl.layers.Layer; h0: tf.Tensor2D } {
    const layer = hadamRNN({ units: UNITS, useBias: false, returnState: true });
    layer.apply(tf.zeros([1, 1, 2])); // build
    const h0 = tf.tensor2d(randomValues(UNITS, 5), [1, UNITS]);
    return { layer, h0 };
  }

  it('runs 100,000 steps with the state norm preserved (zero input, no bias)', () => {
    const { layer, h0 } = zeroInputLayer();
    const steps = 100_000;
    const [output, last] = tf.tidy(
      () => layer.apply(tf.zeros([1, steps, 2]), { initialState: [h0] }) as tf.Tensor[],
    );
    const norm = (t: tf.Tensor) => tf.tidy(() => tf.norm(t).dataSync()[0]);
    const drift = Math.abs(norm(last) - norm(h0)) / norm(h0);
    console.log(`relative drift of the state norm after ${steps} steps: ${drift.toExponential(2)}`);
    expect(drift).toBeLessThan(1e-3);
    expect(last.shape).toEqual([1, UNITS]);
    tf.dispose([output, last, h0]);
    layer.dispose();
  });

  it('needs memory linear in T', async () => {
    const { layer, h0 } = zeroInputLayer();
    const peakPerStep = async (steps: number) => {
      const x = tf.zeros([1, steps, 2]);
      const info = await tf.profile(() => {
        tf.dispose(layer.apply(x, { initialState: [h0] }) as tf.Tensor[]);
      });
      x.dispose();
      return info.peakBytes / steps;
    };
    const small = await peakPerStep(10_000);
    const large = await peakPerStep(100_000);
    // The states alone take 4 bytes x units per step; everything else must scale the same way.
    expect(small).toBeGreaterThanOrEqual(4 * UNITS);
    expect(large / small).toBeLessThan(1.1);
    expect(large).toBeLessThan(16 * 4 * UNITS);
    console.log(
      `peak bytes per step: ${small.toFixed(1)} (T = 10^4), ${large.toFixed(1)} (T = 10^5)`,
    );
    h0.dispose();
    layer.dispose();
  });
});
