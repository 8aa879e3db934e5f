/**
 * The fused sequence op (HadamRNNSequence) on the active backend, its outputs and its gradients
 * ('linear'), with their float64 references, for the wasm tests and the webgpu browser suite alike.
 */
import * as tf from '@tensorflow/tfjs-core';
import { hadamRNNSequence } from '../../src/ops/hadam_rnn_sequence';
import { valuesOf } from './expect';
import { randomSigns, randomValues } from './random';
import {
  referenceAffineInputGrad,
  referenceAffineWeightGrads,
  referenceRecurrence,
  referenceRecurrenceGrad,
} from '../reference/dense';
import { referenceProjection } from '../reference/layer';

/** Sizes and options of one case. */
export interface SequenceGradCase {
  batch: number;
  steps: number;
  inDim: number;
  units: number;
  blockSize: number;
  goBackwards: boolean;
  masked: boolean;
}

/** The gradients of one input, as computed and as the reference has them. */
export type SequenceGrads = Record<'x' | 'kernel' | 'bias' | 's' | 'h0', Float64Array>;

/**
 * Gradients of sum(dy ⊙ hadamRNNSequence(x, {kernel, bias, s}, h0, mask)) with respect to x,
 * kernel, bias, s and h0 on the active backend (read back, nothing left allocated), and the
 * float64 references: dense recurrence gradient, then xᵀ·dz, Σ dz and dz·kernelᵀ.
 */
export function sequenceGradsAndReference(c: SequenceGradCase): {
  actual: SequenceGrads;
  expected: SequenceGrads;
} {
  const { batch, steps, inDim, units, blockSize, goBackwards } = c;
  const x = randomValues(batch * steps * inDim, steps + inDim);
  const kernel = randomValues(inDim * units, units);
  const bias = randomValues(units, units + 2);
  const s = randomSigns(units, units + 1);
  const h0 = randomValues(batch * units, batch);
  const dy = randomValues(batch * steps * units, steps + 1);
  const mask = c.masked
    ? Float32Array.from({ length: batch * steps }, (_, i) => (i % 3 === 1 ? 0 : 1))
    : null;
  const grads = tf.tidy(() => {
    const maskTensor = mask == null ? undefined : tf.tensor2d(mask, [batch, steps]);
    const f = (xt: tf.Tensor, kt: tf.Tensor, bt: tf.Tensor, st: tf.Tensor, ht: tf.Tensor) => {
      const states = hadamRNNSequence(
        xt as tf.Tensor3D,
        () => ({ kernel: kt as tf.Tensor2D, bias: bt as tf.Tensor1D, s: st as tf.Tensor1D }),
        ht as tf.Tensor2D,
        maskTensor,
        { blockSize, goBackwards, activation: 'linear' },
      );
      if (states == null) {
        throw new Error(`the fused sequence kernel did not run on ${tf.getBackend()}`);
      }
      return tf.sum(tf.mul(states, tf.tensor3d(dy, [batch, steps, units])));
    };
    return tf.grads(f)([
      tf.tensor3d(x, [batch, steps, inDim]),
      tf.tensor2d(kernel, [inDim, units]),
      tf.tensor1d(bias),
      tf.tensor1d(s),
      tf.tensor2d(h0, [batch, units]),
    ]);
  });
  const [gx, gKernel, gBias, gs, gh0] = grads.map((g) => valuesOf(g));
  tf.dispose(grads);
  const layer = { kernel, u: s, bias, inputDim: inDim, units, blockSize, bits: null };
  const z = referenceProjection(x, layer);
  const recurrence = referenceRecurrenceGrad(dy, z, s, h0, mask, c);
  const rows = batch * steps;
  const weights = referenceAffineWeightGrads(x, recurrence.dz, rows, inDim, units);
  return {
    actual: { x: gx, kernel: gKernel, bias: gBias, s: gs, h0: gh0 },
    expected: {
      x: referenceAffineInputGrad(recurrence.dz, kernel, rows, inDim, units),
      kernel: weights.dk,
      bias: weights.db,
      s: recurrence.ds,
      h0: recurrence.dh0,
    },
  };
}

/**
 * The outputs of hadamRNNSequence with `activation` ('relu' or 'linear') for a random layer of
 * `c`'s sizes on the active backend (read back, nothing left allocated), and the float64
 * reference: the dense recurrence of the projection, then the activation.
 */
export function sequenceAndReference(
  c: SequenceGradCase,
  activation: string,
): { values: Float64Array; reference: Float64Array } {
  const { batch, steps, units, inDim, blockSize, goBackwards } = c;
  const x = randomValues(batch * steps * inDim, steps);
  const kernel = randomValues(inDim * units, units);
  const bias = randomValues(units, 3);
  const s = randomSigns(units, units + 1);
  const h0 = randomValues(batch * units, batch);
  const mask = Float32Array.from({ length: batch * steps }, (_, i) =>
    c.masked && i % 3 === 1 ? 0 : 1,
  );
  const y = tf.tidy(() => {
    const out = hadamRNNSequence(
      tf.tensor3d(x, [batch, steps, inDim]),
      () => ({
        kernel: tf.tensor2d(kernel, [inDim, units]),
        bias: tf.tensor1d(bias),
        s: tf.tensor1d(s),
      }),
      tf.tensor2d(h0, [batch, units]),
      c.masked ? tf.tensor2d(mask, [batch, steps]) : undefined,
      { blockSize, goBackwards, activation },
    );
    if (out == null) {
      throw new Error(`${tf.getBackend()}: the fused sequence kernel did not run`);
    }
    return out;
  });
  const values = valuesOf(y);
  y.dispose();
  const layer = { kernel, u: s, bias, inputDim: inDim, units, blockSize, bits: null };
  const states = referenceRecurrence(referenceProjection(x, layer), s, h0, mask, c);
  return { values, reference: activation === 'relu' ? states.map((v) => Math.max(v, 0)) : states };
}
