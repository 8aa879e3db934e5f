import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { fwht } from '../fwht';
import { kernelConfig, type KernelArgs } from '../kernel_config';
import {
  HadamardTransform,
  type HadamardTransformAttrs,
  type HadamardTransformInputs,
} from '../names';
import { privateWasm } from './private_wasm';

/** cpu `HadamardTransform`: the butterfly from x's values into a new buffer (x is never written:
 * reshapes share its values). Blocks are contiguous along the last axis, so the flat buffer is
 * simply a run of blocks. Runs our WebAssembly module on the cpu kernels' private memory
 * (private_wasm.ts), or the JavaScript butterfly when `HADAMRNN_CPU_WASM` is false or the module
 * cannot run. */
export function hadamardTransform({
  inputs,
  backend,
  attrs,
}: KernelArgs<HadamardTransformInputs, KernelBackend, HadamardTransformAttrs>): TensorInfo {
  const { x } = inputs;
  const { blockSize, normalize } = attrs;
  const values = backend.readSync(x.dataId) as Float32Array;
  const out = transformed(values, blockSize, normalize ? 1 / Math.sqrt(blockSize) : 1);
  return { dataId: backend.write(out, x.shape, 'float32'), shape: x.shape, dtype: 'float32' };
}

/** A new array holding the transform of `values`. The JavaScript output is a plain
 * `new Float32Array`: skipping its zero fill (Node's `Buffer.allocUnsafeSlow`) measured no faster,
 * the cost of a new output being its fresh memory pages, not the fill (see docs/benchmarks.md). */
function transformed(values: Float32Array, blockSize: number, scale: number): Float32Array {
  const length = values.length;
  const wasm = privateWasm([length]);
  if (wasm == null) {
    const out = new Float32Array(length);
    fwht(values, out, 0, length, blockSize, scale);
    return out;
  }
  // In place on the private copy: one buffer keeps the working set in cache.
  const at = wasm.copyIn(values);
  wasm.exports.HadamardTransform(
    at, // src
    at, // dst
    length, // values, a multiple of blockSize
    Math.log2(blockSize), // log2b
    scale, // applied once, in the first pass
  );
  return wasm.copyOut(at, length);
}

export const hadamardTransformConfig = kernelConfig(HadamardTransform, 'cpu', hadamardTransform);
