import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { kernelConfig, type KernelArgsOf } from '../kernel_config';
import { recurrenceGradCall } from '../module/calls';
import { HadamardRecurrenceGrad } from '../names';
import { recurrenceShape } from '../recurrence';
import { wasmHeap } from './heap';

/** wasm `HadamardRecurrenceGrad`: dz, ds and dh0 from one reverse sweep of our module into outputs
 * on the heap (or the typed-array impl on views of the heap). */
export function hadamardRecurrenceGrad({
  inputs,
  backend,
  attrs,
}: KernelArgsOf<typeof HadamardRecurrenceGrad, BackendWasm>): TensorInfo[] {
  const shape = recurrenceShape(inputs.dy.shape, attrs);
  const { batch, units } = shape;
  const heap = wasmHeap(backend, HadamardRecurrenceGrad);
  const [dz, ds, dh0] = [inputs.dy.shape, [units], [batch, units]].map((s) => heap.alloc(s));
  recurrenceGradCall(heap, inputs, { dz, ds, dh0 }, shape);
  return [dz, ds, dh0];
}

export const hadamardRecurrenceGradConfig = kernelConfig(
  HadamardRecurrenceGrad,
  'wasm',
  hadamardRecurrenceGrad,
);
