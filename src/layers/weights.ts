/**
 * Weight creation shared by this package's layers: tfjs's positional `addWeight` behind an options
 * object, with the constraint made to take effect during training (see constrainOnAssign).
 */
import type { LayerVariable, layers } from '@tensorflow/tfjs-layers';
import { constrainOnAssign } from '../constraints/constrain_on_assign';
import type { Constraint, Initializer, Regularizer } from './tfjs_bases';

/** What a weight is made of. */
export interface WeightSpec {
  name: string;
  shape: number[];
  initializer: Initializer;
  regularizer: Regularizer | null;
  constraint: Constraint | null;
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

/** Adds a trainable float32 weight to `layer` (from its build method). */
export function addTrainableWeight(layer: layers.Layer, spec: WeightSpec): LayerVariable {
  // addWeight is protected in tfjs-layers; this helper is only called from our layers' build().
  const addWeight = (layer as unknown as { addWeight: AddWeight }).addWeight.bind(layer);
  const weight = addWeight(
    spec.name,
    spec.shape,
    'float32',
    spec.initializer,
    spec.regularizer ?? undefined,
    true,
    spec.constraint ?? undefined,
  );
  constrainOnAssign(weight);
  return weight;
}
