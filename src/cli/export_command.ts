/// <reference types="node" />
/**
 * `tfjs-hadamrnn export <model.json or folder> --format quantized|stock|bits --out <dir>`: loads a
 * saved layers model with this package's layers and writes it in a publishing format.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { EXPORT_FORMATS, exportModel, type ExportFormat } from '../export/export_model';
import { fileSystem } from '../io/register';
import { useBackend } from '../training/backend';
import { modelSize } from '../training/models/model_size';
import type { ProgressSink } from '../training/progress';

/** Help text of the export command. */
export const EXPORT_USAGE = `Usage: tfjs-hadamrnn export <model.json or folder> --format <format> --out <dir>

Writes a saved tfjs layers model holding HadamRNN layers in a publishing format (docs/publishing.md):
  quantized  tfjs layers format, U, V and the signs of u stored as uint8 codes (needs the plugin)
  stock      plain tfjs: SimpleRNN + Activation + Dense, loads without the plugin
  bits       the paper's bit-packed file <dir>/model.hrnn, for tfjs-hadamrnn/lite`;

/** The parsed arguments of the export command. */
export interface ExportArgs {
  source: string;
  format: ExportFormat;
  out: string;
}

const API = 'tfjs-hadamrnn export';

/** Parses `argv` (after `export`); throws naming the flag and the rule. */
export function parseExportArgs(argv: readonly string[]): ExportArgs {
  let source: string | undefined;
  let format: string | undefined;
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--format' || arg === '--out') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) {
        throw new Error(`${API}: ${arg} needs a value`);
      }
      if (arg === '--format') format = value;
      else out = value;
    } else if (arg.startsWith('--')) {
      throw new Error(`${API}: unknown flag '${arg}'; flags: --format --out`);
    } else if (source === undefined) {
      source = arg;
    } else {
      throw new Error(`${API}: one model expected, got '${source}' and '${arg}'`);
    }
  }
  if (source === undefined)
    throw new Error(`${API}: the model (model.json or its folder) is missing`);
  if (!(EXPORT_FORMATS as readonly string[]).includes(format ?? '')) {
    throw new Error(
      `${API}: --format must be one of ${EXPORT_FORMATS.join(', ')}, got ${format === undefined ? 'none' : `'${format}'`}`,
    );
  }
  if (out === undefined) throw new Error(`${API}: --out <dir> is missing`);
  return { source, format: format as ExportFormat, out };
}

/** Runs the export command; reports what it wrote on `sink`. */
export async function runExport(args: ExportArgs, sink: ProgressSink): Promise<void> {
  await useBackend('cpu');
  const modelJson = args.source.endsWith('.json')
    ? args.source
    : `${args.source.replace(/\/$/, '')}/model.json`;
  const model = await tfl.loadLayersModel(fileSystem(modelJson));
  try {
    const result = await exportModel(model, args.out, { format: args.format });
    const paperBytes = modelSize(model).paperBits / 8;
    sink.write(
      `${API}: wrote ${args.format} (${result.bytes} bytes; the paper counts ${paperBytes} bytes): ${result.files.join(', ')}\n`,
    );
  } finally {
    model.dispose();
  }
}
