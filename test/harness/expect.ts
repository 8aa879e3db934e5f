/** Assertions for jest: closeness with an explicit tolerance, and leak checks. */
import * as tf from '@tensorflow/tfjs-core';

type Numbers = ArrayLike<number>;

/**
 * Expects |actual - expected| <= tolerance * max(1, max|expected|) elementwise: a tolerance relative
 * to the scale of the result, so sums with cancellation are judged by the size of their terms.
 */
export function expectClose(actual: Numbers, expected: Numbers, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  let scale = 1;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  let worst = 0;
  let worstIndex = -1;
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i] - expected[i]);
    if (!(error <= worst)) {
      worst = error;
      worstIndex = i;
    }
  }
  if (!(worst <= tolerance * scale)) {
    throw new Error(
      `arrays differ at index ${worstIndex}: actual ${actual[worstIndex]}, expected ` +
        `${expected[worstIndex]} (error ${worst} > tolerance ${tolerance} x scale ${scale})`,
    );
  }
}

/** Reads a tensor's values synchronously as float64 numbers. */
export function valuesOf(t: tf.Tensor): Float64Array {
  return Float64Array.from(t.dataSync() as Float32Array);
}

/** Runs `f` and expects it to leave as many tensors (and bytes) alive as before. */
export async function expectNoLeaks<T>(f: () => T | Promise<T>): Promise<T> {
  const before = tf.memory();
  const result = await f();
  const after = tf.memory();
  expect(after.numTensors).toBe(before.numTensors);
  expect(after.numBytes).toBe(before.numBytes);
  return result;
}
