/**
 * Activations by tfjs identifier ('relu', 'tanh', 'linear', ...). tfjs-layers does not export its
 * activation lookup, so we let its `Activation` layer resolve the name: every activation tfjs knows
 * works, and serializes under the same name.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import type { ActivationIdentifier } from '@tensorflow/tfjs-layers/dist/keras_format/activation_config';
import { describeValue } from '../common/validate';

/** An elementwise activation and the identifier it serializes as. */
export interface Activation {
  readonly identifier: string;
  apply(x: Tensor): Tensor;
}

/** Resolves an activation identifier, or throws naming `api` and the identifier. */
export function getActivation(api: string, identifier: string): Activation {
  let layer;
  try {
    layer = layers.activation({ activation: identifier as ActivationIdentifier });
  } catch {
    throw new Error(`${api}: unknown activation ${describeValue(identifier)}`);
  }
  const fn = layer.activation;
  return { identifier: fn.getClassName(), apply: (x: Tensor) => fn.apply(x) };
}
