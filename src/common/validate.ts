/**
 * Argument checks shared by every level (ops, quantizers, constraints, initializers, layers, io,
 * cli). Each message names the API, the argument, the value
 * received and the rule it broke, and is built only when the check fails.
 */
import { Tensor, cast, tensor, util, type TensorLike } from '@tensorflow/tfjs-core';

/** True for 1, 2, 4, 8, ... (integers only). */
export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && Number.isInteger(Math.log2(n));
}

/** Formats a shape the way tfjs prints them: `[2,3]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/**
 * Returns `x` as a float32 tensor. Plain arrays become float32 tensors; int32 tensors are cast
 * (exact up to 2^24); bool, complex64 and string tensors are rejected.
 */
export function toFloatTensor(x: Tensor | TensorLike, argName: string, api: string): Tensor {
  if (!(x instanceof Tensor)) {
    util.assert(
      x != null && typeof x !== 'string',
      () => `${api}: ${argName} must be a Tensor or a numeric array, got ${describeValue(x)}`,
    );
    return tensor(x, undefined, 'float32');
  }
  if (x.dtype === 'int32') {
    return cast(x, 'float32');
  }
  util.assert(
    x.dtype === 'float32',
    () => `${api}: ${argName} has dtype ${x.dtype}; expected float32 (int32 is cast to float32)`,
  );
  return x;
}

/**
 * Checks the transform length `n` and the block size (default `n`) and returns the block size.
 * `what` names n in messages, e.g. 'last dimension' or 'units'.
 */
export function resolveBlockSize(
  api: string,
  n: number,
  blockSize: number | undefined,
  what = 'last dimension',
): number {
  util.assert(isPowerOfTwo(n), () => `${api}: ${what} ${n} is not a power of two`);
  const b = blockSize ?? n;
  util.assert(isPowerOfTwo(b), () => `${api}: blockSize ${describeValue(b)} is not a power of two`);
  util.assert(n % b === 0, () => `${api}: blockSize ${b} does not divide the ${what} ${n}`);
  return b;
}

/** Checks that `value` is a boolean option. */
export function checkBoolean(api: string, name: string, value: unknown): boolean {
  util.assert(
    typeof value === 'boolean',
    () => `${api}: ${name} must be a boolean, got ${describeValue(value)}`,
  );
  return value as boolean;
}

/** Checks that `actual` equals `expected`, naming the argument. */
export function checkShape(
  api: string,
  argName: string,
  actual: readonly number[],
  expected: readonly number[],
): void {
  util.assert(
    util.arraysEqual(actual as number[], expected as number[]),
    () => `${api}: ${argName} must have shape ${formatShape(expected)}, got ${formatShape(actual)}`,
  );
}

/**
 * Checks that `value` is an integer from 1 to `max` (default unbounded), naming `name`.
 */
export function checkPositiveInteger(
  api: string,
  name: string,
  value: unknown,
  max = Infinity,
): number {
  if (!(typeof value === 'number' && Number.isInteger(value) && value >= 1)) {
    throw new Error(`${api}: ${name} must be a positive integer, got ${describeValue(value)}`);
  }
  if (value > max) {
    throw new Error(`${api}: ${name} ${value} exceeds the largest supported ${max}`);
  }
  return value;
}

/** Whether `key` is an own property of `object` (not inherited, as `toString` or `__proto__` are). */
export function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/** A short, safe rendering of any value for an error message. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    return `'${value.length > 40 ? `${value.slice(0, 40)}...` : value}'`;
  }
  if (Array.isArray(value)) {
    return `an array of length ${value.length}`;
  }
  if (value !== null && typeof value === 'object') {
    return 'an object';
  }
  return String(value);
}
