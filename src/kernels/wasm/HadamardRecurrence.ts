import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { kernelConfig, type KernelArgs } from '../kernel_config';
import {
  HadamardRecurrence,
  type HadamardRecurrenceAttrs,
  type HadamardRecurrenceInputs,
} from '../names';
import { recurrenceForward, recurrenceShape } from '../recurrence';
import { hadamardWasm, recurrenceArgs } from './hadamard_module';
import { heapFloats, offsetOf } from './heap';

/** wasm `HadamardRecurrence`: every state of the sequence in one call of our module, written
 * straight into the output on the heap (or recurrenceForward on views of the heap as fallback). */
export function hadamardRecurrence({
  inputs,
  backend,
  attrs,
}: KernelArgs<HadamardRecurrenceInputs, BackendWasm, HadamardRecurrenceAttrs>): TensorInfo {
  const { z, s, h0, mask } = inputs;
  const shape = recurrenceShape(z.shape, attrs);
  const states = backend.makeOutput(z.shape, 'float32');
  const wasm = hadamardWasm(backend);
  if (wasm == null) {
    const view = (t: TensorInfo) => heapFloats(backend, t, HadamardRecurrence);
    recurrenceForward(view(z), view(s), view(h0), view(mask), shape, view(states));
    return states;
  }
  const at = (t: TensorInfo) => offsetOf(backend, t, HadamardRecurrence);
  wasm.exports.HadamardRecurrence(
    at(z), // [batch, T, n], time order
    at(s), // [n]
    at(h0), // [batch, n]
    at(mask), // [batch, T]
    at(states), // [batch, T, n] out, processing order
    ...recurrenceArgs(shape),
  );
  return states;
}

export const hadamardRecurrenceConfig = kernelConfig(
  HadamardRecurrence,
  'wasm',
  hadamardRecurrence,
);
