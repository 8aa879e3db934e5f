/**
 * "Train here": trains a copy-task model in the page, one `trainOnBatch` per step on fresh
 * sequences, giving the browser back its event loop between steps so that the page keeps painting
 * the loss curve and answering clicks.
 */
import * as tf from '@tensorflow/tfjs';
import { Random } from '../../src/training/random';
import { copyBatch } from './copy_data';

/** Options of {@link trainCopyModel}. */
export interface TrainOptions {
  /** Optimizer steps. */
  steps: number;
  /** Sequences per step. */
  batchSize: number;
  /** Seed of the training sequences. */
  seed: number;
  /** Called after every step with its number (1-based) and loss. */
  onStep: (step: number, loss: number) => void;
  /** Polled before every step; training stops early when it returns true. */
  stopRequested?: () => boolean;
}

/** Lets the page paint and handle events before the next step. */
const yieldToBrowser = () => new Promise<void>((resume) => setTimeout(resume, 0));

/**
 * Trains `model` (compiled, inputs [T, 10]) on the copy task; returns the number of steps done.
 *
 * @example
 * ```ts
 * const model = buildCopyModel(20, 128, 1e-2);
 * await trainCopyModel(model, { steps: 600, batchSize: 32, seed: 1, onStep: (s, l) => {} });
 * ```
 */
export async function trainCopyModel(
  model: tf.LayersModel,
  options: TrainOptions,
): Promise<number> {
  const { steps, batchSize, seed, onStep, stopRequested = () => false } = options;
  const timeSteps = model.inputs[0].shape[1] as number;
  const random = new Random(seed);
  let step = 0;
  while (step < steps && !stopRequested()) {
    const { x, y } = copyBatch(timeSteps, batchSize, random);
    try {
      const loss = await model.trainOnBatch(x, y);
      step++;
      onStep(step, Array.isArray(loss) ? loss[0] : loss);
    } finally {
      tf.dispose([x, y]);
    }
    await yieldToBrowser();
  }
  return step;
}
