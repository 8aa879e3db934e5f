import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelConfig, type KernelArgs } from '../kernel_config';
import {
  HadamardRecurrenceGrad,
  type HadamardRecurrenceGradAttrs,
  type HadamardRecurrenceGradInputs,
} from '../names';
import { recurrenceBackward, recurrenceShape, type RecurrenceShape } from '../recurrence';
import { recurrenceArgs } from '../wasm/hadamard_module';
import { privateWasm } from './private_wasm';

/** cpu `HadamardRecurrenceGrad`: dz, ds and dh0 in one reverse sweep, by our WebAssembly module on
 * the cpu kernels' private memory (private_wasm.ts), or by recurrenceBackward when
 * `HADAMRNN_CPU_WASM` is false or the module cannot run. */
export function hadamardRecurrenceGrad({
  inputs,
  backend,
  attrs,
}: KernelArgs<
  HadamardRecurrenceGradInputs,
  KernelBackend,
  HadamardRecurrenceGradAttrs
>): TensorInfo[] {
  const shape = recurrenceShape(inputs.dy.shape, attrs);
  const { batch, units } = shape;
  const read = (t: TensorInfo) => backend.readSync(t.dataId) as Float32Array;
  const { dy, states, s, h0, mask } = inputs;
  const [dz, ds, dh0] = reverseSweep(read(dy), read(states), read(s), read(h0), read(mask), shape);
  const output = (values: Float32Array, outShape: number[]): TensorInfo => ({
    dataId: backend.write(values, outShape, 'float32'),
    shape: outShape,
    dtype: 'float32',
  });
  return [output(dz, dy.shape), output(ds, [units]), output(dh0, [batch, units])];
}

/** [dz, ds, dh0] as new arrays, from the module on the private memory or recurrenceBackward. */
function reverseSweep(
  dy: Float32Array,
  states: Float32Array,
  s: Float32Array,
  h0: Float32Array,
  mask: Float32Array,
  shape: RecurrenceShape,
): Float32Array[] {
  const outLengths = [dy.length, s.length, h0.length]; // dz, ds, dh0
  const inLengths = [dy, states, s, h0, mask].map((values) => values.length);
  const wasm = privateWasm([...inLengths, ...outLengths]);
  if (wasm == null) {
    const [dz, ds, dh0] = outLengths.map((length) => new Float32Array(length));
    recurrenceBackward(dy, states, s, h0, mask, shape, dz, ds, dh0);
    return [dz, ds, dh0];
  }
  const [dz, ds, dh0] = outLengths.map((length) => wasm.alloc(length));
  wasm.exports.HadamardRecurrenceGrad(
    wasm.copyIn(dy), // [batch, T, n], processing order
    wasm.copyIn(states), // [batch, T, n], processing order
    wasm.copyIn(s), // [n]
    wasm.copyIn(h0), // [batch, n]
    wasm.copyIn(mask), // [batch, T]
    dz, // [batch, T, n] out, time order
    ds, // [n] out (zeroed by the module)
    dh0, // [batch, n] out (zeroed by the module)
    ...recurrenceArgs(shape),
  );
  return [dz, ds, dh0].map((offset, i) => wasm.copyOut(offset, outLengths[i]));
}

export const hadamardRecurrenceGradConfig = kernelConfig(
  HadamardRecurrenceGrad,
  'cpu',
  hadamardRecurrenceGrad,
);
