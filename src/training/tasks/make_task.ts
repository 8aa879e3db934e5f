/**
 * The task a run's options name, built with their data settings.
 */
import type { TrainOptions } from '../train_options';
import { copyTask } from './copy_task';
import { mnistTask } from './mnist_task';
import type { Task } from './task';

/** The task of `options`. */
export function makeTask(options: TrainOptions): Task {
  if (options.task === 'copy') {
    return copyTask({ timeSteps: options.T, seed: options.seed, evalSize: options.evalSize });
  }
  return mnistTask({
    permuted: options.task === 'pmnist',
    seed: options.seed,
    trainSize: options.trainSize,
    evalSize: options.evalSize,
  });
}
