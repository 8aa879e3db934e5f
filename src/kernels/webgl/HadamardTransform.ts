import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import { getKernel, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { kernelConfig, type KernelArgsOf } from '../kernel_config';
import { HadamardTransform } from '../names';
import { transformArgs } from '../transform';
import { runButterfly, runPackedButterfly, withFlatViews } from './butterfly_passes';

/**
 * webgl `HadamardTransform`. Blocks are contiguous along the last axis, so x is transformed as
 * [rows, n], n its last dimension, whatever the block size. Blocks of 2 or more go through packed
 * passes (four values per texel fetch, the in-texel stage fused into the first pass); blocks of 1
 * are a scaled copy by the unpacked program. x is only read.
 */
export function hadamardTransform({
  inputs,
  backend,
  attrs,
}: KernelArgsOf<typeof HadamardTransform, MathBackendWebGL>): TensorInfo {
  const { x } = inputs;
  const { size, blockSize, scale } = transformArgs(x, attrs);
  if (size === 0) {
    return backend.makeTensorInfo(x.shape, 'float32', new Float32Array(0));
  }
  if (blockSize === 1) {
    const out = withFlatViews(backend, [x], ([flat]) =>
      runButterfly(backend, { x: flat, rows: size, units: 1, blockSize, scale }),
    );
    return { dataId: out.dataId, shape: x.shape, dtype: 'float32' };
  }
  // Uploaded as the unpacked texture of x's own shape (never as a packed one of another shape,
  // which would change the layout behind x); runWebGLProgram then packs a copy. The view keeps x's
  // last axis, so a packed x (a previous transform's output, a matMul's) is read in place, and
  // blocks narrower than that axis need no reshape pass: the passes' strides stay inside a block.
  backend.uploadToGPU(x.dataId);
  const units = x.shape[x.shape.length - 1];
  const rows: TensorInfo = { dataId: x.dataId, shape: [size / units, units], dtype: 'float32' };
  const out = runPackedButterfly(backend, rows, blockSize, scale);
  // tfjs's reshape keeps the packed layout valid for x's shape (a copy only when it must).
  const reshape = getKernel('Reshape', 'webgl')!.kernelFunc as KernelFunc;
  const result = reshape({ inputs: { x: out }, backend, attrs: { shape: x.shape } }) as TensorInfo;
  backend.disposeIntermediateTensorInfo(out);
  return result;
}

export const hadamardTransformConfig = kernelConfig(HadamardTransform, 'webgl', hadamardTransform);
