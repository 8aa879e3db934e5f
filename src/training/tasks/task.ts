/**
 * What the training loop needs from a task: batches of inputs and integer labels, the sizes that
 * shape the model, and how its loss and accuracy are read.
 */
import type { Tensor, Tensor3D } from '@tensorflow/tfjs-core';

/** Names of the tasks the CLI trains. */
export const TASK_NAMES = ['copy', 'smnist', 'pmnist'] as const;
/** One of {@link TASK_NAMES}. */
export type TaskName = (typeof TASK_NAMES)[number];

/** A batch: inputs `x` [batch, T, inputDim] and int32 labels, [batch] or [batch, T]. */
export interface Batch {
  x: Tensor3D;
  labels: Tensor;
}

/** A fixed evaluation split, served in batches. */
export interface EvalSplit {
  /** Number of examples. */
  size: number;
  /** Examples `start` to `start + count - 1` as a batch (the caller disposes it). */
  batch(start: number, count: number): Batch;
}

/** A sequence task as the training loop sees it. */
export interface Task {
  name: TaskName;
  /** Sequence length T. */
  timeSteps: number;
  /** Width of each input step. */
  inputDim: number;
  /** Number of output classes. */
  classes: number;
  /** True when every step has a label (copy), false when only the last step does (MNIST). */
  labelsEveryStep: boolean;
  /** With `labelsEveryStep`, accuracy is measured on the last `scoredSteps` steps only (the
   * recalled symbols of the copy task); otherwise unused. */
  scoredSteps: number;
  /** Number of training examples an epoch goes through, or null when data is generated fresh. */
  trainSize: number | null;
  /** The training batch `index` of `epoch` (deterministic for a given seed, so resume is exact). */
  trainBatch(epoch: number, index: number, batchSize: number): Batch;
  /** The validation split, evaluated after every epoch. */
  validation: EvalSplit;
  /** The test split, evaluated at the end. */
  test: EvalSplit;
  /** The loss of the best input-blind predictor (the copy task's `K·ln(8)/T`), or null. */
  baselineLoss: number | null;
}
