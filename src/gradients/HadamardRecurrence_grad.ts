import {
  engine,
  zerosLike,
  type GradConfig,
  type NamedAttrMap,
  type Tensor,
} from '@tensorflow/tfjs-core';
import {
  HadamardRecurrence,
  HadamardRecurrenceGrad,
  type HadamardRecurrenceAttrs,
} from '../kernels/names';

/** dz, ds and dh0 from one reverse sweep of the `HadamardRecurrenceGrad` kernel; the mask gets none. */
export const hadamardRecurrenceGradConfig: GradConfig = {
  kernelName: HadamardRecurrence,
  inputsToSave: ['s', 'h0', 'mask'],
  outputsToSave: [true],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [s, h0, mask, states] = saved;
    const [dz, ds, dh0] = engine().runKernel(
      HadamardRecurrenceGrad,
      { dy: dy as Tensor, states, s, h0, mask },
      attrs as HadamardRecurrenceAttrs,
    ) as Tensor[];
    return { z: () => dz, s: () => ds, h0: () => dh0, mask: () => zerosLike(mask) };
  },
};
