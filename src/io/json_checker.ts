/**
 * Type checks for values read from an untrusted JSON file. Every failure is one line naming the
 * API, the file, where in the file the value sits, what was found and what was expected:
 * `fileSystem: /models/a/model.json: weightsManifest[0].paths must be an array, got 'x.bin'`.
 */
import { describeValue, hasOwn } from '../common/validate';

/** A plain JSON object (never an array or null). */
export type JsonObject = Record<string, unknown>;

/** Checks the values of one file, and builds that file's error messages. */
export class JsonChecker {
  /**
   * @param api The API reading the file, first in every message (e.g. 'fileSystem').
   * @param file The file being read, second in every message.
   */
  constructor(
    readonly api: string,
    readonly file: string,
  ) {}

  /** An Error saying `problem` about this file. */
  error(problem: string): Error {
    return new Error(`${this.api}: ${this.file}: ${problem}`);
  }

  /** `value` as an object, or throws. */
  object(value: unknown, where: string): JsonObject {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw this.error(`${where} must be an object, got ${describeJson(value)}`);
    }
    return value as JsonObject;
  }

  /** `value` as an array, or throws. */
  array(value: unknown, where: string): unknown[] {
    if (!Array.isArray(value)) {
      throw this.error(`${where} must be an array, got ${describeJson(value)}`);
    }
    return value;
  }

  /** `value` as a non-empty string, or throws. */
  string(value: unknown, where: string): string {
    if (typeof value !== 'string' || value.length === 0) {
      throw this.error(`${where} must be a non-empty string, got ${describeJson(value)}`);
    }
    return value;
  }

  /** `value` as a finite number, or throws. */
  number(value: unknown, where: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw this.error(`${where} must be a finite number, got ${describeJson(value)}`);
    }
    return value;
  }

  /** `object[key]` when present (not undefined), checked by `check`; undefined otherwise. */
  optional<T>(
    object: JsonObject,
    key: string,
    where: string,
    check: (value: unknown, where: string) => T,
  ): T | undefined {
    const value = hasOwn(object, key) ? object[key] : undefined;
    return value === undefined ? undefined : check(value, join(where, key));
  }

  /** `object[key]`, checked by `check`, or throws when it is missing. */
  required<T>(
    object: JsonObject,
    key: string,
    where: string,
    check: (value: unknown, where: string) => T,
  ): T {
    const value = this.optional(object, key, where, check);
    if (value === undefined) {
      throw this.error(`${join(where, key)} is missing`);
    }
    return value;
  }
}

/** `where.key`, or `key` at the top level. */
export function join(where: string, key: string | number): string {
  if (typeof key === 'number') {
    return `${where}[${key}]`;
  }
  return where === '' ? key : `${where}.${key}`;
}

/** describeValue, plus null and booleans spelled as JSON spells them. */
export function describeJson(value: unknown): string {
  return value === null ? 'null' : describeValue(value);
}
