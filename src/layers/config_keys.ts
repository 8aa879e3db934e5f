/**
 * Strict arguments: tfjs passes every key of a config to the constructor and silently ignores the
 * ones it does not know, so a misspelt option (`retrunSequences`) or a tampered model.json would
 * build something else. Our constructors reject unknown keys instead, naming them and the closest
 * known key (as Keras does for unknown kwargs), whether the args come from code or from fromConfig.
 */
import type { serialization } from '@tensorflow/tfjs-core';

/** Keys every tfjs layer config may carry (LayerArgs). */
const LAYER_KEYS = [
  'name',
  'trainable',
  'dtype',
  'inputShape',
  'batchInputShape',
  'batchSize',
  'inputDType',
  'weights',
  'inputDim',
  'inputLength',
  'customObjects', // added by tfjs when it deserializes a nested object (an RNN's cell)
];

/** Keys a layer may not take, each with the reason, checked before the unknown keys. */
export type RefusedKeys = Readonly<Record<string, string>>;

/**
 * Throws if the layer args `config` have a key that neither `known` nor the generic layer keys
 * contain, or a key of `refused` (with its reason).
 */
export function rejectUnknownKeys(
  api: string,
  config: serialization.ConfigDict | object,
  known: readonly string[],
  refused: RefusedKeys = {},
): void {
  rejectUnknownArgs(api, config, [...LAYER_KEYS, ...known], refused);
}

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
  const reason = keys.find((key) => Object.prototype.hasOwnProperty.call(refused, key));
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
export function closestKey(key: string, known: readonly string[]): string | null {
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
