/** Registers every wasm kernel of this package. Registering needs no tfjs-backend-wasm: the
 * kernels run once an application registers and selects the 'wasm' backend. */
import { registerKernelConfigs } from '../register_configs';
import { affineWeightGradsConfig } from './AffineWeightGrads';
import { hadamardRecurrenceConfig } from './HadamardRecurrence';
import { hadamardRecurrenceGradConfig } from './HadamardRecurrenceGrad';
import { hadamardTransformConfig } from './HadamardTransform';
import { hadamRNNSequenceConfig } from './HadamRNNSequence';

export const wasmKernelConfigs = [
  hadamardTransformConfig,
  hadamardRecurrenceConfig,
  hadamardRecurrenceGradConfig,
  affineWeightGradsConfig,
  hadamRNNSequenceConfig,
];

registerKernelConfigs(wasmKernelConfigs);
