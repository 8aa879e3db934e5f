import {
  abs,
  clipByValue,
  customGrad,
  div,
  max,
  equal,
  onesLike,
  where,
  mul,
  round,
  scalar,
  serialization,
  tidy,
  type GradSaveFunc,
  type Tensor,
} from '@tensorflow/tfjs-core';
import { describeValue } from '../common/validate';
import { Quantizer } from './quantizer';
import { soleOption } from '../common/strict_args';

/** Default bits of the input and read-out matrices, as in the paper. */
export const DEFAULT_BITS = 4;
const MAX_BITS = 16;

/**
 * Symmetric uniform per-tensor quantization with a straight-through gradient.
 *
 * Forward, with `alpha = max|x|` recomputed on every call and `L = 2^(bits-1)`:
 * `q(x) = clamp(round(x · L / alpha), -L, L - 1) · alpha / L` (an all-zero x stays zero).
 * Backward: `dq/dx = 1`.
 *
 * ```js
 * uniformSte(tf.tensor1d([-1, -0.3, 0, 0.3, 1]), 2).print();  // [-1, -0.5, 0, 0.5, 0.5]
 * ```
 *
 * @param x A float tensor.
 * @param bits Bits per value, an integer from 1 to 16 (default 4).
 * @see Foucault, Malgouyres, Mamalet. HadamRNN. ICLR 2025 (the U and V quantizer).
 */
export function uniformSte(x: Tensor, bits: number = DEFAULT_BITS): Tensor {
  checkBits(bits);
  const levels = 2 ** (bits - 1);
  const op = customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const { alpha, rounded } = uniformGrid(args[0] as Tensor, bits);
    const steps = clipByValue(rounded, -levels, levels - 1);
    return {
      value: mul(steps, div(alpha, scalar(levels))),
      gradFunc: (dy: Tensor | Tensor[]) => dy as Tensor,
    };
  });
  return tidy(() => op(x));
}

/**
 * The grid of {@link uniformSte}: `alpha = max|x|` (1 for an all-zero x) and
 * `round(x · L / alpha)` before the clip, in [-L, L] with `L = 2^(bits-1)`, as float32 tensors. The
 * quantizer and the exporters (src/export) share it, so exported codes are the quantizer's own.
 */
export function uniformGrid(x: Tensor, bits: number): { alpha: Tensor; rounded: Tensor } {
  return tidy(() => {
    const levels = 2 ** (bits - 1);
    const maxAbs = max(abs(x));
    // An all-zero tensor has alpha = 0; dividing by 1 instead keeps it at zero.
    const alpha = where(equal(maxAbs, 0), onesLike(maxAbs), maxAbs);
    return { alpha, rounded: round(div(mul(x, levels), alpha)) };
  });
}

function checkBits(bits: number): void {
  if (!(Number.isInteger(bits) && bits >= 1 && bits <= MAX_BITS)) {
    throw new Error(
      `uniformSte: bits must be an integer from 1 to ${MAX_BITS}, got ${describeValue(bits)}`,
    );
  }
}

/** Arguments of {@link UniformSte}. */
export interface UniformSteArgs {
  /** Bits per value, an integer from 1 to 16. Default 4. */
  bits?: number;
}

/** The {@link uniformSte} quantizer as a serializable object (identifier 'uniformSte'). */
export class UniformSte extends Quantizer {
  /** The name this class is registered and serialized under. */
  static readonly className = 'HadamUniformSte';
  /** The identifier configs and resolvers accept for it. */
  static readonly identifier = 'uniformSte';
  /** Bits per value. */
  readonly precision: number;

  constructor(args: UniformSteArgs = {}) {
    super();
    this.precision = soleOption('uniformSte', args, 'bits', DEFAULT_BITS);
    checkBits(this.precision);
  }

  /** {@link uniformSte} of `x` at this quantizer's precision. */
  call(x: Tensor): Tensor {
    return uniformSte(x, this.precision);
  }

  /** `{bits}`. */
  getConfig(): serialization.ConfigDict {
    return { bits: this.precision };
  }
}
