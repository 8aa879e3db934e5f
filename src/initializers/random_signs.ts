import {
  greaterEqual,
  mul,
  neg,
  onesLike,
  randomUniform,
  serialization,
  tidy,
  where,
  type DataType,
  type Tensor,
} from '@tensorflow/tfjs-core';
import { describeValue } from '../common/validate';
import { InitializerBase } from '../common/tfjs_bases';

/** Arguments of {@link RandomSigns}. */
export interface RandomSignsArgs {
  /** |value| of every entry. Default 2. */
  magnitude?: number;
  /** Seed of the signs; unseeded when omitted. */
  seed?: number | null;
}

/**
 * Values ±magnitude with independent fair random signs: the default initializer of HadamRNN's
 * latent sign vector u (`signRecipe: 'stable'`). No entry starts near 0, so under Adam every sign
 * needs about magnitude / lr steps of a gradient pushing the same way before it flips. A seed draws
 * the same signs as `tf.initializers.randomUniform` with any symmetric bounds and that seed.
 *
 * ```js
 * const layer = hadamRNN({units: 64, recurrentInitializer: randomSigns({magnitude: 4, seed: 1})});
 * ```
 */
export class RandomSigns extends InitializerBase {
  /** The name this class is registered and serialized under. */
  static readonly className = 'HadamRandomSigns';
  /** The identifier configs and resolvers accept for it. */
  static readonly identifier = 'randomSigns';
  /** |value| of every entry. */
  readonly magnitude: number;
  /** Seed of the signs, or null. */
  readonly seed: number | null;

  constructor(args: RandomSignsArgs = {}) {
    super();
    this.magnitude = args.magnitude ?? 2;
    this.seed = args.seed ?? null;
    if (!(typeof this.magnitude === 'number' && this.magnitude > 0 && isFinite(this.magnitude))) {
      throw new Error(
        `RandomSigns: magnitude must be a positive finite number, got ${describeValue(this.magnitude)}`,
      );
    }
    if (!(this.seed === null || Number.isInteger(this.seed))) {
      throw new Error(`RandomSigns: seed must be an integer, got ${describeValue(this.seed)}`);
    }
  }

  /** A float32 tensor of `shape` with entries ±magnitude. */
  override apply(shape: number[], _dtype?: DataType): Tensor {
    return tidy(() => {
      const draw = randomUniform(shape, -1, 1, 'float32', this.seed ?? undefined);
      return mul(where(greaterEqual(draw, 0), onesLike(draw), neg(onesLike(draw))), this.magnitude);
    });
  }

  /** `{magnitude, seed}`. */
  override getConfig(): serialization.ConfigDict {
    return { magnitude: this.magnitude, seed: this.seed };
  }
}

/** Creates a {@link RandomSigns} initializer. */
export function randomSigns(args: RandomSignsArgs = {}): RandomSigns {
  return new RandomSigns(args);
}
