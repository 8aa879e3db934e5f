/**
 * Weights as the tfjs weights manifest stores them: float32, or integer codes with the manifest's
 * `quantization: {dtype, scale, min}`, which `tf.loadLayersModel` decodes as
 * `float32(code · scale + min)` (tfjs-core io_utils.decodeWeights). Every coded weight is decoded
 * here the same way and compared with the values it stands for: an encoding that would not give
 * them back bit for bit is an error, never a silent loss.
 */
import type { io } from '@tensorflow/tfjs-core';

/** One weight to write: its name in the manifest, its shape and its float32 values. */
export interface WeightToWrite {
  name: string;
  shape: number[];
  values: Float32Array;
  /** Integer codes standing for `values` as `code · scale + min`, when they can. */
  coded?: { codes: Uint8Array | Uint16Array; scale: number; min: number };
}

/** The decoding of tfjs-core: `float32(code · scale + min)`, computed in float64 first. */
function decoded(code: number, scale: number, min: number): number {
  return Math.fround(code * scale + min);
}

/** Checks that `weight.coded` gives its values back exactly; throws naming the weight if not. */
function checkLossless(api: string, weight: WeightToWrite): void {
  const { codes, scale, min } = weight.coded!;
  for (let i = 0; i < codes.length; i++) {
    const back = decoded(codes[i], scale, min);
    if (!Object.is(back, weight.values[i]) && !(back === 0 && weight.values[i] === 0)) {
      throw new Error(
        `${api}: weight '${weight.name}' value ${i} (${weight.values[i]}) would load as ${back}; ` +
          'its uint8/uint16 encoding must be lossless',
      );
    }
  }
}

/** Refuses a weight holding NaN or an infinity: nothing non-finite is exported. */
export function checkFiniteWeight(api: string, name: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new Error(
        `${api}: weight '${name}' holds ${values[i]} at index ${i}; weights must be finite`,
      );
    }
  }
}

/** The manifest entries and the concatenated bytes of `weights`. */
export function encodeWeights(
  api: string,
  weights: readonly WeightToWrite[],
): { weightSpecs: io.WeightsManifestEntry[]; weightData: ArrayBuffer } {
  const parts: Uint8Array[] = [];
  const weightSpecs = weights.map((weight): io.WeightsManifestEntry => {
    checkFiniteWeight(api, weight.name, weight.values);
    const spec: io.WeightsManifestEntry = {
      name: weight.name,
      shape: weight.shape,
      dtype: 'float32',
    };
    if (weight.coded == null) {
      parts.push(
        new Uint8Array(weight.values.buffer, weight.values.byteOffset, weight.values.byteLength),
      );
      return spec;
    }
    checkLossless(api, weight);
    const { codes, scale, min } = weight.coded;
    parts.push(new Uint8Array(codes.buffer, codes.byteOffset, codes.byteLength));
    const dtype = codes instanceof Uint8Array ? 'uint8' : 'uint16';
    return { ...spec, quantization: { dtype, scale, min } };
  });
  const total = parts.reduce((sum, p) => sum + p.length, 0);
  const data = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    data.set(part, offset);
    offset += part.length;
  }
  return { weightSpecs, weightData: data.buffer };
}

/** Codes in an unsigned array just wide enough for `largest`, or null above 16 bits. */
export function codeArray(
  values: ArrayLike<number>,
  largest: number,
): Uint8Array | Uint16Array | null {
  if (largest <= 0xff) return Uint8Array.from(values);
  if (largest <= 0xffff) return Uint16Array.from(values);
  return null;
}
