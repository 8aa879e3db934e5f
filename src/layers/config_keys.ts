/**
 * Strict layer configs: the strict arguments of common/strict_args.ts, plus the keys every tfjs
 * layer config may carry.
 */
import type { serialization } from '@tensorflow/tfjs-core';
import { rejectUnknownArgs, type RefusedKeys } from '../common/strict_args';

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

/**
 * A layer's static `fromConfig`: rejects unknown keys of `config` (and `refused` ones, with their
 * reason) naming `api`, then builds the layer from it.
 */
export function strictFromConfig(api: string, known: readonly string[], refused?: RefusedKeys) {
  return <T extends serialization.Serializable>(
    cls: serialization.SerializableConstructor<T>,
    config: serialization.ConfigDict,
  ): T => {
    rejectUnknownKeys(api, config, known, refused);
    return new cls(config);
  };
}
