/**
 * tfjs's optimizers update weights with `Variable.assign`, and `fit` never applies constraints:
 * they run only in `LayerVariable.write` (setWeights). Keras applies a weight's constraint after
 * every optimizer update; we get the same by projecting each value assigned to the variable.
 */
import { tidy, type Tensor, type Variable } from '@tensorflow/tfjs-core';
import type { LayerVariable } from '@tensorflow/tfjs-layers';

/**
 * Makes `weight`'s constraint take effect on every assignment to its variable, hence on every
 * optimizer step of `fit`, `fitDataset` and `optimizer.minimize`. No-op without a constraint.
 */
export function constrainOnAssign(weight: LayerVariable): void {
  const constraint = weight.constraint;
  if (constraint == null) {
    return;
  }
  // LayerVariable.read() returns the underlying tf.Variable that optimizers assign to.
  const variable = weight.read() as Variable;
  const assign = variable.assign.bind(variable);
  variable.assign = (value: Tensor) => {
    const constrained = tidy(() => constraint.apply(value));
    assign(constrained);
    if (constrained !== value) {
      constrained.dispose();
    }
  };
  // tfjs's LayerVariable.write assigns `constraint.apply(value)` and never disposes it; setWeights
  // runs it in a tidy, but loadLayersModel (Container.loadWeights) does not, leaking one tensor
  // per constrained weight on every load. The tidy frees that temporary.
  const write = weight.write.bind(weight);
  weight.write = (value: Tensor) => {
    tidy(() => {
      write(value);
    });
    return weight;
  };
}
