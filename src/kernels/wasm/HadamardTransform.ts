import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { util, type TensorInfo } from '@tensorflow/tfjs-core';
import { fwht } from '../fwht';
import { kernelConfig, type KernelArgs } from '../kernel_config';
import {
  HadamardTransform,
  type HadamardTransformAttrs,
  type HadamardTransformInputs,
} from '../names';
import { hadamardWasm } from './hadamard_module';
import { heapFloats, offsetOf } from './heap';

/** wasm `HadamardTransform`: our module's butterfly from x's values on the heap into a new output
 * (x is never written: reshapes share its values), or the JavaScript butterfly on views of the
 * heap when the module cannot be loaded. */
export function hadamardTransform({
  inputs,
  backend,
  attrs,
}: KernelArgs<HadamardTransformInputs, BackendWasm, HadamardTransformAttrs>): TensorInfo {
  const { x } = inputs;
  const { blockSize, normalize } = attrs;
  const out = backend.makeOutput(x.shape, 'float32');
  const length = util.sizeFromShape(x.shape);
  const scale = normalize ? 1 / Math.sqrt(blockSize) : 1;
  const wasm = hadamardWasm(backend);
  if (wasm == null) {
    const view = (t: TensorInfo) => heapFloats(backend, t, HadamardTransform);
    fwht(view(x), view(out), 0, length, blockSize, scale);
    return out;
  }
  const at = (t: TensorInfo) => offsetOf(backend, t, HadamardTransform);
  wasm.exports.HadamardTransform(
    at(x), // src
    at(out), // dst
    length, // values, a multiple of blockSize
    Math.log2(blockSize), // log2b
    scale, // applied once, in the first pass
  );
  return out;
}

export const hadamardTransformConfig = kernelConfig(HadamardTransform, 'wasm', hadamardTransform);
