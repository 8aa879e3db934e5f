/**
 * The fused Hadamard recurrence on typed arrays: one forward sweep and one reverse (adjoint) sweep,
 * the typed-array impl shared by the cpu and wasm kernels where our WebAssembly module cannot run.
 *
 * Forward, for each batch row, in processing order k = 0..T-1 with t = goBackwards ? T-1-k : k:
 *   h_k = s * FWHT_b(h_{k-1}) / sqrt(b) + z_t        (h_{-1} = h0)
 *   h_k = h_{k-1}                                    where mask[t] == 0
 * Backward, with g the gradient flowing into h_k:
 *   g += dy_k;  dz_t = g;  ds += g * FWHT_b(h_{k-1}) / sqrt(b);  g = FWHT_b(s * g) / sqrt(b)
 * (a masked step passes g through and gets dz_t = 0); finally dh0 = g.
 */
import { fwhtImpl } from './fwht_impl';
import { timeIndex, type RecurrenceShape } from './recurrence';

/**
 * Writes every state into `states` ([batch, T, n], processing order); `mask` is [batch, T].
 */
export function recurrenceForwardImpl(
  z: Float32Array,
  s: Float32Array,
  h0: Float32Array,
  mask: Float32Array,
  shape: RecurrenceShape,
  states: Float32Array,
): void {
  const { batch, steps, units: n, blockSize } = shape;
  const scaledSign = scaledSigns(s, blockSize);
  for (let r = 0; r < batch; r++) {
    let prev = h0.subarray(r * n, r * n + n);
    for (let k = 0; k < steps; k++) {
      const t = timeIndex(k, shape);
      const out = states.subarray((r * steps + k) * n, (r * steps + k + 1) * n);
      if (mask[r * steps + t] === 0) {
        out.set(prev);
      } else {
        fwhtImpl(prev, out, 0, n, blockSize);
        const zRow = (r * steps + t) * n;
        for (let i = 0; i < n; i++) {
          out[i] = scaledSign[i] * out[i] + z[zRow + i];
        }
      }
      prev = out;
    }
  }
}

/**
 * One reverse sweep: writes `dz` ([batch, T, n], time order), accumulates into `ds` ([n], zeroed
 * here) and writes `dh0` ([batch, n]).
 */
export function recurrenceBackwardImpl(
  dy: Float32Array,
  states: Float32Array,
  s: Float32Array,
  h0: Float32Array,
  mask: Float32Array,
  shape: RecurrenceShape,
  dz: Float32Array,
  ds: Float32Array,
  dh0: Float32Array,
): void {
  const { batch, steps, units: n, blockSize } = shape;
  const scale = 1 / Math.sqrt(blockSize);
  const g = new Float32Array(n);
  const work = new Float32Array(n);
  ds.fill(0);
  for (let r = 0; r < batch; r++) {
    g.fill(0);
    for (let k = steps - 1; k >= 0; k--) {
      const t = timeIndex(k, shape);
      const dyRow = (r * steps + k) * n;
      for (let i = 0; i < n; i++) {
        g[i] += dy[dyRow + i];
      }
      const dzRow = (r * steps + t) * n;
      if (mask[r * steps + t] === 0) {
        dz.fill(0, dzRow, dzRow + n);
        continue;
      }
      dz.set(g, dzRow);
      // ds += g * F(h_{k-1}): recompute F(h_{k-1}) from the saved state.
      const prevRow = k > 0 ? states.subarray(dyRow - n, dyRow) : h0.subarray(r * n, r * n + n);
      fwhtImpl(prevRow, work, 0, n, blockSize, scale);
      for (let i = 0; i < n; i++) {
        ds[i] += g[i] * work[i];
      }
      // g = F(s * g): the adjoint of diag(s) F is F diag(s), F being symmetric.
      for (let i = 0; i < n; i++) {
        g[i] *= s[i];
      }
      fwhtImpl(g, g, 0, n, blockSize, scale);
    }
    dh0.set(g, r * n);
  }
}

/** s / sqrt(b), so that a step multiplies once per element. */
function scaledSigns(s: Float32Array, blockSize: number): Float32Array {
  const scale = 1 / Math.sqrt(blockSize);
  return s.map((v) => v * scale);
}
