/**
 * Weight creation shared by this package's layers: tfjs's positional `addWeight` behind an options
 * object, with the constraint made to take effect during training (see constrainOnAssign).
 */
import { Tensor, util } from '@tensorflow/tfjs-core';
import type { LayerVariable, layers } from '@tensorflow/tfjs-layers';
import { describeValue, formatShape } from '../common/validate';
import { constrainOnAssign } from '../constraints/constrain_on_assign';
import type { Constraint, Initializer, Regularizer } from '../common/tfjs_bases';

/** What a weight is made of. */
export interface WeightSpec {
  name: string;
  shape: number[];
  initializer: Initializer;
  regularizer: Regularizer | null;
  constraint: Constraint | null;
  /** Whether optimizers train it (tfjs-layers lists it with the layer's trainable weights).
   * Default true. */
  trainable?: boolean;
}

type AddWeight = (
  name: string,
  shape: number[],
  dtype: 'float32',
  initializer: Initializer,
  regularizer: Regularizer | undefined,
  trainable: boolean,
  constraint: Constraint | undefined,
) => LayerVariable;

/** Adds a float32 weight to `layer` (from its build method), trainable unless the spec says not. */
export function addLayerWeight(layer: layers.Layer, spec: WeightSpec): LayerVariable {
  // addWeight is protected in tfjs-layers; this helper is only called from our layers' build().
  const addWeight = (layer as unknown as { addWeight: AddWeight }).addWeight.bind(layer);
  const weight = addWeight(
    spec.name,
    spec.shape,
    'float32',
    spec.initializer,
    spec.regularizer ?? undefined,
    spec.trainable ?? true,
    spec.constraint ?? undefined,
  );
  constrainOnAssign(weight);
  return weight;
}

/**
 * Checks the tensors given to `setWeights` against the layer's weights, so that a wrong count or
 * shape fails with one line naming the layer and the weight (tfjs's own messages print tensors).
 */
export function checkWeightsToSet(
  api: string,
  expected: readonly LayerVariable[],
  given: readonly Tensor[],
): void {
  const name = (w: LayerVariable) => w.originalName.split('/').pop();
  if (!Array.isArray(given) || given.length !== expected.length) {
    const wanted = expected.map((w) => `${name(w)} ${formatShape(w.shape as number[])}`).join(', ');
    const got = Array.isArray(given) ? given.length : describeValue(given);
    throw new Error(
      `${api}: setWeights expects ${expected.length} weights (${wanted}), got ${got}`,
    );
  }
  given.forEach((value, i) => {
    const shape = expected[i].shape as number[];
    if (!(value instanceof Tensor)) {
      throw new Error(
        `${api}: setWeights: weight ${i} (${name(expected[i])}) must be a Tensor, got ${describeValue(value)}`,
      );
    }
    if (!util.arraysEqual(value.shape, shape)) {
      throw new Error(
        `${api}: setWeights: weight ${i} (${name(expected[i])}) must have shape ${formatShape(shape)}, got ${formatShape(value.shape)}`,
      );
    }
  });
}
