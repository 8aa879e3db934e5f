/** `HadamRNNSequence`'s math on typed arrays, for where our module cannot run. */
import type { SequenceShape } from './recurrence';
import { recurrenceForwardImpl } from './recurrence_impl';

/** Writes to `out` act(h_k) for every step: z = x · kernel + bias, the forward recurrence over z,
 * then ReLU when `relu` (else the states as they are). */
export function hadamRNNSequenceImpl(
  x: Float32Array,
  kernel: Float32Array,
  bias: Float32Array,
  s: Float32Array,
  h0: Float32Array,
  mask: Float32Array,
  shape: SequenceShape,
  relu: boolean,
  out: Float32Array,
): void {
  const { units: n, inDim } = shape;
  const z = new Float32Array(out.length);
  for (let row = 0; row < shape.batch * shape.steps; row++) {
    for (let j = 0; j < n; j++) {
      let sum = bias[j];
      for (let i = 0; i < inDim; i++) {
        sum += x[row * inDim + i] * kernel[i * n + j];
      }
      z[row * n + j] = sum;
    }
  }
  recurrenceForwardImpl(z, s, h0, mask, shape, out);
  if (relu) {
    out.forEach((v, i) => (out[i] = Math.max(v, 0)));
  }
}
