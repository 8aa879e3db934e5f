/**
 * A HadamRNN layer's projection and recurrence (and its ReLU at inference) in one kernel call,
 * where the backend registers `HadamRNNSequence` (wasm, webgpu). Internal: the layer calls it for
 * every-step inference and, with the 'linear' activation (the states), whenever it runs the
 * recurrence, training included: that form has a registered gradient (gradients/).
 */
import {
  engine,
  env,
  zeros,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  type Tensor3D,
} from '@tensorflow/tfjs-core';
import { HadamRNNSequence, type HadamRNNSequenceAttrs } from '../kernels/names';
import { hasKernel } from './fallback';
import { resolveMask } from './hadamard_recurrence';

/** Environment flag: whether the layer may run its projection and recurrence as one fused kernel,
 * at every-step inference and for the states in training (default true; false keeps the
 * projection, the recurrence and the activation as separate ops). */
export const FUSED_SEQUENCE_FLAG = 'HADAMRNN_FUSED_SEQUENCE';
env().registerFlag(FUSED_SEQUENCE_FLAG, () => true);

/** Activations the kernel applies itself. */
const FUSED_ACTIVATIONS = new Set(['relu', 'linear']);

/** What the fused kernel needs of a layer. */
export interface SequenceWeights {
  /** [inDim, n], the dequantized input kernel. */
  kernel: Tensor2D;
  /** [n], or null for none. */
  bias: Tensor1D | null;
  /** [n], the signs. */
  s: Tensor1D;
}

/**
 * `activation(h_k)` for every step k of `x` [batch, T, inDim], in processing order, or null when
 * the backend has no fused kernel or the activation is not one it applies (the caller then runs
 * the projection, the recurrence and the activation as separate ops). `weights` is only called
 * when the kernel runs. Differentiable for 'linear' (to x, the weights and h0) when the weights
 * are the live ones on the tape. Call inside a tidy.
 */
export function hadamRNNSequence(
  x: Tensor3D,
  weights: () => SequenceWeights,
  h0: Tensor2D,
  mask: Tensor | undefined,
  attrs: HadamRNNSequenceAttrs,
): Tensor3D | null {
  if (
    !env().getBool(FUSED_SEQUENCE_FLAG) ||
    !hasKernel(HadamRNNSequence) ||
    !FUSED_ACTIVATIONS.has(attrs.activation)
  ) {
    return null;
  }
  const [batch, steps] = x.shape;
  const { kernel, bias, s } = weights();
  const inputs = {
    x,
    kernel,
    bias: bias ?? zeros([kernel.shape[1]]),
    s,
    h0,
    mask: resolveMask(mask, batch, steps, 'hadamRNN'),
  };
  return engine().runKernel(HadamRNNSequence, inputs, { ...attrs }) as Tensor3D;
}
