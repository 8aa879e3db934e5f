import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelConfig, type KernelArgs } from '../kernel_config';
import {
  HadamardRecurrence,
  type HadamardRecurrenceAttrs,
  type HadamardRecurrenceInputs,
} from '../names';
import { recurrenceForward } from '../recurrence';

/** cpu `HadamardRecurrence`: every state of the sequence in one call. */
export function hadamardRecurrence({
  inputs,
  backend,
  attrs,
}: KernelArgs<HadamardRecurrenceInputs, KernelBackend, HadamardRecurrenceAttrs>): TensorInfo {
  const { z, s, h0, mask } = inputs;
  const [batch, steps, units] = z.shape;
  const read = (t: TensorInfo) => backend.readSync(t.dataId) as Float32Array;
  const states = new Float32Array(batch * steps * units);
  recurrenceForward(
    read(z),
    read(s),
    read(h0),
    read(mask),
    { batch, steps, units, blockSize: attrs.blockSize, goBackwards: attrs.goBackwards },
    states,
  );
  return { dataId: backend.write(states, z.shape, 'float32'), shape: z.shape, dtype: 'float32' };
}

export const hadamardRecurrenceConfig = kernelConfig(HadamardRecurrence, 'cpu', hadamardRecurrence);
