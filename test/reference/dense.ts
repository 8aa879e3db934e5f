/**
 * Independent float64 references: dense matrices built from the recursive Sylvester definition and
 * naive loops, sharing no code with the package.
 */

/** S_n from S_1 = [1], S_2m = [[S_m, S_m], [S_m, -S_m]], row-major float64. */
export function denseSylvester(n: number): Float64Array {
  let m = 1;
  let s = Float64Array.of(1);
  while (m < n) {
    const next = new Float64Array(4 * m * m);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        const v = s[i * m + j];
        next[i * 2 * m + j] = v;
        next[i * 2 * m + j + m] = v;
        next[(i + m) * 2 * m + j] = v;
        next[(i + m) * 2 * m + j + m] = -v;
      }
    }
    s = next;
    m *= 2;
  }
  return s;
}

/** The dense n x n matrix (I_{n/b} ⊗ S_b) * scale. */
export function denseBlockHadamard(n: number, blockSize: number, scale: number): Float64Array {
  const sb = denseSylvester(blockSize);
  const out = new Float64Array(n * n);
  for (let q = 0; q < n / blockSize; q++) {
    for (let i = 0; i < blockSize; i++) {
      for (let j = 0; j < blockSize; j++) {
        out[(q * blockSize + i) * n + q * blockSize + j] = sb[i * blockSize + j] * scale;
      }
    }
  }
  return out;
}

/** y = M x for each row x of `rows` (row-major [count, n]). */
export function applyRows(matrix: Float64Array, rows: ArrayLike<number>, n: number): Float64Array {
  const count = rows.length / n;
  const out = new Float64Array(rows.length);
  for (let r = 0; r < count; r++) {
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let j = 0; j < n; j++) {
        acc += matrix[i * n + j] * rows[r * n + j];
      }
      out[r * n + i] = acc;
    }
  }
  return out;
}

/**
 * The transform of every row by (I_{n/b} ⊗ S_b) * scale: the dense S_b applied to each block of b
 * values (the Kronecker structure itself, not a fast algorithm).
 */
export function referenceTransform(
  x: ArrayLike<number>,
  blockSize: number,
  normalize: boolean,
): Float64Array {
  const scale = normalize ? 1 / Math.sqrt(blockSize) : 1;
  const sb = denseSylvester(blockSize).map((v) => v * scale);
  const blocks = Float64Array.from(x as ArrayLike<number>);
  return applyRows(sb, blocks, blockSize);
}

/** Shape and options of a reference recurrence. */
export interface ReferenceRecurrenceShape {
  batch: number;
  steps: number;
  units: number;
  blockSize: number;
  goBackwards: boolean;
}

/** The dense recurrent matrix W = diag(s) (I ⊗ S_b) / sqrt(b). */
export function denseRecurrentMatrix(
  s: ArrayLike<number>,
  n: number,
  blockSize: number,
): Float64Array {
  const w = denseBlockHadamard(n, blockSize, 1 / Math.sqrt(blockSize));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      w[i * n + j] *= s[i];
    }
  }
  return w;
}

/** States [batch, T, n] (processing order) of h_k = W h_{k-1} + z_t, masked steps carried. */
export function referenceRecurrence(
  z: ArrayLike<number>,
  s: ArrayLike<number>,
  h0: ArrayLike<number>,
  mask: ArrayLike<number> | null,
  shape: ReferenceRecurrenceShape,
): Float64Array {
  const { batch, steps, units: n, blockSize, goBackwards } = shape;
  const w = denseRecurrentMatrix(s, n, blockSize);
  const states = new Float64Array(batch * steps * n);
  for (let r = 0; r < batch; r++) {
    let h: Float64Array<ArrayBufferLike> = Float64Array.from(
      { length: n },
      (_, i) => h0[r * n + i],
    );
    for (let k = 0; k < steps; k++) {
      const t = goBackwards ? steps - 1 - k : k;
      if (mask === null || mask[r * steps + t] !== 0) {
        const next = applyRows(w, h, n);
        for (let i = 0; i < n; i++) {
          next[i] += z[(r * steps + t) * n + i];
        }
        h = next;
      }
      states.set(h, (r * steps + k) * n);
    }
  }
  return states;
}

/**
 * Gradients of L = sum(dy ⊙ states) with respect to z, s and h0, by reverse-mode differentiation
 * through the dense matrices: g_{k-1} = W^T g_k, ds_i = sum_k g_k,i (H h_{k-1})_i / sqrt(b).
 */
export function referenceRecurrenceGrad(
  dy: ArrayLike<number>,
  z: ArrayLike<number>,
  s: ArrayLike<number>,
  h0: ArrayLike<number>,
  mask: ArrayLike<number> | null,
  shape: ReferenceRecurrenceShape,
): { dz: Float64Array; ds: Float64Array; dh0: Float64Array } {
  const { batch, steps, units: n, blockSize, goBackwards } = shape;
  const states = referenceRecurrence(z, s, h0, mask, shape);
  const w = denseRecurrentMatrix(s, n, blockSize);
  const wT = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      wT[j * n + i] = w[i * n + j];
    }
  }
  const h = denseBlockHadamard(n, blockSize, 1 / Math.sqrt(blockSize));
  const dz = new Float64Array(batch * steps * n);
  const ds = new Float64Array(n);
  const dh0 = new Float64Array(batch * n);
  for (let r = 0; r < batch; r++) {
    let g = new Float64Array(n) as Float64Array<ArrayBufferLike>;
    for (let k = steps - 1; k >= 0; k--) {
      const t = goBackwards ? steps - 1 - k : k;
      for (let i = 0; i < n; i++) {
        g[i] += dy[(r * steps + k) * n + i];
      }
      if (mask !== null && mask[r * steps + t] === 0) {
        continue;
      }
      dz.set(g, (r * steps + t) * n);
      const prev =
        k > 0
          ? states.subarray((r * steps + k - 1) * n, (r * steps + k) * n)
          : Float64Array.from({ length: n }, (_, i) => h0[r * n + i]);
      const hPrev = applyRows(h, prev, n);
      for (let i = 0; i < n; i++) {
        ds[i] += g[i] * hPrev[i];
      }
      g = applyRows(wT, g, n);
    }
    dh0.set(g, r * n);
  }
  return { dz, ds, dh0 };
}

/** The affine map's weight gradients: `xᵀ · dy` [inDim, n] and the column sums of dy [n], for
 * x [rows, inDim] and dy [rows, n] (row-major). */
export function referenceAffineWeightGrads(
  x: ArrayLike<number>,
  dy: ArrayLike<number>,
  rows: number,
  inDim: number,
  n: number,
): { dk: Float64Array; db: Float64Array } {
  const dk = new Float64Array(inDim * n);
  const db = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < n; j++) {
      db[j] += dy[r * n + j];
      for (let i = 0; i < inDim; i++) {
        dk[i * n + j] += x[r * inDim + i] * dy[r * n + j];
      }
    }
  }
  return { dk, db };
}

/** The affine map's input gradient: `dy · kernelᵀ` [rows, inDim], for dy [rows, n] and kernel
 * [inDim, n] (row-major). */
export function referenceAffineInputGrad(
  dy: ArrayLike<number>,
  kernel: ArrayLike<number>,
  rows: number,
  inDim: number,
  n: number,
): Float64Array {
  const dx = new Float64Array(rows * inDim);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < inDim; i++) {
      let acc = 0;
      for (let j = 0; j < n; j++) {
        acc += dy[r * n + j] * kernel[i * n + j];
      }
      dx[r * inDim + i] = acc;
    }
  }
  return dx;
}
