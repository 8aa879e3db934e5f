import {
  abs,
  customGrad,
  greaterEqual,
  isNaN as isNaNOp,
  lessEqual,
  mul,
  cast,
  onesLike,
  neg,
  tidy,
  where,
  type GradSaveFunc,
  type Tensor,
  serialization,
} from '@tensorflow/tfjs-core';
import { describeValue } from '../common/validate';
import { Quantizer } from './quantizer';
import { rejectUnknownArgs } from '../common/strict_args';

/**
 * The sign with a straight-through gradient.
 *
 * Forward: `q(x) = +1 if x >= 0 else -1` (sign(0) = +1, never 0; NaN stays NaN).
 * Backward: `dq/dx = 1`, zeroed where `|x| > clipValue` (larq's `ste_sign`); with `clipValue` null
 * the gradient is the identity everywhere.
 *
 * ```js
 * signSte(tf.tensor1d([-2, -0.5, 0, 0.5])).print();  // [-1, -1, 1, 1]
 * ```
 *
 * @param x A float tensor.
 * @param clipValue Gradient cut-off (default 1); null disables it.
 * @see Courbariaux et al. Binarized Neural Networks, 2016; larq's ste_sign.
 */
export function signSte(x: Tensor, clipValue: number | null = 1): Tensor {
  checkClipValue(clipValue);
  const op = customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const [input, save] = args as [Tensor, GradSaveFunc];
    save([input]);
    const signs = where(greaterEqual(input, 0), onesLike(input), neg(onesLike(input)));
    return {
      value: where(isNaNOp(input), input, signs),
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) =>
        clipValue == null
          ? (dy as Tensor)
          : mul(dy as Tensor, cast(lessEqual(abs(saved[0]), clipValue), 'float32')),
    };
  });
  return tidy(() => op(x));
}

function checkClipValue(clipValue: number | null): void {
  if (clipValue !== null && !(typeof clipValue === 'number' && clipValue > 0)) {
    throw new Error(
      `signSte: clipValue must be a positive number or null, got ${describeValue(clipValue)}`,
    );
  }
}

/** Arguments of {@link SignSte}. */
export interface SignSteArgs {
  /** Gradient cut-off: the gradient is zero where |x| > clipValue. Default 1; null disables it. */
  clipValue?: number | null;
}

/** The {@link signSte} quantizer as a serializable object (identifier 'signSte'). */
export class SignSte extends Quantizer {
  /** The name this class is registered and serialized under. */
  static readonly className = 'HadamSignSte';
  /** The identifier configs and resolvers accept for it. */
  static readonly identifier = 'signSte';
  /** One bit per value. */
  readonly precision = 1;
  /** Gradient cut-off; null when the gradient is the identity everywhere. */
  readonly clipValue: number | null;

  constructor(args: SignSteArgs = {}) {
    super();
    rejectUnknownArgs('signSte', args, ['clipValue']);
    this.clipValue = args.clipValue === undefined ? 1 : args.clipValue;
    checkClipValue(this.clipValue);
  }

  /** {@link signSte} of `x` with this quantizer's clipValue. */
  call(x: Tensor): Tensor {
    return signSte(x, this.clipValue);
  }

  /** `{clipValue}`. */
  getConfig(): serialization.ConfigDict {
    return { clipValue: this.clipValue };
  }
}
