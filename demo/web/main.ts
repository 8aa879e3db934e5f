/**
 * The demo page's entry: wires the controls of index.html to the shipped model, the copy-task
 * data, the pictures and "train here".
 *
 * URL parameters: `seed` (the first sequence; default random), `backend` (cpu, wasm, webgl or
 * webgpu; default webgl). `document.body.dataset.state` is 'loading', 'busy', 'training', 'ready' or
 * 'error'.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { copyBaselineLoss } from '../../src/training/tasks/copy_task';
import { COPY_SYMBOLS, copyExample, type CopyExample } from './copy_data';
import { drawLossCurve, drawSignGrid, SIGN_COLOURS } from './draw';
import {
  buildCopyModel,
  loadShippedModel,
  modelTimeSteps,
  predictCopy,
  recurrencePicture,
} from './model';
import { renderSequence } from './sequence_view';
import { trainCopyModel } from './train';

/** The backends the page offers, in the order "time every backend" runs them (webgpu only where
 * the browser has WebGPU). */
const BACKENDS = ['cpu', 'wasm', 'webgl', 'webgpu'] as const;
/** "Train here": the shipped model's width and learning rate, batch 32. */
const TRAIN = { units: 128, learningRate: 1e-2, batchSize: 32 };
/** Largest picture of W, in CSS pixels. */
const PICTURE_PX = 256;
/** Width of the column picturing s, in CSS pixels. */
const SIGNS_PX = 14;

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  backend: element<HTMLSelectElement>('backend'),
  model: element<HTMLSelectElement>('model'),
  newSequence: element<HTMLButtonElement>('new-sequence'),
  predict: element<HTMLButtonElement>('predict'),
  compare: element<HTMLButtonElement>('compare'),
  status: element<HTMLSpanElement>('status'),
  seed: element<HTMLSpanElement>('seed'),
  sequence: element<HTMLTableElement>('sequence'),
  score: element<HTMLParagraphElement>('score'),
  latency: element<HTMLTableSectionElement>('latency-rows'),
  signs: element<HTMLCanvasElement>('signs'),
  matrix: element<HTMLCanvasElement>('matrix'),
  units: element<HTMLSpanElement>('units'),
  trainSteps: element<HTMLInputElement>('train-steps'),
  train: element<HTMLButtonElement>('train'),
  trainStatus: element<HTMLSpanElement>('train-status'),
  trainProgress: element<HTMLProgressElement>('train-progress'),
  loss: element<HTMLCanvasElement>('loss'),
};

const params = new URLSearchParams(location.search);
const models: Record<string, tf.LayersModel> = {};
let seed = Number(params.get('seed') ?? Math.floor(Math.random() * 1e6));
let example: CopyExample;
let training = false;
let stopTraining = false;

function setState(state: 'busy' | 'training' | 'ready' | 'error', message: string): void {
  document.body.dataset.state = state;
  ui.status.textContent = message;
  for (const button of [ui.newSequence, ui.predict, ui.compare, ui.backend, ui.model]) {
    button.disabled = state === 'busy' || training;
  }
  ui.train.disabled = state === 'busy';
}

const currentModel = () => models[ui.model.value];

async function useBackend(name: string): Promise<void> {
  if (tf.getBackend() !== name && !(await tf.setBackend(name))) {
    throw new Error(`demo: backend ${name} could not be initialized in this browser`);
  }
  await tf.ready();
}

function newExample(): void {
  example = copyExample(modelTimeSteps(currentModel()), seed);
  ui.seed.textContent = String(seed);
  renderSequence(ui.sequence, example);
  ui.score.textContent = '';
}

/** Runs the current model on `backend`, shows the prediction and its latency row. */
async function predictOn(backend: string): Promise<void> {
  await useBackend(backend);
  const { predicted, latencyMs } = await predictCopy(currentModel(), example);
  const score = renderSequence(ui.sequence, example, predicted)!;
  ui.score.textContent =
    `${ui.model.value} model on ${backend}: ${score.symbols}/${COPY_SYMBOLS} symbols recalled, ` +
    `${score.steps}/${predicted.length} steps correct`;
  let row = ui.latency.querySelector<HTMLTableRowElement>(`tr[data-backend="${backend}"]`);
  if (row == null) {
    row = ui.latency.insertRow();
    row.dataset.backend = backend;
  }
  row.dataset.symbols = String(score.symbols);
  row.dataset.codes = Array.from(predicted).join(',');
  row.innerHTML =
    `<td>${backend}</td><td>${ui.model.value}</td><td>${latencyMs.toFixed(1)}</td>` +
    `<td>${score.symbols}/${COPY_SYMBOLS}</td>`;
}

async function showRecurrence(): Promise<void> {
  const { units, signs, matrix } = await recurrencePicture(currentModel());
  const cell = Math.max(1, Math.floor(PICTURE_PX / units));
  drawSignGrid(ui.signs, signs, { rows: units, cols: 1, cellWidth: SIGNS_PX, cellHeight: cell });
  drawSignGrid(ui.matrix, matrix, { rows: units, cols: units, cellWidth: cell, cellHeight: cell });
  ui.units.textContent = String(units);
}

/** Runs `task` with the controls disabled, reporting failures on the page. */
async function busy(message: string, task: () => Promise<void>): Promise<void> {
  setState('busy', message);
  try {
    await task();
    setState('ready', 'ready');
  } catch (error) {
    setState('error', String(error));
    console.error(error);
  }
}

async function train(): Promise<void> {
  if (training) {
    stopTraining = true;
    return;
  }
  const steps = Math.max(1, Math.floor(Number(ui.trainSteps.value)));
  const timeSteps = modelTimeSteps(models.shipped);
  const baseline = copyBaselineLoss(timeSteps);
  const losses: number[] = [];
  training = true;
  stopTraining = false;
  ui.train.textContent = 'Stop';
  ui.trainProgress.max = steps;
  setState('training', `training on ${tf.getBackend()}`);
  drawLossCurve(ui.loss, losses, { steps, baseline });
  const started = performance.now();
  try {
    models.trained?.dispose();
    const model = buildCopyModel(timeSteps, TRAIN.units, TRAIN.learningRate);
    const done = await trainCopyModel(model, {
      steps,
      batchSize: TRAIN.batchSize,
      seed,
      stopRequested: () => stopTraining,
      onStep: (step, loss) => {
        losses.push(loss);
        drawLossCurve(ui.loss, losses, { steps, baseline });
        ui.loss.dataset.steps = String(step);
        ui.trainProgress.value = step;
        const msPerStep = (performance.now() - started) / step;
        ui.trainStatus.textContent =
          `step ${step}/${steps}, loss ${loss.toFixed(3)} (baseline ${baseline.toFixed(3)}), ` +
          `${msPerStep.toFixed(0)} ms/step on ${tf.getBackend()}`;
      },
    });
    models.trained = model;
    ui.model.querySelector<HTMLOptionElement>('option[value="trained"]')!.disabled = false;
    ui.model.value = 'trained';
    ui.trainStatus.textContent += ` — ${done === steps ? 'done' : 'stopped'}`;
  } finally {
    training = false;
    ui.train.textContent = 'Train here';
  }
  await busy('predicting', async () => {
    await showRecurrence();
    await predictOn(tf.getBackend());
  });
}

async function main(): Promise<void> {
  document.body.dataset.state = 'loading';
  setWasmPaths(new URL('tfjs-wasm/', location.href).href);
  ui.backend.value = params.get('backend') ?? 'webgl';
  document.querySelectorAll<HTMLElement>('.swatch').forEach((swatch) => {
    swatch.style.background = SIGN_COLOURS[swatch.dataset.sign as keyof typeof SIGN_COLOURS];
  });
  await busy('loading the model', async () => {
    await useBackend(ui.backend.value);
    models.shipped = await loadShippedModel();
    drawLossCurve(ui.loss, [], {
      steps: Number(ui.trainSteps.value),
      baseline: copyBaselineLoss(modelTimeSteps(models.shipped)),
    });
    newExample();
    await showRecurrence();
    await predictOn(ui.backend.value);
  });
  const run = (task: () => Promise<void>) => () => void busy('running', task);
  ui.backend.onchange = run(() => predictOn(ui.backend.value));
  ui.predict.onclick = run(() => predictOn(ui.backend.value));
  ui.model.onchange = run(async () => {
    await showRecurrence();
    await predictOn(ui.backend.value);
  });
  ui.newSequence.onclick = run(async () => {
    seed += 1;
    newExample();
    await predictOn(ui.backend.value);
  });
  ui.compare.onclick = run(async () => {
    for (const backend of BACKENDS) {
      if (backend === 'webgpu' && !('gpu' in navigator)) {
        continue;
      }
      await predictOn(backend);
    }
    await useBackend(ui.backend.value);
  });
  ui.train.onclick = () =>
    void train().catch((error) => setState('error', `train here: ${String(error)}`));
}

void main();
