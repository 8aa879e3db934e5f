/** Finds this package's layers in a model and refuses those the exporters cannot see into. */
import { LayersModel, RNN, type LayerVariable, type layers } from '@tensorflow/tfjs-layers';
import { HadamRNN } from '../layers/hadam_rnn';
import { HadamRNNCell } from '../layers/hadam_rnn_cell';
import { QuantizedDense } from '../layers/quantized_dense';
import type { QuantizedProjection } from '../layers/quantized_projection';

/** The weights of one layer, by their role. */
export interface LayerWeights {
  layer: layers.Layer;
  weights: LayerVariable[];
}

/**
 * The model's layers, after refusing what no exporter converts: a HadamRNNCell inside a generic
 * `tf.layers.rnn` or a wrapper, and this package's layers inside a nested model.
 */
export function exportableLayers(api: string, model: LayersModel): layers.Layer[] {
  for (const layer of model.layers) {
    if (layer instanceof LayersModel && containsPackageLayers(layer)) {
      throw new Error(
        `${api}: layer '${layer.name}' is a nested model holding HadamRNN layers; flatten it first`,
      );
    }
    const cell = (layer as { cell?: unknown }).cell;
    if (layer instanceof RNN && !(layer instanceof HadamRNN) && cell instanceof HadamRNNCell) {
      throw new Error(
        `${api}: layer '${layer.name}' runs a HadamRNNCell in a generic RNN; only hadamRNN layers are exported`,
      );
    }
    const inner = (layer as { layer?: unknown }).layer;
    if (inner instanceof HadamRNN || inner instanceof QuantizedDense) {
      throw new Error(
        `${api}: layer '${layer.name}' wraps ${inner.getClassName()}; wrapped HadamRNN layers are not exported`,
      );
    }
  }
  return model.layers;
}

function containsPackageLayers(model: LayersModel): boolean {
  return model.layers.some(
    (l) =>
      l instanceof HadamRNN ||
      l instanceof QuantizedDense ||
      (l instanceof LayersModel && containsPackageLayers(l)),
  );
}

/** The quantized projection of a HadamRNN or QuantizedDense layer, else null. */
export function projectionOf(layer: layers.Layer): QuantizedProjection | null {
  if (layer instanceof HadamRNN) return layer.cell.projection;
  if (layer instanceof QuantizedDense) return layer.projection;
  return null;
}
