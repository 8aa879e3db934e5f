import { serialization, tidy, util, type Tensor } from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';
import { checkPositiveInteger, toFloatTensor } from '../common/validate';
import { getActivation, type Activation } from './activation';
import {
  QUANTIZED_PROJECTION_KEYS,
  QuantizedProjection,
  type QuantizedProjectionArgs,
} from './quantized_projection';
import { rejectUnknownKeys, strictFromConfig } from './config_keys';
import { checkWeightsToSet } from './weights';

/** Config keys of a QuantizedDense, in getConfig order (after the generic layer keys). */
const QUANTIZED_DENSE_KEYS = ['units', 'activation', ...QUANTIZED_PROJECTION_KEYS];

/** Arguments of {@link QuantizedDense}. */
export interface QuantizedDenseArgs extends LayerArgs, QuantizedProjectionArgs {
  /** Output size, a positive integer. Required. */
  units: number;
  /** Activation of the outputs, any tfjs activation name. Default 'linear'. */
  activation?: string;
}

/**
 * A Dense layer whose kernel is quantized in the forward pass (default: 4-bit `uniformSte`),
 * HadamRNN's read-out V: `y = activation(x · Q(V) + b)` along the last axis of inputs of any rank
 * >= 2, so it reads out every step of a `returnSequences` RNN.
 *
 * Weights, in order: `kernel` [inputDim, units] (latent V), `bias` [units].
 *
 * ```js
 * quantizedDense({units: 9, activation: 'softmax'});            // 4-bit read-out
 * quantizedDense({units: 9, kernelQuantizer: {className: 'HadamUniformSte', config: {bits: 2}}});
 * ```
 */
export class QuantizedDense extends layers.Layer {
  /** The name this class is registered and serialized under. */
  static readonly className = 'HadamQuantizedDense';
  /** Output size. */
  readonly units: number;
  /** Activation of the outputs. */
  readonly activation: Activation;
  /** The quantized affine map x -> x · Q(V) + b. */
  readonly projection: QuantizedProjection;

  constructor(args: QuantizedDenseArgs) {
    rejectUnknownKeys(QuantizedDense.className, args, QUANTIZED_DENSE_KEYS);
    super(args);
    const api = this.getClassName();
    this.units = checkPositiveInteger(api, 'units', args.units);
    this.activation = getActivation(api, args.activation ?? 'linear');
    this.projection = new QuantizedProjection(api, args);
    this.supportsMasking = true;
  }

  override build(inputShape: (number | null)[] | (number | null)[][]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as number[];
    const inputDim = shape[shape.length - 1];
    this.projection.addKernel(this, inputDim, this.units);
    this.projection.addBias(this, this.units);
    this.built = true;
  }

  /** Sets kernel and bias, after checking their count and shapes. */
  override setWeights(weights: Tensor[]): void {
    checkWeightsToSet(this.getClassName(), this.weights, weights);
    super.setWeights(weights);
  }

  override computeOutputShape(inputShape: (number | null)[]): (number | null)[] {
    return [...inputShape.slice(0, -1), this.units];
  }

  override call(inputs: Tensor | Tensor[], _kwargs: Kwargs): Tensor {
    return tidy(() => {
      const api = this.getClassName();
      const x = toFloatTensor(Array.isArray(inputs) ? inputs[0] : inputs, 'inputs', api);
      util.assert(x.rank >= 2, () => `${api}: inputs must have rank >= 2, got rank ${x.rank}`);
      return this.activation.apply(this.projection.apply(x));
    });
  }

  override getConfig(): serialization.ConfigDict {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activation.identifier,
      ...this.projection.getConfig(),
    };
  }
  /** Builds the layer from `config` after rejecting unknown keys. */
  static override fromConfig = strictFromConfig(QuantizedDense.className, QUANTIZED_DENSE_KEYS);
}

/** Creates a {@link QuantizedDense} layer. */
export function quantizedDense(args: QuantizedDenseArgs): QuantizedDense {
  return new QuantizedDense(args);
}
