import {
  Tensor,
  cast,
  engine,
  op,
  ones,
  util,
  type Tensor1D,
  type Tensor2D,
  type Tensor3D,
  type TensorLike,
} from '@tensorflow/tfjs-core';
import { HadamardRecurrence, type HadamardRecurrenceAttrs } from '../kernels/names';
import { hasKernel, recurrenceFromStockOps } from './fallback';
import { hadamardTransform } from './hadamard_transform';
import {
  checkBoolean,
  checkShape,
  formatShape,
  resolveBlockSize,
  toFloatTensor,
} from '../common/validate';

/** Options of {@link hadamardRecurrence}. */
export interface HadamardRecurrenceOptions {
  /** Block size b of the block-diagonal Hadamard matrix: a power of two dividing n. Default n. */
  blockSize?: number;
  /** Consume `z` from its last step to its first; states come out in processing order. Default false. */
  goBackwards?: boolean;
  /** Shape [batch, T]. Where it is 1 (or true) a step runs; where 0 (false) the state is carried
   * through it unchanged. Default: every step runs. */
  mask?: Tensor | TensorLike;
}

function hadamardRecurrence_(
  z: Tensor3D | TensorLike,
  s: Tensor1D | TensorLike,
  h0: Tensor2D | TensorLike,
  options: HadamardRecurrenceOptions = {},
): Tensor3D {
  const api = 'hadamardRecurrence';
  const $z = toFloatTensor(z, 'z', api) as Tensor3D;
  util.assert(
    $z.rank === 3,
    () => `${api}: z must have rank 3 [batch, T, n], got shape ${formatShape($z.shape)}`,
  );
  const [batch, steps, units] = $z.shape;
  const attrs: HadamardRecurrenceAttrs = {
    blockSize: resolveBlockSize(api, units, options.blockSize, 'units (last dimension of z)'),
    goBackwards: checkBoolean(api, 'goBackwards', options.goBackwards ?? false),
  };
  const $s = toFloatTensor(s, 's', api) as Tensor1D;
  checkShape(api, 's', $s.shape, [units]);
  const $h0 = toFloatTensor(h0, 'h0', api) as Tensor2D;
  checkShape(api, 'h0', $h0.shape, [batch, units]);
  const $mask = resolveMask(options.mask, batch, steps, api);

  if (!hasKernel(HadamardRecurrence)) {
    const transform = (h: Tensor2D) => hadamardTransform(h, { blockSize: attrs.blockSize });
    return recurrenceFromStockOps($z, $s, $h0, $mask, attrs, transform);
  }
  return engine().runKernel(
    HadamardRecurrence,
    { z: $z, s: $s, h0: $h0, mask: $mask },
    attrs,
  ) as Tensor3D;
}

/** A float [batch, T] mask: all ones when none is given; bool (as Keras computes them) or numeric
 * otherwise, checked to be [batch, T]. */
export function resolveMask(
  mask: Tensor | TensorLike | undefined,
  batch: number,
  steps: number,
  api: string,
): Tensor2D {
  const $mask = (mask == null ? ones([batch, steps]) : toMask(mask, api)) as Tensor2D;
  checkShape(api, 'mask', $mask.shape, [batch, steps]);
  return $mask;
}

/** Masks may be bool (as Keras computes them) or numeric. */
function toMask(mask: Tensor | TensorLike, api: string): Tensor {
  if (mask instanceof Tensor && mask.dtype === 'bool') {
    return cast(mask, 'float32');
  }
  return toFloatTensor(mask, 'mask', api);
}

/**
 * Every state of the HadamRNN recurrence over a whole sequence, in one kernel call.
 *
 * For k = 0..T-1 (t = k, or T-1-k with `goBackwards`):
 * `h_k = s ⊙ FWHT_b(h_{k-1}) / sqrt(b) + z_t`, with `h_{-1} = h0`. This is `h_k = W h_{k-1} + z_t`
 * for `W = diag(s) (I_{n/b} ⊗ S_b) / sqrt(b)`, which is orthogonal when s is ±1; W is never built.
 * The registered gradient returns dz, ds and dh0 from one reverse sweep.
 *
 * ```js
 * const z = tf.randomNormal([2, 5, 8]);          // U x_t + b for every step
 * const s = tf.tensor1d([1, -1, 1, 1, -1, 1, -1, -1]);
 * const states = hadamardRecurrence(z, s, tf.zeros([2, 8]));  // [2, 5, 8]
 * ```
 *
 * @param z [batch, T, n] float32 inputs of every step; n a power of two.
 * @param s [n] the diagonal of signs (any float works; HadamRNN feeds ±1).
 * @param h0 [batch, n] the initial state.
 * @param options `blockSize` (default n), `goBackwards` (default false), `mask` (default none).
 * @returns [batch, T, n] float32, the states in processing order.
 * @see Foucault, Malgouyres, Mamalet. HadamRNN: Binary and Sparse Ternary Orthogonal RNNs. ICLR 2025.
 */
export const hadamardRecurrence = op({ hadamardRecurrence_ });
