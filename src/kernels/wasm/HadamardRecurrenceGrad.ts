import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { kernelConfig, type KernelArgs } from '../kernel_config';
import {
  HadamardRecurrenceGrad,
  type HadamardRecurrenceGradAttrs,
  type HadamardRecurrenceGradInputs,
} from '../names';
import { recurrenceBackward } from '../recurrence';
import { hadamardWasm } from './hadamard_module';
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
  const [batch, steps, units] = dy.shape;
  const { blockSize, goBackwards } = attrs;
  const dz = backend.makeOutput(dy.shape, 'float32');
  const ds = backend.makeOutput([units], 'float32');
  const dh0 = backend.makeOutput([batch, units], 'float32');
  const wasm = hadamardWasm(backend);
  if (wasm == null) {
    const view = (t: TensorInfo) => heapFloats(backend, t, HadamardRecurrenceGrad);
    const shape = { batch, steps, units, blockSize, goBackwards };
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
    batch,
    steps,
    units,
    Math.log2(blockSize), // log2b
    goBackwards ? 1 : 0,
    1 / Math.sqrt(blockSize), // scale of each step's transform
  );
  return [dz, ds, dh0];
}

export const hadamardRecurrenceGradConfig = kernelConfig(
  HadamardRecurrenceGrad,
  'wasm',
  hadamardRecurrenceGrad,
);
