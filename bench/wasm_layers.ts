/**
 * wasm backend: the HadamRNN layer against tfjs's own recurrent layers of the same width, on the
 * issue's workload (128 units, T = 1000, batch 32, 10 inputs): `predict`, and one training step
 * (forward, backward and an Adam update, as `fit` runs per batch).
 *
 * tfjs's layers run one small op per time step; HadamRNN runs one matMul for the input projection
 * and one fused recurrence kernel for all steps, forward and backward. The baselines' training step
 * takes tens of seconds here, so this module takes a few minutes: each case is timed a few times.
 */
import '@tensorflow/tfjs'; // chained ops, which tfjs's Orthogonal initializer (LSTM, GRU, SimpleRNN) calls
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { hadamRNN } from '../src';
import { formatNs, formatRatio, measure, type BenchSection, type Timing } from './harness';

const UNITS = 128;
const STEPS = 1000;
const BATCH = 32;
const INPUTS = 10;

/** Targets of issue 4, against tf.layers.simpleRNN. */
const TARGETS = { predict: 50, trainStep: 100 };

const MODELS: Record<string, () => tfl.layers.Layer> = {
  HadamRNN: () => hadamRNN({ units: UNITS, returnSequences: true }),
  simpleRNN: () => tfl.layers.simpleRNN({ units: UNITS, returnSequences: true }),
  lstm: () => tfl.layers.lstm({ units: UNITS, returnSequences: true }),
  gru: () => tfl.layers.gru({ units: UNITS, returnSequences: true }),
  // Not recurrent: the 10 -> 128 projection of every step alone, the least any layer of this
  // width costs inside model.predict (which also slices its input and copies its output on wasm).
  'dense (floor)': () => tfl.layers.dense({ units: UNITS }),
};

/** The layer alone: no read-out, whose cost (the same for every model) would dilute the ratio. */
function buildModel(layer: tfl.layers.Layer): tfl.Sequential {
  return tfl.sequential({
    layers: [tfl.layers.inputLayer({ inputShape: [STEPS, INPUTS] }), layer],
  });
}

/** One training step as fit runs it: loss, gradients of every trainable weight, Adam update. */
function trainStep(
  model: tfl.Sequential,
  optimizer: tf.Optimizer,
  x: tf.Tensor,
  y: tf.Tensor,
): void {
  const cost = optimizer.minimize(
    () => tf.losses.meanSquaredError(y, model.apply(x, { training: true }) as tf.Tensor),
    true,
    model.trainableWeights.map((w) => w.read() as tf.Variable),
  );
  tf.dispose(cost as tf.Scalar);
}

export async function run(): Promise<BenchSection> {
  await tf.setBackend('wasm');
  const x = tf.randomNormal([BATCH, STEPS, INPUTS]);
  const y = tf.randomNormal([BATCH, STEPS, UNITS]);
  const models = Object.fromEntries(
    Object.entries(MODELS).map(([name, make]) => [name, buildModel(make())]),
  );
  const optimizers = Object.fromEntries(
    Object.keys(MODELS).map((name) => [name, tf.train.adam(1e-3)]),
  );
  const few = { warmupMs: 0, budgetMs: 0 };
  const predict = measure(
    Object.fromEntries(
      Object.entries(models).map(([name, m]) => [name, () => tf.dispose(m.predict(x))]),
    ),
    { ...few, minSamples: 3 },
  );
  console.log('  predict timed');
  const train = measure(
    Object.fromEntries(
      Object.entries(models).map(([name, m]) => [name, () => trainStep(m, optimizers[name], x, y)]),
    ),
    { ...few, minSamples: 1 },
  );
  const ms = (t: Timing) => formatNs(t.medianNs / 1e6);
  const rows = Object.keys(MODELS).map((name) => [
    name,
    ms(predict[name]),
    formatRatio(predict[name].medianNs, predict.HadamRNN.medianNs),
    ms(train[name]),
    formatRatio(train[name].medianNs, train.HadamRNN.medianNs),
  ]);
  const speedup = {
    predict: predict.simpleRNN.medianNs / predict.HadamRNN.medianNs,
    trainStep: train.simpleRNN.medianNs / train.HadamRNN.medianNs,
  };
  // The dense floor bounds predict only: its training step runs tfjs's default matMul gradients,
  // which HadamRNN's custom gradient avoids.
  const predictFloor = predict.simpleRNN.medianNs / predict['dense (floor)'].medianNs;
  tf.dispose([x, y]);
  Object.values(models).forEach((m) => m.dispose());
  Object.values(optimizers).forEach((o) => o.dispose());
  const verdict = (key: keyof typeof TARGETS, what: string) =>
    `${what}: HadamRNN is ${speedup[key].toFixed(0)}× faster than simpleRNN (target ≥ ${TARGETS[key]}×: ` +
    `${speedup[key] >= TARGETS[key] ? 'met' : 'not met'}).`;
  const floorNote =
    `The dense floor predicts ${predictFloor.toFixed(0)}× faster than simpleRNN: the most any layer ` +
    'that computes this input projection could reach in `model.predict` here, before its own work.';
  return {
    title:
      'wasm: HadamRNN layer vs tfjs recurrent layers (128 units, T = 1000, batch 32, 10 inputs)',
    intro: [
      'Each model is `inputLayer → recurrent layer (returnSequences)`: the layer alone, with no ' +
        'read-out (a read-out costs every model the same and would only dilute the ratio). ' +
        '**predict** is `model.predict(x)`; **train step** is one `optimizer.minimize` of the mean ' +
        'squared error of the outputs against a fixed target (forward, backward, Adam update: what ' +
        '`fit` does per batch). Times are medians in milliseconds; **×** is how many times slower ' +
        'than HadamRNN. **dense (floor)** is not recurrent: `dense(128)` applied to every step, i.e. ' +
        "only HadamRNN's input projection; its time is the least any layer with 128 outputs per step " +
        'can take in `model.predict` here, which on wasm also slices its input and copies its output.',
    ],
    headers: ['layer', 'predict ms', 'predict ×', 'train step ms', 'train step ×'],
    rows,
    notes: [verdict('predict', 'predict'), floorNote, verdict('trainStep', 'One training step')],
  };
}
