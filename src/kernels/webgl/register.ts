/** Registers every webgl kernel of this package. Types only come from tfjs-backend-webgl: the
 * kernels run on whatever webgl backend the application registered, and importing this file does
 * not load the backend. */
import { registerKernelConfigs } from '../register_configs';
import { hadamardRecurrenceConfig } from './HadamardRecurrence';
import { hadamardRecurrenceGradConfig } from './HadamardRecurrenceGrad';
import { hadamardTransformConfig } from './HadamardTransform';

export const webglKernelConfigs = [
  hadamardTransformConfig,
  hadamardRecurrenceConfig,
  hadamardRecurrenceGradConfig,
];

registerKernelConfigs(webglKernelConfigs);
