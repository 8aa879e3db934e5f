import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { kernelConfig, type KernelArgsOf } from '../kernel_config';
import { HadamRNNSequence } from '../names';
import { sequenceShape } from '../recurrence';
import { planChunk } from './chunk_plan';
import { RecurrenceProgram, recurrenceUniformValues } from './recurrence_webgpu';

/**
 * webgpu `HadamRNNSequence`: the forward recurrence's one dispatch, each step's input projected
 * in place from x and the outputs activated as they are written. Saves the projection matMul, its
 * [batch, T, n] intermediate and the activation's dispatch: on SwiftShader tfjs's matMul of
 * [6400, 10] by [10, 128] alone takes about 3x the whole recurrence.
 */
export function hadamRNNSequence({
  inputs,
  backend,
  attrs,
}: KernelArgsOf<typeof HadamRNNSequence, WebGPUBackend>): TensorInfo {
  const { x, kernel, bias, s, h0, mask } = inputs;
  const shape = sequenceShape(inputs, attrs);
  const { batch, steps, units, inDim } = shape;
  if (batch * steps * units === 0) {
    return backend.makeTensorInfo([batch, steps, units], 'float32', new Float32Array(0));
  }
  const { blockSize } = shape;
  const plan = planChunk(backend, units, blockSize, 1);
  const projection = { kind: 'projection', inDim, relu: attrs.activation === 'relu' } as const;
  return backend.runWebGPUProgram(
    new RecurrenceProgram([batch, steps, units], blockSize, plan, projection),
    [x, kernel, bias, s, h0, mask],
    'float32',
    recurrenceUniformValues(shape, plan, blockSize),
  );
}

export const hadamRNNSequenceConfig = kernelConfig(HadamRNNSequence, 'webgpu', hadamRNNSequence);
