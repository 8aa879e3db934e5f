/// <reference types="node" />
/**
 * The files a run leaves next to its checkpoint: `metrics.json` (rewritten after every epoch with
 * status "running", then with the test score) and `curve.svg`, the learning curve.
 */
import { mkdir } from 'node:fs/promises';
import { cpus, loadavg, platform, totalmem } from 'node:os';
import { join } from 'node:path';
import { version_core as tfjsVersion } from '@tensorflow/tfjs-core';
import { replaceFile } from '../io/durable';
import { nodeFileSystem } from '../io/node_fs';
import { TRAIN_COMMAND } from './command';
import type { TrainOptions } from './train_options';
import type { ModelSize } from './models/model_size';
import { smooth, svgChart, type Panel } from './svg_plot';
import type { Task } from './tasks/task';
import type { Score, TrainState } from './train_state';

/** The content of metrics.json. */
export interface RunMetrics {
  status: 'running' | 'done';
  task: string;
  model: string;
  command: string;
  backend: string;
  machine: {
    cpu: string;
    cores: number;
    memoryGiB: number;
    platform: string;
    node: string;
    tfjs: string;
    loadAverage: number[];
  };
  options: Record<string, unknown>;
  epochs: number;
  steps: number;
  wallSeconds: number;
  secondsPerStep: number;
  learningRate: number;
  baselineLoss: number | null;
  validation: Score | null;
  test: Score | null;
  /** test loss / baseline loss (copy task). */
  testLossOverBaseline: number | null;
  /** The epoch with the lowest validation loss, its model kept in `best/`, and its test score
   * (null until the run is done). */
  best: { epoch: number; step: number; validation: Score; test: Score | null } | null;
  modelSize: Omit<ModelSize, 'weights'>;
  history: { epochs: TrainState['epochs']; steps: [number, number, number][] };
}

/** Points kept of the per-step history in metrics.json and the plot. */
const MAX_POINTS = 400;

function machine(): RunMetrics['machine'] {
  const cpuList = cpus();
  return {
    cpu: cpuList[0]?.model ?? 'unknown',
    cores: cpuList.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: platform(),
    node: process.version,
    tfjs: tfjsVersion,
    loadAverage: loadavg().map((x) => Number(x.toFixed(2))),
  };
}

/** Builds the metrics of a run from its state. */
export function runMetrics(
  task: Task,
  options: TrainOptions,
  state: TrainState,
  size: ModelSize,
  command: string,
  test: Score | null,
  bestTest: Score | null = null,
): RunMetrics {
  const window = Math.max(1, Math.ceil(state.steps.length / MAX_POINTS));
  const losses = smooth(
    state.steps.map((s) => [s.step, s.loss]),
    window,
  );
  const accuracies = smooth(
    state.steps.map((s) => [s.step, s.accuracy]),
    window,
  );
  const { given: _given, ...shown } = options;
  const { weights: _weights, ...sizeTotals } = size;
  return {
    status: test == null ? 'running' : 'done',
    task: task.name,
    model: options.model,
    command,
    backend: options.backend,
    machine: machine(),
    options: shown,
    epochs: state.epoch,
    steps: state.step,
    wallSeconds: Number(state.seconds.toFixed(1)),
    secondsPerStep: Number((state.seconds / Math.max(1, state.step)).toFixed(3)),
    learningRate: state.learningRate,
    baselineLoss: task.baselineLoss,
    validation: state.epochs.at(-1)?.validation ?? null,
    test,
    testLossOverBaseline:
      test != null && task.baselineLoss != null ? test.loss / task.baselineLoss : null,
    best: state.best == null ? null : { ...state.best, test: bestTest },
    modelSize: sizeTotals,
    history: {
      epochs: state.epochs,
      steps: losses.map(([step, loss], i) => [
        step,
        Number(loss.toPrecision(5)),
        Number(accuracies[i][1].toPrecision(5)),
      ]),
    },
  };
}

/** The learning-curve chart of a run: loss (log scale) and accuracy against steps. */
export function learningCurveSvg(metrics: RunMetrics): string {
  const steps = metrics.history.steps;
  const epochs = metrics.history.epochs;
  const lastStep = steps.at(-1)?.[0] ?? 1;
  const lossPanel: Panel = {
    title: 'loss (cross-entropy)',
    xLabel: 'training step',
    yLabel: 'loss (log scale)',
    logY: true,
    series: [
      { label: 'train', color: '#1f77b4', points: steps.map(([s, l]) => [s, l]) },
      {
        label: 'validation',
        color: '#d62728',
        points: epochs.map((e) => [e.step, e.validation.loss]),
      },
    ],
  };
  if (metrics.baselineLoss != null) {
    lossPanel.series.push({
      label: `baseline ${metrics.baselineLoss.toPrecision(3)}`,
      color: '#555',
      dashed: true,
      points: [
        [0, metrics.baselineLoss],
        [lastStep, metrics.baselineLoss],
      ],
    });
  }
  const accuracyLabel = metrics.task === 'copy' ? 'symbols recalled' : 'accuracy';
  const accuracyPanel: Panel = {
    title: accuracyLabel,
    xLabel: 'training step',
    yLabel: `${accuracyLabel} (%)`,
    yRange: [0, 100],
    series: [
      { label: 'train', color: '#1f77b4', points: steps.map(([s, , a]) => [s, 100 * a]) },
      {
        label: 'validation',
        color: '#d62728',
        points: epochs.map((e) => [e.step, 100 * e.validation.accuracy]),
      },
    ],
  };
  const title = `${metrics.task} ${metrics.model} (${metrics.command.replace(/^tfjs-hadamrnn /, '')}), ${metrics.steps} steps, ${metrics.backend}`;
  return svgChart(title, [lossPanel, accuracyPanel]);
}

/** Writes metrics.json and curve.svg into the run folder, each replaced whole (a kill between
 * epochs' reports leaves the previous file or the new one). */
export async function writeReport(outDir: string, metrics: RunMetrics): Promise<void> {
  const node = nodeFileSystem(TRAIN_COMMAND);
  await mkdir(outDir, { recursive: true });
  const json = `${JSON.stringify(metrics, null, 1)}\n`;
  await replaceFile(node, TRAIN_COMMAND, join(outDir, 'metrics.json'), json);
  await replaceFile(node, TRAIN_COMMAND, join(outDir, 'curve.svg'), learningCurveSvg(metrics));
}
