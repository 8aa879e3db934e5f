/**
 * The copy task's data for the page: the sequences of src/training/tasks/copy_task.ts (the same
 * generator as the CLI and `npm run demo`), one-hot encoded for a model of [T, 10] inputs and 9
 * softmax outputs per step.
 */
import { Random } from '../../src/training/random';
import {
  COPY_ALPHABET,
  COPY_INPUT_CLASSES as INPUT_CLASSES,
  COPY_OUTPUT_CLASSES as OUTPUT_CLASSES,
  COPY_SYMBOLS,
  copyOneHotBatch as copyBatch,
  copySequences,
  oneHotCodes,
} from '../../src/training/tasks/copy_task';

export { COPY_SYMBOLS, INPUT_CLASSES, OUTPUT_CLASSES, copyBatch, oneHotCodes };

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
