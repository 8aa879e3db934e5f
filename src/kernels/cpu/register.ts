/** Registers every cpu kernel of this package. */
import { registerKernelConfigs } from '../register_configs';
import { hadamardRecurrenceConfig } from './HadamardRecurrence';
import { hadamardRecurrenceGradConfig } from './HadamardRecurrenceGrad';
import { hadamardTransformConfig } from './HadamardTransform';

export const cpuKernelConfigs = [
  hadamardTransformConfig,
  hadamardRecurrenceConfig,
  hadamardRecurrenceGradConfig,
];

registerKernelConfigs(cpuKernelConfigs);
