/**
 * wasm backend: the HadamRNN layer against tfjs's own recurrent layers of the same width, on the
 * issue's workload (128 units, T = 1000, batch 32, 10 inputs): `predict` of every step's output
 * and of the last one, and one training step (forward, backward and an Adam update, as `fit` runs
 * per batch).
 *
 * tfjs's layers run one small op per time step; HadamRNN runs one matMul for the input projection
 * and one fused recurrence kernel for all steps, forward and backward, and here infers a last state
 * alone as one matMul with its kept impulse responses (`inference: 'impulseResponses'`). The baselines' training step
 * takes tens of seconds here, so this module takes a few minutes: each case is timed a few times.
 */
import '@tensorflow/tfjs'; // chained ops, which tfjs's Orthogonal initializer (LSTM, GRU, SimpleRNN) calls
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { hadamRNN } from '../src';
import { formatNs, formatRatio, measure, type BenchSection, type Timing } from './harness';
import { BATCH, INPUTS, STEPS, UNITS } from './workload';

/** Targets of issue 4, against tf.layers.simpleRNN. */
const TARGETS = { predict: 50, trainStep: 100 };

/** Each layer, returning every step's output (`returnSequences`) or only the last. */
const LAYERS: Record<string, (returnSequences: boolean) => tfl.layers.Layer> = {
  // The last state alone through kept impulse responses (`inference: 'impulseResponses'`; the
  // default, the recurrence, is timed against it in bench/wasm_inference.ts).
  HadamRNN: (returnSequences) =>
    hadamRNN({ units: UNITS, returnSequences, inference: 'impulseResponses' }),
  simpleRNN: (returnSequences) => tfl.layers.simpleRNN({ units: UNITS, returnSequences }),
  lstm: (returnSequences) => tfl.layers.lstm({ units: UNITS, returnSequences }),
  gru: (returnSequences) => tfl.layers.gru({ units: UNITS, returnSequences }),
};

/** Not recurrent: the 10 -> 128 projection of every step alone, the least any layer with 128
 * outputs per step costs inside model.predict (which also slices its input and copies its output
 * on wasm). */
const DENSE_FLOOR = 'dense (floor)';

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
  const names = Object.keys(LAYERS);
  const sequences: Record<string, tfl.Sequential> = {
    ...Object.fromEntries(names.map((name) => [name, buildModel(LAYERS[name](true))])),
    [DENSE_FLOOR]: buildModel(tfl.layers.dense({ units: UNITS })),
  };
  const lastOnly = Object.fromEntries(names.map((name) => [name, buildModel(LAYERS[name](false))]));
  const optimizers = Object.fromEntries(
    Object.keys(sequences).map((name) => [name, tf.train.adam(1e-3)]),
  );
  // Each case is called once before it is timed (HadamRNN's last-state inference keeps its
  // impulse responses from the second call on: the steady state of repeated inference).
  const few = { warmupMs: 100, budgetMs: 0 };
  const predictEach = (models: Record<string, tfl.Sequential>) =>
    Object.fromEntries(
      Object.entries(models).map(([name, m]) => [name, () => tf.dispose(m.predict(x))]),
    );
  const predict = measure(predictEach(sequences), { ...few, minSamples: 3 });
  const predictLast = measure(predictEach(lastOnly), { ...few, minSamples: 3 });
  console.log('  predict timed');
  const train = measure(
    Object.fromEntries(
      Object.entries(sequences).map(([name, m]) => [
        name,
        () => trainStep(m, optimizers[name], x, y),
      ]),
    ),
    { warmupMs: 0, budgetMs: 0, minSamples: 1 },
  );
  const ms = (t: Timing) => formatNs(t.medianNs / 1e6);
  const rows = Object.keys(sequences).map((name) => [
    name,
    ms(predict[name]),
    formatRatio(predict[name].medianNs, predict.HadamRNN.medianNs),
    predictLast[name] == null ? '–' : ms(predictLast[name]),
    predictLast[name] == null
      ? '–'
      : formatRatio(predictLast[name].medianNs, predictLast.HadamRNN.medianNs),
    ms(train[name]),
    formatRatio(train[name].medianNs, train.HadamRNN.medianNs),
  ]);
  const speedup = (timings: Record<string, Timing>) =>
    timings.simpleRNN.medianNs / timings.HadamRNN.medianNs;
  // The dense floor bounds predict only: its training step runs tfjs's default matMul gradients,
  // which HadamRNN's custom gradient avoids.
  const predictFloor = predict.simpleRNN.medianNs / predict[DENSE_FLOOR].medianNs;
  tf.dispose([x, y]);
  [...Object.values(sequences), ...Object.values(lastOnly)].forEach((m) => m.dispose());
  Object.values(optimizers).forEach((o) => o.dispose());
  const verdict = (ratio: number, target: number, what: string) =>
    `${what}: HadamRNN is ${ratio.toFixed(0)}× faster than simpleRNN (target ≥ ${target}×: ` +
    `${ratio >= target ? 'met' : 'not met'}).`;
  const floorNote =
    `The dense floor predicts every step's output ${predictFloor.toFixed(0)}× faster than ` +
    'simpleRNN: the most any layer that computes this input projection for every step could ' +
    'reach in `model.predict` here, before its own work.';
  return {
    title:
      'wasm: HadamRNN layer vs tfjs recurrent layers (128 units, T = 1000, batch 32, 10 inputs)',
    intro: [
      'Each model is `inputLayer → recurrent layer`: the layer alone, with no read-out (a ' +
        'read-out costs every model the same and would only dilute the ratio). **predict, ' +
        "sequences** is `model.predict(x)` with `returnSequences: true` (every step's output, " +
        '[32, 1000, 128]); **predict, last** the same with `returnSequences: false` (the Keras ' +
        'default, what a sequence classifier runs: [32, 128]); **train step** is one ' +
        "`optimizer.minimize` of the mean squared error of every step's output against a fixed " +
        'target (forward, backward, Adam update: what `fit` does per batch). Times are medians in ' +
        'milliseconds, each case called once before it is timed; **×** is how many times slower ' +
        'than HadamRNN. **dense (floor)** is not recurrent: `dense(128)` applied to every step, ' +
        "i.e. only HadamRNN's input projection; its time is the least any layer with 128 outputs " +
        'per step can take in `model.predict` here, which on wasm also slices its input and ' +
        'copies its output.',
      "HadamRNN is built with `inference: 'impulseResponses'`: it computes its last state for " +
        'inference as one matMul of the inputs with its impulse responses W^j·U (the recurrence ' +
        'is linear), kept while its weights do not change; every other case runs the recurrence ' +
        "(HadamRNN's default, `inference: 'recurrence'`, is timed against it in the section " +
        '"wasm: HadamRNN last-state inference"; docs/layers.md, "Inference of the last state").',
    ],
    headers: ['layer', 'predict, sequences ms', '×', 'predict, last ms', '×', 'train step ms', '×'],
    rows,
    notes: [
      verdict(
        speedup(predictLast),
        TARGETS.predict,
        'predict, last state (returnSequences: false)',
      ),
      verdict(speedup(predict), TARGETS.predict, 'predict, every step (returnSequences: true)'),
      floorNote,
      verdict(speedup(train), TARGETS.trainStep, 'One training step'),
    ],
  };
}
