/**
 * Saving and loading layers models as files in Node.js, in the format of tfjs's converter and
 * tfjs-node: a `model.json` plus binary weight shards of at most 4 MiB.
 */
import { io } from '@tensorflow/tfjs-core';
import { JsonChecker, type JsonObject } from './json_checker';
import { parseModelJson } from './model_json';
import { nodeFileSystem, type NodeFileSystem } from './node_fs';
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
   * the leak tfjs has there (see topology_check.ts). Costs one more model construction.
   * Default true. */
  checkTopology?: boolean;
  /** As `tf.loadLayersModel`'s `strict` (the file:// router passes it on): when false, weights
   * missing on either side are allowed. Default true. */
  strict?: boolean;
}

/**
 * An IOHandler that saves a layers model to a folder and loads it back, with Node's `fs`.
 *
 * Saving writes `<folder>/group1-shard{i}of{n}.bin` (the weights cut into shards of at most
 * `shardBytes`) and then `<folder>/model.json`
 * (`{modelTopology, format: 'layers-model', generatedBy, convertedBy, weightsManifest}`), each
 * through a temporary file renamed into place, so an interrupted save never leaves a model.json
 * that points at partial shards. Shards of an earlier save with another shard count are left alone.
 *
 * Loading treats the files as untrusted and refuses, with one line naming the file and the
 * problem: a model.json over `maxModelJsonBytes`, invalid JSON, the keys `__proto__`,
 * `constructor` and `prototype` anywhere, missing or wrongly typed fields, unknown dtypes, shard
 * paths that leave the folder (`..`, absolute paths, URLs, symbolic links pointing outside), and
 * shards that are missing or whose bytes differ from what the manifest's shapes and dtypes need,
 * and (`checkTopology`) a topology that cannot be built or whose weights differ from the manifest's
 * in name, shape or dtype: tfjs would refuse those too, but only after building part of the model,
 * which it then leaks.
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
 *     `file://` prefix is removed.
 * @param options `shardBytes` (default 4 MiB), `maxModelJsonBytes` (default 16 MiB),
 *     `maxWeightBytes` (default 1 GiB), `checkTopology` (default true), `strict` (default true).
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

  constructor(path: string, options: FileSystemOptions = {}) {
    if (typeof path !== 'string' || path.length === 0) {
      throw new Error(`${API}: path must be a non-empty string, got ${String(path)}`);
    }
    this.path = path.startsWith(FILE_SCHEME) ? path.slice(FILE_SCHEME.length) : path;
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
  }

  /** Writes the shards, then model.json. */
  async save(artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
    if (artifacts.modelTopology instanceof ArrayBuffer) {
      throw new Error(`${API}: saving a binary (graph) topology is not supported`);
    }
    const node = nodeFileSystem(API);
    const modelJsonPath = this.path.endsWith('.json')
      ? node.path.resolve(this.path)
      : node.path.resolve(this.path, MODEL_JSON);
    const folder = node.path.dirname(modelJsonPath);
    try {
      await node.fs.mkdir(folder, { recursive: true });
    } catch (e) {
      throw new Error(`${API}: cannot create the folder ${folder} (${errorCode(e)})`);
    }

    const data = new Uint8Array(
      artifacts.weightData == null
        ? new ArrayBuffer(0)
        : io.CompositeArrayBuffer.join(artifacts.weightData),
    );
    const count = Math.ceil(data.byteLength / this.shardBytes);
    const paths = Array.from({ length: count }, (_, i) => `group1-shard${i + 1}of${count}.bin`);
    for (let i = 0; i < count; i++) {
      const shard = data.subarray(i * this.shardBytes, (i + 1) * this.shardBytes);
      await writeAtomically(node, node.path.join(folder, paths[i]), shard);
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
    await writeAtomically(node, modelJsonPath, JSON.stringify(modelJson));
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
    const text = await this.readModelJson(node, check, modelJsonPath);
    const { artifacts, groups } = parseModelJson(check, text, this.maxWeightBytes);
    artifacts.weightSpecs = groups.flatMap((g) => g.weights);
    if (this.checkTopology) {
      await checkTopologyAgainstWeights(check, artifacts, this.strict);
    }
    const folder = await node.fs.realpath(node.path.dirname(modelJsonPath));
    artifacts.weightData = await readShards(node, check, folder, groups);
    return artifacts;
  }

  private async readModelJson(
    node: NodeFileSystem,
    check: JsonChecker,
    file: string,
  ): Promise<string> {
    const stats = await statOrThrow(node, file, check);
    if (!stats.isFile()) {
      throw check.error('is not a regular file');
    }
    if (stats.size > this.maxModelJsonBytes) {
      throw check.error(
        `is ${stats.size} bytes, more than maxModelJsonBytes ${this.maxModelJsonBytes}`,
      );
    }
    const bytes = await node.fs.readFile(file);
    if (bytes.byteLength > this.maxModelJsonBytes) {
      throw check.error(`grew beyond maxModelJsonBytes ${this.maxModelJsonBytes} while read`);
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw check.error('is not valid UTF-8 text');
    }
  }
}

interface Shard {
  where: string;
  name: string;
  file: string;
  size: number;
}

/**
 * Locates every shard (inside `folder` once symbolic links are resolved, a regular file), checks
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
  for (const [g, group] of groups.entries()) {
    const groupShards: Shard[] = [];
    for (const [i, name] of group.paths.entries()) {
      groupShards.push(
        await locateShard(node, check, folder, `weightsManifest[${g}].paths[${i}]`, name),
      );
    }
    const held = groupShards.reduce((sum, s) => sum + s.size, 0);
    if (held !== group.byteLength) {
      const list = groupShards.map((s) => `${s.name} ${s.size}`).join(', ');
      throw check.error(
        `the shards of weightsManifest[${g}] (${list}) hold ${held} bytes but its weights need ` +
          `${group.byteLength} (${held < group.byteLength ? 'truncated' : 'oversized'} shard, or a wrong manifest)`,
      );
    }
    shards.push(...groupShards);
  }
  const buffer = new Uint8Array(shards.reduce((sum, s) => sum + s.size, 0));
  let offset = 0;
  for (const shard of shards) {
    const bytes = await node.fs.readFile(shard.file);
    if (bytes.byteLength !== shard.size) {
      throw check.error(`${shard.where} '${shard.name}' changed size while being read`);
    }
    buffer.set(bytes, offset);
    offset += bytes.byteLength;
  }
  return buffer.buffer;
}

async function locateShard(
  node: NodeFileSystem,
  check: JsonChecker,
  folder: string,
  where: string,
  name: string,
): Promise<Shard> {
  let file: string;
  try {
    file = await node.fs.realpath(node.path.resolve(folder, name));
  } catch (e) {
    throw check.error(`${where} '${name}' ${fsProblem(e)}`);
  }
  if (!file.startsWith(folder + node.path.sep)) {
    throw check.error(`${where} '${name}' resolves outside the model folder`);
  }
  const stats = await statOrThrow(node, file, check, `${where} '${name}' `);
  if (!stats.isFile()) {
    throw check.error(`${where} '${name}' is not a regular file`);
  }
  return { where, name, file, size: stats.size };
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

/** 'does not exist' for ENOENT, else the system's own one-line reason. */
function fsProblem(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') {
    return 'does not exist';
  }
  return `cannot be read (${errorCode(e)})`;
}

/** A system error's code (ENOENT, EACCES, ...), else its message on one line. */
function errorCode(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : String((e as Error).message).split('\n')[0];
}

/** Writes `data` to `file` through a temporary file in the same folder, renamed into place. */
async function writeAtomically(
  node: NodeFileSystem,
  file: string,
  data: Uint8Array | string,
): Promise<void> {
  const temporary = `${file}.${Date.now().toString(36)}${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await node.fs.writeFile(temporary, data);
    await node.fs.rename(temporary, file);
  } catch (e) {
    await node.fs.rm(temporary, { force: true });
    throw new Error(`${API}: cannot write ${file} (${errorCode(e)})`);
  }
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
