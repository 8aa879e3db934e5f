/**
 * One resolver for the serializable objects a layer config names: an instance, a registered
 * className with its config (as model.json stores them), or a lowerCamelCase identifier such as
 * 'glorotUniform', 'maxNorm', 'l1l2', 'uniformSte', 'weightClip' or 'randomSigns'.
 */
import { serialization } from '@tensorflow/tfjs-core';
import { describeValue } from '../ops/validate';

/** A serialized object as found in model.json. */
export interface SerializedObject {
  className: string;
  config?: serialization.ConfigDict;
}

/** Anything `resolveObject` accepts. */
export type ObjectIdentifier<T> = T | string | SerializedObject;

type AbstractConstructor<T> = abstract new (...args: never[]) => T;

/** Identifiers that are not their className with a lowercase first letter: this package's
 * classes, and tfjs's 'l1l2'. */
const IDENTIFIER_CLASS_NAMES: Record<string, string> = {
  signSte: 'HadamSignSte',
  uniformSte: 'HadamUniformSte',
  weightClip: 'HadamWeightClip',
  randomSigns: 'HadamRandomSigns',
  l1l2: 'L1L2',
};

const hasOwn = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/**
 * Resolves `identifier` to an instance of `base`, or throws naming the API, the kind of object and
 * the identifier received.
 * @param api The API asking, for messages (e.g. 'HadamRNN').
 * @param kind What is being resolved, for messages (e.g. 'kernelInitializer').
 */
export function resolveObject<T extends object>(
  api: string,
  kind: string,
  identifier: ObjectIdentifier<T>,
  base: AbstractConstructor<T>,
): T {
  if (identifier instanceof base) {
    return identifier;
  }
  let className: string;
  let config: serialization.ConfigDict = {};
  if (typeof identifier === 'string') {
    className = hasOwn(IDENTIFIER_CLASS_NAMES, identifier)
      ? IDENTIFIER_CLASS_NAMES[identifier]
      : identifier.charAt(0).toUpperCase() + identifier.slice(1);
  } else if (isSerializedObject(identifier)) {
    className = identifier.className;
    config = identifier.config ?? {};
    if (config === null || typeof config !== 'object' || Array.isArray(config)) {
      throw new Error(
        `${api}: ${kind} config of '${className}' must be an object, got ${describeValue(config)}`,
      );
    }
  } else {
    throw new Error(
      `${api}: ${kind} must be an identifier, a {className, config} object or an instance, got ${describeValue(identifier)}`,
    );
  }
  const classNameMap = serialization.SerializationMap.getMap().classNameMap;
  const entry = hasOwn(classNameMap, className) ? classNameMap[className] : undefined;
  if (entry == null) {
    const received = describeValue(typeof identifier === 'string' ? identifier : className);
    throw new Error(`${api}: unknown ${kind} ${received}; expected one of ${identifiersOf(base)}`);
  }
  const [cls, fromConfig] = entry;
  const instance = fromConfig(cls, config) as unknown;
  if (!(instance instanceof base)) {
    throw new Error(`${api}: '${className}' is not a valid ${kind}`);
  }
  return instance;
}

/** Like `resolveObject`, but null and undefined give null. */
export function resolveOptional<T extends object>(
  api: string,
  kind: string,
  identifier: ObjectIdentifier<T> | null | undefined,
  base: AbstractConstructor<T>,
): T | null {
  return identifier == null ? null : resolveObject(api, kind, identifier, base);
}

/** The {className, config} form of `object` (null stays null), as layer configs store it. */
export function serializeObject(
  object: serialization.Serializable | null,
): serialization.ConfigDict | null {
  return object == null ? null : { className: object.getClassName(), config: object.getConfig() };
}

/** The identifiers of every registered class derived from `base`, for error messages. */
function identifiersOf(base: AbstractConstructor<object>): string {
  const aliases = Object.fromEntries(
    Object.entries(IDENTIFIER_CLASS_NAMES).map(([id, cls]) => [cls, id]),
  );
  const classNameMap = serialization.SerializationMap.getMap().classNameMap;
  return Object.keys(classNameMap)
    .filter((name) => classNameMap[name][0].prototype instanceof base)
    .map((name) => aliases[name] ?? name.charAt(0).toLowerCase() + name.slice(1))
    .sort()
    .join(', ');
}

function isSerializedObject(value: unknown): value is SerializedObject {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as SerializedObject).className === 'string'
  );
}
