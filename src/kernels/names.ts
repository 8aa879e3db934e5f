/**
 * Kernel names and their input/attribute types, declared once for every backend (as tfjs-core's
 * `kernel_names.ts` does). Kernels, ops and gradients import their names from here.
 */
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

/** Walsh-Hadamard transform of each contiguous block along the last axis. */
export const HadamardTransform = 'HadamardTransform';
/** Inputs of `HadamardTransform`. */
export type HadamardTransformInputs = {
  /** The float32 tensor to transform along its last axis. */
  x: TensorInfo;
};
/** Attributes of `HadamardTransform`. */
export interface HadamardTransformAttrs extends NamedAttrMap {
  /** Size b of each independently transformed block: a power of two dividing the last dimension. */
  blockSize: number;
  /** Scale by 1/sqrt(blockSize) (orthonormal) when true; raw sums of +-1 terms when false. */
  normalize: boolean;
}

/**
 * Every state of the linear recurrence `h_k = s * FWHT_b(h_{k-1}) / sqrt(b) + z_t(k)` over a sequence,
 * in processing order (`t(k) = goBackwards ? T-1-k : k`). Inputs: `z` [batch, T, n], `s` [n] of +-1,
 * `h0` [batch, n] and `mask` [batch, T] (1 runs a step; 0 carries the state through it unchanged).
 */
export const HadamardRecurrence = 'HadamardRecurrence';
/** Inputs of `HadamardRecurrence`. */
export type HadamardRecurrenceInputs = {
  /** Shape [batch, T, n], the input term of every step. */
  z: TensorInfo;
  /** Shape [n], the signs (diagonal of W). */
  s: TensorInfo;
  /** Shape [batch, n], the initial state. */
  h0: TensorInfo;
  /** Shape [batch, T], 1 runs a step, 0 carries the state through it. */
  mask: TensorInfo;
};
/** Attributes of `HadamardRecurrence` and `HadamardRecurrenceGrad`. */
export interface HadamardRecurrenceAttrs extends NamedAttrMap {
  /** Block size b of the block-diagonal Hadamard matrix: a power of two dividing n. */
  blockSize: number;
  /** Consume the sequence from its last step to its first. */
  goBackwards: boolean;
}

/**
 * One reverse sweep of the recurrence's adjoint. Inputs: `dy` and `states` [batch, T, n] (both in
 * processing order), `s`, `h0` and `mask` as for the forward kernel. Outputs, in order:
 * `dz` [batch, T, n] (in time order, like `z`), `ds` [n] and `dh0` [batch, n].
 */
export const HadamardRecurrenceGrad = 'HadamardRecurrenceGrad';
/** Inputs of `HadamardRecurrenceGrad`. */
export type HadamardRecurrenceGradInputs = {
  /** Shape [batch, T, n], the gradient of the loss with respect to every state (processing order). */
  dy: TensorInfo;
  /** Shape [batch, T, n], the forward kernel's output. */
  states: TensorInfo;
  /** Shape [n], the signs. */
  s: TensorInfo;
  /** Shape [batch, n], the initial state. */
  h0: TensorInfo;
  /** Shape [batch, T], the forward pass's mask. */
  mask: TensorInfo;
};
/** Attributes of `HadamardRecurrenceGrad`: those of the forward kernel. */
export type HadamardRecurrenceGradAttrs = HadamardRecurrenceAttrs;

/**
 * The weight gradients of the affine map `y = x · K + bias` in one pass over the rows: for `x`
 * [rows, inDim] and `dy` [rows, n], outputs `dk = xᵀ · dy` [inDim, n] and `db`, the sum of dy's
 * rows [n]. Registered for wasm, where tfjs's matMul would repack dy (new at every training step)
 * as its weights, and for webgpu, where tfjs's sum over rows is slow; other backends compute the
 * same from stock ops.
 */
export const AffineWeightGrads = 'AffineWeightGrads';
/** Inputs of `AffineWeightGrads`. */
export type AffineWeightGradsInputs = {
  /** Shape [rows, inDim], the affine map's input. */
  x: TensorInfo;
  /** Shape [rows, n], the gradient of the loss with respect to its output. */
  dy: TensorInfo;
};

/**
 * A HadamRNN layer's projection and recurrence in one pass, for backends where separate
 * projection, recurrence and activation passes cost more than the arithmetic: `out_k = act(h_k)`
 * with `h_k = s * FWHT_b(h_{k-1}) / sqrt(b) + x_t · kernel + bias` (h carried through masked
 * steps). Its gradient is registered for activation 'linear' (the states), which training runs;
 * 'relu' is for inference. Registered for wasm and webgpu.
 */
export const HadamRNNSequence = 'HadamRNNSequence';
/** Inputs of `HadamRNNSequence`. */
export type HadamRNNSequenceInputs = {
  /** Shape [batch, T, inDim], the layer's input. */
  x: TensorInfo;
  /** Shape [inDim, n], the (dequantized) input kernel. */
  kernel: TensorInfo;
  /** Shape [n], the input bias. */
  bias: TensorInfo;
  /** Shape [n], the signs. */
  s: TensorInfo;
  /** Shape [batch, n], the initial state. */
  h0: TensorInfo;
  /** Shape [batch, T], 1 runs a step, 0 carries the state through it. */
  mask: TensorInfo;
};
/** Attributes of `HadamRNNSequence`. */
export interface HadamRNNSequenceAttrs extends HadamardRecurrenceAttrs {
  /** The output activation: 'relu' or 'linear'. */
  activation: string;
}

/** A kernel's inputs and attributes. */
export interface KernelSignature<I, A extends NamedAttrMap> {
  /** The kernel's named input tensors. */
  inputs: I;
  /** The kernel's attributes. */
  attrs: A;
}

/** Each kernel's signature, by name: what `kernelConfig` checks a kernel against. */
export interface KernelSignatures {
  /** See {@link HadamardTransform}. */
  [HadamardTransform]: KernelSignature<HadamardTransformInputs, HadamardTransformAttrs>;
  /** See {@link HadamardRecurrence}. */
  [HadamardRecurrence]: KernelSignature<HadamardRecurrenceInputs, HadamardRecurrenceAttrs>;
  /** See {@link HadamardRecurrenceGrad}. */
  [HadamardRecurrenceGrad]: KernelSignature<
    HadamardRecurrenceGradInputs,
    HadamardRecurrenceGradAttrs
  >;
  /** See {@link AffineWeightGrads}; it has no attributes. */
  [AffineWeightGrads]: KernelSignature<AffineWeightGradsInputs, NamedAttrMap>;
  /** See {@link HadamRNNSequence}. */
  [HadamRNNSequence]: KernelSignature<HadamRNNSequenceInputs, HadamRNNSequenceAttrs>;
}
