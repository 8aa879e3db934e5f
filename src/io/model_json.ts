/**
 * Parsing and checking an untrusted model.json. Everything tfjs-layers later walks is checked
 * here first, so that a damaged or hostile file fails with one clear line instead of a TypeError
 * from deep inside tfjs, and no key can reach an object's prototype.
 */
import type { io } from '@tensorflow/tfjs-core';
import { describeJson, join, type JsonChecker, type JsonObject } from './json_checker';
import { checkWeightsManifest, type ManifestGroup } from './weights_manifest';

/** Keys refused anywhere in model.json: assigning them can replace or reach a prototype. */
export const FORBIDDEN_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** Deepest nesting of objects and arrays accepted (real topologies stay below 20). */
export const MAX_JSON_DEPTH = 100;

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
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    // V8 quotes the text around the error, newlines included: keep the message on one line.
    const message = (e as Error).message.replace(/\r/g, '\\r').replace(/\n/g, '\\n');
    throw check.error(`is not valid JSON (${message})`);
  }
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

/**
 * Walks the parsed value without recursion: refuses FORBIDDEN_KEYS, nesting beyond MAX_JSON_DEPTH,
 * and `class_name` values that name a property every object inherits ('toString', ...), which
 * tfjs's class lookup would otherwise find.
 */
function checkKeysAndDepth(check: JsonChecker, root: unknown): void {
  const stack: { value: unknown; where: string; depth: number }[] = [
    { value: root, where: '', depth: 0 },
  ];
  while (stack.length > 0) {
    const { value, where, depth } = stack.pop()!;
    if (value === null || typeof value !== 'object') {
      continue;
    }
    if (depth > MAX_JSON_DEPTH) {
      throw check.error(
        `nests deeper than ${MAX_JSON_DEPTH} levels under ${where.split(/[.[]/)[0]}`,
      );
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, where: join(where, i), depth: depth + 1 }));
      continue;
    }
    for (const key of Object.keys(value)) {
      const child = (value as JsonObject)[key];
      const childWhere = join(where, key);
      if (FORBIDDEN_KEYS.includes(key)) {
        throw check.error(`forbidden key '${key}' at ${where === '' ? 'the top level' : where}`);
      }
      if (key === 'class_name' && typeof child === 'string' && child in Object.prototype) {
        throw check.error(`${childWhere} '${child}' is not a class name`);
      }
      stack.push({ value: child, where: childWhere, depth: depth + 1 });
    }
  }
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
