/** Registers the gradient of every kernel of this package (one per kernel, for all backends). */
import { getGradient, registerGradient } from '@tensorflow/tfjs-core';
import { hadamRNNSequenceGradConfig } from './gradients/HadamRNNSequence_grad';
import { hadamardRecurrenceGradConfig } from './gradients/HadamardRecurrence_grad';
import { hadamardTransformGradConfig } from './gradients/HadamardTransform_grad';

export const gradConfigs = [
  hadamardTransformGradConfig,
  hadamardRecurrenceGradConfig,
  hadamRNNSequenceGradConfig,
];

for (const config of gradConfigs) {
  if (getGradient(config.kernelName) == null) {
    registerGradient(config);
  }
}
