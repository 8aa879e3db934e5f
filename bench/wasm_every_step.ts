/**
 * wasm backend: every-step inference of the HadamRNN layer (`returnSequences: true`) against the
 * lone `dense(128)` floor, on the workload (128 units, T = 1000, batch 32, 10 inputs),
 * through `model.predict`. HadamRNN runs its fused kernel (HadamRNNSequence: projection, bias,
 * recurrence and ReLU in one pass per batch row); the unfused path (one matMul, one recurrence
 * kernel, one ReLU: what training's forward pass runs) is timed beside it, with the flag
 * HADAMRNN_FUSED_SEQUENCE off.
 */
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { hadamRNN } from '../src';
import { FUSED_SEQUENCE_FLAG } from '../src/ops/hadam_rnn_sequence';
import { formatNs, formatRatio, measure, type BenchSection, type Timing } from './harness';

const UNITS = 128;
const STEPS = 1000;
const BATCH = 32;
const INPUTS = 10;

/** Issue 17's target: every-step predict within this factor of the dense floor. */
const TARGET = 1.2;

function buildModel(layer: tfl.layers.Layer): tfl.Sequential {
  return tfl.sequential({
    layers: [tfl.layers.inputLayer({ inputShape: [STEPS, INPUTS] }), layer],
  });
}

export async function run(): Promise<BenchSection> {
  await tf.setBackend('wasm');
  const x = tf.randomNormal([BATCH, STEPS, INPUTS]);
  const hadam = buildModel(hadamRNN({ units: UNITS, returnSequences: true }));
  const dense = buildModel(tfl.layers.dense({ units: UNITS }));
  const cases: Record<string, () => void> = {
    'HadamRNN predict (fused)': () => tf.dispose(hadam.predict(x)),
    'HadamRNN predict, unfused': () => {
      tf.env().set(FUSED_SEQUENCE_FLAG, false);
      tf.dispose(hadam.predict(x));
      tf.env().set(FUSED_SEQUENCE_FLAG, true);
    },
    'dense(128) predict (floor)': () => tf.dispose(dense.predict(x)),
  };
  const timings = measure(cases, { warmupMs: 200, budgetMs: 6000, minSamples: 15 });
  const floor = timings['dense(128) predict (floor)'];
  const ms = (t: Timing) => formatNs(t.medianNs / 1e6);
  const rows = Object.entries(timings).map(([name, t]) => [
    name,
    ms(t),
    formatNs(t.minNs / 1e6),
    formatRatio(t.medianNs, floor.medianNs),
  ]);
  const ratio = timings['HadamRNN predict (fused)'].medianNs / floor.medianNs;
  tf.dispose(x);
  hadam.dispose();
  dense.dispose();
  return {
    title: 'wasm: every-step HadamRNN predict vs the lone dense(128) floor (T = 1000, batch 32)',
    intro: [
      "`model.predict(x)` of `inputLayer → layer` for x [32, 1000, 10], every step's output " +
        '[32, 1000, 128]. **dense(128)** is the input projection alone: the floor below which no ' +
        'recurrent layer with 128 outputs per step can go. Times are medians (and best samples) ' +
        'in milliseconds, the cases interleaved in one run; **× floor** is time / floor time.',
    ],
    headers: ['case', 'median ms', 'best ms', '× floor'],
    rows,
    notes: [
      `Every-step HadamRNN predict takes ${ratio.toFixed(2)}× the dense(128) predict ` +
        `(target ≤ ${TARGET}×: ${ratio <= TARGET ? 'met' : 'not met'}).`,
    ],
  };
}
