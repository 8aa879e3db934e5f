import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { kernelConfig, type KernelArgsOf } from '../kernel_config';
import { HadamardRecurrence } from '../names';
import { recurrenceShape, timeIndex } from '../recurrence';
import { runButterfly, withFlatViews } from './butterfly_passes';
import { StepStack } from './step_stack';

/**
 * webgl `HadamardRecurrence`: T sequential steps, each the butterfly passes of the previous state
 * with the last pass fused into `h = mask ? s * FWHT(prev) / sqrt(b) + z_t : prev` (so a step of a
 * block of up to 8 units is one pass). Steps are stacked as they come (see StepStack), so a long
 * sequence keeps only a few textures alive.
 */
export function hadamardRecurrence({
  inputs,
  backend,
  attrs,
}: KernelArgsOf<typeof HadamardRecurrence, MathBackendWebGL>): TensorInfo {
  const shape = recurrenceShape(inputs.z.shape, attrs);
  const { batch, steps, units, blockSize } = shape;
  if (batch * steps * units === 0) {
    return backend.makeTensorInfo(inputs.z.shape, 'float32', new Float32Array(0));
  }
  const { z, s, h0, mask } = inputs;
  const states = withFlatViews(backend, [z, s, h0, mask], ([z, s, h0, mask]) => {
    const stack = new StepStack(backend, batch, units, false);
    // Each state is pushed one step late: the next step still reads it, and a push may merge
    // (and dispose) it.
    let prev = h0;
    for (let k = 0; k < steps; k++) {
      const state = runButterfly(backend, {
        x: prev,
        rows: batch,
        units,
        blockSize,
        scale: 1 / Math.sqrt(blockSize),
        epilogue: 'step',
        inputs: { s, mask, z, prev },
        uniforms: { steps, stepT: timeIndex(k, shape) },
      });
      if (prev !== h0) {
        stack.push(prev);
      }
      prev = state;
    }
    stack.push(prev);
    return stack.finish();
  });
  return { dataId: states.dataId, shape: inputs.z.shape, dtype: 'float32' };
}

export const hadamardRecurrenceConfig = kernelConfig(
  HadamardRecurrence,
  'webgl',
  hadamardRecurrence,
);
