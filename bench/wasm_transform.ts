/**
 * wasm backend: `hadamardTransform` against `tf.matMul` with the dense Sylvester matrix (the
 * transform as tfjs computes it without our kernel, through XNNPACK).
 */
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { hadamardTransform, sylvester } from '../src';
import {
  formatNs,
  formatRatio,
  measure,
  nsPerElement,
  type BenchSection,
  type SampleOptions,
} from './harness';

const SIZES = [64, 128, 256, 512, 1024, 2048, 4096];
const BATCHES = [1, 64];

/** The target of issue 4, checked at n = 512, batch 64. */
const TARGET = { n: 512, batch: 64, minSpeedup: 20 };

/** Dense products of 64 × 4096 × 4096 take a while: fewer samples for them. */
function samplingFor(n: number, batch: number): SampleOptions {
  return n * n * batch >= 2 ** 28 ? { minSamples: 3, budgetMs: 0 } : { budgetMs: 1000 };
}

/** Times the op and the dense product for every size and writes one table row each. */
export async function run(): Promise<BenchSection> {
  await tf.setBackend('wasm');
  const rows: string[][] = [];
  let speedupAtTarget = NaN;
  for (const n of SIZES) {
    const dense = sylvester(n, { normalize: true });
    for (const batch of BATCHES) {
      const x = tf.randomNormal([batch, n]);
      const timings = measure(
        {
          op: () => tf.dispose(hadamardTransform(x)),
          matMul: () => tf.dispose(tf.matMul(x, dense)),
        },
        samplingFor(n, batch),
      );
      const elements = batch * n;
      const op = nsPerElement(timings.op.medianNs, elements);
      const matMul = nsPerElement(timings.matMul.medianNs, elements);
      rows.push([
        String(n),
        String(batch),
        formatNs(op),
        formatNs(nsPerElement(timings.op.minNs, elements)),
        formatNs(matMul),
        formatRatio(matMul, op),
        `${timings.op.samples}/${timings.matMul.samples}`,
      ]);
      console.log(`  n=${n} batch=${batch}: ${rows[rows.length - 1].join('  ')}`);
      if (n === TARGET.n && batch === TARGET.batch) {
        speedupAtTarget = matMul / op;
      }
      x.dispose();
    }
    dense.dispose();
  }
  const met = speedupAtTarget >= TARGET.minSpeedup ? '**met**' : '**not met**';
  return {
    title: 'wasm: hadamardTransform vs dense matMul',
    intro: [
      'Backend `wasm` (tfjs-backend-wasm 4.22, SIMD binary, one thread in Node). `op` is ' +
        '`hadamardTransform(x)` (normalized, blockSize = n) on x of shape [batch, n], computed by ' +
        'our SIMD128 module on the heap; `matMul` is `tf.matMul(x, S)` with ' +
        "`S = sylvester(n, {normalize: true})`, the same result through XNNPACK's dense product.",
      'Each cell is ns per transformed element (time per call / (batch · n)), median of the ' +
        'samples; `op best` is the fastest op sample. The speed-up is matMul / op from the same ' +
        'run, the cases interleaved sample by sample. Small calls are dominated by the tfjs ' +
        'engine (tensor creation, scopes), not by the butterfly: see the wasm kernel table.',
    ],
    headers: ['n', 'batch', 'op ns/el', 'op best', 'matMul ns/el', 'speed-up', 'samples op/matMul'],
    rows,
    notes: [
      `Target: op at least ${TARGET.minSpeedup}× faster than the dense matMul at n = ` +
        `${TARGET.n}, batch ${TARGET.batch}: ${speedupAtTarget.toFixed(1)}×, ${met}.`,
    ],
  };
}
