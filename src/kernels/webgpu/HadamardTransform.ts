import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { kernelConfig, type KernelArgsOf } from '../kernel_config';
import { HadamardTransform } from '../names';
import { transformArgs } from '../transform';
import { planChunk } from './chunk_plan';
import { TransformProgram } from './transform_webgpu';

/**
 * webgpu `HadamardTransform`: blocks are contiguous, so x is transformed as one flat array, one
 * dispatch whose workgroups each take a chunk of whole blocks (see TransformProgram). x is only read.
 */
export function hadamardTransform({
  inputs,
  backend,
  attrs,
}: KernelArgsOf<typeof HadamardTransform, WebGPUBackend>): TensorInfo {
  const { x } = inputs;
  const { size, blockSize, scale } = transformArgs(x, attrs);
  if (size === 0) {
    return backend.makeTensorInfo(x.shape, 'float32', new Float32Array(0));
  }
  const plan = planChunk(backend, size, blockSize, 1);
  const flat: TensorInfo = { dataId: x.dataId, shape: [size], dtype: 'float32' };
  const out = backend.runWebGPUProgram(
    new TransformProgram(size, blockSize, plan),
    [flat],
    'float32',
    TransformProgram.uniformValues(size, plan, scale),
  );
  return { dataId: out.dataId, shape: x.shape, dtype: 'float32' };
}

export const hadamardTransformConfig = kernelConfig(HadamardTransform, 'webgpu', hadamardTransform);
