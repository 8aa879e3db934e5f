/**
 * The copy task's data for the page: the sequences of src/cli/tasks/copy_task.ts (the same
 * generator as the CLI and `npm run demo`), one-hot encoded for a model of [T, 10] inputs and 9
 * softmax outputs per step.
 */
import * as tf from '@tensorflow/tfjs';
import { Random } from '../../src/cli/random';
import { COPY_ALPHABET, COPY_SYMBOLS, copySequences } from '../../src/cli/tasks/copy_task';

export { COPY_SYMBOLS };

/** Input classes: blank 0, symbols 1..8, the marker 9. */
export const INPUT_CLASSES = COPY_ALPHABET + 2;
/** Output classes: blank 0 and symbols 1..8. */
export const OUTPUT_CLASSES = COPY_ALPHABET + 1;
/** The input code of the marker that asks for the recall. */
export const MARKER = COPY_ALPHABET + 1;

/** One copy sequence: input and expected output codes, T each. */
export interface CopyExample {
  inputs: Int32Array;
  labels: Int32Array;
}

/** The copy sequence of length `timeSteps` drawn from `seed` (equal seeds, equal sequences). */
export function copyExample(timeSteps: number, seed: number): CopyExample {
  return copySequences(timeSteps, 1, new Random(seed));
}

/** Codes [count · T] one-hot encoded to [count, T, classes] float32. */
export function oneHotCodes(
  codes: Int32Array,
  count: number,
  timeSteps: number,
  classes: number,
): tf.Tensor3D {
  return tf.tidy(
    () =>
      tf.cast(
        tf.oneHot(tf.tensor2d(codes, [count, timeSteps], 'int32'), classes),
        'float32',
      ) as tf.Tensor3D,
  );
}

/** A training batch of `count` fresh sequences from `random`: inputs x and one-hot targets y. */
export function copyBatch(
  timeSteps: number,
  count: number,
  random: Random,
): { x: tf.Tensor3D; y: tf.Tensor3D } {
  const { inputs, labels } = copySequences(timeSteps, count, random);
  return {
    x: oneHotCodes(inputs, count, timeSteps, INPUT_CLASSES),
    y: oneHotCodes(labels, count, timeSteps, OUTPUT_CLASSES),
  };
}
