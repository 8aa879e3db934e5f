import {
  cast,
  customGrad,
  div,
  engine,
  expandDims,
  greaterEqual,
  mul,
  randomUniform,
  gather,
  getBackend,
  pad,
  range,
  reshape,
  serialization,
  zeros,
  tidy,
  util,
  type GradSaveFunc,
  type Tensor,
  type Tensor2D,
  type Tensor3D,
} from '@tensorflow/tfjs-core';
import { RNN } from '@tensorflow/tfjs-layers';
import type { BaseRNNLayerArgs } from '@tensorflow/tfjs-layers/dist/layers/recurrent';
import type { DisposeResult } from '@tensorflow/tfjs-layers/dist/engine/topology';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';
import { hadamRNNSequence, type SequenceWeights } from '../ops/hadam_rnn_sequence';
import { hadamardRecurrence } from '../ops/hadamard_recurrence';
import {
  impulseResponses,
  lastStateFromResponses,
  type ImpulseResponses,
} from '../ops/impulse_responses';
import { responsesArePreferable } from './impulse_responses_choice';
import { KeptTensors } from './kept_tensors';
import {
  checkBoolean,
  checkShape,
  describeValue,
  formatShape,
  toFloatTensor,
} from '../common/validate';
import type { RefusedKeys } from '../common/strict_args';
import { rejectUnknownKeys, strictFromConfig } from './config_keys';
import { checkWeightsToSet } from './weights';
import {
  HADAM_RNN_CELL_KEYS,
  HadamRNNCell,
  type HadamRNNCellArgs,
  type SequenceTerms,
} from './hadam_rnn_cell';

const RNN_BOOLEANS = [
  'returnSequences',
  'returnState',
  'goBackwards',
  'stateful',
  'unroll',
] as const;

/** How {@link HadamRNN} infers its last state alone (see {@link HadamRNNArgs.inference}). */
export type HadamRNNInference = 'recurrence' | 'impulseResponses';
const INFERENCE_MODES: readonly HadamRNNInference[] = ['recurrence', 'impulseResponses'];

/** Options of the layer that its cell does not take. */
const RNN_ONLY_KEYS = [...RNN_BOOLEANS, 'dropout', 'inference'] as const;

/** Config keys of a HadamRNN: the cell's and the RNN's. */
const HADAM_RNN_KEYS = [...HADAM_RNN_CELL_KEYS, ...RNN_ONLY_KEYS];

/** Keras RNN options the fused recurrence cannot honour. */
const REFUSED_KEYS: RefusedKeys = {
  recurrentDropout:
    'recurrentDropout is not supported: the recurrence runs as one fused kernel over the ' +
    'sequence, with no per-step hook to drop state units (dropout on the inputs is supported)',
  cell: 'cell is not an option: HadamRNN builds its own HadamRNNCell (use tf.layers.rnn({cell}) for another cell)',
  numConstants: 'constants are not supported: the fused recurrence takes only inputs and the state',
};

/** Arguments of {@link HadamRNN}: the cell's, plus `returnSequences`, `returnState`,
 * `goBackwards` and `stateful` as for `tf.layers.simpleRNN` (each default false). `unroll` may only
 * be false: the recurrence is one fused kernel call, never unrolled. */
export interface HadamRNNArgs extends HadamRNNCellArgs, Omit<BaseRNNLayerArgs, 'cell'> {
  /** Fraction of the input units to drop, in [0, 1), as Keras's `dropout`: in training only, one
   * mask per sequence shared by every step, the kept inputs scaled by 1 / (1 - dropout). Default 0.
   * (Keras's `recurrentDropout` is not supported: the fused recurrence has no per-step hook.) */
  dropout?: number;
  /**
   * How inference of the last state alone (`returnSequences` false, no mask, no initial state,
   * not stateful) runs. 'recurrence' (default): the fused recurrence, as in training; every
   * predict of the same inputs gives bit-identical results. 'impulseResponses': from the second
   * call with unchanged weights and T, one matMul of the inputs with kept impulse responses W^j U
   * (src/ops/impulse_responses.ts), used when the batch is larger than the number of inputs:
   * 1.3× faster on wasm at 128 units, T = 1000, batch 32 (`npm run bench -- wasm_inference`), but
   * the first call (recurrence) and the later ones (matMul) sum in different orders, so their
   * float32 results differ in the last bits.
   */
  inference?: HadamRNNInference;
}

/**
 * HadamRNN: a recurrent layer whose recurrent matrix is binary and exactly orthogonal.
 *
 * `h_t = W h_{t-1} + Q_p(U) x_t + b`, `W = diag(sign(u)) (I_{n/b} ⊗ S_b) / sqrt(b)`, outputs
 * `activation(h_t)` (default ReLU); the state carried forward is the linear `h_t`. The input
 * projection and the recurrence run as one fused kernel call for the whole sequence
 * (`HadamRNNSequence` on wasm and webgpu; elsewhere one matMul and `hadamardRecurrence`), forward
 * and backward: W is never built. With `blockSize` < `units` it is
 * Block-HadamRNN (W sparse ternary). With `inference: 'impulseResponses'`, inference of the last
 * state alone (`returnSequences` false, no mask, from zeros) is one matMul of the inputs with the
 * impulse responses W^j U, which the layer keeps while its weights do not change.
 *
 * Weights, in order: `kernel` [inputDim, units] (latent U, quantized to 4 bits on the fly by
 * default), `recurrent_kernel` [units] (latent u, s = sign(u); `signRecipe` sets how it starts),
 * `bias` [units].
 *
 * ```js
 * const model = tf.sequential({layers: [
 *   hadamRNN({units: 128, returnSequences: true, inputShape: [100, 10]}),
 *   quantizedDense({units: 9, activation: 'softmax'}),
 * ]});
 * model.compile({optimizer: 'adam', loss: 'categoricalCrossentropy'});
 * ```
 *
 * Note (tfjs): a masked step carries the state through unchanged, and its output is
 * `activation(h_{t-1})`, which equals Keras's "previous output" except when the very first steps
 * are masked and the initial state is not zero (Keras outputs zeros there).
 * @see Foucault, Malgouyres, Mamalet. HadamRNN: Binary and Sparse Ternary Orthogonal RNNs. ICLR 2025.
 */
export class HadamRNN extends RNN {
  /** The name this class is registered and serialized under. */
  static override readonly className = 'HadamRNN';
  /** The cell holding the weights and options. */
  declare readonly cell: HadamRNNCell;
  /** Fraction of the inputs dropped in training. */
  readonly dropout: number;
  /** How inference of the last state alone runs. */
  readonly inference: HadamRNNInference;
  /** Impulse responses for inference of the last state (src/ops/impulse_responses.ts). */
  private readonly responseCache = new KeptTensors<ImpulseResponses>();
  /** The every-step kernel's weights for inference (src/ops/hadam_rnn_sequence.ts). */
  private readonly sequenceCache = new KeptTensors<SequenceWeights>();

  constructor(args: HadamRNNArgs) {
    const api = HadamRNN.className;
    rejectUnknownKeys(api, args, HADAM_RNN_KEYS, REFUSED_KEYS);
    for (const option of RNN_BOOLEANS) {
      if (args[option] !== undefined) {
        checkBoolean(api, option, args[option]);
      }
    }
    if (args.unroll === true) {
      throw new Error(
        `${api}: unroll true is not supported: the recurrence runs as one fused kernel call, never unrolled; omit unroll or set it to false`,
      );
    }
    const cellArgs: Record<string, unknown> = { ...args };
    for (const key of RNN_ONLY_KEYS) {
      delete cellArgs[key];
    }
    super({ ...args, cell: new HadamRNNCell(cellArgs as unknown as HadamRNNCellArgs, api) });
    this.dropout = checkDropout(api, args.dropout ?? 0);
    this.inference = args.inference ?? 'recurrence';
    if (!INFERENCE_MODES.includes(this.inference)) {
      throw new Error(
        `${api}: inference must be one of ${INFERENCE_MODES.map((m) => `'${m}'`).join(', ')}, got ${describeValue(this.inference)}`,
      );
    }
  }

  /** Sets kernel, recurrent_kernel and bias, after checking their count and shapes. */
  override setWeights(weights: Tensor[]): void {
    checkWeightsToSet(this.getClassName(), this.weights, weights);
    super.setWeights(weights);
  }

  /** The dense effective recurrent matrix W, for inspection and tests only. */
  recurrentMatrix(): Tensor2D {
    return this.cell.recurrentMatrix();
  }

  /** Runs the whole sequence: the input projection and the recurrence in one fused kernel, or one
   * matMul and one recurrence kernel where the backend lacks it. */
  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[] {
    return tidy(() => {
      const api = this.getClassName();
      const [rawX, ...statesFromInputs] = Array.isArray(inputs) ? inputs : [inputs];
      const inputsAsGiven = toFloatTensor(rawX, 'inputs', api) as Tensor3D;
      util.assert(
        inputsAsGiven.rank === 3,
        () =>
          `${api}: inputs must have rank 3 [batch, T, features], got shape ${formatShape(inputsAsGiven.shape)}`,
      );
      const training = kwargs?.training as boolean | undefined;
      const terms = this.cell.sequenceTerms();
      const x =
        training === true && this.dropout > 0
          ? dropInputs(inputsAsGiven, this.dropout)
          : inputsAsGiven;
      const mask = (kwargs?.mask as Tensor | undefined) ?? undefined;
      const fromZeros =
        !this.stateful && statesFromInputs.length === 0 && kwargs?.initialState == null;
      // Inference: not training, and no gradient being recorded (a custom loop may differentiate
      // model.apply(x) without a training flag; kept tensors and the ReLU form have no gradient).
      const inference = !training && !engine().isTapeOn();
      const lastStateAlone = !this.returnSequences && inference && mask == null && fromZeros;
      if (lastStateAlone && this.inference === 'impulseResponses') {
        const lastState = this.lastStateFromResponses(x, terms);
        if (lastState != null) {
          const output = terms.activation.apply(lastState);
          return this.returnState ? [output, lastState] : output;
        }
      }
      const h0 = this.initialStateFor(x, terms.units, statesFromInputs, kwargs?.initialState);
      const recurrence = { blockSize: terms.blockSize, goBackwards: this.goBackwards };
      if (this.returnSequences && !this.returnState && !this.stateful && inference) {
        // Inference on wasm and webgpu: projection, recurrence and activation in one pass, with
        // the quantized weights kept between calls.
        const weights = () =>
          this.sequenceCache.kept([getBackend(), ...terms.weightIds()], terms.appliedWeights);
        const outputs = hadamRNNSequence(x, weights, h0, mask, {
          ...recurrence,
          activation: terms.activation.identifier,
        });
        if (outputs != null) {
          return outputs;
        }
      }
      // The states: projection and recurrence in one pass where the backend has the kernel (its
      // gradient reaches U, b and u through the live quantized weights, and x only when x needs
      // one); otherwise one matMul and the recurrence kernel.
      const states =
        hadamRNNSequence(x, terms.appliedWeights, h0, mask, {
          ...recurrence,
          activation: 'linear',
        }) ?? hadamardRecurrence(terms.inputTerms(x), terms.signs(), h0, { ...recurrence, mask });
      const steps = states.shape[1];
      if (this.returnSequences && !this.returnState && !this.stateful) {
        return terms.activation.apply(states); // the common case: no slice on the tape
      }
      const lastState = steps === 0 ? h0 : lastStep(states);
      if (this.stateful) {
        this.resetStates([lastState], training);
      }
      const output = terms.activation.apply(this.returnSequences ? states : lastState);
      return this.returnState ? [output, lastState] : output;
    });
  }

  /**
   * Inference of the last state alone, from zeros and without a mask: through the impulse
   * responses (src/ops/impulse_responses.ts) when they cost less than the recurrence over the
   * batch; null otherwise. Training keeps the recurrence, whose gradient is one fused kernel.
   */
  private lastStateFromResponses(x: Tensor3D, terms: SequenceTerms): Tensor2D | null {
    if (!responsesArePreferable(x.shape, terms.units)) {
      return null;
    }
    const steps = x.shape[1];
    const key = [getBackend(), steps, this.goBackwards, ...terms.weightIds()];
    const responses = this.responseCache.keptOnRepeat(key, () => {
      const { kernel, bias, s } = terms.appliedWeights();
      return impulseResponses(kernel, bias, s, steps, {
        blockSize: terms.blockSize,
        goBackwards: this.goBackwards,
      });
    });
    return responses == null ? null : lastStateFromResponses(x, responses);
  }

  /** Disposes the layer's weights and what it keeps for inference (impulse responses, the
   * every-step kernel's weights). */
  override dispose(): DisposeResult {
    this.responseCache.dispose();
    this.sequenceCache.dispose();
    return super.dispose();
  }

  /** The state to start from: given with the inputs, in kwargs, kept (stateful) or zeros. */
  private initialStateFor(
    x: Tensor3D,
    units: number,
    fromInputs: Tensor[],
    fromKwargs: unknown,
  ): Tensor2D {
    const api = this.getClassName();
    let initial: Tensor | Tensor[] | undefined =
      fromInputs.length > 0 ? fromInputs : (fromKwargs as Tensor | Tensor[] | undefined);
    if (initial == null) {
      // Zeros of [batch, units] directly: tfjs's getInitialState builds them from a tensor of the
      // whole input's shape.
      initial = this.stateful ? this.states_ : zeros([x.shape[0], units]);
    }
    const list = Array.isArray(initial) ? initial : [initial];
    util.assert(list.length === 1, () => `${api}: expects 1 initial state, got ${list.length}`);
    const h0 = toFloatTensor(list[0], 'initialState', api) as Tensor2D;
    checkShape(api, 'initialState', h0.shape, [x.shape[0], units]);
    return h0;
  }

  /** The RNN's and the cell's config, plus `dropout` and `inference`. */
  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), dropout: this.dropout, inference: this.inference };
  }

  /** Builds the layer from `config` after rejecting unknown keys. */
  static override fromConfig = strictFromConfig(HadamRNN.className, HADAM_RNN_KEYS, REFUSED_KEYS);
}

function checkDropout(api: string, rate: unknown): number {
  if (!(typeof rate === 'number' && rate >= 0 && rate < 1)) {
    throw new Error(`${api}: dropout must be a number in [0, 1), got ${describeValue(rate)}`);
  }
  return rate;
}

/** Keras's input dropout of an RNN: one mask per sequence and feature, shared by every step, the
 * kept inputs scaled by 1 / (1 - rate) (inverted dropout, so inference needs no rescaling). */
function dropInputs(x: Tensor3D, rate: number): Tensor3D {
  const [batch, , features] = x.shape;
  const kept = cast(greaterEqual(randomUniform([batch, 1, features]), rate), 'float32');
  return mul(x, div(kept, 1 - rate));
}

/**
 * The last step of [batch, T, n] states, [batch, n]. A gather of rows, not a slice: the wasm
 * backend's Slice copies its whole input to JavaScript when the slice is not contiguous, while the
 * gather reads only the rows it returns. Its gradient pads dy with
 * zeros: gather's own gradient needs UnsortedSegmentSum, which the wasm backend lacks.
 */
const lastStep = customGrad((statesArg: Tensor | GradSaveFunc) => {
  const states = statesArg as Tensor3D;
  const [batch, steps, units] = states.shape;
  const lastRows = range(steps - 1, batch * steps, steps, 'int32');
  return {
    value: gather(reshape(states, [batch * steps, units]), lastRows) as Tensor2D,
    gradFunc: (dy: Tensor | Tensor[]) =>
      pad(expandDims(dy as Tensor, 1), [
        [0, 0],
        [steps - 1, 0],
        [0, 0],
      ]),
  };
}) as (states: Tensor3D) => Tensor2D;

/** Creates a {@link HadamRNN} layer. */
export function hadamRNN(args: HadamRNNArgs): HadamRNN {
  return new HadamRNN(args);
}
