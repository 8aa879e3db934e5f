/**
 * The last state of HadamRNN's recurrence as one matMul, from impulse responses.
 *
 * The recurrence is linear and time-invariant: from h_{-1} = 0,
 *   h_{T-1} = Σ_t W^{T-1-t} (x_t U + b) = Σ_t Σ_k x_{t,k} R_{k,t} + c,
 * with the impulse responses R_{k,t} = W^{T-1-t} U_k (U_k the kernel's row k) and
 * c = Σ_j W^j b: one matMul [batch, K·T] × [K·T, n] and an add (the "convolutional mode" of linear
 * RNNs and state-space models). The responses depend on the weights and T only, so a caller may
 * keep them while its weights stay the same (the HadamRNN layer does): tfjs-wasm then also keeps
 * the matMul's prepared right operand, which costs more to prepare than the product itself. The
 * matMul does the input projection's multiply-adds, so with the responses at hand the recurrence
 * over the batch is saved, and no [batch, T, n] tensor is written (docs/benchmarks.md, wasm).
 * Internal: the layer calls it with its own weights, which its constructor and build have checked;
 * the transform and recurrence ops check the signs and the block size again.
 */
import {
  add,
  concat,
  matMul,
  mul,
  reshape,
  reverse,
  slice,
  sum,
  tidy,
  transpose,
  zeros,
  type Tensor1D,
  type Tensor2D,
  type Tensor3D,
} from '@tensorflow/tfjs-core';
import { hadamardRecurrence } from './hadamard_recurrence';
import { hadamardTransform } from './hadamard_transform';

/** Options of {@link impulseResponses}. */
export interface ImpulseResponseOptions {
  /** Block size b of W = diag(s) (I ⊗ S_b) / sqrt(b): a power of two dividing n. Default n. */
  blockSize?: number;
  /** Whether the sequence is consumed from its last step to its first. Default false. */
  goBackwards?: boolean;
}

/** The impulse responses of a recurrence over T steps. */
export interface ImpulseResponses {
  /** [K·T, n]: row k·T + t is what input k at step t adds to the last state. */
  inputs: Tensor2D;
  /** [n]: what the bias adds to the last state, or null without a bias. */
  bias: Tensor1D | null;
}

/**
 * The impulse responses of `h_t = s ⊙ FWHT_b(h_{t-1}) / sqrt(b) + x_t · kernel + bias` over
 * `steps` steps: `R_{k,t} = W^{T-1-t} kernel_k` (W^t when going backwards) and
 * `c = Σ_{j<T} W^j bias`, computed by one {@link hadamardRecurrence} over K + 1 rows.
 *
 * ```js
 * const kernel = tf.randomNormal([3, 8]), signs = tf.ones([8]);
 * const responses = impulseResponses(kernel, null, signs, 5);        // inputs [15, 8]
 * lastStateFromResponses(tf.randomNormal([4, 5, 3]), responses);      // [4, 8]
 * ```
 *
 * @param kernel The input kernel as applied (quantized), [K, n].
 * @param bias The bias [n], or null for none.
 * @param signs The signs s of W, [n].
 * @param steps T, at least 1.
 * @param options `blockSize` (default n) and `goBackwards` (default false).
 */
export function impulseResponses(
  kernel: Tensor2D,
  bias: Tensor1D | null,
  signs: Tensor1D,
  steps: number,
  options: ImpulseResponseOptions = {},
): ImpulseResponses {
  const [inputDim, units] = kernel.shape;
  const { blockSize, goBackwards = false } = options;
  const [inputs, biasResponse] = tidy(() => {
    // The bias is the kernel row of a constant input 1.
    const rows = bias == null ? kernel : concat([kernel, reshape(bias, [1, units])], 0);
    // W^{-1} = W^T = (I ⊗ S_b) diag(s) / sqrt(b): from W^{-1} U_k, the state after step j is
    // W^j U_k, j = 0..T-1.
    const start = hadamardTransform(mul(rows, signs) as Tensor2D, { blockSize });
    const powers = hadamardRecurrence(zeros([rows.shape[0], steps, units]), signs, start, {
      blockSize,
    });
    // Step t meets W^{T-1-t}, or W^t when the sequence is consumed backwards.
    const ordered = goBackwards ? powers : reverse(powers, 1);
    const fromInputs = reshape(slice(ordered, [0, 0, 0], [inputDim, steps, units]), [
      inputDim * steps,
      units,
    ]);
    return bias == null
      ? [fromInputs]
      : [fromInputs, sum(slice(powers, [inputDim, 0, 0], [1, steps, units]), [0, 1])];
  });
  return { inputs: inputs as Tensor2D, bias: (biasResponse as Tensor1D | undefined) ?? null };
}

/**
 * The last state [batch, n] for inputs `x` [batch, T, K], from zeros and with every step counted
 * (no mask), given the {@link impulseResponses} over T steps: `flatten(x) · R + c`.
 */
export function lastStateFromResponses(x: Tensor3D, responses: ImpulseResponses): Tensor2D {
  const [batch, steps, inputDim] = x.shape;
  return tidy(() => {
    // [batch, K·T] with column k·T + t = x_{t,k}, the responses' row order.
    const flat = reshape(transpose(x, [0, 2, 1]), [batch, inputDim * steps]);
    const state = matMul(flat as Tensor2D, responses.inputs);
    return (responses.bias == null ? state : add(state, responses.bias)) as Tensor2D;
  });
}
