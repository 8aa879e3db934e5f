/**
 * `tfjs-hadamrnn/ops`: the ops alone, for applications that need the fast Walsh-Hadamard
 * transform or the fused recurrence without the layers: registers the kernels (cpu, wasm, webgl,
 * webgpu) and their gradients, and none of the layers, serializable classes or the Node file://
 * handler, so a bundler leaves those out. Importing the package itself registers everything.
 */
import './kernels/cpu/register';
import './kernels/wasm/register';
import './kernels/webgl/register';
import './kernels/webgpu/register';
import './register_gradients';
import { checkSingleTfjsCore } from './single_tfjs';

export { hadamardTransform, type HadamardTransformOptions } from './ops/hadamard_transform';
export { hadamardRecurrence, type HadamardRecurrenceOptions } from './ops/hadamard_recurrence';
export { sylvester } from './ops/sylvester';
export * as kernelNames from './kernels/names';

checkSingleTfjsCore(null);
