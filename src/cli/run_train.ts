/// <reference types="node" />
/**
 * The `train` command: picks the backend, builds the task and the model (or reads them back from
 * the checkpoint with --resume), trains, then tests and writes metrics.json and curve.svg.
 */
import { join } from 'node:path';
import '../index';
import { useBackend } from '../training/backend';
import {
  hasCheckpoint,
  loadBestModel,
  loadCheckpoint,
  readCheckpointState,
} from '../training/checkpoint';
import { buildModel } from '../training/models/build_model';
import { modelSize } from '../training/models/model_size';
import type { ProgressSink } from '../training/progress';
import { ProgressBar } from '../training/progress';
import { runMetrics, writeReport, type RunMetrics } from '../training/report';
import { makeTask } from '../training/tasks/make_task';
import type { Task, TaskName } from '../training/tasks/task';
import { TASK_DEFAULTS, type TrainOptions } from '../training/train_options';
import { evaluate, ScheduledAdam, train } from '../training/trainer';
import type { Score, TrainState } from '../training/train_state';
import { TRAIN_COMMAND } from '../training/command';

/** Options that define the model and its data: a resume refuses to change them. */
const RUN_DEFINING: (keyof TrainOptions)[] = [
  'task',
  'model',
  'T',
  'units',
  'blockSize',
  'bits',
  'signs',
  'seed',
  'trainSize',
  'lrDecay',
];

/** Options that belong to one session, never read back from a checkpoint. */
const SESSION_ONLY: (keyof TrainOptions)[] = ['out', 'resume', 'given'];

/**
 * The options of a resumed run: those given on the command line, the checkpoint's for the others
 * (so a bare `--resume` finishes the run as it was started). Run-defining options cannot change;
 * the others (epochs, batch, backend, ...) may, and each epoch records its batch size.
 */
function resumedOptions(options: TrainOptions, saved: Record<string, unknown>): TrainOptions {
  const merged: Record<string, unknown> = { ...options };
  // Checkpoints written before an option existed ran with its default.
  const defaults: Record<string, unknown> = TASK_DEFAULTS[(saved.task ?? options.task) as TaskName];
  for (const key of Object.keys(options) as (keyof TrainOptions)[]) {
    if (SESSION_ONLY.includes(key)) {
      continue;
    }
    const trained = saved[key] ?? defaults[key] ?? options[key];
    if (RUN_DEFINING.includes(key) && options.given.includes(key) && trained !== options[key]) {
      throw new Error(
        `${TRAIN_COMMAND}: --resume: option ${key} is ${String(options[key])} but the checkpoint was trained with ${String(trained)}`,
      );
    }
    if (!options.given.includes(key)) {
      merged[key] = trained;
    }
  }
  return merged as unknown as TrainOptions;
}

/** The options a checkpoint keeps: all but the session's own. */
function sessionFree(options: TrainOptions): Record<string, unknown> {
  const kept: Record<string, unknown> = { ...options };
  for (const key of SESSION_ONLY) {
    delete kept[key];
  }
  return kept;
}

/** The test score of the run's best model (`test` when that is the last epoch's), or null for a
 * checkpoint from before best models were kept. */
async function testBestModel(
  task: Task,
  options: TrainOptions,
  state: TrainState,
  test: Score,
): Promise<Score | null> {
  if (state.best == null) {
    return null;
  }
  if (state.best.epoch === state.epoch) {
    return test;
  }
  const best = await loadBestModel(options.out);
  try {
    return evaluate(best, task, task.test, options.batch);
  } finally {
    best.dispose();
  }
}

/** Loss (and its share of the baseline) and accuracy, for the log. */
function describeScore(task: Task, score: Score): string {
  const baseline = task.baselineLoss;
  return (
    `loss ${score.loss.toPrecision(4)}` +
    (baseline != null
      ? ` (${((100 * score.loss) / baseline).toFixed(2)}% of baseline ${baseline.toPrecision(4)})`
      : '') +
    `, accuracy ${(100 * score.accuracy).toFixed(2)}%`
  );
}

/** Runs `tfjs-hadamrnn train` with parsed options; progress goes to `sink`. */
export async function runTrain(
  parsed: TrainOptions,
  sink: ProgressSink,
  command: string,
): Promise<RunMetrics> {
  const saved = parsed.resume ? await readCheckpointState(parsed.out) : null;
  let options = saved == null ? parsed : resumedOptions(parsed, saved.options);
  // Unless --backend was given, wasm (an optional peer dependency) falls back to cpu if absent.
  const backend = await useBackend(
    options.backend,
    options.given.includes('backend') ? undefined : 'cpu',
  );
  if (backend !== options.backend) {
    sink.write(
      `${TRAIN_COMMAND}: backend ${options.backend} is not installed, training on ${backend} ` +
        '(npm install @tensorflow/tfjs-backend-wasm trains about 5x faster)\n',
    );
    options = { ...options, backend };
  }
  let state: TrainState;
  let model;
  let optimizer: ScheduledAdam;
  if (saved != null) {
    const checkpoint = await loadCheckpoint(parsed.out, saved);
    state = checkpoint.state;
    // Epochs saved before they recorded their batch size ran with the checkpoint's.
    const savedBatch = (state.options.batch as number | undefined) ?? options.batch;
    state.epochs = state.epochs.map((record) => ({ batch: savedBatch, ...record }));
    state.options = sessionFree(options);
    model = checkpoint.model;
    if (parsed.given.includes('lr')) {
      state.learningRate = parsed.lr;
    }
    optimizer = new ScheduledAdam(state.learningRate);
    await optimizer.setWeights(checkpoint.optimizerWeights);
  } else {
    // Never overwrite a run: a kill may have left its only complete copy beside checkpoint/.
    if (await hasCheckpoint(parsed.out)) {
      throw new Error(
        `${TRAIN_COMMAND}: ${parsed.out} already holds a checkpoint; pass --resume to continue it or choose another --out`,
      );
    }
    state = {
      epoch: 0,
      step: 0,
      learningRate: options.lr,
      seconds: 0,
      options: sessionFree(options),
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
  const bestTest = await testBestModel(task, options, state, test);
  const metrics = runMetrics(task, options, state, size, command, test, bestTest);
  await writeReport(options.out, metrics);
  progress.log(
    `test ${describeScore(task, test)}` +
      (bestTest != null && state.best!.epoch !== state.epoch
        ? `; best validation at epoch ${state.best!.epoch}, its test ${describeScore(task, bestTest)}`
        : '') +
      `; wrote ${join(options.out, 'metrics.json')} and curve.svg`,
  );
  return metrics;
}
