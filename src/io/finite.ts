/**
 * Finding non-finite values (NaN, ±Infinity) in encoded weights, so that nothing non-finite is
 * saved or loaded without the caller asking for it: one NaN weight turns every later output, and
 * after one optimizer step every weight, into NaN.
 */
import type { io } from '@tensorflow/tfjs-core';
import { weightByteLength } from './weights_manifest';

/**
 * The first weight of `specs` whose float32 values in `data` (the weights' bytes, in the order of
 * `specs`) include NaN or ±Infinity, described as
 * `'dense/kernel' holds 3 NaN and 1 Infinity among its 12 values`; null when all are finite.
 * Quantized weights (stored as integers) are always finite and skipped.
 */
export function nonFiniteWeight(
  specs: readonly io.WeightsManifestEntry[],
  data: ArrayBuffer | Uint8Array,
): string | null {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  let offset = 0;
  for (const spec of specs) {
    const length = weightByteLength(spec);
    if (spec.dtype === 'float32' && spec.quantization == null) {
      const values = new Float32Array(
        bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + length),
      );
      const problem = countNonFinite(values);
      if (problem !== null) {
        return `'${spec.name}' holds ${problem} among its ${values.length} values`;
      }
    }
    offset += length;
  }
  return null;
}

/** '2 NaN and 1 Infinity' for the non-finite values of `values`, or null when all are finite. */
export function countNonFinite(values: ArrayLike<number>): string | null {
  let nan = 0;
  let infinite = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v - v !== 0) {
      if (Number.isNaN(v)) {
        nan++;
      } else {
        infinite++;
      }
    }
  }
  if (nan === 0 && infinite === 0) {
    return null;
  }
  return [nan > 0 ? `${nan} NaN` : '', infinite > 0 ? `${infinite} Infinity` : '']
    .filter((s) => s !== '')
    .join(' and ');
}
