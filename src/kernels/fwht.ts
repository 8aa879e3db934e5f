/**
 * The scalar Walsh-Hadamard butterfly, written once for every JavaScript path (the cpu kernels and the
 * wasm backend's fallback when our module cannot run).
 *
 * Natural (Sylvester) order: stage `h` replaces every pair (x[i], x[i + h]) by (x[i] + x[i + h],
 * x[i] - x[i + h]). Stages commute, so they are grouped three at a time into radix-8 passes (then one
 * radix-4 or radix-2 pass for the rest): each value is loaded and stored ceil(log2(b) / 3) times.
 * The first pass reads the source and writes the destination, so an out-of-place transform costs
 * no separate copy, and the last pass applies the scale, so normalizing costs no separate pass.
 */

/**
 * Writes to `dst[start, start + length)` the transform of every contiguous block of `blockSize`
 * values of `src[start, start + length)`, times `scale`. `src` may be `dst` (in place).
 * `blockSize` must be a power of two dividing `length`: callers validate.
 */
export function fwht(
  src: Float32Array,
  dst: Float32Array,
  start: number,
  length: number,
  blockSize: number,
  scale = 1,
): void {
  const end = start + length;
  let from = src;
  let stagesLeft = Math.log2(blockSize);
  let h = 1;
  for (; stagesLeft >= 3; stagesLeft -= 3, h *= 8) {
    radix8Pass(from, dst, start, end, h, stagesLeft === 3 ? scale : 1);
    from = dst;
  }
  if (stagesLeft === 2) {
    radix4Pass(from, dst, start, end, h, scale);
  } else if (stagesLeft === 1) {
    radix2Pass(from, dst, start, end, h, scale);
  } else if (blockSize === 1 && (src !== dst || scale !== 1)) {
    for (let i = start; i < end; i++) {
      dst[i] = src[i] * scale;
    }
  }
}

/** Stages h, 2h and 4h at once. Runs of eight contiguous values (h = 1) skip the inner loop. */
function radix8Pass(
  src: Float32Array,
  dst: Float32Array,
  start: number,
  end: number,
  h: number,
  scale: number,
): void {
  if (h === 1) {
    for (let i = start; i < end; i += 8) {
      butterfly8(src, dst, i, 1, scale);
    }
    return;
  }
  for (let group = start; group < end; group += 8 * h) {
    for (let i = group; i < group + h; i++) {
      butterfly8(src, dst, i, h, scale);
    }
  }
}

function radix4Pass(
  src: Float32Array,
  dst: Float32Array,
  start: number,
  end: number,
  h: number,
  scale: number,
): void {
  for (let group = start; group < end; group += 4 * h) {
    for (let i = group; i < group + h; i++) {
      butterfly4(src, dst, i, h, scale);
    }
  }
}

function radix2Pass(
  src: Float32Array,
  dst: Float32Array,
  start: number,
  end: number,
  h: number,
  scale: number,
): void {
  for (let group = start; group < end; group += 2 * h) {
    for (let i = group; i < group + h; i++) {
      const a = src[i];
      const b = src[i + h];
      dst[i] = (a + b) * scale;
      dst[i + h] = (a - b) * scale;
    }
  }
}

/** Three stages on the eight values i, i + h, ..., i + 7h. Small enough for V8 to inline. */
function butterfly8(
  src: Float32Array,
  dst: Float32Array,
  i: number,
  h: number,
  scale: number,
): void {
  const a0 = src[i];
  const a1 = src[i + h];
  const a2 = src[i + 2 * h];
  const a3 = src[i + 3 * h];
  const a4 = src[i + 4 * h];
  const a5 = src[i + 5 * h];
  const a6 = src[i + 6 * h];
  const a7 = src[i + 7 * h];
  const b0 = a0 + a1;
  const b1 = a0 - a1;
  const b2 = a2 + a3;
  const b3 = a2 - a3;
  const b4 = a4 + a5;
  const b5 = a4 - a5;
  const b6 = a6 + a7;
  const b7 = a6 - a7;
  const c0 = b0 + b2;
  const c1 = b1 + b3;
  const c2 = b0 - b2;
  const c3 = b1 - b3;
  const c4 = b4 + b6;
  const c5 = b5 + b7;
  const c6 = b4 - b6;
  const c7 = b5 - b7;
  dst[i] = (c0 + c4) * scale;
  dst[i + h] = (c1 + c5) * scale;
  dst[i + 2 * h] = (c2 + c6) * scale;
  dst[i + 3 * h] = (c3 + c7) * scale;
  dst[i + 4 * h] = (c0 - c4) * scale;
  dst[i + 5 * h] = (c1 - c5) * scale;
  dst[i + 6 * h] = (c2 - c6) * scale;
  dst[i + 7 * h] = (c3 - c7) * scale;
}

/** Two stages on the four values i, i + h, i + 2h, i + 3h. */
function butterfly4(
  src: Float32Array,
  dst: Float32Array,
  i: number,
  h: number,
  scale: number,
): void {
  const a0 = src[i];
  const a1 = src[i + h];
  const a2 = src[i + 2 * h];
  const a3 = src[i + 3 * h];
  const b0 = a0 + a1;
  const b1 = a0 - a1;
  const b2 = a2 + a3;
  const b3 = a2 - a3;
  dst[i] = (b0 + b2) * scale;
  dst[i + h] = (b1 + b3) * scale;
  dst[i + 2 * h] = (b0 - b2) * scale;
  dst[i + 3 * h] = (b1 - b3) * scale;
}
