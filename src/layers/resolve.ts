/**
 * The layer-level resolvers: a weight's initializer, regularizer and constraint from whatever a
 * layer config holds (common/resolve.ts), each checked against tfjs's own base class.
 */
import { resolveObject, resolveOptional, type ObjectIdentifier } from '../common/resolve';
import {
  ConstraintBase,
  InitializerBase,
  RegularizerBase,
  type Constraint,
  type Initializer,
  type Regularizer,
} from '../common/tfjs_bases';

/** The initializer `identifier` names; `kind` names the argument in messages. */
export function resolveInitializer(
  api: string,
  kind: string,
  identifier: ObjectIdentifier<Initializer>,
): Initializer {
  return resolveObject(api, kind, identifier, InitializerBase);
}

/** The regularizer `identifier` names; null and undefined give null (none). */
export function resolveRegularizer(
  api: string,
  kind: string,
  identifier: ObjectIdentifier<Regularizer> | null | undefined,
): Regularizer | null {
  return resolveOptional(api, kind, identifier, RegularizerBase);
}

/** The constraint `identifier` names; null and undefined give null (none). */
export function resolveConstraint(
  api: string,
  kind: string,
  identifier: ObjectIdentifier<Constraint> | null | undefined,
): Constraint | null {
  return resolveOptional(api, kind, identifier, ConstraintBase);
}
