import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelConfig, type KernelArgs } from '../kernel_config';
import {
  HadamardRecurrenceGrad,
  type HadamardRecurrenceGradAttrs,
  type HadamardRecurrenceGradInputs,
} from '../names';
import { recurrenceBackward } from '../recurrence';

/** cpu `HadamardRecurrenceGrad`: dz, ds and dh0 in one reverse sweep. */
export function hadamardRecurrenceGrad({
  inputs,
  backend,
  attrs,
}: KernelArgs<
  HadamardRecurrenceGradInputs,
  KernelBackend,
  HadamardRecurrenceGradAttrs
>): TensorInfo[] {
  const { dy, states, s, h0, mask } = inputs;
  const [batch, steps, units] = dy.shape;
  const read = (t: TensorInfo) => backend.readSync(t.dataId) as Float32Array;
  const dz = new Float32Array(batch * steps * units);
  const ds = new Float32Array(units);
  const dh0 = new Float32Array(batch * units);
  recurrenceBackward(
    read(dy),
    read(states),
    read(s),
    read(h0),
    read(mask),
    { batch, steps, units, blockSize: attrs.blockSize, goBackwards: attrs.goBackwards },
    dz,
    ds,
    dh0,
  );
  const output = (values: Float32Array, shape: number[]): TensorInfo => ({
    dataId: backend.write(values, shape, 'float32'),
    shape,
    dtype: 'float32',
  });
  return [output(dz, dy.shape), output(ds, [units]), output(dh0, [batch, units])];
}

export const hadamardRecurrenceGradConfig = kernelConfig(
  HadamardRecurrenceGrad,
  'cpu',
  hadamardRecurrenceGrad,
);
