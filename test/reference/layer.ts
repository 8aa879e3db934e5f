/** Float64 reference of the HadamRNN layer: quantized input projection, dense recurrence, ReLU. */
import { referenceRecurrence, referenceRecurrenceGrad } from './dense';
import { referenceSign, referenceUniform } from './quantize';

/** Weights and sizes of a reference HadamRNN layer. */
export interface ReferenceLayer {
  kernel: ArrayLike<number>; // [inputDim, units]
  u: ArrayLike<number>; // [units]
  bias: ArrayLike<number>; // [units]
  inputDim: number;
  units: number;
  blockSize: number;
  bits: number | null;
}

/** z = x · Q(U) + b for x [batch, T, inputDim]. */
export function referenceProjection(x: ArrayLike<number>, layer: ReferenceLayer): Float64Array {
  const { inputDim: d, units: n } = layer;
  const kernel =
    layer.bits == null
      ? Float64Array.from(layer.kernel)
      : referenceUniform(layer.kernel, layer.bits);
  const rows = x.length / d;
  const z = new Float64Array(rows * n);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < n; j++) {
      let acc = layer.bias[j];
      for (let i = 0; i < d; i++) {
        acc += x[r * d + i] * kernel[i * n + j];
      }
      z[r * n + j] = acc;
    }
  }
  return z;
}

/** Every state and ReLU output of the layer for x [batch, steps, inputDim], h0 = 0. */
export function referenceLayer(
  x: ArrayLike<number>,
  batch: number,
  steps: number,
  layer: ReferenceLayer,
  goBackwards = false,
): { states: Float64Array; outputs: Float64Array } {
  const z = referenceProjection(x, layer);
  const shape = { batch, steps, units: layer.units, blockSize: layer.blockSize, goBackwards };
  const states = referenceRecurrence(
    z,
    referenceSign(layer.u),
    new Float64Array(batch * layer.units),
    null,
    shape,
  );
  return { states, outputs: states.map((v) => Math.max(v, 0)) };
}

/** Gradients of sum(w ⊙ outputs) with respect to kernel, u and bias (STE: identity through Q,
 * sign's gradient zeroed where |u| > 1). */
export function referenceLayerGrads(
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  batch: number,
  steps: number,
  layer: ReferenceLayer,
): { kernel: Float64Array; u: Float64Array; bias: Float64Array } {
  const { inputDim: d, units: n } = layer;
  const z = referenceProjection(x, layer);
  const { states } = referenceLayer(x, batch, steps, layer);
  const dStates = states.map((v, i) => (v > 0 ? w[i] : 0));
  const shape = { batch, steps, units: n, blockSize: layer.blockSize, goBackwards: false };
  const s = referenceSign(layer.u);
  const { dz, ds } = referenceRecurrenceGrad(
    dStates,
    z,
    s,
    new Float64Array(batch * n),
    null,
    shape,
  );
  const kernel = new Float64Array(d * n);
  const bias = new Float64Array(n);
  for (let r = 0; r < batch * steps; r++) {
    for (let j = 0; j < n; j++) {
      bias[j] += dz[r * n + j];
      for (let i = 0; i < d; i++) {
        kernel[i * n + j] += x[r * d + i] * dz[r * n + j];
      }
    }
  }
  const u = Float64Array.from(ds, (g, j) => (Math.abs(layer.u[j]) <= 1 ? g : 0));
  return { kernel, u, bias };
}
