/**
 * wasm backend: the weight gradients of HadamRNN's input projection, `xᵀ · dy` and the column sums
 * of dy, from our one-pass `AffineWeightGrads` kernel against the stock ops the layer used before
 * (`matMul(transpose(x), dy)` and `sum(dy, 0)`), at the shapes of the benchmarked layer and of the
 * sMNIST model.
 *
 * Training makes a new dy at every step, and tfjs-wasm's matMul prepares (packs) its right operand
 * once per tensor: every call here therefore gets a fresh copy of dy, whose cost (the `copy` row) is
 * in both timings.
 */
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import '../src'; // registers the kernels
import { affineWeightGrads } from '../src/ops/affine_weight_grads';
import { formatNs, formatRatio, measure, type BenchSection } from './harness';

/** [rows, inDim] x and [rows, n] dy: rows = batch · T. */
const SHAPES = [
  { label: 'HadamRNN 128 units, 10 inputs, batch 32, T = 1000', rows: 32_000, inDim: 10, n: 128 },
  { label: 'sMNIST: 512 units, 1 input, batch 64, T = 784', rows: 50_176, inDim: 1, n: 512 },
];

export async function run(): Promise<BenchSection> {
  await tf.setBackend('wasm');
  const rows: string[][] = [];
  for (const { label, rows: count, inDim, n } of SHAPES) {
    const x = tf.randomNormal([count, inDim]) as tf.Tensor2D;
    const dy = tf.randomNormal([count, n]) as tf.Tensor2D;
    const withFreshDy = (f: (g: tf.Tensor2D) => tf.Tensor[]) => () =>
      tf.dispose(tf.tidy(() => f(tf.clone(dy))));
    const timings = measure(
      {
        kernel: withFreshDy((g) => affineWeightGrads(x, g)),
        stock: withFreshDy((g) => [tf.matMul(tf.transpose(x), g), tf.sum(g, 0)]),
        copy: withFreshDy((g) => [g]),
      },
      { warmupMs: 0, minSamples: 5, budgetMs: 3000 },
    );
    const ms = (ns: number) => formatNs(ns / 1e6);
    rows.push([
      label,
      ms(timings.kernel.medianNs),
      ms(timings.stock.medianNs),
      ms(timings.copy.medianNs),
      formatRatio(timings.stock.medianNs, timings.kernel.medianNs),
    ]);
    tf.dispose([x, dy]);
  }
  return {
    title: 'wasm: the input projection’s weight gradients, one-pass kernel vs matMul + sum',
    intro: [
      '**kernel** is `affineWeightGrads(x, dy)` (`src/ops/affine_weight_grads.ts`), which runs the ' +
        '`AffineWeightGrads` export of our module: one pass over the rows of dy, adding each row to ' +
        'the bias gradient and, scaled by x, to the kernel gradient. **stock** is what tfjs computes ' +
        'without it: `matMul(transpose(x), dy)` and `sum(dy, 0)`. Every call copies dy first (a new ' +
        'tensor, as each training step makes one; tfjs-wasm prepares a matMul operand once per ' +
        'tensor); **copy** times that copy alone, which both cases include. Medians in milliseconds; ' +
        '**×** is stock / kernel.',
    ],
    headers: ['shapes', 'kernel ms', 'stock ms', 'copy ms', '×'],
    rows,
    notes: [],
  };
}
