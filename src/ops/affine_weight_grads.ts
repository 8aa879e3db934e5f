import {
  engine,
  matMul,
  sum,
  transpose,
  util,
  type Tensor1D,
  type Tensor2D,
} from '@tensorflow/tfjs-core';
import { AffineWeightGrads } from '../kernels/names';
import { hasKernel } from './fallback';
import { formatShape } from '../common/validate';

/**
 * Largest kernel (inDim · n values) that the one-pass kernel accumulates into: 16 KiB of float32
 * stays in L1 while every row of dy adds to all of it. Beyond that every row would stream the
 * whole kernel through memory, so larger kernels go to tfjs's blocked matMul.
 */
const MAX_ONE_PASS_KERNEL = 4096;
/** Narrower outputs leave the one-pass kernel's vector loop mostly idle. */
const MIN_ONE_PASS_WIDTH = 16;

/**
 * The weight gradients of `y = x · K + bias`: `[xᵀ · dy, Σ_r dy[r]]`, for x [rows, inDim] and
 * dy [rows, n]. One pass of the `AffineWeightGrads` kernel where it is registered (wasm) and the
 * kernel is small; otherwise tfjs's matMul and sum. Not differentiable (a gradient's gradient of
 * the projection is not needed by training).
 */
export function affineWeightGrads(x: Tensor2D, dy: Tensor2D): [Tensor2D, Tensor1D] {
  const [rows, inDim] = x.shape;
  const n = dy.shape[1];
  util.assert(
    dy.shape[0] === rows,
    () =>
      `affineWeightGrads: x ${formatShape(x.shape)} and dy ${formatShape(dy.shape)} ` +
      'must have the same number of rows',
  );
  const onePass =
    hasKernel(AffineWeightGrads) && inDim * n <= MAX_ONE_PASS_KERNEL && n >= MIN_ONE_PASS_WIDTH;
  if (!onePass) {
    return [matMul(transpose(x), dy), sum(dy, 0)];
  }
  return engine().runKernel(AffineWeightGrads, { x, dy }, {}) as unknown as [Tensor2D, Tensor1D];
}
