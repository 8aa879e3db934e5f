/** Float64 references of the quantizers, written from the paper's formulas. */

/** Q_p(M) = clamp(round(M · 2^(p-1) / alpha), -2^(p-1), 2^(p-1) - 1) · alpha / 2^(p-1), alpha = max|M|. */
export function referenceUniform(values: ArrayLike<number>, bits: number): Float64Array {
  let alpha = 0;
  for (let i = 0; i < values.length; i++) {
    alpha = Math.max(alpha, Math.abs(values[i]));
  }
  const levels = 2 ** (bits - 1);
  return Float64Array.from(values as ArrayLike<number>, (v) => {
    if (alpha === 0) {
      return 0;
    }
    // tfjs rounds half to even, like numpy; so does this reference.
    const scaled = (v * levels) / alpha;
    const q = Math.min(levels - 1, Math.max(-levels, roundHalfEven(scaled)));
    return (q * alpha) / levels;
  });
}

/** sign with sign(0) = +1. */
export function referenceSign(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values as ArrayLike<number>, (v) => (v >= 0 ? 1 : -1));
}

function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
