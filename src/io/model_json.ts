/**
 * Parsing and checking an untrusted model.json. Everything tfjs-layers later walks is checked
 * here first, so that a damaged or hostile file fails with one clear line instead of a TypeError
 * from deep inside tfjs, and no key can reach an object's prototype.
 */
import type { io } from '@tensorflow/tfjs-core';
import { describeJson, join, type JsonChecker, type JsonObject } from './json_checker';
import { parseJsonText } from './regular_file';
import { checkWeightsManifest, type ManifestGroup } from './weights_manifest';

/** Keys refused anywhere in model.json: assigning them can replace or reach a prototype. */
export const FORBIDDEN_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** Deepest nesting of objects and arrays accepted (real topologies stay below 20). */
export const MAX_JSON_DEPTH = 100;

/** Most values (array entries, object members) accepted in model.json: a HadamRNN topology with
 * its manifest holds a few hundred, the largest Keras topologies tens of thousands. */
export const MAX_JSON_ENTRIES = 1_000_000;

/** The dtypes a layer config may name. */
const LAYER_DTYPES = ['float32', 'int32', 'bool', 'complex64', 'string'];

/** A checked model.json. */
export interface CheckedModelJson {
  /** The fields of model.json that become the model artifacts (weight data aside). */
  artifacts: io.ModelArtifacts;
  /** The weight groups, with the bytes each must hold. */
  groups: ManifestGroup[];
}

/**
 * Parses and checks the text of a model.json.
 * @param maxWeightBytes Largest total weight size the manifest may declare.
 */
export function parseModelJson(
  check: JsonChecker,
  text: string,
  maxWeightBytes: number,
): CheckedModelJson {
  const entries = countJsonEntries(text);
  if (entries > MAX_JSON_ENTRIES) {
    throw check.error(`holds ${entries} values, more than the limit of ${MAX_JSON_ENTRIES}`);
  }
  const parsed = parseJsonText(check, text);
  checkKeysAndDepth(check, parsed);
  const json = check.object(parsed, 'the top level');
  const topology = check.required(json, 'modelTopology', '', (v, w) => check.object(v, w));
  checkTopology(check, topology);
  const format = check.optional(json, 'format', '', (v, w) => check.string(v, w));
  if (format !== undefined && format !== 'layers-model') {
    throw check.error(`format '${format}' is not 'layers-model'`);
  }
  const groups = check.required(json, 'weightsManifest', '', (v) =>
    checkWeightsManifest(check, v, maxWeightBytes),
  );
  const artifacts: io.ModelArtifacts = {
    modelTopology: topology,
    format,
    generatedBy: check.optional(json, 'generatedBy', '', nullableString(check)) ?? undefined,
    convertedBy: check.optional(json, 'convertedBy', '', nullableString(check)),
  };
  for (const key of ['trainingConfig', 'userDefinedMetadata', 'signature', 'modelInitializer']) {
    const value = check.optional(json, key, '', (v, w) => check.object(v, w));
    if (value !== undefined) {
      (artifacts as JsonObject)[key] = value;
    }
  }
  return { artifacts, groups };
}

function nullableString(check: JsonChecker) {
  return (value: unknown, where: string): string | null =>
    value === null ? null : check.string(value, where);
}

/** One value met by checkKeysAndDepth; its path is spelled out only for an error. */
interface Visit {
  value: unknown;
  depth: number;
  parent: Visit | null;
  key: string | number;
}

function pathOf(visit: Visit): string {
  const keys: (string | number)[] = [];
  for (let v: Visit | null = visit; v !== null && v.parent !== null; v = v.parent) {
    keys.push(v.key);
  }
  return keys.reverse().reduce<string>((where, key) => join(where, key), '');
}

/**
 * Walks the parsed value without recursion, in time and memory linear in its size: refuses
 * FORBIDDEN_KEYS, nesting beyond MAX_JSON_DEPTH, and `class_name` values that name a property
 * every object inherits ('toString', ...), which tfjs's class lookup would otherwise find.
 */
function checkKeysAndDepth(check: JsonChecker, root: unknown): void {
  const stack: Visit[] = [{ value: root, depth: 0, parent: null, key: '' }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const { value, depth } = visit;
    if (value === null || typeof value !== 'object') {
      continue;
    }
    if (depth > MAX_JSON_DEPTH) {
      throw check.error(
        `nests deeper than ${MAX_JSON_DEPTH} levels under ${pathOf(visit).split(/[.[]/)[0]}`,
      );
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const child = value[i] as unknown;
        if (child !== null && typeof child === 'object') {
          stack.push({ value: child, depth: depth + 1, parent: visit, key: i });
        }
      }
      continue;
    }
    for (const key of Object.keys(value)) {
      const child = (value as JsonObject)[key];
      if (FORBIDDEN_KEYS.includes(key)) {
        const where = pathOf(visit);
        throw check.error(`forbidden key '${key}' at ${where === '' ? 'the top level' : where}`);
      }
      if (key === 'class_name' && typeof child === 'string' && child in Object.prototype) {
        throw check.error(`${join(pathOf(visit), key)} '${child}' is not a class name`);
      }
      if (child !== null && typeof child === 'object') {
        stack.push({ value: child, depth: depth + 1, parent: visit, key });
      }
    }
  }
}

/**
 * Counts the values of a JSON text (array entries and object members, an upper bound: every comma
 * and opening bracket outside strings) in one pass over its characters, so that a file of millions
 * of tiny entries is refused before JSON.parse builds them.
 */
export function countJsonEntries(text: string): number {
  let count = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) {
        i++; // the escaped character
      } else if (c === 0x22) {
        inString = false;
      }
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x2c || c === 0x5b || c === 0x7b) {
      count++;
    }
  }
  return count;
}

/**
 * Checks the parts of a Keras topology that tfjs-layers dereferences before any layer checks its
 * own config: `class_name` and `config` of the model and of each layer, and the node lists.
 */
function checkTopology(check: JsonChecker, topology: JsonObject): void {
  const where = 'modelTopology';
  // Converted Keras files nest the model under model_config.
  const model =
    check.optional(topology, 'model_config', where, (v, w) => check.object(v, w)) ?? topology;
  const modelWhere = model === topology ? where : join(where, 'model_config');
  check.required(model, 'class_name', modelWhere, (v, w) => check.string(v, w));
  const config = check.required(model, 'config', modelWhere, (v, w) => {
    if (Array.isArray(v)) {
      return { layers: v } as JsonObject; // Sequential models of old Keras versions
    }
    return check.object(v, w);
  });
  const configWhere = join(modelWhere, 'config');
  const layers = check.optional(config, 'layers', configWhere, (v, w) => check.array(v, w)) ?? [];
  layers.forEach((raw, i) => checkLayer(check, raw, join(join(configWhere, 'layers'), i)));
  for (const key of ['input_layers', 'output_layers']) {
    check.optional(config, key, configWhere, (v, w) => checkNodeList(check, v, w));
  }
}

function checkLayer(check: JsonChecker, raw: unknown, where: string): void {
  const layer = check.object(raw, where);
  check.required(layer, 'class_name', where, (v, w) => check.string(v, w));
  const config = check.required(layer, 'config', where, (v, w) => check.object(v, w));
  check.optional(layer, 'name', where, (v, w) => check.string(v, w));
  const configWhere = join(where, 'config');
  check.optional(config, 'name', configWhere, (v, w) => check.string(v, w));
  // tfjs-layers takes these two as given; a wrong type surfaces only at predict time.
  check.optional(config, 'dtype', configWhere, (v, w) => {
    const dtype = check.string(v, w);
    if (!LAYER_DTYPES.includes(dtype)) {
      throw check.error(`${w} '${dtype}' is not one of ${LAYER_DTYPES.join(', ')}`);
    }
  });
  check.optional(config, 'batch_input_shape', configWhere, (v, w) =>
    check.array(v, w).forEach((d, i) => {
      if (d !== null && !(typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
        throw check.error(
          `${join(w, i)} must be null or a non-negative integer, got ${describeJson(d)}`,
        );
      }
    }),
  );
  check.optional(layer, 'inbound_nodes', where, (v, w) =>
    check.array(v, w).forEach((node, i) => checkNodeList(check, node, join(w, i))),
  );
}

/** A list of [layerName, nodeIndex, tensorIndex, (kwargs)] entries, or one such entry. */
function checkNodeList(check: JsonChecker, value: unknown, where: string): void {
  const list = check.array(value, where);
  const entries = list.length > 0 && !Array.isArray(list[0]) ? [list] : list;
  entries.forEach((raw, i) => {
    const entryWhere = entries === list ? join(where, i) : where;
    const entry = check.array(raw, entryWhere);
    check.string(entry[0], join(entryWhere, 0));
    for (const k of [1, 2]) {
      const index = entry[k];
      if (!(typeof index === 'number' && Number.isSafeInteger(index) && index >= 0)) {
        throw check.error(
          `${join(entryWhere, k)} must be a non-negative integer index, got ${describeJson(index)}`,
        );
      }
    }
  });
}
