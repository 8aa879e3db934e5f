/**
 * wasm backend: HadamRNN's two ways of inferring its last state alone (`returnSequences: false`),
 * on the workload of bench/wasm_layers.ts (128 units, T = 1000, batch 32, 10 inputs): the default
 * `inference: 'recurrence'` (bit-identical across calls) against `inference: 'impulseResponses'`
 * (one matMul with kept impulse responses from the second call on).
 */
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { hadamRNN, type HadamRNNInference } from '../src';
import { formatNs, formatRatio, measure, type BenchSection } from './harness';
import { BATCH, INPUTS, STEPS, UNITS } from './workload';

const MODES: HadamRNNInference[] = ['recurrence', 'impulseResponses'];

export async function run(): Promise<BenchSection> {
  await tf.setBackend('wasm');
  const x = tf.randomNormal([BATCH, STEPS, INPUTS]);
  const models = MODES.map((inference) =>
    tfl.sequential({
      layers: [hadamRNN({ units: UNITS, inputShape: [STEPS, INPUTS], inference })],
    }),
  );
  models[1].setWeights(models[0].getWeights());
  // Each case is called before it is timed: the impulse responses are built on the second call.
  const timings = measure(
    Object.fromEntries(MODES.map((mode, i) => [mode, () => tf.dispose(models[i].predict(x))])),
    { warmupMs: 300, budgetMs: 3000 },
  );
  const outputs = models.map((m) => m.predict(x) as tf.Tensor);
  const maxDiff = tf.tidy(() => tf.max(tf.abs(tf.sub(outputs[0], outputs[1]))).dataSync()[0]);
  tf.dispose([x, ...outputs]);
  models.forEach((m) => m.dispose());
  const ms = (ns: number) => formatNs(ns / 1e6);
  return {
    title: 'wasm: HadamRNN last-state inference, recurrence vs impulse responses',
    intro: [
      'One HadamRNN (128 units, T = 1000, batch 32, 10 inputs, `returnSequences: false`), ' +
        '`model.predict(x)` with each `inference` option, the same weights; medians in ms after ' +
        "warm-up; **×** is how many times slower than `'impulseResponses'`.",
    ],
    headers: ['inference', 'predict, last ms', '×'],
    rows: MODES.map((mode) => [
      `'${mode}'${mode === 'recurrence' ? ' (default)' : ''}`,
      ms(timings[mode].medianNs),
      formatRatio(timings[mode].medianNs, timings.impulseResponses.medianNs),
    ]),
    notes: [
      `The two options' outputs differ by at most ${maxDiff.toExponential(1)} (float32 rounding ` +
        "of two summation orders); 'recurrence' gives bit-identical results on every call.",
    ],
  };
}
