import { engine, op, util, type Tensor, type TensorLike } from '@tensorflow/tfjs-core';
import { HadamardTransform, type HadamardTransformAttrs } from '../kernels/names';
import { hasKernel, transformFromStockOps } from './fallback';
import { checkBoolean, resolveBlockSize, toFloatTensor } from '../common/validate';

/** Options of {@link hadamardTransform}. */
export interface HadamardTransformOptions {
  /** Scale by 1/sqrt(blockSize), making the transform orthonormal and its own inverse. Default true. */
  normalize?: boolean;
  /** Size b of each contiguous block transformed independently: a power of two dividing the last
   * dimension. Default: the whole last dimension. */
  blockSize?: number;
}

function hadamardTransform_<T extends Tensor>(
  x: T | TensorLike,
  options: HadamardTransformOptions = {},
): T {
  const api = 'hadamardTransform';
  const $x = toFloatTensor(x, 'x', api);
  util.assert($x.rank >= 1, () => `${api}: x must have rank >= 1, got a scalar`);
  const attrs: HadamardTransformAttrs = {
    blockSize: resolveBlockSize(api, $x.shape[$x.rank - 1], options.blockSize),
    normalize: checkBoolean(api, 'normalize', options.normalize ?? true),
  };
  if (!hasKernel(HadamardTransform)) {
    return transformFromStockOps($x, attrs) as T;
  }
  return engine().runKernel(HadamardTransform, { x: $x }, attrs) as T;
}

/**
 * The Walsh-Hadamard transform along the last axis, in Sylvester (natural) order.
 *
 * With n the last dimension and b = `blockSize`, each row is multiplied by `I_{n/b} ⊗ S_b`, where
 * `S_1 = [1]` and `S_{2m} = [[S_m, S_m], [S_m, -S_m]]`; with `normalize` the result is divided by
 * sqrt(b). Computed with n·log2(b) additions by a fast butterfly (no n×n matrix) on backends with a
 * `HadamardTransform` kernel (cpu, wasm, webgl, webgpu), and from stock ops elsewhere. Its gradient
 * is the same transform of the upstream gradient (the matrix is symmetric). NaN and Inf propagate
 * as in IEEE arithmetic.
 *
 * ```js
 * const x = tf.tensor2d([[1, 0, 0, 0], [1, 1, 1, 1]]);
 * hadamardTransform(x, {normalize: false}).print();  // [[1, 1, 1, 1], [4, 0, 0, 0]]
 * hadamardTransform(x, {blockSize: 2}).print();      // blocks of 2, scaled by 1/sqrt(2)
 * ```
 *
 * @param x A float32 tensor of rank >= 1 whose last dimension is a power of two (int32 is cast to
 *     float32; other dtypes are rejected). Any leading shape, including a zero-size batch.
 * @param options `normalize` (default true) and `blockSize` (default: the last dimension).
 * @returns A float32 tensor of the shape of `x`.
 * @see Foucault, Malgouyres, Mamalet. HadamRNN: Binary and Sparse Ternary Orthogonal RNNs. ICLR 2025.
 */
export const hadamardTransform = op({ hadamardTransform_ });
