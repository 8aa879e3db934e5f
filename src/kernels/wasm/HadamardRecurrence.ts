import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { kernelConfig, type KernelArgsOf } from '../kernel_config';
import { recurrenceCall } from '../module/calls';
import { HadamardRecurrence } from '../names';
import { recurrenceShape } from '../recurrence';
import { wasmHeap } from './heap';

/** wasm `HadamardRecurrence`: every state of the sequence in one call of our module, written
 * straight into the output on the heap (or the typed-array impl on views of the heap). */
export function hadamardRecurrence({
  inputs,
  backend,
  attrs,
}: KernelArgsOf<typeof HadamardRecurrence, BackendWasm>): TensorInfo {
  const heap = wasmHeap(backend, HadamardRecurrence);
  const states = heap.alloc(inputs.z.shape);
  recurrenceCall(heap, inputs, states, recurrenceShape(inputs.z.shape, attrs));
  return states;
}

export const hadamardRecurrenceConfig = kernelConfig(
  HadamardRecurrence,
  'wasm',
  hadamardRecurrence,
);
