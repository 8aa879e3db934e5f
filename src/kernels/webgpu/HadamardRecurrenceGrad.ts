import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { getKernel, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { kernelConfig, type KernelArgsOf } from '../kernel_config';
import { HadamardRecurrenceGrad } from '../names';
import { emptyRecurrenceGrad, recurrenceShape } from '../recurrence';
import { planChunk } from './chunk_plan';
import { ColumnSumProgram } from './column_sum_webgpu';
import { gradLayout, RecurrenceGradProgram } from './recurrence_grad_webgpu';
import { recurrenceUniformValues } from './recurrence_webgpu';

/**
 * webgpu `HadamardRecurrenceGrad`: the reverse sweep in one dispatch (RecurrenceGradProgram) into
 * one flat buffer, then dz and dh0 sliced out of it and ds summed over its per-row partials.
 */
export function hadamardRecurrenceGrad({
  inputs,
  backend,
  attrs,
}: KernelArgsOf<typeof HadamardRecurrenceGrad, WebGPUBackend>): TensorInfo[] {
  const shape = recurrenceShape(inputs.dy.shape, attrs);
  const { batch, steps, units, blockSize } = shape;
  if (batch * steps * units === 0) {
    return emptyRecurrenceGrad(backend, inputs.dy.shape, shape);
  }
  const { dy, states, s, h0, mask } = inputs;
  // Two work buffers: the carried gradient and the transformed previous state.
  const plan = planChunk(backend, units, blockSize, 2);
  const layout = gradLayout(batch, steps, units, plan);
  const flat = backend.runWebGPUProgram(
    new RecurrenceGradProgram(batch, steps, units, blockSize, plan),
    [dy, states, s, h0, mask],
    'float32',
    recurrenceUniformValues(shape, plan, blockSize),
  );
  const slice = getKernel('Slice', 'webgpu')!.kernelFunc as KernelFunc;
  const part = (begin: number, partShape: number[]): TensorInfo => {
    const size = partShape.reduce((a, b) => a * b, 1);
    const out = slice({ inputs: { x: flat }, backend, attrs: { begin: [begin], size: [size] } });
    return { ...(out as TensorInfo), shape: partShape };
  };
  const dz = part(layout.dz, dy.shape);
  const dh0 = part(layout.dh0, [batch, units]);
  const ds = backend.runWebGPUProgram(
    new ColumnSumProgram(units),
    [flat],
    'float32',
    ColumnSumProgram.uniformValues(layout.dsRows, batch),
  );
  backend.disposeData(flat.dataId);
  return [dz, ds, dh0];
}

export const hadamardRecurrenceGradConfig = kernelConfig(
  HadamardRecurrenceGrad,
  'webgpu',
  hadamardRecurrenceGrad,
);
