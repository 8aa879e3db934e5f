/**
 * Drops, from the saved configs of this package's layers, the keys whose value is the layer's
 * default (null regularizers, quantizers and constraint) and the initializers (the file holds every
 * weight): a layer built from the shorter config and loaded with those weights is the same layer.
 * The topology is most of a small model's bytes.
 */
import type { LayersModel, layers } from '@tensorflow/tfjs-layers';
import { HadamRNN } from '../layers/hadam_rnn';
import { QuantizedDense } from '../layers/quantized_dense';

type Json = Record<string, unknown>;

/** Keys always kept. */
const KEEP = new Set(['name', 'units', 'batchInputShape']);

const snakeCase = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A layer of the same class and units with every other argument at its default. */
function defaultTwin(layer: layers.Layer): layers.Layer | null {
  // Named like the layer: an unnamed layer would advance tfjs's counters of automatic names.
  const name = layer.name;
  if (layer instanceof HadamRNN) return new HadamRNN({ name, units: layer.cell.units });
  if (layer instanceof QuantizedDense) return new QuantizedDense({ name, units: layer.units });
  return null;
}

/** JSON text in which an absent value (undefined) and null are the same. */
const canonical = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) => (v === undefined ? null : v));

/** Whether a config key names an initializer: moot in a file that stores every weight. */
const isInitializer = (key: string) => key.endsWith('Initializer');

/**
 * The snake_case keys of `layer`'s config that hold their default value, and its initializers
 * (seeded or not): a published model is loaded with its weights, so they never run.
 */
function defaultKeys(layer: layers.Layer): Set<string> {
  const twin = defaultTwin(layer);
  if (twin == null) return new Set();
  const mine = layer.getConfig();
  const theirs = twin.getConfig();
  // The twin is never built, so it holds no tensors to dispose.
  const keys = Object.keys(mine).filter(
    (k) =>
      !KEEP.has(k) &&
      k in theirs &&
      (isInitializer(k) || canonical(mine[k]) === canonical(theirs[k])),
  );
  // float32 is the dtype of a layer that names none.
  if (mine.dtype === 'float32') keys.push('dtype');
  return new Set(keys.map(snakeCase));
}

/** `topology` (as saved) without the default-valued keys of this package's layers. */
export function withoutDefaultKeys(model: LayersModel, topology: Json): Json {
  const config = topology.config as Json;
  const entries = (config.layers as Json[]).map((entry) => {
    const layerConfig = entry.config as Json;
    const drop = defaultKeys(model.getLayer(String(layerConfig.name)));
    const kept = Object.fromEntries(Object.entries(layerConfig).filter(([k]) => !drop.has(k)));
    return { ...entry, config: kept };
  });
  return { ...topology, config: { ...config, layers: entries } };
}
