/**
 * The affine map's weight gradients on typed arrays: the reference semantics of the wasm
 * `AffineWeightGrads` kernel, and its typed-array impl where our module cannot reach the heap.
 */

/** Shapes of {@link affineWeightGradsImpl}: x is [rows, inDim], dy is [rows, n]. */
export interface AffineShape {
  rows: number;
  inDim: number;
  n: number;
}

/** Writes `dk = xᵀ · dy` [inDim, n] and `db = Σ_r dy[r]` [n], accumulating row by row in float32
 * (the order the wasm kernel uses). */
export function affineWeightGradsImpl(
  x: Float32Array,
  dy: Float32Array,
  { rows, inDim, n }: AffineShape,
  dk: Float32Array,
  db: Float32Array,
): void {
  dk.fill(0);
  db.fill(0);
  for (let r = 0; r < rows; r++) {
    const dyRow = r * n;
    for (let j = 0; j < n; j++) {
      db[j] += dy[dyRow + j];
    }
    for (let i = 0; i < inDim; i++) {
      const xi = x[r * inDim + i];
      const dkRow = i * n;
      for (let j = 0; j < n; j++) {
        dk[dkRow + j] += xi * dy[dyRow + j];
      }
    }
  }
}
