/**
 * tfjs-hadamrnn: HadamRNN (binary and sparse ternary orthogonal RNNs) for TensorFlow.js.
 *
 * Importing the package registers its kernels (cpu, wasm, webgl, webgpu), gradients and serializable classes
 * on the tfjs-core and tfjs-layers copies of the application, after checking that there is one of each
 * (src/check_single_tfjs.ts).
 */
import './check_single_tfjs';
import './kernels/cpu/register';
import './kernels/wasm/register';
import './kernels/webgl/register';
import './kernels/webgpu/register';
import './register_gradients';
import './register_classes';

export { hadamardTransform, type HadamardTransformOptions } from './ops/hadamard_transform';
export { hadamardRecurrence, type HadamardRecurrenceOptions } from './ops/hadamard_recurrence';
export { sylvester } from './ops/sylvester';
export * as kernelNames from './kernels/names';
export { Quantizer, getQuantizer, type QuantizerIdentifier } from './quantizers/quantizer';
export { SignSte, signSte, type SignSteArgs } from './quantizers/sign_ste';
export { UniformSte, uniformSte, type UniformSteArgs } from './quantizers/uniform_ste';
export { WeightClip, weightClip, type WeightClipArgs } from './constraints/weight_clip';
export { RandomSigns, randomSigns, type RandomSignsArgs } from './initializers/random_signs';
export { constrainOnAssign } from './constraints/constrain_on_assign';
export {
  HadamRNNCell,
  hadamRNNCell,
  MAX_UNITS,
  SIGN_RECIPES,
  STABLE_SIGN_MAGNITUDE,
  signInitializer,
  type HadamRNNCellArgs,
  type SignRecipe,
} from './layers/hadam_rnn_cell';
export { HadamRNN, hadamRNN, type HadamRNNArgs, type HadamRNNInference } from './layers/hadam_rnn';
export { QuantizedDense, quantizedDense, type QuantizedDenseArgs } from './layers/quantized_dense';
export type { QuantizedProjectionArgs } from './layers/quantized_projection';
export { serializableClasses } from './register_classes';
export { fileSystem, FileSystemHandler, type FileSystemOptions } from './io/register';
export {
  BITS_FILE,
  EXPORT_FORMATS,
  exportBits,
  exportModel,
  quantizedArtifacts,
  stockArtifacts,
  type ExportFormat,
  type ExportOptions,
  type ExportResult,
} from './export';
export {
  TerminateOnNaN,
  terminateOnNaN,
  type NonFiniteStop,
  type TerminateOnNaNArgs,
} from './callbacks/terminate_on_nan';
