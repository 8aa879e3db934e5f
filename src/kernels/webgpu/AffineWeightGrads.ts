import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { kernelConfig, type KernelArgsOf } from '../kernel_config';
import { AffineWeightGrads } from '../names';
import { AffineKernelGradProgram } from './affine_grads_webgpu';
import { int32Uniforms } from './chunk_program';
import { ColumnSumProgram } from './column_sum_webgpu';

/**
 * webgpu `AffineWeightGrads`: dk = xᵀ · dy and db = the column sums of dy, each one barrier-free
 * dispatch of one invocation per output value.
 */
export function affineWeightGradsWebgpu({
  inputs,
  backend,
}: KernelArgsOf<typeof AffineWeightGrads, WebGPUBackend>): TensorInfo[] {
  const { x, dy } = inputs;
  const [rows, inDim] = x.shape;
  const n = dy.shape[1];
  if (rows * inDim * n === 0) {
    const zeros = (shape: number[]) =>
      backend.makeTensorInfo(shape, 'float32', new Float32Array(shape[0] * (shape[1] ?? 1)));
    return [zeros([inDim, n]), zeros([n])];
  }
  const dk = backend.runWebGPUProgram(
    new AffineKernelGradProgram(inDim, n),
    [x, dy],
    'float32',
    int32Uniforms(rows, inDim),
  );
  const db = backend.runWebGPUProgram(
    new ColumnSumProgram(n),
    [dy],
    'float32',
    ColumnSumProgram.uniformValues(0, rows),
  );
  return [dk, db];
}

export const affineWeightGradsConfig = kernelConfig(
  AffineWeightGrads,
  'webgpu',
  affineWeightGradsWebgpu,
);
