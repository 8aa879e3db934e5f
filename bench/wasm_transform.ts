/**
 * wasm backend: `hadamardTransform` against `tf.matMul` with the dense Sylvester matrix (the
 * transform as tfjs computes it without our kernel, through XNNPACK).
 */
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { hadamardTransform, sylvester } from '../src';
import {
  DENSE_COMPARISON,
  denseSampling,
  formatNs,
  formatRatio,
  measure,
  nsPerElement,
  type BenchSection,
} from './harness';

/** The target of issue 4, checked at n = 512, batch 64. */
const TARGET = { n: 512, batch: 64, minSpeedup: 20 };

/** Times the op and the dense product for every size and writes one table row each. */
export async function run(): Promise<BenchSection> {
  await tf.setBackend('wasm');
  const rows: string[][] = [];
  let speedupAtTarget = NaN;
  for (const n of DENSE_COMPARISON.sizes) {
    const dense = sylvester(n, { normalize: true });
    for (const batch of DENSE_COMPARISON.batches) {
      const x = tf.randomNormal([batch, n]);
      const timings = measure(
        {
          op: () => tf.dispose(hadamardTransform(x)),
          matMul: () => tf.dispose(tf.matMul(x, dense)),
        },
        denseSampling(n, batch, 1000),
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
