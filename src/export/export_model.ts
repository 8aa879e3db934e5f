/**
 * `exportModel`: writes a model holding this package's layers in one of the publishing formats
 * (docs/publishing.md).
 */
import type { io } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { replaceFile } from '../io/durable';
import { DEFAULT_MAX_MODEL_JSON_BYTES, fileSystem, MODEL_JSON } from '../io/file_system';
import { JsonChecker } from '../io/json_checker';
import { nodeFileSystem } from '../io/node_fs';
import { parseJsonText, readRegularFile, utf8Text } from '../io/regular_file';
import { exportBits } from './bits';
import { quantizedArtifacts } from './quantized';
import { stockArtifacts } from './stock';

/** The publishing formats. */
export const EXPORT_FORMATS = ['quantized', 'stock', 'bits'] as const;
/** One of {@link EXPORT_FORMATS}. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Name of the file the `bits` format writes in its folder. */
export const BITS_FILE = 'model.hrnn';

/** Options of {@link exportModel}. */
export interface ExportOptions {
  /**
   * `quantized`: the tfjs layers format with U, V and u stored as uint8 codes (needs the plugin to
   * load; bit-identical, trainable). `stock`: a plain tfjs model (SimpleRNN + Activation + Dense)
   * that loads without the plugin. `bits`: the paper's bit-packed file, for `tfjs-hadamrnn/lite`.
   */
  format: ExportFormat;
}

/** What {@link exportModel} wrote. */
export interface ExportResult {
  /** The format written. */
  format: ExportFormat;
  /** The files written (Node folder destinations), else empty. */
  files: string[];
  /** Bytes written in all: model.json and shards, or the bits file. */
  bytes: number;
}

const API = 'exportModel';

/**
 * The bits bytes of `model` into `<folder>/model.hrnn`, replaced whole (a kill leaves the previous
 * file or the new one).
 */
async function writeBits(folder: string, bytes: Uint8Array): Promise<string> {
  const node = nodeFileSystem(API);
  const dir = folder.replace(/^file:\/\//, '');
  await node.fs.mkdir(dir, { recursive: true });
  const file = node.path.join(dir, BITS_FILE);
  await replaceFile(node, API, file, bytes);
  return file;
}

/**
 * Exports `model` (Sequential or functional, holding HadamRNN and QuantizedDense layers) in a
 * publishing format, to a folder (Node: `model.json` and shards, or `model.hrnn` for `bits`) or to
 * an IOHandler (`quantized` and `stock` only). What cannot be converted is refused with an Error
 * naming the layer and the reason; nothing non-finite is exported.
 *
 * ```js
 * await exportModel(model, 'published/copy-stock', {format: 'stock'});
 * const plain = await tf.loadLayersModel('https://example.com/copy-stock/model.json'); // no plugin
 * ```
 *
 * @param model The model to export; it is not modified.
 * @param destination A folder path (Node; a `file://` prefix is removed) or an `io.IOHandler`.
 * @param options `format`: 'quantized', 'stock' or 'bits'.
 */
export async function exportModel(
  model: LayersModel,
  destination: string | io.IOHandler,
  options: ExportOptions,
): Promise<ExportResult> {
  const format = options?.format;
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new Error(
      `${API}: format must be one of ${EXPORT_FORMATS.join(', ')}, got ${JSON.stringify(format)}`,
    );
  }
  if (format === 'bits') {
    if (typeof destination !== 'string') {
      throw new Error(
        `${API}: format 'bits' writes a file, so destination must be a folder path; use exportBits for the bytes`,
      );
    }
    const bytes = exportBits(model);
    return { format, files: [await writeBits(destination, bytes)], bytes: bytes.length };
  }
  const artifacts =
    format === 'quantized' ? quantizedArtifacts(model) : await stockArtifacts(model);
  const handler = typeof destination === 'string' ? fileSystem(destination) : destination;
  if (typeof handler?.save !== 'function') {
    throw new Error(
      `${API}: destination must be a folder path or an IOHandler with save, got ${String(destination)}`,
    );
  }
  await handler.save(artifacts);
  if (typeof destination !== 'string') {
    const topologyBytes = JSON.stringify(artifacts.modelTopology).length;
    return {
      format,
      files: [],
      bytes: topologyBytes + (artifacts.weightData as ArrayBuffer).byteLength,
    };
  }
  return { format, ...(await savedFiles(destination)) };
}

/** The model.json in `folder` and the shards its manifest names, with their total size on disk. */
async function savedFiles(folder: string): Promise<{ files: string[]; bytes: number }> {
  const node = nodeFileSystem(API);
  const { fs, path } = node;
  const dir = folder.replace(/^file:\/\//, '');
  const modelJson = path.join(dir, MODEL_JSON);
  const check = new JsonChecker(API, modelJson);
  const json = await readRegularFile(node, check, modelJson, dir, DEFAULT_MAX_MODEL_JSON_BYTES);
  const manifest = parseJsonText(check, utf8Text(check, json)) as {
    weightsManifest: { paths: string[] }[];
  };
  const files = [
    modelJson,
    ...manifest.weightsManifest.flatMap((g) => g.paths.map((p) => path.join(dir, p))),
  ];
  let bytes = 0;
  for (const file of files) bytes += (await fs.stat(file)).size;
  return { files, bytes };
}
