/// <reference types="node" />
/**
 * Checkpoints of a training run, in `<out>/checkpoint/`: `model.json` + weight shards (the tfjs
 * layers format, written and read by this package's `fileSystem` IO handler, loadable with
 * `tf.loadLayersModel('file://…')`), `optimizer.bin` (Adam's iteration count and moments) and
 * `state.json` (epoch, step, learning rate, history, options and the optimizer's weight specs).
 *
 * Crash safety: a new checkpoint is written complete (every file flushed, state.json renamed into
 * place last) into a staging folder `checkpoint.<token>.tmp`; only then is the previous one
 * renamed to `checkpoint.old`, the staging folder renamed to `checkpoint`, and `checkpoint.old`
 * removed. A kill at any moment leaves at least one complete copy, and `--resume` takes the newest
 * complete one among `checkpoint`, `checkpoint.old` and `checkpoint.*.tmp` (a copy is complete
 * when it has state.json). The model of the epoch with the lowest validation loss is kept in
 * `best/` (same format, saved by the handler's own atomic save).
 *
 * Everything read back is checked before it is trusted: only regular files inside the run folder
 * with size caps, state.json's fields and run options (by the command line's rules), Adam's slots
 * against the model's trainable weights, and finite values throughout.
 */
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { dispose, io, type Optimizer, type Tensor } from '@tensorflow/tfjs-core';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import { syncFolder, writeDurably } from '../io/durable';
import { DEFAULT_MAX_WEIGHT_BYTES } from '../io/file_system';
import { countNonFinite } from '../io/finite';
import { JsonChecker } from '../io/json_checker';
import { nodeFileSystem, type NodeFileSystem } from '../io/node_fs';
import { fileSystem } from '../io/register';
import { parseJsonText, readRegularFile, utf8Text } from '../io/regular_file';
import {
  checkOptimizerWeights,
  checkSavedState,
  optimizerBytes,
  type SavedState,
} from './saved_state';
import type { TrainState } from './train_state';
import { TRAIN_COMMAND } from './command';

export type { SavedState } from './saved_state';

const API = TRAIN_COMMAND;
const OPTIMIZER_FILE = 'optimizer.bin';
const STATE_FILE = 'state.json';
/** Largest state.json read: its step history grows by about 60 bytes a step. */
export const MAX_STATE_BYTES = 256 * 1024 * 1024;

/** The checkpoint folder of a run folder. */
export function checkpointDir(outDir: string): string {
  return join(outDir, 'checkpoint');
}

/** The folder of a run's best model (lowest validation loss), in the tfjs layers format. */
export function bestModelDir(outDir: string): string {
  return join(outDir, 'best');
}

/** Writes `model` as the run's best model; the handler's save replaces the previous one
 * atomically. */
export async function saveBestModel(outDir: string, model: LayersModel): Promise<void> {
  await model.save(fileSystem(bestModelDir(outDir)));
}

/** Loads the run's best model. */
export async function loadBestModel(outDir: string): Promise<LayersModel> {
  return loadLayersModel(fileSystem(bestModelDir(outDir)));
}

/** Names in the run folder that may hold a complete checkpoint copy. */
function isCopyName(name: string): boolean {
  return /^checkpoint(\.old|\.next|\.[a-z0-9]+\.tmp)?$/.test(name);
}

/** Writes the checkpoint of a run: model, optimizer state and `state`. */
export async function saveCheckpoint(
  outDir: string,
  model: LayersModel,
  optimizer: Optimizer,
  state: TrainState,
): Promise<void> {
  const node = nodeFileSystem(API);
  const optimizerWeights = await optimizer.getWeights();
  for (const { name, tensor } of optimizerWeights) {
    const problem = countNonFinite(tensor.dataSync());
    if (problem !== null) {
      throw new Error(
        `${API}: refusing to checkpoint epoch ${state.epoch} (step ${state.step}): Adam's ` +
          `'${name}' holds ${problem}; the previous checkpoint is kept`,
      );
    }
  }
  const encoded = await io.encodeWeights(optimizerWeights);
  const dir = checkpointDir(outDir);
  const token = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const staging = `${dir}.${token}.tmp`;
  try {
    await model.save(fileSystem(staging));
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    throw new Error(
      `${API}: cannot checkpoint epoch ${state.epoch} (step ${state.step}): ${(e as Error).message}`,
    );
  }
  const data = new Uint8Array(io.concatenateArrayBuffers([encoded.data].flat()));
  await writeDurably(node, API, join(staging, OPTIMIZER_FILE), data);
  const text = JSON.stringify({ ...state, optimizerSpecs: encoded.specs }, null, 1);
  await writeDurably(node, API, join(staging, `${STATE_FILE}.tmp`), text);
  await rename(join(staging, `${STATE_FILE}.tmp`), join(staging, STATE_FILE));
  await syncFolder(node, staging);
  // The staging copy is complete: every older copy is superseded from here on.
  await removeCopy(`${dir}.old`);
  await rename(dir, `${dir}.old`).catch((e: { code?: string }) => {
    if (e.code !== 'ENOENT') {
      throw e;
    }
  });
  await rename(staging, dir);
  await syncFolder(node, outDir);
  for (const name of await node.fs.readdir(outDir)) {
    if (isCopyName(name) && name !== 'checkpoint') {
      await removeCopy(join(outDir, name));
    }
  }
}

/** Removes a checkpoint copy, its state.json first: a removal cut short leaves an incomplete copy,
 * never one that looks complete without its model. */
async function removeCopy(folder: string): Promise<void> {
  await rm(join(folder, STATE_FILE), { force: true });
  await rm(folder, { recursive: true, force: true });
}

/** A checkpoint read back: the model, its state, and the optimizer weights to restore. */
export interface LoadedCheckpoint {
  model: LayersModel;
  state: TrainState;
  optimizerWeights: { name: string; tensor: Tensor }[];
}

/** The checked state of a checkpoint copy and the folder it is in. */
export interface FoundState extends SavedState {
  /** The copy's folder (`<out>/checkpoint`, or a copy a killed save left). */
  folder: string;
}

/** True when the run folder holds a complete checkpoint copy (one with a state.json). */
export async function hasCheckpoint(outDir: string): Promise<boolean> {
  const node = nodeFileSystem(API);
  return (await copiesWithState(node, outDir)).length > 0;
}

async function copiesWithState(node: NodeFileSystem, outDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await node.fs.readdir(outDir);
  } catch {
    return [];
  }
  const copies: string[] = [];
  for (const name of names.filter(isCopyName)) {
    const exists = await node.fs.stat(join(outDir, name, STATE_FILE)).then(
      () => true,
      () => false,
    );
    if (exists) {
      copies.push(join(outDir, name));
    }
  }
  return copies;
}

/**
 * Reads and checks the state of run folder `outDir`'s newest complete checkpoint copy, which
 * holds the run's options: the backend to load the tensors on among them. Throws a clear error
 * when there is no checkpoint.
 */
export async function readCheckpointState(outDir: string): Promise<FoundState> {
  const node = nodeFileSystem(API);
  const copies = await copiesWithState(node, outDir);
  if (copies.length === 0) {
    throw new Error(`${API}: --resume found no checkpoint in ${checkpointDir(outDir)}`);
  }
  const states: FoundState[] = [];
  for (const folder of copies) {
    states.push({ ...(await readState(node, outDir, folder)), folder });
  }
  // The newest: most steps; on a tie, the one in place.
  states.sort(
    (a, b) =>
      b.step - a.step ||
      Number(b.folder === checkpointDir(outDir)) - Number(a.folder === checkpointDir(outDir)),
  );
  return states[0];
}

async function readState(
  node: NodeFileSystem,
  outDir: string,
  folder: string,
): Promise<SavedState> {
  const file = join(folder, STATE_FILE);
  const check = new JsonChecker(API, file);
  const bytes = await readRegularFile(node, check, file, outDir, MAX_STATE_BYTES);
  const parsed = parseJsonText(check, utf8Text(check, bytes));
  return checkSavedState(check, parsed, file);
}

/**
 * Loads the model and optimizer weights of the checkpoint whose state is `saved`, on the current
 * backend, checking them against each other; disposes everything it made when it refuses.
 */
export async function loadCheckpoint(outDir: string, saved: FoundState): Promise<LoadedCheckpoint> {
  const node = nodeFileSystem(API);
  const { optimizerSpecs, folder, ...state } = saved;
  const file = join(folder, OPTIMIZER_FILE);
  const check = new JsonChecker(API, file);
  const byteLength = optimizerBytes(
    new JsonChecker(API, join(folder, STATE_FILE)),
    optimizerSpecs,
    DEFAULT_MAX_WEIGHT_BYTES,
  );
  const model = await loadLayersModel(fileSystem(folder));
  let tensors: Record<string, Tensor> = {};
  try {
    const data = await readRegularFile(node, check, file, outDir, byteLength);
    if (data.byteLength !== byteLength) {
      throw check.error(
        `holds ${data.byteLength} bytes but state.json's optimizerSpecs need ${byteLength}`,
      );
    }
    tensors = io.decodeWeights(
      data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer,
      optimizerSpecs,
    );
    const optimizerWeights = optimizerSpecs.map((spec) => ({
      name: spec.name,
      tensor: tensors[spec.name],
    }));
    checkOptimizerWeights(check, optimizerWeights, model, state.step);
    return { model, state, optimizerWeights };
  } catch (e) {
    model.dispose();
    dispose(Object.values(tensors));
    throw e;
  }
}
