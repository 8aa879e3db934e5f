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
 * The weight gradients of `y = x · K + bias`: `[xᵀ · dy, Σ_r dy[r]]`, for x [rows, inDim] and
 * dy [rows, n]. The `AffineWeightGrads` kernel where it is registered (wasm, which picks its own
 * fastest path, and webgpu); otherwise tfjs's matMul and sum. Not differentiable (a gradient's gradient of
 * the projection is not needed by training).
 */
export function affineWeightGrads(x: Tensor2D, dy: Tensor2D): [Tensor2D, Tensor1D] {
  const rows = x.shape[0];
  util.assert(
    dy.shape[0] === rows,
    () =>
      `affineWeightGrads: x ${formatShape(x.shape)} and dy ${formatShape(dy.shape)} ` +
      'must have the same number of rows',
  );
  if (!hasKernel(AffineWeightGrads)) {
    return [matMul(transpose(x), dy), sum(dy, 0)];
  }
  return engine().runKernel(AffineWeightGrads, { x, dy }, {}) as unknown as [Tensor2D, Tensor1D];
}
