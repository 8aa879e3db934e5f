import { clipByValue, serialization, tidy, type Tensor } from '@tensorflow/tfjs-core';
import { describeValue } from '../common/validate';
import { ConstraintBase } from '../common/tfjs_bases';
import { soleOption } from '../common/strict_args';

/** Arguments of {@link WeightClip}. */
export interface WeightClipArgs {
  /** Latent weights are clipped to [-clipValue, clipValue]. Default 1. */
  clipValue?: number;
}

/**
 * Clips latent weights to [-clipValue, clipValue] (larq's `WeightClip`), for instance HadamRNN's
 * latent recurrent vector u with a clipped sign STE (`signSte` with a clipValue): it keeps latent
 * values where the STE still passes gradients, so they can change sign.
 *
 * It is a real tfjs-layers `Constraint`, usable in any layer. tfjs's `fit` never applies
 * constraints itself (only `LayerVariable.write` does); this package's layers make every
 * constraint of theirs take effect on each optimizer update (see `constrainOnAssign`), and other
 * layers get it only through `setWeights`.
 *
 * ```js
 * const layer = hadamRNN({units: 64, recurrentConstraint: weightClip({clipValue: 0.5})});
 * ```
 */
export class WeightClip extends ConstraintBase {
  /** The name this class is registered and serialized under. */
  static readonly className = 'HadamWeightClip';
  /** The identifier configs and resolvers accept for it. */
  static readonly identifier = 'weightClip';
  /** Half-width of the box [-clipValue, clipValue]. */
  readonly clipValue: number;

  constructor(args: WeightClipArgs = {}) {
    super();
    this.clipValue = soleOption('WeightClip', args, 'clipValue', 1);
    if (!(typeof this.clipValue === 'number' && this.clipValue > 0)) {
      throw new Error(
        `WeightClip: clipValue must be a positive number, got ${describeValue(this.clipValue)}`,
      );
    }
  }

  /** `w` clipped to [-clipValue, clipValue]. */
  override apply(w: Tensor): Tensor {
    return tidy(() => clipByValue(w, -this.clipValue, this.clipValue));
  }

  /** `{clipValue}`. */
  override getConfig(): serialization.ConfigDict {
    return { clipValue: this.clipValue };
  }
}

/** Creates a {@link WeightClip} constraint. */
export function weightClip(args: WeightClipArgs = {}): WeightClip {
  return new WeightClip(args);
}
