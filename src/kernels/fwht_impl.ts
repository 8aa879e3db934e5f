/**
 * The scalar Walsh-Hadamard butterfly on typed arrays, written once for every JavaScript path: the
 * typed-array impl that the cpu and wasm kernels run where our WebAssembly module cannot.
 *
 * Natural (Sylvester) order: stage `h` replaces every pair (x[i], x[i + h]) by (x[i] + x[i + h],
 * x[i] - x[i + h]). Stages commute, so they are grouped three at a time into radix-8 passes (then one
 * radix-4 or radix-2 pass for the rest): each value is loaded and stored ceil(log2(b) / 3) times,
 * and the last pass applies the scale, so normalizing costs no separate pass.
 *
 * Out of place, the source is first copied with `TypedArray.set` (a memcpy, about 0.1 ns per value
 * on the bench machine) and every pass then runs in place on one array, so one butterfly signature
 * serves every pass and V8 bounds-checks each index once for its load and store together. That
 * measured as fast as an out-of-place first pass (within noise, n = 64 to 4096, batch 64).
 */

/**
 * Writes to `dst[start, start + length)` the transform of every contiguous block of `blockSize`
 * values of `src[start, start + length)`, times `scale`. `src` may be `dst` (in place).
 * `blockSize` must be a power of two dividing `length`: callers validate.
 */
export function fwhtImpl(
  src: Float32Array,
  dst: Float32Array,
  start: number,
  length: number,
  blockSize: number,
  scale = 1,
): void {
  const end = start + length;
  if (src !== dst) {
    dst.set(src.subarray(start, end), start);
  }
  let stagesLeft = Math.log2(blockSize);
  let h = 1;
  for (; stagesLeft >= 3; stagesLeft -= 3, h *= 8) {
    radix8Pass(dst, start, end, h, stagesLeft === 3 ? scale : 1);
  }
  if (stagesLeft === 2) {
    radix4Pass(dst, start, end, h, scale);
  } else if (stagesLeft === 1) {
    radix2Pass(dst, start, end, h, scale);
  } else if (blockSize === 1 && scale !== 1) {
    for (let i = start; i < end; i++) {
      dst[i] *= scale;
    }
  }
}

/** Stages h, 2h and 4h at once. Runs of eight contiguous values (h = 1) skip the inner loop. */
function radix8Pass(x: Float32Array, start: number, end: number, h: number, scale: number): void {
  if (h === 1) {
    for (let i = start; i < end; i += 8) {
      butterfly8(x, i, 1, scale);
    }
    return;
  }
  for (let group = start; group < end; group += 8 * h) {
    for (let i = group; i < group + h; i++) {
      butterfly8(x, i, h, scale);
    }
  }
}

function radix4Pass(x: Float32Array, start: number, end: number, h: number, scale: number): void {
  for (let group = start; group < end; group += 4 * h) {
    for (let i = group; i < group + h; i++) {
      butterfly4(x, i, h, scale);
    }
  }
}

function radix2Pass(x: Float32Array, start: number, end: number, h: number, scale: number): void {
  for (let group = start; group < end; group += 2 * h) {
    for (let i = group; i < group + h; i++) {
      const a = x[i];
      const b = x[i + h];
      x[i] = (a + b) * scale;
      x[i + h] = (a - b) * scale;
    }
  }
}

/**
 * Three stages on the eight values i, i + h, ..., i + 7h, in place. Small enough for V8 to inline;
 * the indices are named once so that each store reuses its load's bounds check.
 */
function butterfly8(x: Float32Array, i: number, h: number, scale: number): void {
  const i1 = i + h;
  const i2 = i1 + h;
  const i3 = i2 + h;
  const i4 = i3 + h;
  const i5 = i4 + h;
  const i6 = i5 + h;
  const i7 = i6 + h;
  const a0 = x[i];
  const a1 = x[i1];
  const a2 = x[i2];
  const a3 = x[i3];
  const a4 = x[i4];
  const a5 = x[i5];
  const a6 = x[i6];
  const a7 = x[i7];
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
  x[i] = (c0 + c4) * scale;
  x[i1] = (c1 + c5) * scale;
  x[i2] = (c2 + c6) * scale;
  x[i3] = (c3 + c7) * scale;
  x[i4] = (c0 - c4) * scale;
  x[i5] = (c1 - c5) * scale;
  x[i6] = (c2 - c6) * scale;
  x[i7] = (c3 - c7) * scale;
}

/** Two stages on the four values i, i + h, i + 2h, i + 3h, in place. */
function butterfly4(x: Float32Array, i: number, h: number, scale: number): void {
  const i1 = i + h;
  const i2 = i1 + h;
  const i3 = i2 + h;
  const a0 = x[i];
  const a1 = x[i1];
  const a2 = x[i2];
  const a3 = x[i3];
  const b0 = a0 + a1;
  const b1 = a0 - a1;
  const b2 = a2 + a3;
  const b3 = a2 - a3;
  x[i] = (b0 + b2) * scale;
  x[i1] = (b1 + b3) * scale;
  x[i2] = (b0 - b2) * scale;
  x[i3] = (b1 - b3) * scale;
}
