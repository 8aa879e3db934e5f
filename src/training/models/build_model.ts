/**
 * The models the CLI trains, all `input → recurrent layer → per-step or last-step read-out` with
 * logits out (the loss applies the softmax): HadamRNN and Block-HadamRNN with p-bit input and
 * read-out matrices, and the full-precision baselines LSTM, GRU, SimpleRNN and oRNN.
 */
import { dispose, tensor2d } from '@tensorflow/tfjs-core';
import { initializers, layers, sequential, type LayersModel } from '@tensorflow/tfjs-layers';
import { hadamRNN } from '../../layers/hadam_rnn';
import { signInitializer } from '../../layers/hadam_rnn_cell';
import { quantizedDense } from '../../layers/quantized_dense';
import { UniformSte } from '../../quantizers/uniform_ste';
import type { Task } from '../tasks/task';
import { orthogonalMatrix } from './orthogonal_init';
import { OrthogonalRNN } from './orthogonal_rnn';

/** Names accepted by `--model`. */
export const MODEL_NAMES = [
  'hadamrnn',
  'block-hadamrnn',
  'lstm',
  'gru',
  'simplernn',
  'ornn',
] as const;
/** One of {@link MODEL_NAMES}. */
export type ModelName = (typeof MODEL_NAMES)[number];

/** Values of `--signs`: HadamRNN's sign vector u trained with the layer's default ('stable')
 * recipe, trained with the paper's recipe, or fixed at its random initialization. */
export const SIGN_MODES = ['trained', 'paper', 'fixed'] as const;
/** One of {@link SIGN_MODES}. */
export type SignMode = (typeof SIGN_MODES)[number];

/** What shapes a model besides the task. */
export interface ModelOptions {
  model: ModelName;
  /** State size (a power of two for the HadamRNN models). */
  units: number;
  /** Block size of Block-HadamRNN (ignored by the other models). */
  blockSize: number;
  /** Bits of HadamRNN's input matrix U and read-out V. */
  bits: number;
  /** HadamRNN's sign vector u: trained with the layer's default recipe ('trained'), trained with
   * the paper's recipe ('paper'), or kept at its initialization ('fixed', drawn as 'trained'). */
  signs?: SignMode;
  /** u uniform in ±this instead of the recipe's initialization (seed sweeps of the scale). */
  signInitBound?: number;
  /** Seed of the HadamRNN and oRNN initial weights (the tfjs baselines draw theirs unseeded). */
  seed: number;
}

/** True for the models with binary or ternary recurrent weights and quantized U and V. */
export function isHadamard(model: ModelName): boolean {
  return model === 'hadamrnn' || model === 'block-hadamrnn';
}

/** Builds the untrained model for `task`: inputs [batch, T, inputDim], logits out. */
export function buildModel(task: Task, options: ModelOptions): LayersModel {
  const { model, units, bits, seed } = options;
  const inputShape = [task.timeSteps, task.inputDim];
  const returnSequences = task.labelsEveryStep;
  const rnnArgs = { units, returnSequences, inputShape };
  // tfjs baselines: seeded Glorot input kernel; the orthogonal recurrent kernel is written after
  // building (see orthogonal_init.ts), so the config records a cheap 'zeros' initializer.
  const baselineArgs = {
    ...rnnArgs,
    kernelInitializer: initializers.glorotUniform({ seed }),
    recurrentInitializer: initializers.zeros(),
  };
  // The recipe's initializer of u, seeded; one seed draws the same signs in every mode.
  const signSeed = seed + 1;
  const signs =
    options.signInitBound != null
      ? initializers.randomUniform({
          minval: -options.signInitBound,
          maxval: options.signInitBound,
          seed: signSeed,
        })
      : signInitializer(options.signs === 'paper' ? 'paper' : 'stable', units, signSeed);
  let recurrent: layers.Layer;
  switch (model) {
    case 'hadamrnn':
    case 'block-hadamrnn':
      recurrent = hadamRNN({
        ...rnnArgs,
        blockSize: model === 'hadamrnn' ? units : options.blockSize,
        kernelQuantizer: new UniformSte({ bits }),
        trainableSigns: options.signs !== 'fixed',
        signRecipe: options.signs === 'paper' ? 'paper' : 'stable',
        // The layer's default initializers, seeded.
        kernelInitializer: initializers.glorotUniform({ seed }),
        recurrentInitializer: signs,
      });
      break;
    case 'lstm':
      recurrent = layers.lstm(baselineArgs);
      break;
    case 'gru':
      recurrent = layers.gru(baselineArgs);
      break;
    case 'simplernn':
      recurrent = layers.simpleRNN(baselineArgs);
      break;
    case 'ornn':
      recurrent = new OrthogonalRNN({ ...rnnArgs, seed });
      break;
  }
  const readoutInitializer = initializers.glorotUniform({ seed: seed + 2 });
  const readout = isHadamard(model)
    ? quantizedDense({
        units: task.classes,
        kernelQuantizer: new UniformSte({ bits }),
        kernelInitializer: readoutInitializer,
      })
    : layers.dense({ units: task.classes, kernelInitializer: readoutInitializer });
  const built = sequential({ layers: [recurrent, readout] });
  if (!isHadamard(model) && model !== 'ornn') {
    writeOrthogonalRecurrentKernel(recurrent, seed + 3);
  }
  return built;
}

/** Sets the `recurrent_kernel` [units, gates·units] of a tfjs RNN layer to an orthogonal matrix. */
function writeOrthogonalRecurrentKernel(layer: layers.Layer, seed: number): void {
  const kernel = layer.weights.find((w) => w.name.endsWith('/recurrent_kernel'))!;
  const [rows, cols] = kernel.shape as number[];
  const values = tensor2d(orthogonalMatrix(rows, cols, seed), [rows, cols]);
  kernel.write(values);
  dispose(values);
}
