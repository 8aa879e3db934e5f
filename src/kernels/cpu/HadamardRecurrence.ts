import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelConfig, type KernelArgsOf } from '../kernel_config';
import { recurrenceCall } from '../module/calls';
import { HadamardRecurrence } from '../names';
import { recurrenceShape } from '../recurrence';
import { withCpuMemory } from './private_memory';

/** cpu `HadamardRecurrence`: every state of the sequence in one call, by our WebAssembly module on
 * the cpu kernels' private memory (private_memory.ts), or by the typed-array impl when
 * `HADAMRNN_CPU_WASM` is false or the module cannot run. */
export function hadamardRecurrence({
  inputs,
  backend,
  attrs,
}: KernelArgsOf<typeof HadamardRecurrence, KernelBackend>): TensorInfo {
  const shape = recurrenceShape(inputs.z.shape, attrs);
  const read = (t: TensorInfo) => backend.readSync(t.dataId) as Float32Array;
  const [z, s, h0, mask] = [inputs.z, inputs.s, inputs.h0, inputs.mask].map(read);
  const outShape = inputs.z.shape;
  const states = withCpuMemory([z.length, s.length, h0.length, mask.length, z.length], (memory) => {
    const [zB, sB, h0B, maskB] = [z, s, h0, mask].map((values) => memory.input(values));
    const out = memory.alloc(outShape);
    recurrenceCall(memory, { z: zB, s: sB, h0: h0B, mask: maskB }, out, shape);
    return memory.output(out);
  });
  return { dataId: backend.write(states, outShape, 'float32'), shape: outShape, dtype: 'float32' };
}

export const hadamardRecurrenceConfig = kernelConfig(HadamardRecurrence, 'cpu', hadamardRecurrence);
