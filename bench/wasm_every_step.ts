/**
 * wasm backend: every-step inference of the HadamRNN layer (`returnSequences: true`) against the
 * lone `dense(128)` floor, on the issue's workload (128 units, T = 1000, batch 32, 10 inputs),
 * through `model.predict`. HadamRNN runs its fused kernel (HadamRNNSequence: projection, bias,
 * recurrence and ReLU in one pass per batch row); the unfused path (one matMul, one recurrence
 * kernel, one ReLU: what backends without the fused kernel run) is timed beside it, with the flag
 * HADAMRNN_FUSED_SEQUENCE off. Two more rows split both predicts: the fused kernel alone and the
 * dense layer's fused matMul + bias alone (XNNPACK), each on the same input; the rest of a predict
 * is tfjs-layers' (the batch slice of x, the copy of the output by the concat of one batch).
 */
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { hadamRNN, type HadamRNN } from '../src';
import { HadamRNNSequence, type HadamRNNSequenceAttrs } from '../src/kernels/names';
import { FUSED_SEQUENCE_FLAG } from '../src/ops/hadam_rnn_sequence';
import { formatNs, formatRatio, measure, type BenchSection, type Timing } from './harness';
import { BATCH, INPUTS, STEPS, UNITS } from './workload';

/** Issue 17's target: every-step predict within this factor of the dense floor. */
const TARGET = 1.2;

const FUSED = 'HadamRNN predict (fused)';
const FLOOR = 'dense(128) predict (floor)';

function buildModel(layer: tfl.layers.Layer): tfl.Sequential {
  return tfl.sequential({
    layers: [tfl.layers.inputLayer({ inputShape: [STEPS, INPUTS] }), layer],
  });
}

/** The layer's kernel, bias and signs as its predict passes them (quantized, signs taken). */
function layerWeights(layer: HadamRNN): tf.Tensor[] {
  return tf.tidy(() => {
    const { kernel, bias, s } = layer.cell.sequenceTerms().appliedWeights();
    return [kernel, bias ?? tf.zeros([UNITS]), s].map((t) => tf.keep(t.clone()));
  });
}

/** `model.predict(x)` with HADAMRNN_FUSED_SEQUENCE set to `fused` (then back to its default). */
function predictWithFlag(model: tfl.Sequential, x: tf.Tensor, fused: boolean): void {
  tf.env().set(FUSED_SEQUENCE_FLAG, fused);
  tf.dispose(model.predict(x));
  tf.env().set(FUSED_SEQUENCE_FLAG, true);
}

export async function run(): Promise<BenchSection> {
  await tf.setBackend('wasm');
  const x = tf.randomNormal([BATCH, STEPS, INPUTS]);
  const recurrent = hadamRNN({ units: UNITS, returnSequences: true });
  const denseLayer = tfl.layers.dense({ units: UNITS });
  const hadam = buildModel(recurrent);
  const dense = buildModel(denseLayer);
  // Built weights, for the kernels timed alone.
  tf.dispose([hadam.predict(x), dense.predict(x)]);
  const [kernel, bias, s] = layerWeights(recurrent);
  const h0 = tf.zeros([BATCH, UNITS]);
  const mask = tf.ones([BATCH, STEPS]);
  const rows = tf.reshape(x, [BATCH * STEPS, INPUTS]);
  const [denseKernel, denseBias] = denseLayer.getWeights();
  const attrs: HadamRNNSequenceAttrs = { blockSize: UNITS, goBackwards: false, activation: 'relu' };
  const cases: Record<string, () => void> = {
    // Both predicts set the flag, so that they are timed alike.
    [FUSED]: () => predictWithFlag(hadam, x, true),
    'HadamRNN predict, unfused': () => predictWithFlag(hadam, x, false),
    [FLOOR]: () => tf.dispose(dense.predict(x)),
    'HadamRNNSequence kernel alone': () =>
      tf.dispose(
        tf
          .engine()
          .runKernel(HadamRNNSequence, { x, kernel, bias, s, h0, mask }, { ...attrs }) as tf.Tensor,
      ),
    'fused matMul + bias alone (dense)': () =>
      tf.dispose(tf.fused.matMul({ a: rows, b: denseKernel, bias: denseBias })),
  };
  const timings = measure(cases, { warmupMs: 200, budgetMs: 6000, minSamples: 15 });
  const floor = timings[FLOOR];
  const ms = (t: Timing) => formatNs(t.medianNs / 1e6);
  const table = Object.entries(timings).map(([name, t]) => [
    name,
    ms(t),
    formatNs(t.minNs / 1e6),
    formatRatio(t.medianNs, floor.medianNs),
  ]);
  const ratio = timings[FUSED].medianNs / floor.medianNs;
  const bestRatio = timings[FUSED].minNs / floor.minNs;
  const kernelRatio =
    timings['HadamRNNSequence kernel alone'].minNs /
    timings['fused matMul + bias alone (dense)'].minNs;
  tf.dispose([x, kernel, bias, s, h0, mask, rows]);
  hadam.dispose();
  dense.dispose();
  return {
    title: 'wasm: every-step HadamRNN predict vs the lone dense(128) floor (T = 1000, batch 32)',
    intro: [
      "`model.predict(x)` of `inputLayer → layer` for x [32, 1000, 10], every step's output " +
        '[32, 1000, 128]. **dense(128)** is the input projection alone: the floor below which no ' +
        'recurrent layer with 128 outputs per step can go. Times are medians (and best samples) ' +
        'in milliseconds, the cases interleaved in one run; **× floor** is time / floor time. ' +
        'The two rows "alone" time what each predict runs at its core on the same input: the ' +
        'HadamRNNSequence kernel (its weights prepared once, as the layer keeps them between ' +
        "predicts) and the dense layer's fused matMul + bias (XNNPACK); each predict adds " +
        "tfjs-layers' own work to it (the batch slice of x, the copy of the output made by the " +
        'concat of a single batch).',
    ],
    headers: ['case', 'median ms', 'best ms', '× floor'],
    rows: table,
    notes: [
      `Every-step HadamRNN predict takes ${ratio.toFixed(2)}× the dense(128) predict in medians, ` +
        `${bestRatio.toFixed(2)}× in best samples (target ≤ ${TARGET}×: ` +
        `${Math.max(ratio, bestRatio) <= TARGET ? 'met' : 'not met'}; both must meet it, as ` +
        'medians on a loaded machine mostly time the waits for a core). The fused kernel ' +
        `alone takes ${kernelRatio.toFixed(2)}× the dense layer's matMul + bias alone (best samples).`,
      arithmeticNote(10, 128, floor.minNs, timings['fused matMul + bias alone (dense)'].minNs),
    ],
  };
}

/**
 * Why the floor is out of reach: the floating-point operations per output value of each path, both
 * in 128-bit SIMD on one thread (tfjs-wasm runs XNNPACK single-threaded in Node), and the bound they
 * put on the predict ratio when tfjs-layers' own work (floor predict − its matMul) is shared.
 */
function arithmeticNote(inDim: number, units: number, floorNs: number, matMulNs: number): string {
  const floorOps = 2 * inDim + 1; // the projection's multiply-adds, the bias
  const hadamOps = floorOps + Math.log2(units) + 3; // + butterfly adds, the scale 1/√b, sign, ReLU
  const opsRatio = hadamOps / floorOps;
  const bound = (opsRatio * matMulNs + (floorNs - matMulNs)) / floorNs;
  return (
    `Arithmetic per output value: the floor does ${floorOps} operations (${inDim} multiply-adds, ` +
    `the bias); every-step HadamRNN does those and ${hadamOps - floorOps} more ` +
    `(${Math.log2(units)} butterfly additions, the scale 1/√b, the sign, the ReLU): ` +
    `${opsRatio.toFixed(2)}× the floor's, with no fused multiply-add in WebAssembly SIMD on ` +
    "either side. A kernel as efficient as XNNPACK's matMul would take that much longer than the " +
    "dense layer's matMul + bias; with tfjs-layers' own work (the same for both) added, predict " +
    `would take ${bound.toFixed(2)}× the floor (best samples of this run): the ${TARGET}× target ` +
    'is below what the arithmetic allows on one core.'
  );
}
