/**
 * `fwhtImpl` on typed arrays, against a naive radix-2 butterfly in float64: every log2(b) from 0 to 12
 * (so every mix of radix-8, radix-4 and radix-2 passes), in and out of place, on a sub-range.
 */
import { fwhtImpl } from '../../src/kernels/fwht_impl';
import { expectClose } from '../harness/expect';
import { randomSigns, randomValues } from '../harness/random';

/** One stage at a time, float64, each block independently. */
function naiveFwht(values: Float32Array, blockSize: number, scale: number): Float64Array {
  const out = Float64Array.from(values);
  for (let h = 1; h < blockSize; h *= 2) {
    for (let i = 0; i < out.length; i++) {
      if ((i & h) === 0) {
        const a = out[i];
        const b = out[i + h];
        out[i] = a + b;
        out[i + h] = a - b;
      }
    }
  }
  return out.map((v) => v * scale);
}

const LOG2_SIZES = Array.from({ length: 13 }, (_, k) => k);

describe('fwhtImpl', () => {
  it.each(LOG2_SIZES)('matches the naive butterfly on ±1 inputs, b = 2^%i, exactly', (log2) => {
    const blockSize = 2 ** log2;
    const src = randomSigns(3 * blockSize, 100 + log2);
    const dst = new Float32Array(src.length);
    fwhtImpl(src, dst, 0, src.length, blockSize);
    // Sums of at most 4096 terms of ±1 are exact in float32.
    expect(Array.from(dst)).toEqual(Array.from(naiveFwht(src, blockSize, 1)));
  });

  it.each(LOG2_SIZES)('scales, and leaves the source unchanged, b = 2^%i', (log2) => {
    const blockSize = 2 ** log2;
    const src = randomValues(2 * blockSize, 200 + log2);
    const before = Float32Array.from(src);
    const dst = new Float32Array(src.length);
    const scale = 1 / Math.sqrt(blockSize);
    fwhtImpl(src, dst, 0, src.length, blockSize, scale);
    expectClose(dst, naiveFwht(src, blockSize, scale), 1e-6);
    expect(src).toEqual(before);
  });

  it.each(LOG2_SIZES)('in place equals out of place, b = 2^%i', (log2) => {
    const blockSize = 2 ** log2;
    const src = randomValues(4 * blockSize, 300 + log2);
    const outOfPlace = new Float32Array(src.length);
    fwhtImpl(src, outOfPlace, 0, src.length, blockSize, 0.5);
    const inPlace = Float32Array.from(src);
    fwhtImpl(inPlace, inPlace, 0, inPlace.length, blockSize, 0.5);
    expect(inPlace).toEqual(outOfPlace);
  });

  it('writes only dst[start, start + length)', () => {
    const blockSize = 64;
    const src = randomValues(5 * blockSize, 400);
    const dst = new Float32Array(src.length).fill(7);
    const start = blockSize;
    const length = 3 * blockSize;
    fwhtImpl(src, dst, start, length, blockSize);
    const expected = naiveFwht(src.subarray(start, start + length), blockSize, 1);
    expectClose(dst.subarray(start, start + length), expected, 1e-6);
    expect(Array.from(dst.subarray(0, start)).every((v) => v === 7)).toBe(true);
    expect(Array.from(dst.subarray(start + length)).every((v) => v === 7)).toBe(true);
  });
});
