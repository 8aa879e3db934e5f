/** Gives a built HadamRNN layer the weights of a float64 reference layer. */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ReferenceLayer } from '../reference/layer';
import { randomValues } from './random';

/** A reference layer with random kernel, u and bias drawn from `seed`, `seed + 1`, `seed + 2`. */
export function randomReferenceLayer(
  sizes: Pick<ReferenceLayer, 'inputDim' | 'units' | 'blockSize' | 'bits'>,
  seed: number,
): ReferenceLayer {
  return {
    kernel: randomValues(sizes.inputDim * sizes.units, seed),
    u: randomValues(sizes.units, seed + 1),
    bias: randomValues(sizes.units, seed + 2),
    ...sizes,
  };
}

/** Sets kernel, recurrent_kernel and bias of `layer` to `reference`'s (as float32). */
export function setReferenceWeights(layer: tfl.layers.Layer, reference: ReferenceLayer): void {
  const weights = [
    tf.tensor2d(Float32Array.from(reference.kernel), [reference.inputDim, reference.units]),
    tf.tensor1d(Float32Array.from(reference.u)),
    tf.tensor1d(Float32Array.from(reference.bias)),
  ];
  layer.setWeights(weights);
  tf.dispose(weights);
}
