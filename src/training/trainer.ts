/**
 * The training loop: Adam on the task's loss, one fresh batch per step, validation and a
 * checkpoint after every epoch (and the best model so far, by validation loss), the learning rate
 * multiplied by `lrDecay` between epochs.
 */
import {
  AdamOptimizer,
  all,
  dispose,
  isFinite,
  keep,
  reshape,
  stack,
  tidy,
  type Scalar,
  type Tensor,
  type Variable,
} from '@tensorflow/tfjs-core';
import { countNonFinite } from '../io/finite';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { TrainOptions } from './train_options';
import { saveBestModel, saveCheckpoint } from './checkpoint';
import { correctCount, ScoreMeter, taskLoss } from './objective';
import type { ProgressBar } from './progress';
import type { Batch, EvalSplit, Task } from './tasks/task';
import type { Score, TrainState } from './train_state';
import { TRAIN_COMMAND } from './command';

/** Adam whose learning rate the schedule can change between epochs (tfjs keeps it protected). */
export class ScheduledAdam extends AdamOptimizer {
  constructor(learningRate: number) {
    super(learningRate, 0.9, 0.999);
  }

  /** The learning rate of the next updates. */
  get rate(): number {
    return this.learningRate;
  }

  set rate(value: number) {
    this.learningRate = value;
  }
}

/** Training steps in one epoch: `--steps`, else one pass over the training set. */
export function stepsPerEpoch(task: Task, options: TrainOptions): number {
  if (options.steps != null) {
    return options.steps;
  }
  if (task.trainSize == null) {
    throw new Error(`${TRAIN_COMMAND}: task ${task.name} needs --steps`);
  }
  return Math.ceil(Math.min(task.trainSize, options.trainSize) / options.batch);
}

/** The model's trainable variables, in a fixed order (Adam's saved moments follow this order). */
export function trainableVariables(model: LayersModel): Variable[] {
  return model.trainableWeights.map((weight) => weight.read() as Variable);
}

/** One optimizer step on `batch`; returns the batch's loss and hits. Disposes nothing of batch. */
export function trainStep(
  model: LayersModel,
  optimizer: AdamOptimizer,
  task: Task,
  batch: Batch,
  variables: Variable[],
): { loss: number; correct: number; scored: number } {
  let hits: { correct: Scalar; scored: number } | null = null;
  const loss = optimizer.minimize(
    () => {
      const logits = model.apply(batch.x, { training: true }) as Tensor;
      hits = correctCount(task, logits, batch.labels);
      keep(hits.correct);
      return taskLoss(task, logits, batch.labels);
    },
    true,
    variables,
  )!;
  const { correct, scored } = hits!;
  const result = { loss: loss.dataSync()[0], correct: correct.dataSync()[0], scored };
  dispose([loss, correct]);
  return result;
}

/**
 * Why a training step went non-finite (its loss, or a weight after its update), with the likely
 * cause, or null when the loss and every weight are finite. Checked after every step, so that no
 * non-finite weight reaches a checkpoint or the best model.
 */
export function nonFiniteStep(
  loss: number,
  batch: Batch,
  model: LayersModel,
  variables: Variable[],
): string | null {
  const finite = tidy(() =>
    stack(variables.map((v) => all(isFinite(reshape(v, [-1]))))).dataSync(),
  );
  const bad = finite.findIndex((ok) => !ok);
  if (Number.isFinite(loss) && bad < 0) {
    return null;
  }
  const inputs = countNonFinite(batch.x.dataSync());
  const cause =
    inputs !== null
      ? `the batch's inputs hold ${inputs}`
      : 'the update overflowed (a learning rate too high for this model: lower --lr)';
  if (bad < 0) {
    return `the loss is ${loss}; ${cause}`;
  }
  const weight = model.trainableWeights[bad];
  const values = variables[bad].dataSync();
  return `weight '${weight.originalName}' holds ${countNonFinite(values)} among its ${values.length} values (the loss was ${loss}); ${cause}`;
}

/** Loss and accuracy of `model` on a whole split, in batches of `batchSize`. */
export function evaluate(
  model: LayersModel,
  task: Task,
  split: EvalSplit,
  batchSize: number,
): Score {
  const meter = new ScoreMeter();
  for (let start = 0; start < split.size; start += batchSize) {
    const count = Math.min(batchSize, split.size - start);
    const batch = split.batch(start, count);
    const logits = model.predict(batch.x, { batchSize: count }) as Tensor;
    const loss = taskLoss(task, logits, batch.labels);
    const hits = correctCount(task, logits, batch.labels);
    meter.add(loss.dataSync()[0], count, hits.correct.dataSync()[0], hits.scored);
    dispose([batch.x, batch.labels, logits, loss, hits.correct]);
  }
  return meter.score();
}

/** What {@link train} runs. */
export interface TrainSetup {
  task: Task;
  model: LayersModel;
  optimizer: ScheduledAdam;
  options: TrainOptions;
  /** Where the run stands (fresh or read from a checkpoint); updated in place. */
  state: TrainState;
  progress: ProgressBar;
  /** Called after every epoch's checkpoint (writes the running metrics). */
  onEpoch?: (state: TrainState) => Promise<void>;
}

const round = (x: number) => Number(x.toPrecision(5));

/** Trains from `state.epoch` to `options.epochs`, checkpointing after every epoch. */
export async function train(setup: TrainSetup): Promise<TrainState> {
  const { task, model, optimizer, options, state, progress, onEpoch } = setup;
  const perEpoch = stepsPerEpoch(task, options);
  const variables = trainableVariables(model);
  const sessionStart = Date.now();
  const secondsBefore = state.seconds;
  let sessionSteps = 0;
  for (let epoch = state.epoch; epoch < options.epochs; epoch++) {
    optimizer.rate = state.learningRate;
    const meter = new ScoreMeter();
    for (let i = 0; i < perEpoch; i++) {
      const batch = task.trainBatch(epoch, i, options.batch);
      const { loss, correct, scored } = trainStep(model, optimizer, task, batch, variables);
      const problem = nonFiniteStep(loss, batch, model, variables);
      dispose([batch.x, batch.labels]);
      if (problem !== null) {
        throw new Error(
          `${TRAIN_COMMAND}: step ${state.step + 1} (epoch ${epoch + 1}) went non-finite: ` +
            `${problem}; nothing of it was saved, the checkpoint of epoch ${state.epoch} is kept`,
        );
      }
      meter.add(loss, options.batch, correct, scored);
      state.step++;
      sessionSteps++;
      state.steps.push({ step: state.step, loss: round(loss), accuracy: round(correct / scored) });
      const running = meter.score();
      const secondsPerStep = (Date.now() - sessionStart) / 1000 / sessionSteps;
      progress.update({
        epoch: epoch + 1,
        epochs: options.epochs,
        step: i + 1,
        stepsPerEpoch: perEpoch,
        loss: running.loss,
        accuracy: running.accuracy,
        secondsPerStep,
        stepsLeft: (options.epochs - epoch) * perEpoch - (i + 1),
      });
    }
    const validation = evaluate(model, task, task.validation, options.batch);
    state.seconds = secondsBefore + (Date.now() - sessionStart) / 1000;
    state.epochs.push({
      epoch: epoch + 1,
      step: state.step,
      learningRate: state.learningRate,
      batch: options.batch,
      train: meter.score(),
      validation,
      seconds: state.seconds,
    });
    state.epoch = epoch + 1;
    state.learningRate *= options.lrDecay;
    if (state.best == null || validation.loss < state.best.validation.loss) {
      await saveBestModel(options.out, model);
      state.best = { epoch: state.epoch, step: state.step, validation };
    }
    await saveCheckpoint(options.out, model, optimizer, state);
    progress.log(
      `epoch ${epoch + 1}: train loss ${meter.score().loss.toPrecision(4)}, validation loss ` +
        `${validation.loss.toPrecision(4)} acc ${(100 * validation.accuracy).toFixed(2)}%` +
        `, checkpoint saved`,
    );
    await onEpoch?.(state);
  }
  return state;
}
