/**
 * The `stock` topology: the saved model JSON (Keras-style, snake_case) with every HadamRNN replaced
 * by `SimpleRNN` (linear activation) followed by an `Activation` layer (its output activation), and
 * every HadamQuantizedDense by `Dense`. Works on Sequential and functional topologies.
 */

type Json = Record<string, unknown>;
/** A reference to a layer's output in a functional topology: [layer, node, tensor, kwargs]. */
type NodeRef = [string, number, number, Json?];

const API = "exportModel (format 'stock')";

/** Config keys a stock layer keeps from the source layer. */
const COMMON_KEYS = ['name', 'trainable', 'dtype', 'batch_input_shape'];

/**
 * Zeros for every initializer: the loader builds each layer (running its initializers) before it
 * sets the saved weights, and tfjs's default Orthogonal recurrent initializer is slow (QR of an
 * n x n matrix) and fails when tfjs-core's chained ops are not imported.
 */
const ZEROS = { class_name: 'Zeros', config: {} };
const ZERO_INITIALIZERS = { kernel_initializer: ZEROS, bias_initializer: ZEROS };

function pick(config: Json, keys: string[]): Json {
  return Object.fromEntries(keys.filter((k) => config[k] !== undefined).map((k) => [k, config[k]]));
}

function simpleRNNConfig(config: Json): Json {
  for (const option of ['return_state', 'stateful'] as const) {
    if (config[option] === true) {
      throw new Error(
        `${API}: HadamRNN '${String(config.name)}' has ${option} true; it cannot be converted`,
      );
    }
  }
  return {
    ...pick(config, COMMON_KEYS),
    units: config.units,
    activation: 'linear',
    use_bias: config.use_bias,
    ...ZERO_INITIALIZERS,
    recurrent_initializer: ZEROS,
    return_sequences: config.return_sequences,
    return_state: false,
    go_backwards: config.go_backwards,
    stateful: false,
    unroll: false,
  };
}

function denseConfig(config: Json): Json {
  return {
    ...pick(config, COMMON_KEYS),
    units: config.units,
    activation: config.activation,
    use_bias: config.use_bias,
    ...ZERO_INITIALIZERS,
  };
}

/** Names given to the activation layers, kept unique in the model. */
function activationName(rnnName: string, taken: Set<string>): string {
  let name = `${rnnName}_activation`;
  for (let i = 2; taken.has(name); i++) name = `${rnnName}_activation_${i}`;
  taken.add(name);
  return name;
}

/** Rewrites references to `from` into references to `to` in inbound nodes and output lists. */
function redirect(value: unknown, from: string, to: string): unknown {
  if (Array.isArray(value)) {
    if (value.length >= 3 && value[0] === from && typeof value[1] === 'number') {
      const [, node, , ...rest] = value as NodeRef;
      return [to, node, 0, ...rest];
    }
    return value.map((v) => redirect(v, from, to));
  }
  return value;
}

/** The stock topology of a saved `modelTopology`. */
export function stockTopology(topology: Json): Json {
  const config = topology.config as Json;
  const functional = topology.class_name !== 'Sequential';
  const entries = config.layers as Json[];
  const taken = new Set(entries.map((e) => String((e.config as Json).name)));
  const out: Json[] = [];
  let outputs = config.output_layers;
  const redirects: [string, string][] = [];
  for (const entry of entries) {
    const layerConfig = entry.config as Json;
    if (entry.class_name === 'HadamQuantizedDense') {
      out.push({ ...entry, class_name: 'Dense', config: denseConfig(layerConfig) });
      continue;
    }
    if (entry.class_name !== 'HadamRNN') {
      out.push(entry);
      continue;
    }
    const name = String(layerConfig.name);
    out.push({ ...entry, class_name: 'SimpleRNN', config: simpleRNNConfig(layerConfig) });
    if (layerConfig.activation === 'linear') {
      continue;
    }
    const act = activationName(name, taken);
    const actConfig = {
      name: act,
      trainable: layerConfig.trainable,
      activation: layerConfig.activation,
    };
    if (!functional) {
      out.push({ class_name: 'Activation', config: actConfig });
      continue;
    }
    const calls = (entry.inbound_nodes as unknown[]).length;
    const inbound = Array.from({ length: calls }, (_, node) => [[name, node, 0, {}]]);
    out.push({ name: act, class_name: 'Activation', config: actConfig, inbound_nodes: inbound });
    redirects.push([name, act]);
  }
  for (const [from, to] of redirects) {
    for (const e of out) {
      if (e.name !== to && e.inbound_nodes != null) {
        e.inbound_nodes = redirect(e.inbound_nodes, from, to);
      }
    }
    outputs = redirect(outputs, from, to);
  }
  const left = JSON.stringify(out).match(/"(Hadam[A-Za-z]*)"/);
  if (left != null) {
    throw new Error(`${API}: ${left[1]} inside another layer cannot be converted to stock tfjs`);
  }
  const stockConfig: Json = { ...config, layers: out };
  if (functional) stockConfig.output_layers = outputs;
  return { ...topology, config: stockConfig };
}
