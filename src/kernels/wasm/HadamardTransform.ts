import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { kernelConfig, type KernelArgsOf } from '../kernel_config';
import { transformCall } from '../module/calls';
import { HadamardTransform } from '../names';
import { transformArgs } from '../transform';
import { wasmHeap } from './heap';

/** wasm `HadamardTransform`: our module's butterfly from x's values on the heap into a new output
 * (x is never written: reshapes share its values), or the typed-array impl on views of the heap
 * when the module cannot be loaded. */
export function hadamardTransform({
  inputs,
  backend,
  attrs,
}: KernelArgsOf<typeof HadamardTransform, BackendWasm>): TensorInfo {
  const { x } = inputs;
  const heap = wasmHeap(backend, HadamardTransform);
  const out = heap.alloc(x.shape);
  transformCall(heap, x, out, transformArgs(x, attrs));
  return out;
}

export const hadamardTransformConfig = kernelConfig(HadamardTransform, 'wasm', hadamardTransform);
