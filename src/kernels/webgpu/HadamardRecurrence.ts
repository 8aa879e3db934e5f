import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { kernelConfig, type KernelArgsOf } from '../kernel_config';
import { HadamardRecurrence } from '../names';
import { recurrenceShape } from '../recurrence';
import { planChunk } from './chunk_plan';
import { RecurrenceProgram, recurrenceUniformValues } from './recurrence_webgpu';

/**
 * webgpu `HadamardRecurrence`: every step of the sequence in one dispatch, each workgroup carrying
 * one chunk of whole blocks of one batch row (blocks never mix, so chunks are independent).
 */
export function hadamardRecurrence({
  inputs,
  backend,
  attrs,
}: KernelArgsOf<typeof HadamardRecurrence, WebGPUBackend>): TensorInfo {
  const shape = recurrenceShape(inputs.z.shape, attrs);
  const { batch, steps, units, blockSize } = shape;
  if (batch * steps * units === 0) {
    return backend.makeTensorInfo(inputs.z.shape, 'float32', new Float32Array(0));
  }
  const { z, s, h0, mask } = inputs;
  const plan = planChunk(backend, units, blockSize, 1);
  return backend.runWebGPUProgram(
    new RecurrenceProgram([batch, steps, units], blockSize, plan),
    [z, s, h0, mask],
    'float32',
    recurrenceUniformValues(shape, plan, blockSize),
  );
}

export const hadamardRecurrenceConfig = kernelConfig(
  HadamardRecurrence,
  'webgpu',
  hadamardRecurrence,
);
