/**
 * wasm backend: one training step of the HadamRNN layer with its projection and recurrence fused
 * (kernel HadamRNNSequence, 'linear', and its registered gradient) against the separate ops (one
 * matMul with the projection's custom gradient, one recurrence kernel), the flag
 * HADAMRNN_FUSED_SEQUENCE off, on the workload (128 units, T = 1000, batch 32, 10 inputs).
 * The fused path is the default since issue 17 made it trainable; this shows it costs no more.
 */
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { hadamRNN } from '../src';
import { FUSED_SEQUENCE_FLAG } from '../src/ops/hadam_rnn_sequence';
import { formatNs, formatRatio, measure, type BenchSection } from './harness';
import { BATCH, INPUTS, STEPS, UNITS } from './workload';

const FUSED = 'train step, fused (default)';
const SEPARATE = 'train step, separate ops';

export async function run(): Promise<BenchSection> {
  await tf.setBackend('wasm');
  const x = tf.randomNormal([BATCH, STEPS, INPUTS]);
  const y = tf.randomNormal([BATCH, STEPS, UNITS]);
  const model = tfl.sequential({
    layers: [
      tfl.layers.inputLayer({ inputShape: [STEPS, INPUTS] }),
      hadamRNN({ units: UNITS, returnSequences: true }),
    ],
  });
  const optimizer = tf.train.adam(1e-3);
  // One step as fit runs it: loss, gradients of every trainable weight, Adam update.
  const step = (fused: boolean) => () => {
    tf.env().set(FUSED_SEQUENCE_FLAG, fused);
    const cost = optimizer.minimize(
      () => tf.losses.meanSquaredError(y, model.apply(x, { training: true }) as tf.Tensor),
      true,
      model.trainableWeights.map((w) => w.read() as tf.Variable),
    );
    tf.dispose(cost as tf.Scalar);
    tf.env().set(FUSED_SEQUENCE_FLAG, true);
  };
  const timings = measure(
    { [FUSED]: step(true), [SEPARATE]: step(false) },
    { warmupMs: 500, budgetMs: 15000, minSamples: 9 },
  );
  const separate = timings[SEPARATE];
  const rows = Object.entries(timings).map(([name, t]) => [
    name,
    formatNs(t.medianNs / 1e6),
    formatNs(t.minNs / 1e6),
    formatRatio(t.medianNs, separate.medianNs),
  ]);
  const ratio = separate.medianNs / timings[FUSED].medianNs;
  const bestRatio = separate.minNs / timings[FUSED].minNs;
  tf.dispose([x, y]);
  optimizer.dispose();
  model.dispose();
  return {
    title: 'wasm: HadamRNN training step, fused projection and recurrence vs separate ops',
    intro: [
      "One `optimizer.minimize` of the mean squared error of every step's output (x [32, 1000, " +
        '10], 128 units): forward, backward, Adam update, as `fit` runs per batch. **fused** runs ' +
        'the projection and the recurrence as one HadamRNNSequence kernel and its gradient (one ' +
        'reverse sweep, one AffineWeightGrads pass, no dx for a model input); **separate ops** is ' +
        'one matMul and one HadamardRecurrence kernel (flag HADAMRNN_FUSED_SEQUENCE off). Medians ' +
        'and best samples in milliseconds, interleaved; **×** is time / separate-ops time.',
    ],
    headers: ['case', 'median ms', 'best ms', '×'],
    rows,
    notes: [
      `The fused training step is ${ratio.toFixed(2)}× as fast as the separate ops in medians, ` +
        `${bestRatio.toFixed(2)}× in best samples.`,
    ],
  };
}
