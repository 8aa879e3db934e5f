import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelConfig, type KernelArgs } from '../kernel_config';
import {
  HadamardRecurrence,
  type HadamardRecurrenceAttrs,
  type HadamardRecurrenceInputs,
} from '../names';
import { recurrenceForward, recurrenceShape } from '../recurrence';
import { recurrenceArgs } from '../wasm/hadamard_module';
import { privateWasm } from './private_wasm';

/** cpu `HadamardRecurrence`: every state of the sequence in one call, by our WebAssembly module on
 * the cpu kernels' private memory (private_wasm.ts), or by recurrenceForward when
 * `HADAMRNN_CPU_WASM` is false or the module cannot run. */
export function hadamardRecurrence({
  inputs,
  backend,
  attrs,
}: KernelArgs<HadamardRecurrenceInputs, KernelBackend, HadamardRecurrenceAttrs>): TensorInfo {
  const shape = recurrenceShape(inputs.z.shape, attrs);
  const read = (t: TensorInfo) => backend.readSync(t.dataId) as Float32Array;
  const [z, s, h0, mask] = [inputs.z, inputs.s, inputs.h0, inputs.mask].map(read);
  const wasm = privateWasm([z.length, s.length, h0.length, mask.length, z.length]);
  let states: Float32Array;
  if (wasm == null) {
    states = new Float32Array(z.length);
    recurrenceForward(z, s, h0, mask, shape, states);
  } else {
    const out = wasm.alloc(z.length);
    wasm.exports.HadamardRecurrence(
      wasm.copyIn(z), // [batch, T, n], time order
      wasm.copyIn(s), // [n]
      wasm.copyIn(h0), // [batch, n]
      wasm.copyIn(mask), // [batch, T]
      out, // [batch, T, n] out, processing order
      ...recurrenceArgs(shape),
    );
    states = wasm.copyOut(out, z.length);
  }
  const outShape = inputs.z.shape;
  return { dataId: backend.write(states, outShape, 'float32'), shape: outShape, dtype: 'float32' };
}

export const hadamardRecurrenceConfig = kernelConfig(HadamardRecurrence, 'cpu', hadamardRecurrence);
