import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { kernelConfig, type KernelArgsOf } from '../kernel_config';
import { AffineWeightGrads } from '../names';
import { zerosInfo } from '../recurrence';
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
    return [zerosInfo(backend, [inDim, n]), zerosInfo(backend, [n])];
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
