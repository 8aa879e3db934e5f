/**
 * The jest `expect` matchers our suites use, for the browser page (jest's own `expect` pulls in
 * Node modules). A matcher not listed here throws, naming itself, so a suite that starts using one
 * fails loudly instead of passing vacuously: add it to MATCHERS.
 */

type Matcher = (actual: unknown, ...expected: unknown[]) => { pass: boolean; message: string };

const show = (value: unknown): string => {
  if (typeof value === 'number' || typeof value === 'bigint') {
    return String(value);
  }
  if (ArrayBuffer.isView(value)) {
    return `${value.constructor.name} [${Array.from(value as unknown as ArrayLike<number>)
      .slice(0, 20)
      .join(', ')}]`;
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
};

/** jest's recursive equality: NaN equals NaN, undefined object fields are ignored. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) {
    return true;
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return false;
  }
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b) || Array.isArray(a) || Array.isArray(b)) {
    if (Array.isArray(a) !== Array.isArray(b)) {
      return false;
    }
    if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b) && a.constructor !== b.constructor) {
      return false;
    }
    const x = a as ArrayLike<unknown>;
    const y = b as ArrayLike<unknown>;
    return x.length === y.length && Array.from(x).every((v, i) => deepEqual(v, y[i]));
  }
  const keys = (o: object) =>
    Object.keys(o).filter((k) => (o as Record<string, unknown>)[k] !== undefined);
  const ka = keys(a);
  const kb = keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

function thrown(actual: unknown): { threw: boolean; error: unknown } {
  if (typeof actual !== 'function') {
    return { threw: true, error: actual }; // from .rejects: the rejection reason
  }
  try {
    (actual as () => unknown)();
    return { threw: false, error: undefined };
  } catch (error) {
    return { threw: true, error };
  }
}

const compare =
  (name: string, test: (a: number, b: number) => boolean): Matcher =>
  (actual, expected) => ({
    pass: test(actual as number, expected as number),
    message: `expected ${show(actual)} ${name} ${show(expected)}`,
  });

const MATCHERS: Record<string, Matcher> = {
  toBe: (a, e) => ({ pass: Object.is(a, e), message: `expected ${show(a)} to be ${show(e)}` }),
  toEqual: (a, e) => ({
    pass: deepEqual(a, e),
    message: `expected ${show(a)} to equal ${show(e)}`,
  }),
  toStrictEqual: (a, e) => MATCHERS.toEqual(a, e),
  toBeLessThan: compare('<', (a, b) => a < b),
  toBeLessThanOrEqual: compare('<=', (a, b) => a <= b),
  toBeGreaterThan: compare('>', (a, b) => a > b),
  toBeGreaterThanOrEqual: compare('>=', (a, b) => a >= b),
  toBeCloseTo: (a, e, digits = 2) => ({
    pass: Math.abs((a as number) - (e as number)) < 10 ** -(digits as number) / 2,
    message: `expected ${show(a)} to be close to ${show(e)} (${digits} digits)`,
  }),
  toBeNaN: (a) => ({ pass: Number.isNaN(a), message: `expected ${show(a)} to be NaN` }),
  toBeNull: (a) => ({ pass: a === null, message: `expected ${show(a)} to be null` }),
  toBeUndefined: (a) => ({ pass: a === undefined, message: `expected ${show(a)} to be undefined` }),
  toBeDefined: (a) => ({ pass: a !== undefined, message: `expected a defined value` }),
  toBeTruthy: (a) => ({ pass: !!a, message: `expected ${show(a)} to be truthy` }),
  toBeFalsy: (a) => ({ pass: !a, message: `expected ${show(a)} to be falsy` }),
  toHaveLength: (a, n) => ({
    pass: (a as { length: number }).length === n,
    message: `expected length ${(a as { length: number }).length} to be ${show(n)}`,
  }),
  toContain: (a, item) => ({
    pass: (a as { includes(v: unknown): boolean }).includes(item),
    message: `expected ${show(a)} to contain ${show(item)}`,
  }),
  toMatch: (a, pattern) => ({
    pass:
      typeof a === 'string' &&
      (pattern instanceof RegExp ? pattern.test(a) : a.includes(pattern as string)),
    message: `expected ${show(a)} to match ${String(pattern)}`,
  }),
  toBeInstanceOf: (a, type) => ({
    pass: a instanceof (type as new (...args: never[]) => unknown),
    message: `expected an instance of ${(type as { name: string }).name}`,
  }),
  toThrow: (a, pattern) => {
    const { threw, error } = thrown(a);
    const message = error instanceof Error ? error.message : String(error);
    const matches =
      pattern == null ||
      (pattern instanceof RegExp
        ? pattern.test(message)
        : typeof pattern === 'string'
          ? message.includes(pattern)
          : typeof pattern === 'function'
            ? error instanceof (pattern as new () => unknown)
            : false);
    return {
      pass: threw && matches,
      message: threw
        ? `expected the error ${show(message)} to match ${String(pattern)}`
        : 'expected the function to throw',
    };
  },
};
MATCHERS.toThrowError = MATCHERS.toThrow;

type Assertions = Record<string, (...expected: unknown[]) => unknown>;

function assertions(actual: unknown, negate: boolean, mode: 'sync' | 'resolves' | 'rejects') {
  return new Proxy({} as Assertions, {
    get(_, name: string) {
      if (name === 'not') {
        return assertions(actual, !negate, mode);
      }
      if (name === 'resolves' || name === 'rejects') {
        return assertions(actual, negate, name);
      }
      const matcher = MATCHERS[name];
      if (matcher == null) {
        throw new Error(
          `browser expect: matcher '${name}' is not implemented (test/browser/page/expect.ts)`,
        );
      }
      return (...expected: unknown[]) => {
        const check = (value: unknown) => {
          const { pass, message } = matcher(value, ...expected);
          if (pass === negate) {
            throw new Error(negate ? `not: ${message}` : message);
          }
        };
        if (mode === 'sync') {
          return check(actual);
        }
        return (actual as Promise<unknown>).then(
          (value) => {
            if (mode === 'rejects') {
              throw new Error(`expected a rejection, got ${show(value)}`);
            }
            check(value);
          },
          (error: unknown) => {
            if (mode === 'resolves') {
              throw error;
            }
            check(error);
          },
        );
      };
    },
  });
}

/** `expect(actual).matcher(...)`, with `.not`, `.resolves` and `.rejects`. */
export function expect(actual: unknown): Assertions & Record<string, Assertions> {
  return assertions(actual, false, 'sync') as Assertions & Record<string, Assertions>;
}
