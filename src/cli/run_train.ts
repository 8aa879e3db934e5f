/// <reference types="node" />
/**
 * The `train` command: picks the backend, builds the task and the model (or reads them back from
 * the checkpoint with --resume), trains, then tests and writes metrics.json and curve.svg.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import '../index';
import { TASK_DEFAULTS, type TrainOptions } from './args';
import { useBackend } from './backend';
import { checkpointDir, loadCheckpoint } from './checkpoint';
import { buildModel } from './models';
import { modelSize } from './model_size';
import type { ProgressSink } from './progress';
import { ProgressBar } from './progress';
import { runMetrics, writeReport, type RunMetrics } from './report';
import { copyTask } from './tasks/copy_task';
import { mnistTask } from './tasks/mnist_task';
import type { Task, TaskName } from './tasks/task';
import { evaluate, ScheduledAdam, train } from './trainer';
import type { TrainState } from './train_state';

/** Options that define the model and its data: a resume keeps the checkpoint's. */
const RUN_DEFINING: (keyof TrainOptions)[] = [
  'task',
  'model',
  'T',
  'units',
  'blockSize',
  'bits',
  'signs',
  'seed',
  'batch',
  'trainSize',
  'lrDecay',
];

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

/** The options of a resumed run: the checkpoint's run-defining options, the command's others. */
function resumedOptions(options: TrainOptions, saved: Record<string, unknown>): TrainOptions {
  const merged: Record<string, unknown> = { ...options };
  // Checkpoints written before an option existed ran with its default.
  const defaults: Record<string, unknown> = TASK_DEFAULTS[(saved.task ?? options.task) as TaskName];
  for (const key of RUN_DEFINING) {
    const trained = saved[key] ?? defaults[key];
    if (options.given.includes(key) && trained !== options[key]) {
      throw new Error(
        `tfjs-hadamrnn train: --resume: option ${key} is ${String(options[key])} but the checkpoint was trained with ${String(trained)}`,
      );
    }
    merged[key] = trained;
  }
  return merged as unknown as TrainOptions;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Runs `tfjs-hadamrnn train` with parsed options; progress goes to `sink`. */
export async function runTrain(
  parsed: TrainOptions,
  sink: ProgressSink,
  command: string,
): Promise<RunMetrics> {
  await useBackend(parsed.backend);
  let options = parsed;
  let state: TrainState;
  let model;
  let optimizer: ScheduledAdam;
  if (parsed.resume) {
    const checkpoint = await loadCheckpoint(parsed.out);
    options = resumedOptions(parsed, checkpoint.state.options);
    state = checkpoint.state;
    model = checkpoint.model;
    if (parsed.given.includes('lr')) {
      state.learningRate = parsed.lr;
    }
    optimizer = new ScheduledAdam(state.learningRate);
    await optimizer.setWeights(checkpoint.optimizerWeights);
  } else {
    if (await exists(join(checkpointDir(parsed.out), 'state.json'))) {
      throw new Error(
        `tfjs-hadamrnn train: ${parsed.out} already holds a checkpoint; pass --resume to continue it or choose another --out`,
      );
    }
    state = {
      epoch: 0,
      step: 0,
      learningRate: options.lr,
      seconds: 0,
      options: { ...options },
      steps: [],
      epochs: [],
    };
    optimizer = new ScheduledAdam(options.lr);
  }
  const task = makeTask(options);
  model ??= buildModel(task, options);
  const size = modelSize(model);
  const progress = new ProgressBar(sink, options.logEvery);
  progress.log(
    `${command}: ${task.name} T=${task.timeSteps}, ${options.model} ${options.units} units, ` +
      `${size.parameters} parameters (${size.paperKiB.toFixed(2)} KiB as the paper counts, ` +
      `${size.float32KiB.toFixed(2)} KiB float32), backend ${options.backend}` +
      (parsed.resume ? `, resuming after epoch ${state.epoch} (step ${state.step})` : ''),
  );
  await train({
    task,
    model,
    optimizer,
    options,
    state,
    progress,
    onEpoch: (s) => writeReport(options.out, runMetrics(task, options, s, size, command, null)),
  });
  const test = evaluate(model, task, task.test, options.batch);
  const metrics = runMetrics(task, options, state, size, command, test);
  await writeReport(options.out, metrics);
  progress.log(
    `test loss ${test.loss.toPrecision(4)}` +
      (task.baselineLoss != null
        ? ` (${((100 * test.loss) / task.baselineLoss).toFixed(2)}% of baseline ${task.baselineLoss.toPrecision(4)})`
        : '') +
      `, accuracy ${(100 * test.accuracy).toFixed(2)}%; wrote ${join(options.out, 'metrics.json')} and curve.svg`,
  );
  return metrics;
}
