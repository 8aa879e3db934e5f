/**
 * Model size as the HadamRNN paper counts it: the recurrent vector u at 1 bit per unit (the signs
 * s; W itself is never stored), the input matrix U and read-out V at their quantizer's p bits,
 * every bias and every full-precision weight at 32 bits. The per-tensor scale of each p-bit matrix
 * (one float) is not counted, as in the paper. Full-precision baselines are all 32 bits.
 */
import type { LayerVariable, LayersModel } from '@tensorflow/tfjs-layers';
import { HadamRNN } from '../../layers/hadam_rnn';
import { QuantizedDense } from '../../layers/quantized_dense';
import type { QuantizedProjection } from '../../layers/quantized_projection';

/** One weight's share of the size. */
export interface WeightSize {
  /** The weight's name in the model, e.g. `hadam_rnn_HadamRNN1/kernel`. */
  name: string;
  parameters: number;
  /** Bits per parameter as stored by a binary/quantized deployment. */
  bits: number;
}

/** Size of a model, as the paper counts it and as float32. */
export interface ModelSize {
  parameters: number;
  /** Σ parameters × bits, in bits. */
  paperBits: number;
  /** paperBits / 8 / 1024. */
  paperKiB: number;
  /** parameters × 32 bits, in KiB: the size of the same weights in float32. */
  float32KiB: number;
  weights: WeightSize[];
}

const FLOAT_BITS = 32;

function projectionBits(projection: QuantizedProjection, weight: LayerVariable): number {
  if (weight === projection.kernel) {
    return projection.kernelQuantizer?.precision ?? FLOAT_BITS;
  }
  return FLOAT_BITS;
}

/** Bits per parameter of one weight of `layer` (matched by identity: names get suffixes such as
 * `_1` when a model is loaded next to another). */
function bitsOf(layer: unknown, weight: LayerVariable): number {
  if (layer instanceof HadamRNN) {
    if (weight === layer.cell.recurrentKernel) {
      return layer.cell.recurrentQuantizer.precision;
    }
    return projectionBits(layer.cell.projection, weight);
  }
  if (layer instanceof QuantizedDense) {
    return projectionBits(layer.projection, weight);
  }
  return FLOAT_BITS;
}

/** The size of `model`'s weights, paper-style and float32. */
export function modelSize(model: LayersModel): ModelSize {
  const weights: WeightSize[] = [];
  for (const layer of model.layers) {
    for (const weight of layer.weights) {
      weights.push({
        name: weight.name,
        parameters: weight.shape.reduce((a: number, b) => a * (b ?? 1), 1),
        bits: bitsOf(layer, weight),
      });
    }
  }
  const parameters = weights.reduce((sum, w) => sum + w.parameters, 0);
  const paperBits = weights.reduce((sum, w) => sum + w.parameters * w.bits, 0);
  return {
    parameters,
    paperBits,
    paperKiB: paperBits / 8 / 1024,
    float32KiB: (parameters * FLOAT_BITS) / 8 / 1024,
    weights,
  };
}
