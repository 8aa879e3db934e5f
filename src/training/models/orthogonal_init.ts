/**
 * A seeded orthogonal matrix for the recurrent kernels of the tfjs baselines. tfjs-layers' own
 * Orthogonal initializer runs a QR decomposition through tensor ops, which takes minutes for a
 * 128×512 LSTM kernel on the cpu backend (and needs the chained-ops registration of the tfjs union
 * package); modified Gram-Schmidt on Float64Arrays does the same job in milliseconds.
 */
import { Random } from '../random';

/** A standard normal draw (Box-Muller). */
function gaussian(random: Random): number {
  const u = 1 - random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
}

/**
 * A random [rows, cols] matrix with orthonormal rows (rows <= cols) or columns (rows >= cols),
 * row-major, as Keras's Orthogonal initializer (gain 1): the Q factor of a Gaussian matrix.
 */
export function orthogonalMatrix(rows: number, cols: number, seed: number): Float32Array {
  const random = new Random(seed);
  const n = Math.min(rows, cols);
  const m = Math.max(rows, cols);
  // n orthonormal vectors of length m, by modified Gram-Schmidt on Gaussian vectors.
  const basis: Float64Array[] = [];
  while (basis.length < n) {
    const v = Float64Array.from({ length: m }, () => gaussian(random));
    for (const q of basis) {
      let dot = 0;
      for (let i = 0; i < m; i++) dot += q[i] * v[i];
      for (let i = 0; i < m; i++) v[i] -= dot * q[i];
    }
    const norm = Math.hypot(...v);
    if (norm > 1e-6) {
      basis.push(v.map((x) => x / norm));
    }
  }
  const out = new Float32Array(rows * cols);
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < m; i++) {
      // rows <= cols: basis vectors are the rows; otherwise they are the columns.
      out[rows <= cols ? k * cols + i : i * cols + k] = basis[k][i];
    }
  }
  return out;
}
