import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { kernelConfig, type KernelArgs } from '../kernel_config';
import {
  HadamardRecurrenceGrad,
  type HadamardRecurrenceGradAttrs,
  type HadamardRecurrenceGradInputs,
} from '../names';
import { recurrenceBackward, recurrenceShape } from '../recurrence';
import { hadamardWasm, recurrenceArgs } from './hadamard_module';
import { heapFloats, offsetOf } from './heap';

/** wasm `HadamardRecurrenceGrad`: dz, ds and dh0 from one reverse sweep of our module, which
 * needs no scratch memory (it keeps its running gradient in dh0 and its work vector in dz); or
 * recurrenceBackward on views of the heap as fallback. */
export function hadamardRecurrenceGrad({
  inputs,
  backend,
  attrs,
}: KernelArgs<
  HadamardRecurrenceGradInputs,
  BackendWasm,
  HadamardRecurrenceGradAttrs
>): TensorInfo[] {
  const { dy, states, s, h0, mask } = inputs;
  const shape = recurrenceShape(dy.shape, attrs);
  const { batch, units } = shape;
  const dz = backend.makeOutput(dy.shape, 'float32');
  const ds = backend.makeOutput([units], 'float32');
  const dh0 = backend.makeOutput([batch, units], 'float32');
  const wasm = hadamardWasm(backend);
  if (wasm == null) {
    const view = (t: TensorInfo) => heapFloats(backend, t, HadamardRecurrenceGrad);
    const [dyV, statesV, sV, h0V, maskV] = [dy, states, s, h0, mask].map(view);
    recurrenceBackward(dyV, statesV, sV, h0V, maskV, shape, view(dz), view(ds), view(dh0));
    return [dz, ds, dh0];
  }
  const at = (t: TensorInfo) => offsetOf(backend, t, HadamardRecurrenceGrad);
  wasm.exports.HadamardRecurrenceGrad(
    at(dy), // [batch, T, n], processing order
    at(states), // [batch, T, n], processing order
    at(s), // [n]
    at(h0), // [batch, n]
    at(mask), // [batch, T]
    at(dz), // [batch, T, n] out, time order
    at(ds), // [n] out
    at(dh0), // [batch, n] out
    ...recurrenceArgs(shape),
  );
  return [dz, ds, dh0];
}

export const hadamardRecurrenceGradConfig = kernelConfig(
  HadamardRecurrenceGrad,
  'wasm',
  hadamardRecurrenceGrad,
);
