import {
  add,
  expandDims,
  eye,
  mul,
  serialization,
  tidy,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  type Tensor3D,
} from '@tensorflow/tfjs-core';
import { initializers, layers, type LayerVariable } from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';
import { hadamardTransform } from '../ops/hadamard_transform';
import type { SequenceWeights } from '../ops/hadam_rnn_sequence';
import {
  checkBoolean,
  checkPositiveInteger,
  describeValue,
  resolveBlockSize,
  toFloatTensor,
} from '../common/validate';
import { getQuantizer, type Quantizer, type QuantizerIdentifier } from '../quantizers/quantizer';
import { SignSte } from '../quantizers/sign_ste';
import { RandomSigns } from '../initializers/random_signs';
import { getActivation, type Activation } from './activation';
import {
  QUANTIZED_PROJECTION_KEYS,
  QuantizedProjection,
  type QuantizedProjectionArgs,
} from './quantized_projection';
import { rejectUnknownKeys, strictFromConfig } from './config_keys';
import { serializeObject, type ObjectIdentifier } from '../common/resolve';
import type { Constraint, Initializer, Regularizer } from '../common/tfjs_bases';
import { resolveConstraint, resolveInitializer, resolveRegularizer } from './resolve';
import { addLayerWeight } from './weights';

/** Config keys of a HadamRNNCell, in getConfig order (after the generic layer keys). */
export const HADAM_RNN_CELL_KEYS = [
  'units',
  'blockSize',
  'activation',
  ...QUANTIZED_PROJECTION_KEYS,
  'recurrentInitializer',
  'recurrentRegularizer',
  'recurrentConstraint',
  'recurrentQuantizer',
  'trainableSigns',
  'signRecipe',
] as const;

/** Keras cell options this cell cannot honour, with the reason. */
const CELL_REFUSED_KEYS = {
  dropout:
    'dropout is an option of the HadamRNN layer, not of the cell (the layer draws one mask per sequence)',
  recurrentDropout:
    'recurrentDropout is not supported: HadamRNN keeps W exactly orthogonal and runs its recurrence fused',
};

/** Values of `signRecipe`: how the latent sign vector u is initialized and trained by default. */
export const SIGN_RECIPES = ['stable', 'paper'] as const;
/** One of {@link SIGN_RECIPES}. */
export type SignRecipe = (typeof SIGN_RECIPES)[number];

/** |u| at initialization in the 'stable' recipe, whatever `units` (Adam moves each u by about
 * its learning rate per step, whatever the size of the layer). */
export const STABLE_SIGN_MAGNITUDE = 2;

/**
 * The default initializer of u for `recipe`: ±{@link STABLE_SIGN_MAGNITUDE} with random signs
 * ('stable'), or uniform in ±sqrt(6 / (1 + units)) ('paper'). `seed` seeds it (the signs drawn
 * are the same for both recipes).
 */
export function signInitializer(recipe: SignRecipe, units: number, seed?: number): Initializer {
  if (recipe === 'paper') {
    const limit = Math.sqrt(6 / (1 + units));
    return initializers.randomUniform({ minval: -limit, maxval: limit, seed });
  }
  return new RandomSigns({ magnitude: STABLE_SIGN_MAGNITUDE, seed });
}

/**
 * What the {@link HadamRNN} layer needs to run a {@link HadamRNNCell} over a whole sequence
 * ({@link HadamRNNCell.sequenceTerms}): the layer reads nothing else of its cell.
 */
export interface SequenceTerms {
  /** Size n of the state. */
  readonly units: number;
  /** Block size b of W. */
  readonly blockSize: number;
  /** Activation of the outputs. */
  readonly activation: Activation;
  /** The input terms z_t = x_t · Q(U) + b of every step of `x` [batch, T, inputDim], [batch, T, n],
   * as one matMul. */
  inputTerms(x: Tensor3D): Tensor3D;
  /** The signs s = Q(u), differentiable with respect to u by the STE. */
  signs(): Tensor1D;
  /** The weights as applied: the dequantized kernel, the bias (null without) and the signs. */
  appliedWeights(): SequenceWeights;
  /** The data ids of the latent weights (kernel, bias, u): they change on every assign, so they
   * key what is computed from the weights and kept. */
  weightIds(): unknown[];
}

/** Largest number of units accepted (2^24): far beyond any practical RNN, and safe for int32 math. */
export const MAX_UNITS = 2 ** 24;

/** Arguments of {@link HadamRNNCell} (and of the {@link HadamRNN} layer, which adds RNN options). */
export interface HadamRNNCellArgs extends LayerArgs, QuantizedProjectionArgs {
  /** Size n of the state: a power of two from 1 to 2^24. Required. */
  units: number;
  /** Block size b of W = diag(s)(I ⊗ S_b)/sqrt(b): a power of two dividing `units`. Default
   * `units` (HadamRNN); smaller gives Block-HadamRNN, a sparse ternary W. */
  blockSize?: number;
  /** Activation of the outputs only; the carried state stays linear. Any tfjs activation name.
   * Default 'relu'. */
  activation?: string;
  /** Initializer of the latent recurrent vector u [units]. Default set by `signRecipe`
   * ({@link signInitializer}). */
  recurrentInitializer?: ObjectIdentifier<Initializer>;
  /** Regularizer of u. Default none. */
  recurrentRegularizer?: ObjectIdentifier<Regularizer> | null;
  /** Constraint on u, applied after every optimizer step. Default none (both recipes); for
   * instance `weightClip({clipValue: 1})` bounds u. */
  recurrentConstraint?: ObjectIdentifier<Constraint> | null;
  /** Quantizer giving the signs s from u. Default `signSte({clipValue: null})`: sign(0) = +1,
   * identity straight-through gradient (both recipes). */
  recurrentQuantizer?: QuantizerIdentifier;
  /** Whether training updates u. Default true (the paper). false keeps the signs drawn at
   * initialization: W stays a fixed binary orthogonal matrix, and only U, the bias (and the layers
   * around) learn. u is then a non-trainable weight, listed after the trainable ones. */
  trainableSigns?: boolean;
  /**
   * How u is initialized when `recurrentInitializer` is not given. Always s = sign(u).
   * - 'stable' (default): u = ±{@link STABLE_SIGN_MAGNITUDE} with random signs
   *   ({@link RandomSigns}). Adam moves each u by at most about its learning rate per step, so a
   *   sign flips only after the gradient has pushed it the same way for about 2 / lr steps (a
   *   threshold, like larq's Bop), and trained signs learn the copy task in every run measured
   *   (docs/results.md, "Seed sweeps").
   * - 'paper': u uniform in ±sqrt(6 / (1 + units)), the paper's code: u starts near 0, and in
   *   the runs that fail the signs keep flipping while |u| collapses; the copy task at T = 100
   *   learns at some seeds only (docs/results.md).
   * Both: identity sign STE, no constraint. Serialized, so a loaded model keeps its recipe.
   */
  signRecipe?: SignRecipe;
}

/**
 * One step of HadamRNN, for `tf.layers.rnn` and `tf.layers.stackedRNNCells`:
 * `h_t = s ⊙ FWHT_b(h_{t-1}) / sqrt(b) + x_t · Q(U) + b_U`, output `activation(h_t)`, state `h_t`.
 * `s = sign(u)` through a straight-through estimator. The {@link HadamRNN} layer runs the same math
 * over a whole sequence in one fused kernel; use the cell to combine it with other cells.
 *
 * Weights, in order: `kernel` [inputDim, units] (latent U), `recurrent_kernel` [units] (latent u),
 * `bias` [units].
 *
 * ```js
 * const rnn = tf.layers.rnn({cell: hadamRNNCell({units: 32}), returnSequences: true});
 * ```
 * @see Foucault, Malgouyres, Mamalet. HadamRNN: Binary and Sparse Ternary Orthogonal RNNs. ICLR 2025.
 */
export class HadamRNNCell extends layers.RNNCell {
  /** The name this class is registered and serialized under. */
  static readonly className = 'HadamRNNCell';
  /** Size n of the state. */
  readonly units: number;
  /** Block size b of W. */
  readonly blockSize: number;
  /** The state is one vector of `units` values. */
  readonly stateSize: number;
  /** Activation of the outputs. */
  readonly activation: Activation;
  /** The input projection x -> x · Q(U) + b_U. */
  readonly projection: QuantizedProjection;
  /** Initializer of u. */
  readonly recurrentInitializer: Initializer;
  /** Regularizer of u, if any. */
  readonly recurrentRegularizer: Regularizer | null;
  /** Constraint on u, if any (default none). */
  readonly recurrentConstraint: Constraint | null;
  /** Gives s from u (default SignSte). */
  readonly recurrentQuantizer: Quantizer;
  /** Whether training updates u. */
  readonly trainableSigns: boolean;
  /** The recipe of u's default initialization. */
  readonly signRecipe: SignRecipe;
  /** The latent recurrent vector u, once built. */
  recurrentKernel: LayerVariable | null = null;

  /** @param api Names the API in error messages (the HadamRNN layer passes its own name). */
  constructor(args: HadamRNNCellArgs, api = 'HadamRNNCell') {
    rejectUnknownKeys(api, args, HADAM_RNN_CELL_KEYS, CELL_REFUSED_KEYS);
    super(args);
    this.units = checkPositiveInteger(api, 'units', args.units, MAX_UNITS);
    this.blockSize = resolveBlockSize(api, this.units, args.blockSize, 'units');
    this.stateSize = this.units;
    this.activation = getActivation(api, args.activation ?? 'relu');
    this.projection = new QuantizedProjection(api, args);
    this.signRecipe = checkSignRecipe(api, args.signRecipe ?? 'stable');
    this.recurrentInitializer = resolveInitializer(
      api,
      'recurrentInitializer',
      args.recurrentInitializer ?? signInitializer(this.signRecipe, this.units),
    );
    this.recurrentRegularizer = resolveRegularizer(
      api,
      'recurrentRegularizer',
      args.recurrentRegularizer,
    );
    this.recurrentConstraint = resolveConstraint(
      api,
      'recurrentConstraint',
      args.recurrentConstraint,
    );
    this.recurrentQuantizer = getQuantizer(
      args.recurrentQuantizer ?? new SignSte({ clipValue: null }),
      api,
      'recurrentQuantizer',
    )!;
    this.trainableSigns = checkBoolean(api, 'trainableSigns', args.trainableSigns ?? true);
  }

  override build(inputShape: (number | null)[] | (number | null)[][]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as number[];
    const inputDim = shape[shape.length - 1];
    this.projection.addKernel(this, inputDim, this.units);
    this.recurrentKernel = addLayerWeight(this, {
      name: 'recurrent_kernel',
      shape: [this.units],
      initializer: this.recurrentInitializer,
      regularizer: this.recurrentRegularizer,
      constraint: this.recurrentConstraint,
      trainable: this.trainableSigns,
    });
    this.projection.addBias(this, this.units);
    this.built = true;
  }

  /** The signs s = Q(u) of the recurrent matrix, differentiable with respect to u by the STE. */
  recurrentSigns(): Tensor1D {
    return this.recurrentQuantizer.call(this.recurrentKernel!.read()) as Tensor1D;
  }

  /** The terms of a whole sequence through this (built) cell, for the {@link HadamRNN} layer. */
  sequenceTerms(): SequenceTerms {
    const { projection } = this;
    return {
      units: this.units,
      blockSize: this.blockSize,
      activation: this.activation,
      inputTerms: (x) => projection.apply(x) as Tensor3D,
      signs: () => this.recurrentSigns(),
      appliedWeights: () => ({
        kernel: projection.effectiveKernel() as Tensor2D,
        bias: (projection.bias?.read() as Tensor1D | undefined) ?? null,
        s: this.recurrentSigns(),
      }),
      weightIds: () =>
        [projection.kernel, projection.bias, this.recurrentKernel].map((w) => w?.read().dataId),
    };
  }

  /** The dense effective recurrent matrix W = diag(s) (I ⊗ S_b) / sqrt(b), for inspection and
   * tests: the layer never builds it. */
  recurrentMatrix(): Tensor2D {
    return tidy(() =>
      mul(
        expandDims(this.recurrentSigns(), 1),
        hadamardTransform(eye(this.units), { blockSize: this.blockSize }),
      ),
    );
  }

  /** One step: inputs are [x_t [batch, inputDim], h_{t-1} [batch, units]]. */
  override call(inputs: Tensor | Tensor[], _kwargs: Kwargs): Tensor[] {
    return tidy(() => {
      const [x, h] = inputs as Tensor[];
      const z = this.projection.apply(toFloatTensor(x, 'inputs', this.getClassName()));
      const transformed = hadamardTransform(h, { blockSize: this.blockSize });
      const next = add(mul(this.recurrentSigns(), transformed), z);
      return [this.activation.apply(next), next];
    });
  }

  override getConfig(): serialization.ConfigDict {
    return {
      ...super.getConfig(),
      units: this.units,
      blockSize: this.blockSize,
      activation: this.activation.identifier,
      ...this.projection.getConfig(),
      recurrentInitializer: serializeObject(this.recurrentInitializer),
      recurrentRegularizer: serializeObject(this.recurrentRegularizer),
      recurrentConstraint: serializeObject(this.recurrentConstraint),
      recurrentQuantizer: serializeObject(this.recurrentQuantizer),
      trainableSigns: this.trainableSigns,
      signRecipe: this.signRecipe,
    };
  }
  /** Builds the layer from `config` after rejecting unknown keys. */
  static override fromConfig = strictFromConfig(
    HadamRNNCell.className,
    HADAM_RNN_CELL_KEYS,
    CELL_REFUSED_KEYS,
  );
}

function checkSignRecipe(api: string, recipe: unknown): SignRecipe {
  if (!(SIGN_RECIPES as readonly unknown[]).includes(recipe)) {
    throw new Error(
      `${api}: signRecipe must be one of ${SIGN_RECIPES.join(', ')}, got ${describeValue(recipe)}`,
    );
  }
  return recipe as SignRecipe;
}

/** Creates a {@link HadamRNNCell}. */
export function hadamRNNCell(args: HadamRNNCellArgs): HadamRNNCell {
  return new HadamRNNCell(args);
}
