/**
 * One resolver for the serializable objects a config names: an instance, a registered className
 * with its config (as model.json stores them), or a lowerCamelCase identifier such as
 * 'glorotUniform', 'maxNorm', 'l1l2', 'uniformSte', 'weightClip' or 'randomSigns'. It knows no
 * class of this package: a registered class whose identifier is not its className with a lowercase
 * first letter says so in a static `identifier` ({@link IdentifiedClass}).
 */
import { serialization } from '@tensorflow/tfjs-core';
import { describeValue, hasOwn } from './validate';

/** A serialized object as found in model.json. */
export interface SerializedObject {
  className: string;
  config?: serialization.ConfigDict;
}

/** Anything `resolveObject` accepts. */
export type ObjectIdentifier<T> = T | string | SerializedObject;

type AbstractConstructor<T> = abstract new (...args: never[]) => T;

/** A registered class that names its own identifier ('signSte' for 'HadamSignSte'). */
export interface IdentifiedClass {
  /** The lowerCamelCase identifier configs may name the class by. */
  readonly identifier: string;
}

/** tfjs's identifiers that are not their className with a lowercase first letter. */
const TFJS_CLASS_NAMES: Readonly<Record<string, string>> = { l1l2: 'L1L2' };

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
    className = classNameOf(identifier);
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

/** The className `identifier` names: a registered class's own identifier first, then tfjs's. */
function classNameOf(identifier: string): string {
  const classNameMap = serialization.SerializationMap.getMap().classNameMap;
  const named = Object.keys(classNameMap).find(
    (name) => ownIdentifier(classNameMap[name][0]) === identifier,
  );
  if (named != null) {
    return named;
  }
  return hasOwn(TFJS_CLASS_NAMES, identifier)
    ? TFJS_CLASS_NAMES[identifier]
    : identifier.charAt(0).toUpperCase() + identifier.slice(1);
}

/** The identifiers of every registered class derived from `base`, for error messages. */
function identifiersOf(base: AbstractConstructor<object>): string {
  const tfjsIdentifiers = Object.fromEntries(
    Object.entries(TFJS_CLASS_NAMES).map(([id, cls]) => [cls, id]),
  );
  const classNameMap = serialization.SerializationMap.getMap().classNameMap;
  return Object.keys(classNameMap)
    .filter((name) => classNameMap[name][0].prototype instanceof base)
    .map(
      (name) =>
        ownIdentifier(classNameMap[name][0]) ??
        tfjsIdentifiers[name] ??
        name.charAt(0).toLowerCase() + name.slice(1),
    )
    .sort()
    .join(', ');
}

/** The static `identifier` a class declares, if any ({@link IdentifiedClass}). */
function ownIdentifier(cls: object): string | undefined {
  const { identifier } = cls as Partial<IdentifiedClass>;
  return typeof identifier === 'string' ? identifier : undefined;
}

function isSerializedObject(value: unknown): value is SerializedObject {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as SerializedObject).className === 'string'
  );
}
