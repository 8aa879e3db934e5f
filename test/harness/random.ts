/** Seeded pseudo-random data, so every failure reproduces. */

/** mulberry32: a small, well-mixed 32-bit generator. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `size` values uniform in [-1, 1), with exact zeros sprinkled in (about one in 16). */
export function randomValues(size: number, seed: number): Float32Array {
  const next = seededRandom(seed);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const u = next();
    values[i] = u < 1 / 16 ? 0 : 2 * next() - 1;
  }
  return values;
}

/** `size` signs in {-1, +1}. */
export function randomSigns(size: number, seed: number): Float32Array {
  const next = seededRandom(seed);
  return Float32Array.from({ length: size }, () => (next() < 0.5 ? -1 : 1));
}
