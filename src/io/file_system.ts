/**
 * Saving and loading layers models as files in Node.js, in the format of tfjs's converter and
 * tfjs-node: a `model.json` plus binary weight shards of at most 4 MiB.
 */
import { io } from '@tensorflow/tfjs-core';
import { nonFiniteWeight } from './finite';
import { JsonChecker, type JsonObject } from './json_checker';
import { parseModelJson } from './model_json';
import { syncFolder, writeDurably } from './durable';
import { nodeFileSystem, type NodeFileSystem } from './node_fs';
import {
  errorCode,
  fsProblem,
  openRegularFile,
  readOpenedFile,
  utf8Text,
  type OpenedFile,
} from './regular_file';
import { checkTopologyAgainstWeights } from './topology_check';
import type { ManifestGroup } from './weights_manifest';

/** The URL scheme routed to {@link fileSystem} by `model.save` and `tf.loadLayersModel`. */
export const FILE_SCHEME = 'file://';
/** Name of the topology file inside a model folder. */
export const MODEL_JSON = 'model.json';
/** Default largest shard written: 4 MiB, as the tfjs converter. */
export const DEFAULT_SHARD_BYTES = 4 * 1024 * 1024;
/** Default largest model.json read: 16 MiB (topologies of large models stay below 1 MiB). */
export const DEFAULT_MAX_MODEL_JSON_BYTES = 16 * 1024 * 1024;
/** Default largest total of weights read: 1 GiB. */
export const DEFAULT_MAX_WEIGHT_BYTES = 1024 * 1024 * 1024;

const API = 'fileSystem';

/** Options of {@link fileSystem}. */
export interface FileSystemOptions {
  /** Largest shard written, in bytes (a positive integer). Default 4 MiB. */
  shardBytes?: number;
  /** Largest model.json read, in bytes; a larger file is refused before it is read. Default 16 MiB. */
  maxModelJsonBytes?: number;
  /** Largest total of weight bytes read; a manifest declaring more is refused. Default 1 GiB. */
  maxWeightBytes?: number;
  /** Build the topology once before tfjs does, to refuse a config or weight mismatch without
   * the leak tfjs has there (see topology_check.ts). Costs one more model construction. When
   * false, the build is dry (empty weights, nothing initialized): weights that do not match are
   * still refused, but a config a layer refuses reaches tfjs. Default true. */
  checkTopology?: boolean;
  /** As `tf.loadLayersModel`'s `strict` (the file:// router passes it on): when false, weights
   * missing on either side are allowed. Default true. */
  strict?: boolean;
  /** Save and load float32 weights that hold NaN or ±Infinity. Default false: such a save or load
   * is refused, naming the first such weight (a diverged model, or a damaged file). */
  allowNonFinite?: boolean;
}

/**
 * An IOHandler that saves a layers model to a folder and loads it back, with Node's `fs`.
 *
 * Saving is atomic as a whole: it writes the weights, cut into shards of at most `shardBytes`,
 * under names unique to the save (`<folder>/model.<token>.shard{i}of{n}.bin`), flushed to the
 * disk; then `<folder>/model.json`
 * (`{modelTopology, format: 'layers-model', generatedBy, convertedBy, weightsManifest}`) through a
 * flushed temporary file renamed over it (the commit point); then removes the shards model.json no
 * longer lists and the temporaries of killed saves. Whenever a save is killed, the folder loads
 * the previous model or the new one, never a mix. Weights holding NaN or ±Infinity are refused
 * (saved and loaded) unless `allowNonFinite` is true.
 *
 * Loading treats the files as untrusted and refuses, with one line naming the file and the
 * problem (never quoting its contents): a model.json that is not a regular file inside its folder
 * (links followed) or is over `maxModelJsonBytes`, more than a million JSON values, invalid JSON, the keys `__proto__`,
 * `constructor` and `prototype` anywhere, missing or wrongly typed fields, unknown dtypes, shard
 * paths that leave the folder (`..`, absolute paths, URLs, symbolic links pointing outside), and
 * shards that are missing or whose bytes differ from what the manifest's shapes and dtypes need,
 * and (`checkTopology`) a topology that declares more weight bytes than the manifest (counted
 * before they are allocated), cannot be built, or whose weights differ from the manifest's in name,
 * shape or dtype: tfjs would refuse those too, but only after building part of the model, which it
 * then leaks.
 *
 * Node only: the file system is reached through `process.getBuiltinModule` (Node >= 20.16) when a
 * handler saves or loads, never at import, so importing the package in a browser is unaffected;
 * there, calling `save` or `load` rejects with an error saying so.
 *
 * ```js
 * await model.save(fileSystem('/tmp/my-model'));            // or model.save('file:///tmp/my-model')
 * const loaded = await tf.loadLayersModel(fileSystem('/tmp/my-model/model.json'));
 * ```
 *
 * @param path The model folder, or its model.json (for saving too: shards go beside it); a
 *     `file:///abs/path` or `file://localhost/abs/path` URL is percent-decoded, any other
 *     `file://` prefix is removed (tfjs-node's relative `file://./model`).
 * @param options `shardBytes` (default 4 MiB), `maxModelJsonBytes` (default 16 MiB),
 *     `maxWeightBytes` (default 1 GiB), `checkTopology` (default true), `strict` (default true),
 *     `allowNonFinite` (default false).
 */
export function fileSystem(path: string, options: FileSystemOptions = {}): FileSystemHandler {
  return new FileSystemHandler(path, options);
}

/** The handler {@link fileSystem} returns. */
export class FileSystemHandler implements io.IOHandler {
  /** The model folder (a `model.json` path is taken as its folder). */
  readonly path: string;
  /** Largest weight shard written, in bytes. */
  readonly shardBytes: number;
  /** Largest model.json read, in bytes. */
  readonly maxModelJsonBytes: number;
  /** Largest total of weight bytes read. */
  readonly maxWeightBytes: number;
  /** Whether load builds the topology on trial and checks it against the weights manifest. */
  readonly checkTopology: boolean;
  /** Whether load refuses what tfjs would tolerate (see FileSystemOptions.strict). */
  readonly strict: boolean;
  /** Whether weights holding NaN or ±Infinity may be saved and loaded. */
  readonly allowNonFinite: boolean;

  constructor(path: string, options: FileSystemOptions = {}) {
    if (typeof path !== 'string' || path.length === 0) {
      throw new Error(`${API}: path must be a non-empty string, got ${String(path)}`);
    }
    this.path = path.startsWith(FILE_SCHEME) ? pathOfFileUrl(path) : path;
    this.shardBytes = positiveInteger('shardBytes', options.shardBytes, DEFAULT_SHARD_BYTES);
    this.maxModelJsonBytes = positiveInteger(
      'maxModelJsonBytes',
      options.maxModelJsonBytes,
      DEFAULT_MAX_MODEL_JSON_BYTES,
    );
    this.maxWeightBytes = positiveInteger(
      'maxWeightBytes',
      options.maxWeightBytes,
      DEFAULT_MAX_WEIGHT_BYTES,
    );
    this.checkTopology = options.checkTopology ?? true;
    this.strict = options.strict ?? true;
    if (options.allowNonFinite !== undefined && typeof options.allowNonFinite !== 'boolean') {
      throw new Error(
        `${API}: allowNonFinite must be a boolean, got ${String(options.allowNonFinite)}`,
      );
    }
    this.allowNonFinite = options.allowNonFinite ?? false;
  }

  /**
   * Writes the shards under names unique to this save, then model.json through a temporary file
   * renamed over it (the commit point), then removes what no longer belongs to the model.
   */
  async save(artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
    if (artifacts.modelTopology instanceof ArrayBuffer) {
      throw new Error(`${API}: saving a binary (graph) topology is not supported`);
    }
    const data = new Uint8Array(
      artifacts.weightData == null
        ? new ArrayBuffer(0)
        : io.CompositeArrayBuffer.join(artifacts.weightData),
    );
    if (!this.allowNonFinite) {
      const problem = nonFiniteWeight(artifacts.weightSpecs ?? [], data);
      if (problem !== null) {
        throw new Error(
          `${API}: refusing to save non-finite weights: ${problem} (training diverged?); ` +
            'pass allowNonFinite: true to save them anyway',
        );
      }
    }
    const node = nodeFileSystem(API);
    const modelJsonPath = this.path.endsWith('.json')
      ? node.path.resolve(this.path)
      : node.path.resolve(this.path, MODEL_JSON);
    return oneAtATime(modelJsonPath, () => this.write(node, modelJsonPath, artifacts, data));
  }

  private async write(
    node: NodeFileSystem,
    modelJsonPath: string,
    artifacts: io.ModelArtifacts,
    data: Uint8Array,
  ): Promise<io.SaveResult> {
    const folder = node.path.dirname(modelJsonPath);
    try {
      await node.fs.mkdir(folder, { recursive: true });
    } catch (e) {
      throw new Error(`${API}: cannot create the folder ${folder} (${errorCode(e)})`);
    }
    const files = new SaveFiles(node.path.basename(modelJsonPath));
    const count = Math.ceil(data.byteLength / this.shardBytes);
    const paths = Array.from({ length: count }, (_, i) => files.shard(i, count));
    for (let i = 0; i < count; i++) {
      const shard = data.subarray(i * this.shardBytes, (i + 1) * this.shardBytes);
      await writeDurably(node, API, node.path.join(folder, paths[i]), shard);
    }
    const modelJson: JsonObject = {
      modelTopology: artifacts.modelTopology,
      format: artifacts.format ?? 'layers-model',
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy ?? null,
      weightsManifest: [{ paths, weights: artifacts.weightSpecs ?? [] }],
    };
    for (const key of [
      'trainingConfig',
      'userDefinedMetadata',
      'signature',
      'modelInitializer',
      'initializerSignature',
    ] as const) {
      if (artifacts[key] != null) {
        modelJson[key] = artifacts[key];
      }
    }
    const temporary = node.path.join(folder, files.temporary());
    await writeDurably(node, API, temporary, JSON.stringify(modelJson));
    try {
      await node.fs.rename(temporary, modelJsonPath);
    } catch (e) {
      await node.fs.rm(temporary, { force: true });
      throw new Error(`${API}: cannot write ${modelJsonPath} (${errorCode(e)})`);
    }
    await syncFolder(node, folder);
    await removeLeftovers(node, folder, files, new Set(paths));
    return { modelArtifactsInfo: io.getModelArtifactsInfoForJSON(artifacts) };
  }

  /** Reads and checks model.json, then reads and checks every shard it lists. */
  async load(): Promise<io.ModelArtifacts> {
    const node = nodeFileSystem(API);
    let modelJsonPath = node.path.resolve(this.path);
    const stats = await statOrThrow(node, modelJsonPath, new JsonChecker(API, modelJsonPath));
    if (stats.isDirectory()) {
      modelJsonPath = node.path.join(modelJsonPath, MODEL_JSON);
    }
    const check = new JsonChecker(API, modelJsonPath);
    const modelFolder = node.path.dirname(modelJsonPath);
    const opened = await openRegularFile(node, check, modelJsonPath, modelFolder, Infinity);
    if (opened.size > this.maxModelJsonBytes) {
      await opened.handle.close();
      throw check.error(
        `is ${opened.size} bytes, more than maxModelJsonBytes ${this.maxModelJsonBytes}`,
      );
    }
    const text = utf8Text(check, await readOpenedFile(check, opened));
    const { artifacts, groups } = parseModelJson(check, text, this.maxWeightBytes);
    artifacts.weightSpecs = groups.flatMap((g) => g.weights);
    // Without checkTopology, a dry build (empty weights) still compares the declared weights, so
    // that tfjs never builds a model it then refuses, and leaks.
    const dry = !this.checkTopology;
    await checkTopologyAgainstWeights(check, artifacts, this.strict, this.maxWeightBytes, dry);
    const folder = await node.fs.realpath(modelFolder);
    artifacts.weightData = await readShards(node, check, folder, groups);
    if (!this.allowNonFinite) {
      const problem = nonFiniteWeight(artifacts.weightSpecs, artifacts.weightData);
      if (problem !== null) {
        throw check.error(
          `weight ${problem}; pass allowNonFinite: true to load non-finite weights anyway`,
        );
      }
    }
    return artifacts;
  }
}

/**
 * The names one save writes beside its model.json: shards and a temporary model.json that carry
 * a token unique to the save, so a save never overwrites a file the current model.json lists.
 */
class SaveFiles {
  readonly token = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  /** Shards and temporary files of any save of this model.json (for the clean-up). */
  readonly ours: RegExp;

  constructor(readonly modelJson: string) {
    const stem = escapeRegExp(modelJson.replace(/\.json$/, ''));
    this.ours = new RegExp(
      `^(${stem}\\.[a-z0-9]+\\.(shard\\d+of\\d+\\.bin|tmp)` +
        // Files of saves before shard names were unique: converter names and their temporaries.
        `|group\\d+-shard\\d+of\\d+\\.bin(\\.[a-z0-9]+\\.tmp)?` +
        `|${escapeRegExp(modelJson)}\\.[a-z0-9]+\\.tmp)$`,
    );
  }

  shard(i: number, count: number): string {
    return `${this.modelJson.replace(/\.json$/, '')}.${this.token}.shard${i + 1}of${count}.bin`;
  }

  temporary(): string {
    return `${this.modelJson.replace(/\.json$/, '')}.${this.token}.tmp`;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Saves to one model.json, queued so that each one's clean-up never removes another's shards. */
const pendingSaves = new Map<string, Promise<unknown>>();

async function oneAtATime<T>(key: string, save: () => Promise<T>): Promise<T> {
  const before = pendingSaves.get(key) ?? Promise.resolve();
  const result = before.then(save, save);
  const settled = result.catch(() => undefined);
  pendingSaves.set(key, settled);
  try {
    return await result;
  } finally {
    if (pendingSaves.get(key) === settled) {
      pendingSaves.delete(key);
    }
  }
}

/**
 * After a save committed: removes the shards of earlier (or killed) saves of this model.json that
 * it does not list, and temporary files left by killed saves. Best effort: a file that cannot be
 * removed stays, and the next save tries again.
 */
async function removeLeftovers(
  node: NodeFileSystem,
  folder: string,
  files: SaveFiles,
  kept: Set<string>,
): Promise<void> {
  let names: string[];
  try {
    names = await node.fs.readdir(folder);
  } catch {
    return;
  }
  for (const name of names) {
    if (files.ours.test(name) && !kept.has(name)) {
      await node.fs.rm(node.path.join(folder, name), { force: true }).catch(() => undefined);
    }
  }
}

interface Shard {
  where: string;
  name: string;
  opened: OpenedFile;
}

/**
 * Opens every shard (inside `folder` once symbolic links are resolved, a regular file), checks
 * that each group's shards hold exactly the bytes its weights need, and only then reads them into
 * one buffer, so nothing is read from a file set that does not match its manifest.
 */
async function readShards(
  node: NodeFileSystem,
  check: JsonChecker,
  folder: string,
  groups: ManifestGroup[],
): Promise<ArrayBuffer> {
  const shards: Shard[] = [];
  try {
    for (const [g, group] of groups.entries()) {
      const first = shards.length;
      for (const [i, name] of group.paths.entries()) {
        const where = `weightsManifest[${g}].paths[${i}]`;
        const file = node.path.resolve(folder, name);
        const subject = `${where} '${name}' `;
        const opened = await openRegularFile(node, check, file, folder, Infinity, subject);
        shards.push({ where, name, opened });
      }
      const groupShards = shards.slice(first);
      const held = groupShards.reduce((sum, s) => sum + s.opened.size, 0);
      if (held !== group.byteLength) {
        const list = groupShards.map((s) => `${s.name} ${s.opened.size}`).join(', ');
        throw check.error(
          `the shards of weightsManifest[${g}] (${list}) hold ${held} bytes but its weights need ` +
            `${group.byteLength} (${held < group.byteLength ? 'truncated' : 'oversized'} shard, or a wrong manifest)`,
        );
      }
    }
    const buffer = new Uint8Array(shards.reduce((sum, s) => sum + s.opened.size, 0));
    let offset = 0;
    while (shards.length > 0) {
      const shard = shards.shift()!;
      await readOpenedFile(check, shard.opened, `${shard.where} '${shard.name}' `, buffer, offset);
      offset += shard.opened.size;
    }
    return buffer.buffer;
  } finally {
    await Promise.all(shards.map((s) => s.opened.handle.close().catch(() => undefined)));
  }
}

async function statOrThrow(
  node: NodeFileSystem,
  file: string,
  check: JsonChecker,
  subject = '',
): Promise<{ size: number; isFile(): boolean; isDirectory(): boolean }> {
  try {
    return await node.fs.stat(file);
  } catch (e) {
    throw check.error(`${subject}${fsProblem(e)}`);
  }
}

/**
 * The path a `file://` URL names. `file:///abs/path` and `file://localhost/abs/path` are URLs:
 * their percent-escapes (`%20`) are decoded. Anything else after `file://` is taken as a plain
 * path, as tfjs-node does (`file://./model`, `file://relative/model`).
 */
function pathOfFileUrl(url: string): string {
  const rest = url.slice(FILE_SCHEME.length);
  const absolute = rest.startsWith('/') ? rest : /^localhost\//i.test(rest) ? rest.slice(9) : null;
  if (absolute === null) {
    return rest;
  }
  let path: string;
  try {
    path = decodeURIComponent(absolute);
  } catch {
    throw new Error(`${API}: ${url} has a malformed percent-escape`);
  }
  if (path.includes('\0')) {
    throw new Error(`${API}: ${url} names a path with a NUL byte`);
  }
  // file:///C:/models/m on Windows names C:/models/m.
  return /^\/[A-Za-z]:[/\\]/.test(path) ? path.slice(1) : path;
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) {
    return fallback;
  }
  if (!(Number.isSafeInteger(value) && value > 0)) {
    throw new Error(`${API}: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}
