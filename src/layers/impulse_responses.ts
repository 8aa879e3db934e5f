/**
 * HadamRNN's last state without running the recurrence over the batch.
 *
 * The recurrence is linear and time-invariant: from h_{-1} = 0,
 *   h_{T-1} = Σ_t W^{T-1-t} (x_t U + b) = Σ_t Σ_k x_{t,k} R_{k,t} + c,
 * with the impulse responses R_{k,t} = W^{T-1-t} U_k (U_k the kernel's row k) and
 * c = Σ_j W^j b: one matMul [batch, K·T] × [K·T, n] and an add (the "convolutional mode" of linear
 * RNNs and state-space models). The responses depend on the weights and T only, so a layer keeps
 * them while its weights stay the same ({@link ImpulseResponseCache}): tfjs-wasm then also keeps
 * the matMul's prepared right operand, which costs more to prepare than the product itself. The
 * matMul does the input projection's multiply-adds, so with the responses at hand the recurrence
 * over the batch is saved, and no [batch, T, n] tensor is written (docs/benchmarks.md, wasm).
 */
import {
  add,
  concat,
  keep,
  matMul,
  mul,
  reshape,
  reverse,
  slice,
  sum,
  tidy,
  transpose,
  zeros,
  dispose,
  type Tensor1D,
  type Tensor2D,
  type Tensor3D,
} from '@tensorflow/tfjs-core';
import { hadamardRecurrence } from '../ops/hadamard_recurrence';
import { hadamardTransform } from '../ops/hadamard_transform';

/** Most values of the responses (K·T·n floats, 64 MiB) a layer keeps. */
export const MAX_RESPONSE_VALUES = 2 ** 24;

/** The weights the last state depends on. */
export interface LinearRecurrence {
  /** The input kernel U as applied (quantized), [K, n]. */
  kernel: Tensor2D;
  /** The bias b, [n], or null. */
  bias: Tensor1D | null;
  /** The signs s of W = diag(s) (I ⊗ S_b) / sqrt(b), [n]. */
  signs: Tensor1D;
  blockSize: number;
  /** Whether the sequence is consumed from its last step to its first. */
  goBackwards: boolean;
}

/** The impulse responses of a recurrence over T steps. */
export interface ImpulseResponses {
  /** [K·T, n]: row k·T + t is what input k at step t adds to the last state. */
  inputs: Tensor2D;
  /** [n]: what the bias adds to the last state, or null without a bias. */
  bias: Tensor1D | null;
}

/** Whether responses for inputs [batch, T, K] into `units` units make inference cheaper: fewer
 * response rows than batch rows (the recurrence then runs over fewer rows), and bounded size. */
export function responsesArePreferable([batch, steps, inputDim]: readonly number[], units: number) {
  return steps > 0 && inputDim < batch && inputDim * steps * units <= MAX_RESPONSE_VALUES;
}

/** The impulse responses of `recurrence` over `steps` steps. */
export function impulseResponses(recurrence: LinearRecurrence, steps: number): ImpulseResponses {
  const { kernel, bias, signs, blockSize, goBackwards } = recurrence;
  const [inputDim, units] = kernel.shape;
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

/** The last state [batch, n] for inputs `x` [batch, T, K], from zeros and with every step counted
 * (no mask), given the responses over T steps. */
export function lastStateFromResponses(x: Tensor3D, responses: ImpulseResponses): Tensor2D {
  const [batch, steps, inputDim] = x.shape;
  // [batch, K·T] with column k·T + t = x_{t,k}, the responses' row order.
  const flat = reshape(transpose(x, [0, 2, 1]), [batch, inputDim * steps]);
  const state = matMul(flat as Tensor2D, responses.inputs);
  return (responses.bias == null ? state : add(state, responses.bias)) as Tensor2D;
}

/**
 * A layer's impulse responses, kept while the tensors they were computed from stay the same. A
 * variable's `dataId` changes on every assign (optimizer steps, setWeights), so the key is the
 * weights' data ids, the backend, T and the direction. Responses are built on the second call with
 * the same key: a single inference with new weights (say, after each training step) runs the
 * recurrence instead of paying for responses it would not reuse.
 */
export class ImpulseResponseCache {
  private key: readonly unknown[] | null = null;
  private responses: ImpulseResponses | null = null;

  /** The responses for `key`, built by `build` (and kept) on the second request in a row for the
   * same key; null on a first request. */
  lookup(key: readonly unknown[], build: () => ImpulseResponses): ImpulseResponses | null {
    const sameKey =
      this.key != null && this.key.length === key.length && this.key.every((k, i) => k === key[i]);
    if (!sameKey) {
      this.dispose();
      this.key = key;
      return null;
    }
    if (this.responses == null) {
      const built = build();
      keep(built.inputs);
      if (built.bias != null) {
        keep(built.bias);
      }
      this.responses = built;
    }
    return this.responses;
  }

  /** Frees the kept responses. */
  dispose(): void {
    if (this.responses != null) {
      dispose([
        this.responses.inputs,
        ...(this.responses.bias == null ? [] : [this.responses.bias]),
      ]);
    }
    this.responses = null;
    this.key = null;
  }
}
