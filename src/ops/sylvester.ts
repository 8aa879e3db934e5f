import { tensor2d, type Tensor2D } from '@tensorflow/tfjs-core';
import { resolveBlockSize } from '../common/validate';

/** Largest n accepted: n² float32 entries must stay a reasonable allocation (256 MiB). */
const MAX_SYLVESTER_SIZE = 8192;

/**
 * The dense Sylvester Hadamard matrix S_n: entry (i, j) is (-1)^popcount(i AND j), so `S_1 = [1]`
 * and `S_{2m} = [[S_m, S_m], [S_m, -S_m]]`. For tests, docs and inspection: the transform itself
 * never builds it.
 *
 * ```js
 * sylvester(4).print();  // [[1,1,1,1],[1,-1,1,-1],[1,1,-1,-1],[1,-1,-1,1]]
 * ```
 *
 * @param n A power of two from 1 to 8192.
 * @param options `normalize` (default false) divides by sqrt(n), giving an orthogonal matrix.
 */
export function sylvester(n: number, options: { normalize?: boolean } = {}): Tensor2D {
  resolveBlockSize('sylvester', n, n, 'n');
  if (n > MAX_SYLVESTER_SIZE) {
    throw new Error(`sylvester: n ${n} exceeds the largest dense size ${MAX_SYLVESTER_SIZE}`);
  }
  const magnitude = options.normalize ? 1 / Math.sqrt(n) : 1;
  const values = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      values[i * n + j] = popcountIsOdd(i & j) ? -magnitude : magnitude;
    }
  }
  return tensor2d(values, [n, n]);
}

function popcountIsOdd(v: number): boolean {
  let odd = false;
  for (let bits = v; bits !== 0; bits &= bits - 1) {
    odd = !odd;
  }
  return odd;
}
