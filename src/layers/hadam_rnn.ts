import {
  customGrad,
  expandDims,
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
  type Tensor1D,
  type Tensor2D,
  type Tensor3D,
} from '@tensorflow/tfjs-core';
import { RNN } from '@tensorflow/tfjs-layers';
import type { BaseRNNLayerArgs } from '@tensorflow/tfjs-layers/dist/layers/recurrent';
import type { DisposeResult } from '@tensorflow/tfjs-layers/dist/engine/topology';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';
import { hadamardRecurrence } from '../ops/hadamard_recurrence';
import {
  ImpulseResponseCache,
  impulseResponses,
  lastStateFromResponses,
  responsesArePreferable,
} from './impulse_responses';
import { checkBoolean, formatShape, toFloatTensor } from '../ops/validate';
import { rejectUnknownKeys } from './config_keys';
import { checkWeightsToSet } from './weights';
import { HADAM_RNN_CELL_KEYS, HadamRNNCell, type HadamRNNCellArgs } from './hadam_rnn_cell';

const RNN_BOOLEANS = [
  'returnSequences',
  'returnState',
  'goBackwards',
  'stateful',
  'unroll',
] as const;

/** Config keys of a HadamRNN: the cell's and the RNN's. */
const HADAM_RNN_KEYS = [...HADAM_RNN_CELL_KEYS, ...RNN_BOOLEANS];

/** Arguments of {@link HadamRNN}: the cell's, plus `returnSequences`, `returnState`,
 * `goBackwards` and `stateful` as for `tf.layers.simpleRNN` (each default false). */
export interface HadamRNNArgs extends HadamRNNCellArgs, Omit<BaseRNNLayerArgs, 'cell'> {}

/**
 * HadamRNN: a recurrent layer whose recurrent matrix is binary and exactly orthogonal.
 *
 * `h_t = W h_{t-1} + Q_p(U) x_t + b`, `W = diag(sign(u)) (I_{n/b} ⊗ S_b) / sqrt(b)`, outputs
 * `activation(h_t)` (default ReLU); the state carried forward is the linear `h_t`. The input
 * projection runs as one matMul for all steps and the recurrence as one fused kernel call
 * (`hadamardRecurrence`), forward and backward: W is never built. With `blockSize` < `units` it is
 * Block-HadamRNN (W sparse ternary). Inference of the last state alone (`returnSequences` false, no
 * mask, from zeros) is one matMul of the inputs with the impulse responses W^j U, which the layer
 * keeps while its weights do not change.
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
  /** Impulse responses for inference of the last state (src/layers/impulse_responses.ts). */
  private readonly responseCache = new ImpulseResponseCache();

  constructor(args: HadamRNNArgs) {
    for (const option of RNN_BOOLEANS) {
      if (args[option] !== undefined) {
        checkBoolean(HadamRNN.className, option, args[option]);
      }
    }
    super({ ...args, cell: new HadamRNNCell(args, HadamRNN.className) });
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

  /** Runs the whole sequence: one matMul for the input projection, one fused recurrence kernel. */
  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[] {
    return tidy(() => {
      const api = this.getClassName();
      const [rawX, ...statesFromInputs] = Array.isArray(inputs) ? inputs : [inputs];
      const x = toFloatTensor(rawX, 'inputs', api) as Tensor3D;
      util.assert(
        x.rank === 3,
        () =>
          `${api}: inputs must have rank 3 [batch, T, features], got shape ${formatShape(x.shape)}`,
      );
      const training = kwargs?.training as boolean | undefined;
      const mask = (kwargs?.mask as Tensor | undefined) ?? undefined;
      const fromZeros =
        !this.stateful && statesFromInputs.length === 0 && kwargs?.initialState == null;
      if (!this.returnSequences && !training && mask == null && fromZeros) {
        const lastState = this.lastStateFromResponses(x);
        if (lastState != null) {
          const output = this.cell.activation.apply(lastState);
          return this.returnState ? [output, lastState] : output;
        }
      }
      const h0 = this.initialStateFor(x, statesFromInputs, kwargs?.initialState);
      const states = hadamardRecurrence(
        this.cell.projection.apply(x) as Tensor3D,
        this.cell.recurrentSigns(),
        h0,
        { blockSize: this.cell.blockSize, goBackwards: this.goBackwards, mask },
      );
      const steps = states.shape[1];
      if (this.returnSequences && !this.returnState && !this.stateful) {
        return this.cell.activation.apply(states); // the common case: no slice on the tape
      }
      const lastState = steps === 0 ? h0 : lastStep(states);
      if (this.stateful) {
        this.resetStates([lastState], training);
      }
      const output = this.cell.activation.apply(this.returnSequences ? states : lastState);
      return this.returnState ? [output, lastState] : output;
    });
  }

  /**
   * Inference of the last state alone, from zeros and without a mask: through the impulse
   * responses (src/layers/impulse_responses.ts) when they cost less than the recurrence over the
   * batch; null otherwise. Training keeps the recurrence, whose gradient is one fused kernel.
   */
  private lastStateFromResponses(x: Tensor3D): Tensor2D | null {
    const { projection, units, blockSize, recurrentKernel } = this.cell;
    if (!responsesArePreferable(x.shape, units)) {
      return null;
    }
    const weights = [projection.kernel, projection.bias, recurrentKernel].map(
      (w) => w?.read().dataId,
    );
    const steps = x.shape[1];
    const key = [getBackend(), steps, this.goBackwards, ...weights];
    const responses = this.responseCache.lookup(key, () =>
      impulseResponses(
        {
          kernel: projection.effectiveKernel() as Tensor2D,
          bias: (projection.bias?.read() as Tensor1D | undefined) ?? null,
          signs: this.cell.recurrentSigns(),
          blockSize,
          goBackwards: this.goBackwards,
        },
        steps,
      ),
    );
    return responses == null ? null : lastStateFromResponses(x, responses);
  }

  /** Disposes the layer's weights and the impulse responses it keeps for inference. */
  override dispose(): DisposeResult {
    this.responseCache.dispose();
    return super.dispose();
  }

  /** The state to start from: given with the inputs, in kwargs, kept (stateful) or zeros. */
  private initialStateFor(x: Tensor3D, fromInputs: Tensor[], fromKwargs: unknown): Tensor2D {
    const api = this.getClassName();
    let initial: Tensor | Tensor[] | undefined =
      fromInputs.length > 0 ? fromInputs : (fromKwargs as Tensor | Tensor[] | undefined);
    if (initial == null) {
      // Zeros of [batch, units] directly: tfjs's getInitialState builds them from a tensor of the
      // whole input's shape.
      initial = this.stateful ? this.states_ : zeros([x.shape[0], this.cell.units]);
    }
    const list = Array.isArray(initial) ? initial : [initial];
    util.assert(list.length === 1, () => `${api}: expects 1 initial state, got ${list.length}`);
    const h0 = toFloatTensor(list[0], 'initialState', api) as Tensor2D;
    const expected = [x.shape[0], this.cell.units];
    util.assert(
      util.arraysEqual(h0.shape, expected),
      () =>
        `${api}: initialState must have shape ${formatShape(expected)}, got ${formatShape(h0.shape)}`,
    );
    return h0;
  }

  static override fromConfig<T extends serialization.Serializable>(
    cls: serialization.SerializableConstructor<T>,
    config: serialization.ConfigDict,
  ): T {
    rejectUnknownKeys(HadamRNN.className, config, HADAM_RNN_KEYS);
    return new cls(config);
  }
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
