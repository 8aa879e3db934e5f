/**
 * Strict arguments: tfjs passes every key of a config to the constructor and silently ignores the
 * ones it does not know, so a misspelt option (`retrunSequences`) or a tampered model.json would
 * build something else. Our constructors reject unknown keys instead, naming them and the closest
 * known key (as Keras does for unknown kwargs), whether the args come from code or from fromConfig.
 * Layers add tfjs's generic layer keys (layers/config_keys.ts).
 */
import { hasOwn } from './validate';

/** Keys an object may not take, each with the reason, checked before the unknown keys. */
export type RefusedKeys = Readonly<Record<string, string>>;

/** Throws if `args` (of a quantizer or constraint, say) have a key outside `known`. */
export function rejectUnknownArgs(
  api: string,
  args: object | null | undefined,
  known: readonly string[],
  refused: RefusedKeys = {},
): void {
  if (args == null) {
    return;
  }
  const keys = Object.keys(args);
  const reason = keys.find((key) => hasOwn(refused, key));
  if (reason != null) {
    throw new Error(`${api}: ${refused[reason]}`);
  }
  const allowed = new Set(known);
  const unknown = keys.filter((key) => !allowed.has(key));
  if (unknown.length > 0) {
    const hints = unknown
      .map((key) => [key, closestKey(key, known)])
      .filter(([, hint]) => hint != null)
      .map(([key, hint]) => `'${hint}' for '${key}'`);
    throw new Error(
      `${api}: unknown config key(s) ${unknown.map((k) => `'${k}'`).join(', ')}` +
        (hints.length > 0 ? `; did you mean ${hints.join(', ')}?` : ''),
    );
  }
}

/** The known key closest to `key` by edit distance (a transposition counts one), if close enough
 * to be a typo: at most a third of the key's length, and at least 1. */
function closestKey(key: string, known: readonly string[]): string | null {
  const lower = key.toLowerCase();
  let best: string | null = null;
  let bestDistance = Math.max(1, Math.floor(key.length / 3)) + 1;
  for (const candidate of known) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length)]);
  for (let j = 0; j <= b.length; j++) {
    rows[0][j] = j;
  }
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
      }
    }
  }
  return rows[a.length][b.length];
}

/**
 * The one option `key` that `args` (of a quantizer or constraint, say) may hold, after rejecting
 * any other key: `fallback` when it is absent or null, else the value given, for the caller to
 * check.
 */
export function soleOption<K extends string, V>(
  api: string,
  args: Partial<Record<K, V | null>> | null | undefined,
  key: K,
  fallback: V,
): V {
  rejectUnknownArgs(api, args, [key]);
  return args?.[key] ?? fallback;
}
