import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { fwht } from '../fwht';
import { kernelConfig, type KernelArgs } from '../kernel_config';
import {
  HadamardTransform,
  type HadamardTransformAttrs,
  type HadamardTransformInputs,
} from '../names';

/** cpu `HadamardTransform`: the butterfly from x's values into a new buffer (x is never written:
 * reshapes share its values). Blocks are contiguous along the last axis, so the flat buffer is
 * simply a run of blocks. The buffer is a plain `new Float32Array`: skipping its zero fill (Node's
 * `Buffer.allocUnsafeSlow`) measured no faster, the cost of a new output being its fresh memory
 * pages, not the fill (see docs/benchmarks.md). */
export function hadamardTransform({
  inputs,
  backend,
  attrs,
}: KernelArgs<HadamardTransformInputs, KernelBackend, HadamardTransformAttrs>): TensorInfo {
  const { x } = inputs;
  const { blockSize, normalize } = attrs;
  const values = backend.readSync(x.dataId) as Float32Array;
  const out = new Float32Array(values.length);
  fwht(values, out, 0, values.length, blockSize, normalize ? 1 / Math.sqrt(blockSize) : 1);
  return { dataId: backend.write(out, x.shape, 'float32'), shape: x.shape, dtype: 'float32' };
}

export const hadamardTransformConfig = kernelConfig(HadamardTransform, 'cpu', hadamardTransform);
