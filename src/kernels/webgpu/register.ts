/** Registers every webgpu kernel of this package. Types only come from tfjs-backend-webgpu: the
 * kernels run on whatever webgpu backend the application registered, and importing this file does
 * not load the backend. */
import { registerKernelConfigs } from '../register_configs';
import { affineWeightGradsConfig } from './AffineWeightGrads';
import { hadamRNNSequenceConfig } from './HadamRNNSequence';
import { hadamardRecurrenceConfig } from './HadamardRecurrence';
import { hadamardRecurrenceGradConfig } from './HadamardRecurrenceGrad';
import { hadamardTransformConfig } from './HadamardTransform';

export const webgpuKernelConfigs = [
  hadamardTransformConfig,
  hadamardRecurrenceConfig,
  hadamardRecurrenceGradConfig,
  hadamRNNSequenceConfig,
  affineWeightGradsConfig,
];

registerKernelConfigs(webgpuKernelConfigs);
