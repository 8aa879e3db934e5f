/// <reference types="node" />
/**
 * Checkpoints of a training run, one folder rewritten after every epoch:
 * `model.json` + weight shards (the tfjs layers format, written and read by this package's
 * `fileSystem` IO handler, loadable with `tf.loadLayersModel('file://…')`),
 * `optimizer.bin` (Adam's moments and iteration count) and `state.json` (epoch, step, learning
 * rate, history and the optimizer's weight specs). A new checkpoint is written beside the old one
 * and swapped in by renames, so an interrupted save leaves the previous checkpoint usable. The model
 * of the epoch with the lowest validation loss is kept beside it, in `best/` (same format).
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { io, type Optimizer, type Tensor } from '@tensorflow/tfjs-core';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import { fileSystem } from '../io/register';
import type { TrainState } from './train_state';

const OPTIMIZER_FILE = 'optimizer.bin';
const STATE_FILE = 'state.json';

/** The checkpoint folder of a run folder. */
export function checkpointDir(outDir: string): string {
  return join(outDir, 'checkpoint');
}

/** The folder of a run's best model (lowest validation loss), in the tfjs layers format. */
export function bestModelDir(outDir: string): string {
  return join(outDir, 'best');
}

/** Writes `model` as the run's best model, replacing the previous one by a rename. */
export async function saveBestModel(outDir: string, model: LayersModel): Promise<void> {
  const dir = bestModelDir(outDir);
  await rm(`${dir}.next`, { recursive: true, force: true });
  await model.save(fileSystem(`${dir}.next`));
  await rm(dir, { recursive: true, force: true });
  await rename(`${dir}.next`, dir);
}

/** Loads the run's best model. */
export async function loadBestModel(outDir: string): Promise<LayersModel> {
  return loadLayersModel(fileSystem(bestModelDir(outDir)));
}

function bytesOf(data: ArrayBuffer | ArrayBuffer[]): Uint8Array {
  return new Uint8Array(io.concatenateArrayBuffers(Array.isArray(data) ? data : [data]));
}

/** Writes the checkpoint of a run: model, optimizer state and `state`. */
export async function saveCheckpoint(
  outDir: string,
  model: LayersModel,
  optimizer: Optimizer,
  state: TrainState,
): Promise<void> {
  const dir = checkpointDir(outDir);
  const next = `${dir}.next`;
  await rm(next, { recursive: true, force: true });
  await mkdir(next, { recursive: true });
  await model.save(fileSystem(next));
  const optimizerWeights = await optimizer.getWeights();
  const encoded = await io.encodeWeights(optimizerWeights);
  await writeFile(join(next, OPTIMIZER_FILE), bytesOf(encoded.data));
  await writeFile(
    join(next, STATE_FILE),
    JSON.stringify({ ...state, optimizerSpecs: encoded.specs }, null, 1),
  );
  await rm(`${dir}.old`, { recursive: true, force: true });
  await rename(dir, `${dir}.old`).catch(() => undefined);
  await rename(next, dir);
  await rm(`${dir}.old`, { recursive: true, force: true });
}

/** A checkpoint's state.json: the run's state and the specs of the optimizer's weights. */
export interface SavedState extends TrainState {
  optimizerSpecs: io.WeightsManifestEntry[];
}

/** A checkpoint read back: the model, its state, and the optimizer weights to restore. */
export interface LoadedCheckpoint {
  model: LayersModel;
  state: TrainState;
  optimizerWeights: { name: string; tensor: Tensor }[];
}

/**
 * Reads the state of run folder `outDir`'s checkpoint, which holds the run's options: the backend
 * to load the tensors on among them. Throws a clear error when there is no checkpoint.
 */
export async function readCheckpointState(outDir: string): Promise<SavedState> {
  const dir = checkpointDir(outDir);
  let stateText: string;
  try {
    stateText = await readFile(join(dir, STATE_FILE), 'utf8');
  } catch {
    throw new Error(`tfjs-hadamrnn train: --resume found no checkpoint in ${dir}`);
  }
  return JSON.parse(stateText) as SavedState;
}

/** Loads the model and optimizer weights of the checkpoint whose state is `saved`, on the current
 * backend. */
export async function loadCheckpoint(outDir: string, saved: SavedState): Promise<LoadedCheckpoint> {
  const dir = checkpointDir(outDir);
  const { optimizerSpecs, ...state } = saved;
  const model = await loadLayersModel(fileSystem(dir));
  const data = await readFile(join(dir, OPTIMIZER_FILE));
  const tensors = io.decodeWeights(
    data.buffer.slice(data.byteOffset, data.byteOffset + data.length),
    optimizerSpecs,
  );
  const optimizerWeights = optimizerSpecs.map((spec) => ({
    name: spec.name,
    tensor: tensors[spec.name],
  }));
  return { model, state, optimizerWeights };
}
