/**
 * tfjs-layers exports its initializers, constraints and regularizers but not their base classes.
 * Each base is the parent of a class it does expose; we take it from there so that our classes are
 * `instanceof` the real bases, and tfjs's own layers accept them (`kernelConstraint: weightClip()`).
 */
import type { serialization, Tensor } from '@tensorflow/tfjs-core';
import { constraints, initializers, regularizers } from '@tensorflow/tfjs-layers';
import type { Constraint } from '@tensorflow/tfjs-layers/dist/constraints';
import type { Initializer } from '@tensorflow/tfjs-layers/dist/initializers';
import type { Regularizer } from '@tensorflow/tfjs-layers/dist/regularizers';

type AbstractConstructor<T> = abstract new (...args: never[]) => T;

function parentClassOf<T>(instance: object): AbstractConstructor<T> {
  return Object.getPrototypeOf(instance.constructor) as AbstractConstructor<T>;
}

/** tfjs-layers' `Constraint`: `apply(w)` projects a weight after each update. */
export const ConstraintBase = parentClassOf<Constraint>(constraints.nonNeg()) as unknown as {
  new (): serialization.Serializable & { apply(w: Tensor): Tensor };
};
export const InitializerBase = parentClassOf<Initializer>(initializers.zeros());
export const RegularizerBase = parentClassOf<Regularizer>(regularizers.l1());

export type { Constraint, Initializer, Regularizer };
