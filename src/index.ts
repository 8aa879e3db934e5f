/**
 * tfjs-hadamrnn: HadamRNN (binary and sparse ternary orthogonal RNNs) for TensorFlow.js.
 *
 * Importing the package registers its kernels (cpu, wasm, webgl), gradients and serializable classes
 * on the tfjs-core and tfjs-layers copies of the application.
 */
import './kernels/cpu/register';
import './register_gradients';

export { hadamardTransform, type HadamardTransformOptions } from './ops/hadamard_transform';
export { hadamardRecurrence, type HadamardRecurrenceOptions } from './ops/hadamard_recurrence';
export { sylvester } from './ops/sylvester';
export * as kernelNames from './kernels/names';
