/**
 * The copy task (Hochreiter & Schmidhuber 1997; Arjovsky et al. 2016), laid out as in HadamRNN's
 * code: `K = 10` symbols drawn from 1..8, `T − 20` blanks (0), the marker 9, then 9 blanks; the
 * model must output blanks for the first `T − 10` steps and then the 10 symbols.
 */
import { cast, oneHot, tensor2d, tidy, type Tensor3D } from '@tensorflow/tfjs-core';
import { deriveSeed, Random } from '../random';
import type { Batch, EvalSplit, Task } from './task';

/** Number of symbols to recall, K. */
export const COPY_SYMBOLS = 10;
/** Symbols are drawn from 1..COPY_ALPHABET. */
export const COPY_ALPHABET = 8;
/** Input classes: blank 0, symbols 1..8, marker 9. */
export const COPY_INPUT_CLASSES = COPY_ALPHABET + 2;
const MARKER = COPY_ALPHABET + 1;
/** Output classes: blank 0 and symbols 1..8. */
export const COPY_OUTPUT_CLASSES = COPY_ALPHABET + 1;
/** Shortest T: the symbols, the marker and the blanks after it, with no delay. */
export const MIN_COPY_T = 2 * COPY_SYMBOLS;
const VALIDATION_STREAM = 1_000_001;
const TEST_STREAM = 1_000_002;

/** The copy task's loss when every blank is predicted and each symbol guessed uniformly:
 * `K · ln(8) / T`. */
export function copyBaselineLoss(timeSteps: number): number {
  return (COPY_SYMBOLS * Math.log(COPY_ALPHABET)) / timeSteps;
}

/** Input and label codes of `count` copy sequences of length `timeSteps`, each [count · T]. */
export function copySequences(
  timeSteps: number,
  count: number,
  random: Random,
): { inputs: Int32Array; labels: Int32Array } {
  const inputs = new Int32Array(count * timeSteps);
  const labels = new Int32Array(count * timeSteps);
  const recallStart = timeSteps - COPY_SYMBOLS;
  for (let i = 0; i < count; i++) {
    const row = i * timeSteps;
    for (let k = 0; k < COPY_SYMBOLS; k++) {
      const symbol = random.int(1, COPY_ALPHABET);
      inputs[row + k] = symbol;
      labels[row + recallStart + k] = symbol;
    }
    inputs[row + recallStart] = MARKER;
  }
  return { inputs, labels };
}

/** Codes [count · T] one-hot encoded to a float32 [count, T, classes] tensor. */
export function oneHotCodes(
  codes: Int32Array,
  count: number,
  timeSteps: number,
  classes: number,
): Tensor3D {
  return tidy(() =>
    cast(oneHot(tensor2d(codes, [count, timeSteps], 'int32'), classes), 'float32'),
  ) as Tensor3D;
}

/**
 * `count` fresh copy sequences as `fit` takes them: one-hot inputs x [count, T, 10] and one-hot
 * targets y [count, T, 9] (for a softmax read-out and categorical cross-entropy).
 */
export function copyOneHotBatch(
  timeSteps: number,
  count: number,
  random: Random,
): { x: Tensor3D; y: Tensor3D } {
  const { inputs, labels } = copySequences(timeSteps, count, random);
  return {
    x: oneHotCodes(inputs, count, timeSteps, COPY_INPUT_CLASSES),
    y: oneHotCodes(labels, count, timeSteps, COPY_OUTPUT_CLASSES),
  };
}

function toBatch(
  timeSteps: number,
  count: number,
  codes: { inputs: Int32Array; labels: Int32Array },
): Batch {
  return tidy(() => ({
    x: oneHotCodes(codes.inputs, count, timeSteps, COPY_INPUT_CLASSES),
    labels: tensor2d(codes.labels, [count, timeSteps], 'int32'),
  })) as Batch;
}

function fixedSplit(timeSteps: number, size: number, seed: number): EvalSplit {
  const codes = copySequences(timeSteps, size, new Random(seed));
  return {
    size,
    batch: (start, count) =>
      toBatch(timeSteps, count, {
        inputs: codes.inputs.subarray(start * timeSteps, (start + count) * timeSteps),
        labels: codes.labels.subarray(start * timeSteps, (start + count) * timeSteps),
      }),
  };
}

/** Options of {@link copyTask}. */
export interface CopyTaskOptions {
  /** Sequence length T, at least 20. */
  timeSteps: number;
  /** Seed of the training stream and of the fixed validation and test sets. */
  seed: number;
  /** Size of the validation and of the test set. */
  evalSize: number;
}

/** The copy task with fresh random training batches and fixed validation and test sets. */
export function copyTask(options: CopyTaskOptions): Task {
  const { timeSteps, seed, evalSize } = options;
  if (!(Number.isInteger(timeSteps) && timeSteps >= MIN_COPY_T)) {
    throw new Error(`copyTask: T must be an integer >= ${MIN_COPY_T}, got ${timeSteps}`);
  }
  return {
    name: 'copy',
    timeSteps,
    inputDim: COPY_INPUT_CLASSES,
    classes: COPY_OUTPUT_CLASSES,
    labelsEveryStep: true,
    scoredSteps: COPY_SYMBOLS,
    trainSize: null,
    trainBatch: (epoch, index, batchSize) => {
      const random = new Random(deriveSeed(deriveSeed(seed, epoch), index));
      return toBatch(timeSteps, batchSize, copySequences(timeSteps, batchSize, random));
    },
    validation: fixedSplit(timeSteps, evalSize, deriveSeed(seed, VALIDATION_STREAM)),
    test: fixedSplit(timeSteps, evalSize, deriveSeed(seed, TEST_STREAM)),
    baselineLoss: copyBaselineLoss(timeSteps),
  };
}
