import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { kernelConfig, type KernelArgsOf } from '../kernel_config';
import { HadamardRecurrenceGrad } from '../names';
import { emptyRecurrenceGrad, recurrenceShape, timeIndex } from '../recurrence';
import { runButterfly, withFlatViews } from './butterfly_passes';
import { MaskStepsProgram } from './mask_steps_gpu';
import { RowSumProgram } from './row_sum_gpu';
import { StepStack } from './step_stack';

/**
 * webgl `HadamardRecurrenceGrad`: the reverse sweep of `recurrenceBackward`, two butterflies per
 * step. With g the gradient flowing into h_k (dy_k already added):
 * - ds rows += mask ? g * FWHT(h_{k-1}) / sqrt(b) : 0 (FWHT of the saved state, summed over rows
 *   at the end by halving passes);
 * - g_{k-1} = (mask ? FWHT(s * g) / sqrt(b) : g) + dy_{k-1} (sign prologue, carry epilogue);
 * - g itself is dz_t, stacked as it comes and masked once at the end.
 */
export function hadamardRecurrenceGrad({
  inputs,
  backend,
  attrs,
}: KernelArgsOf<typeof HadamardRecurrenceGrad, MathBackendWebGL>): TensorInfo[] {
  const shape = recurrenceShape(inputs.dy.shape, attrs);
  const { batch, steps, units, blockSize } = shape;
  if (batch * steps * units === 0) {
    return emptyRecurrenceGrad(backend, inputs.dy.shape, shape);
  }
  const scale = 1 / Math.sqrt(blockSize);
  const { dy, states, s, h0, mask } = inputs;
  const [dz, dsRows, dh0] = withFlatViews(
    backend,
    [dy, states, s, h0, mask],
    ([dy, states, s, h0, mask]) => {
      const zeros = backend.makeTensorInfo(
        [batch * units],
        'float32',
        new Float32Array(batch * units),
      );
      // Pushed from the last processing step down: time runs backwards unless goBackwards.
      const stack = new StepStack(backend, batch, units, !shape.goBackwards);
      const carry = (g: TensorInfo, k: number, prologue: 'sign' | 'none', size: number) =>
        runButterfly(backend, {
          x: g,
          rows: batch,
          units,
          blockSize: size,
          scale: size === 1 ? 1 : scale,
          prologue,
          epilogue: 'carry',
          inputs: { s, mask, prev: g, dy },
          // The start (k = T) is no step: its zero state gives zero either way.
          uniforms: { steps, stepT: k < steps ? timeIndex(k, shape) : 0, nextK: k - 1 },
        });
      // g = 0 + dy_{T-1}: a one-value "butterfly" of the zero state.
      let g = carry(zeros, steps, 'none', 1);
      let acc = zeros;
      for (let k = steps - 1; k >= 0; k--) {
        const nextAcc = runButterfly(backend, {
          x: k > 0 ? states : h0,
          rows: batch,
          units,
          blockSize,
          scale,
          epilogue: 'ds',
          inputs: { mask, acc, g },
          uniforms: {
            xSteps: k > 0 ? steps : 1,
            xStep: Math.max(k - 1, 0),
            steps,
            stepT: timeIndex(k, shape),
          },
        });
        if (acc !== zeros) {
          backend.disposeIntermediateTensorInfo(acc);
        }
        acc = nextAcc;
        const nextG = carry(g, k, 'sign', blockSize);
        stack.push(g);
        g = nextG;
      }
      backend.disposeIntermediateTensorInfo(zeros);
      const unmasked = stack.finish();
      const masked = backend.runWebGLProgram(
        new MaskStepsProgram(batch * steps * units),
        [unmasked, mask],
        'float32',
        MaskStepsProgram.uniformValues(units),
      );
      backend.disposeIntermediateTensorInfo(unmasked);
      return [masked, acc, g];
    },
  );
  const ds = sumRows(backend, dsRows, batch, units);
  return [
    { dataId: dz.dataId, shape: inputs.dy.shape, dtype: 'float32' },
    { dataId: ds.dataId, shape: [units], dtype: 'float32' },
    { dataId: dh0.dataId, shape: [batch, units], dtype: 'float32' },
  ];
}

/** Sums flat [rows, units] over rows with halving passes, consuming `x`. */
function sumRows(
  backend: MathBackendWebGL,
  x: TensorInfo,
  rows: number,
  units: number,
): TensorInfo {
  let sum = x;
  for (let left = rows; left > 1;) {
    const half = Math.ceil(left / 2);
    const next = backend.runWebGLProgram(
      new RowSumProgram(half, units),
      [sum],
      'float32',
      RowSumProgram.uniformValues(units, left, half),
    );
    backend.disposeIntermediateTensorInfo(sum);
    sum = next;
    left = half;
  }
  return sum;
}

export const hadamardRecurrenceGradConfig = kernelConfig(
  HadamardRecurrenceGrad,
  'webgl',
  hadamardRecurrenceGrad,
);
