/**
 * The `stock` format: a plain tfjs layers model that needs no plugin. A HadamRNN becomes
 * `simpleRNN({activation: 'linear'})` with kernel Q(U), the dense recurrent matrix (the transpose of
 * W = diag(s)(I ⊗ S_b)/sqrt(b), as SimpleRNN multiplies row vectors) and the bias, then
 * `activation(<its activation>)`; a QuantizedDense becomes `dense` with kernel Q(V). Q(U), Q(V) and
 * W are stored as uint8 codes (lossless: each takes at most 2^p values on a uniform grid); the
 * rest as float32.
 */
import type { io } from '@tensorflow/tfjs-core';
import { models, type LayersModel, type layers } from '@tensorflow/tfjs-layers';
import { HadamRNN } from '../layers/hadam_rnn';
import { exportableLayers, projectionOf } from './layer_roles';
import { clippedSteps, quantizedValues, signsOf, uniformKernel } from './quantized_weights';
import { stockTopology } from './stock_topology';
import { codeArray, encodeWeights, type WeightToWrite } from './weight_encoding';

const API = "exportModel (format 'stock')";

type Values = Omit<WeightToWrite, 'name'>;

/** The effective kernel of a HadamRNN or QuantizedDense: Q(K), coded when uniformly quantized. */
function effectiveKernel(layer: layers.Layer): Values {
  const projection = projectionOf(layer)!;
  const kernel = uniformKernel(API, layer.name, projection);
  if (kernel == null) {
    const value = projection.effectiveKernel();
    const values = Float32Array.from(value.dataSync());
    value.dispose();
    return { shape: projection.kernel!.shape as number[], values };
  }
  const { levels, delta } = kernel;
  const codes = codeArray(
    Array.from(clippedSteps(kernel), (s) => s + levels),
    2 * levels - 1,
  );
  return {
    shape: kernel.shape,
    values: quantizedValues(kernel),
    coded: codes == null ? undefined : { codes, scale: delta, min: -levels * delta },
  };
}

/**
 * SimpleRNN's recurrent kernel R [n, n], with h_{t-1} · R = W h_{t-1}:
 * R[i][j] = s_j · S_b[i][j] / sqrt(b) inside a block, 0 outside; coded 0, 1, 2 for -c, 0, +c.
 */
function recurrentKernel(layer: HadamRNN): Values {
  const { units: n, blockSize: b } = layer.cell;
  const signs = signsOf(API, layer.name, layer.cell.recurrentKernel!.read());
  const c = Math.fround(1 / Math.sqrt(b));
  const codes = new Uint8Array(n * n).fill(1);
  for (let i = 0; i < n; i++) {
    const block = i - (i % b);
    for (let j = block; j < block + b; j++) {
      let parity = (i - block) & (j - block);
      parity ^= parity >>> 16;
      parity ^= parity >>> 8;
      parity ^= parity >>> 4;
      parity ^= parity >>> 2;
      parity ^= parity >>> 1;
      const positive = ((parity & 1) === 0) === signs[j];
      codes[i * n + j] = positive ? 2 : 0;
    }
  }
  const values = Float32Array.from(codes, (code) => Math.fround(code * c - c));
  return { shape: [n, n], values, coded: { codes, scale: c, min: -c } };
}

function plainWeights(layer: layers.Layer): Values[] {
  return layer.weights.map((w) => ({
    shape: w.shape as number[],
    values: Float32Array.from(w.read().dataSync()),
  }));
}

/** The stock layer's weights, in its own order, for a source layer. */
function stockWeights(layer: layers.Layer): Values[] {
  const projection = projectionOf(layer);
  if (projection == null) {
    return plainWeights(layer);
  }
  const bias: Values[] =
    projection.bias == null
      ? []
      : [
          {
            shape: projection.bias.shape as number[],
            values: Float32Array.from(projection.bias.read().dataSync()),
          },
        ];
  if (layer instanceof HadamRNN) {
    return [effectiveKernel(layer), recurrentKernel(layer), ...bias];
  }
  return [effectiveKernel(layer), ...bias];
}

/**
 * The artifacts of `model` in the `stock` format. The stock model is built once here (with
 * tfjs-layers alone) to take its weights' names and order, and to check their shapes.
 */
export async function stockArtifacts(model: LayersModel): Promise<io.ModelArtifacts> {
  const source = exportableLayers(API, model);
  const modelTopology = stockTopology(model.toJSON(null, false) as Record<string, unknown>);
  const stock = await models.modelFromJSON({
    modelTopology: modelTopology as Parameters<typeof models.modelFromJSON>[0]['modelTopology'],
  });
  try {
    const weights: WeightToWrite[] = [];
    for (const layer of source) {
      const target = stock.getLayer(layer.name);
      const values = stockWeights(layer);
      if (values.length !== target.weights.length) {
        throw new Error(
          `${API}: layer '${layer.name}' gives ${values.length} weights, its stock twin holds ${target.weights.length}`,
        );
      }
      target.weights.forEach((w, i) => {
        const shape = w.shape as number[];
        if (shape.join() !== values[i].shape.join()) {
          throw new Error(
            `${API}: weight '${w.originalName}' has shape [${values[i].shape}], the stock layer expects [${shape}]`,
          );
        }
        weights.push({ ...values[i], name: w.originalName });
      });
    }
    return {
      modelTopology,
      format: 'layers-model',
      generatedBy: 'tfjs-hadamrnn stock',
      convertedBy: null,
      ...encodeWeights(API, weights),
    };
  } finally {
    stock.dispose();
  }
}
