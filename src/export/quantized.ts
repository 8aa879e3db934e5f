/**
 * The `quantized` format: the tfjs layers format of the same model, whose quantized kernels are
 * stored as their integer codes (uint8 up to 7 bits) and whose latent u is stored as its signs
 * (uint8 0/1 decoded to ±1), through the manifest's `quantization` field. Biases and every other
 * weight stay float32; the configs of this package's layers leave out their default-valued keys
 * (default_keys.ts). Loaded with the plugin, the layers quantize the decoded latents back to the
 * very same Q(U), s and Q(V), so predictions are bit-identical; training can continue from them.
 */
import type { io } from '@tensorflow/tfjs-core';
import type { LayersModel, LayerVariable } from '@tensorflow/tfjs-layers';
import { HadamRNN } from '../layers/hadam_rnn';
import { SignSte } from '../quantizers/sign_ste';
import { withoutDefaultKeys } from './default_keys';
import { exportableLayers, projectionOf } from './layer_roles';
import { signsOf, uniformKernel, type UniformKernel } from './quantized_weights';
import { codeArray, encodeWeights, type WeightToWrite } from './weight_encoding';

const API = "exportModel (format 'quantized')";

/**
 * A latent kernel that quantizes to the same Q(K): `steps · delta` before the top clip, so that its
 * largest magnitude is alpha again (codes in [0, 2L]) and round(K' · L / alpha) gives the same steps.
 */
function latentKernel(name: string, shape: number[], kernel: UniformKernel): WeightToWrite {
  const { levels, delta, rounded } = kernel;
  const values = Float32Array.from(rounded, (r) => r * delta);
  const codes = codeArray(
    Array.from(rounded, (r) => r + levels),
    2 * levels,
  );
  return {
    name,
    shape,
    values,
    coded: codes == null ? undefined : { codes, scale: delta, min: -levels * delta },
  };
}

/** u as its signs: codes 1 (+1) and 0 (-1), decoded as code · 2 - 1. */
function signWeight(name: string, weight: LayerVariable): WeightToWrite {
  const signs = signsOf(API, name, weight.read());
  return {
    name,
    shape: weight.shape as number[],
    values: Float32Array.from(signs, (s) => (s ? 1 : -1)),
    coded: { codes: Uint8Array.from(signs, (s) => (s ? 1 : 0)), scale: 2, min: -1 },
  };
}

function weightToWrite(layer: LayersModel['layers'][number], weight: LayerVariable): WeightToWrite {
  const name = weight.originalName;
  const shape = weight.shape as number[];
  const projection = projectionOf(layer);
  if (projection != null && weight === projection.kernel) {
    const kernel = uniformKernel(API, name, projection);
    if (kernel != null) {
      return latentKernel(name, shape, kernel);
    }
  }
  if (
    layer instanceof HadamRNN &&
    weight === layer.cell.recurrentKernel &&
    layer.cell.recurrentQuantizer instanceof SignSte
  ) {
    return signWeight(name, weight);
  }
  return { name, shape, values: Float32Array.from(weight.read().dataSync()) };
}

/** The artifacts of `model` in the `quantized` format. */
export function quantizedArtifacts(model: LayersModel): io.ModelArtifacts {
  const weights = exportableLayers(API, model).flatMap((layer) =>
    layer.weights.map((w) => weightToWrite(layer, w)),
  );
  return {
    modelTopology: withoutDefaultKeys(model, model.toJSON(null, false) as Record<string, unknown>),
    format: 'layers-model',
    generatedBy: 'tfjs-hadamrnn quantized',
    convertedBy: null,
    ...encodeWeights(API, weights),
  };
}
