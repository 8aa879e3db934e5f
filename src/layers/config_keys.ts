/**
 * Strict configs: tfjs passes every key of a layer config to the constructor and silently ignores
 * the ones it does not know, so a misspelt option or a tampered model.json would load as something
 * else. Our layers reject unknown keys instead, naming them (as Keras does for unknown kwargs).
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

/** Throws if `config` has a key that neither `known` nor the generic layer keys contain. */
export function rejectUnknownKeys(
  api: string,
  config: serialization.ConfigDict,
  known: readonly string[],
): void {
  const allowed = new Set([...LAYER_KEYS, ...known]);
  const unknown = Object.keys(config).filter((key) => !allowed.has(key));
  if (unknown.length > 0) {
    throw new Error(`${api}: unknown config key(s) ${unknown.map((k) => `'${k}'`).join(', ')}`);
  }
}
