/** The fast Walsh-Hadamard transform of the lite runtime: an in-place radix-2 butterfly. */

/**
 * Replaces each block of `blockSize` values of `x` by its unnormalized Sylvester-Hadamard
 * transform S_b · block (natural order). `blockSize` is a power of two dividing x.length.
 */
export function fwhtBlocks(x: Float64Array, blockSize: number): void {
  for (let start = 0; start < x.length; start += blockSize) {
    for (let half = 1; half < blockSize; half *= 2) {
      for (let i = start; i < start + blockSize; i += 2 * half) {
        for (let j = i; j < i + half; j++) {
          const a = x[j];
          const b = x[j + half];
          x[j] = a + b;
          x[j + half] = a - b;
        }
      }
    }
  }
}
