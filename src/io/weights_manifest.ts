/**
 * The `weightsManifest` of model.json, checked: every weight's dtype, shape and byte length, the
 * byte length each group of shards must have, and shard paths that stay inside the model folder.
 */
import type { io } from '@tensorflow/tfjs-core';
import { hasOwn } from '../common/validate';
import { describeJson, join, type JsonChecker } from './json_checker';

/** Bytes per value of each weight dtype a layers model can hold. */
export const DTYPE_BYTES: Readonly<Record<string, number>> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
};

/** Bytes per stored value of each quantization dtype of the tfjs converter. */
export const QUANTIZED_DTYPE_BYTES: Readonly<Record<string, number>> = {
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/** Highest rank accepted for a weight. */
export const MAX_WEIGHT_RANK = 16;

/** One checked manifest group: its shard paths, its weights, and the bytes they add up to. */
export interface ManifestGroup {
  paths: string[];
  weights: io.WeightsManifestEntry[];
  byteLength: number;
}

/**
 * Checks `value` as a weights manifest and returns its groups with their byte lengths.
 * @param maxBytes Largest total byte length accepted.
 */
export function checkWeightsManifest(
  check: JsonChecker,
  value: unknown,
  maxBytes: number,
): ManifestGroup[] {
  const where = 'weightsManifest';
  const names = new Set<string>();
  let total = 0;
  const groups = check.array(value, where).map((rawGroup, g) => {
    const groupWhere = join(where, g);
    const group = check.object(rawGroup, groupWhere);
    const paths = check
      .required(group, 'paths', groupWhere, (v, w) => check.array(v, w))
      .map((p, i) => checkWeightPath(check, p, join(join(groupWhere, 'paths'), i)));
    const rawWeights = check.required(group, 'weights', groupWhere, (v, w) => check.array(v, w));
    const weights = rawWeights.map((spec, i) =>
      checkWeightSpec(check, spec, join(join(groupWhere, 'weights'), i)),
    );
    let byteLength = 0;
    weights.forEach((spec, i) => {
      if (names.has(spec.name)) {
        throw check.error(
          `${join(join(groupWhere, 'weights'), i)}.name '${spec.name}' appears twice in the manifest`,
        );
      }
      names.add(spec.name);
      byteLength += weightByteLength(spec);
    });
    total += byteLength;
    if (total > maxBytes) {
      throw check.error(`the weights add up to more than the limit of ${maxBytes} bytes`);
    }
    if (paths.length === 0 && byteLength > 0) {
      throw check.error(`${groupWhere} lists weights of ${byteLength} bytes but no paths`);
    }
    return { paths, weights, byteLength };
  });
  return groups;
}

/** Bytes a weight occupies in its shard: size × bytes of its stored dtype. */
export function weightByteLength(spec: io.WeightsManifestEntry): number {
  const size = spec.shape.reduce((a, b) => a * b, 1);
  const dtype = spec.quantization?.dtype;
  return size * (dtype === undefined ? DTYPE_BYTES[spec.dtype] : QUANTIZED_DTYPE_BYTES[dtype]);
}

function checkWeightSpec(
  check: JsonChecker,
  value: unknown,
  where: string,
): io.WeightsManifestEntry {
  const spec = check.object(value, where);
  const name = check.required(spec, 'name', where, (v, w) => check.string(v, w));
  const dtype = check.required(spec, 'dtype', where, (v, w) => check.string(v, w));
  if (!hasOwn(DTYPE_BYTES, dtype)) {
    throw check.error(
      `${where}.dtype '${dtype}' is not one of ${Object.keys(DTYPE_BYTES).join(', ')}`,
    );
  }
  const shape = check.required(spec, 'shape', where, (v, w) => checkShape(check, v, w));
  const entry: io.WeightsManifestEntry = {
    name,
    shape,
    dtype: dtype as io.WeightsManifestEntry['dtype'],
  };
  const group = check.optional(spec, 'group', where, (v, w) => check.string(v, w));
  if (group !== undefined) {
    if (group !== 'model' && group !== 'optimizer') {
      throw check.error(`${where}.group '${group}' is not one of model, optimizer`);
    }
    entry.group = group;
  }
  const quantization = check.optional(spec, 'quantization', where, (v, w) =>
    checkQuantization(check, v, w, dtype),
  );
  if (quantization !== undefined) {
    entry.quantization = quantization;
  }
  return entry;
}

function checkShape(check: JsonChecker, value: unknown, where: string): number[] {
  const shape = check.array(value, where);
  if (shape.length > MAX_WEIGHT_RANK) {
    throw check.error(`${where} has rank ${shape.length}; the limit is ${MAX_WEIGHT_RANK}`);
  }
  let size = 1;
  shape.forEach((d, i) => {
    if (!(typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
      throw check.error(`${join(where, i)} must be a non-negative integer, got ${describeJson(d)}`);
    }
    size *= d;
  });
  if (!Number.isSafeInteger(size * 8)) {
    throw check.error(`${where} has ${size} elements, too many to address`);
  }
  return shape as number[];
}

type Quantization = NonNullable<io.WeightsManifestEntry['quantization']>;

function checkQuantization(
  check: JsonChecker,
  value: unknown,
  where: string,
  dtype: string,
): Quantization {
  const q = check.object(value, where);
  const qDtype = check.required(q, 'dtype', where, (v, w) => check.string(v, w));
  if (!hasOwn(QUANTIZED_DTYPE_BYTES, qDtype)) {
    throw check.error(
      `${where}.dtype '${qDtype}' is not one of ${Object.keys(QUANTIZED_DTYPE_BYTES).join(', ')}`,
    );
  }
  if (dtype !== 'float32' && dtype !== 'int32') {
    throw check.error(`${where} quantizes a ${dtype} weight; only float32 and int32 can be`);
  }
  const result: Quantization = { dtype: qDtype as Quantization['dtype'] };
  const scale = check.optional(q, 'scale', where, (v, w) => check.number(v, w));
  const min = check.optional(q, 'min', where, (v, w) => check.number(v, w));
  if (qDtype !== 'float16' && (scale === undefined || min === undefined)) {
    throw check.error(`${where} of dtype ${qDtype} needs a scale and a min`);
  }
  if (scale !== undefined) {
    result.scale = scale;
  }
  if (min !== undefined) {
    result.min = min;
  }
  return result;
}

/**
 * Checks a shard path of the manifest: a relative path below the model folder, without `..`
 * segments, drive letters, URL schemes or NUL bytes. (The handler also resolves symbolic links
 * before reading.)
 */
export function checkWeightPath(check: JsonChecker, value: unknown, where: string): string {
  const path = check.string(value, where);
  const problem = weightPathProblem(path);
  if (problem !== null) {
    throw check.error(`${where} '${path}' ${problem}`);
  }
  return path;
}

function weightPathProblem(path: string): string | null {
  if (path.includes('\0')) {
    return 'contains a NUL byte';
  }
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(path)) {
    return 'is a URL or a drive path; weight paths must be relative to the model folder';
  }
  if (path.startsWith('/') || path.startsWith('\\')) {
    return 'is absolute; weight paths must be relative to the model folder';
  }
  if (path.split(/[/\\]/).includes('..')) {
    return 'leaves the model folder';
  }
  return null;
}
