/** `y = x · Q(K) + bias` with K read straight from its packed p-bit codes (never unpacked). */
import { codeAt } from './format';

/** A p-bit quantized matrix [rows, cols], as stored in a bits file. */
export interface PackedMatrix {
  codes: Uint8Array;
  rows: number;
  cols: number;
  bits: number;
  /** The quantization step: code c stands for (c - 2^(bits-1)) · scale. */
  scale: number;
}

/** Writes `x [rows] · Q(K) + bias` into `y [cols]`. Zero inputs are skipped (one-hot inputs). */
export function packedAffine(
  x: ArrayLike<number>,
  k: PackedMatrix,
  bias: Float32Array | null,
  y: Float64Array,
): void {
  const { codes, rows, cols, bits } = k;
  const offset = 2 ** (bits - 1);
  y.fill(0);
  for (let i = 0; i < rows; i++) {
    const xi = x[i];
    if (xi === 0) continue;
    const base = i * cols;
    if (bits === 4) {
      // Two codes per byte, low nibble first; a row may start and end mid-byte (odd cols).
      let j = 0;
      let k = base;
      if (k & 1) {
        y[j++] += xi * ((codes[k++ >>> 1] >>> 4) - offset);
      }
      for (; j + 1 < cols; j += 2, k += 2) {
        const byte = codes[k >>> 1];
        y[j] += xi * ((byte & 15) - offset);
        y[j + 1] += xi * ((byte >>> 4) - offset);
      }
      if (j < cols) {
        y[j] += xi * ((codes[k >>> 1] & 15) - offset);
      }
    } else {
      for (let j = 0; j < cols; j++) y[j] += xi * (codeAt(codes, base + j, bits) - offset);
    }
  }
  for (let j = 0; j < cols; j++) y[j] = y[j] * k.scale + (bias == null ? 0 : bias[j]);
}
