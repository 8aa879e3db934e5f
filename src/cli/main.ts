/// <reference types="node" />
/**
 * Entry point of the `tfjs-hadamrnn` command (bin/tfjs-hadamrnn.js): `tfjs-hadamrnn train <task>
 * [options]` and `tfjs-hadamrnn export <model> --format <format> --out <dir>`. Returns the process
 * exit code; errors are printed as one line, without a stack.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ProgressSink } from '../training/progress';
import { parseTrainArgs, USAGE } from './args';
import { EXPORT_USAGE, parseExportArgs, runExport } from './export_command';
import { runTrain } from './run_train';

/** Runs the CLI with `argv` (the arguments after the command name). */
export async function main(
  argv: readonly string[],
  sink: ProgressSink = process.stderr,
): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  if (command === 'export' && (rest.includes('--help') || rest.length === 0)) {
    process.stdout.write(`${EXPORT_USAGE}\n`);
    return rest.length === 0 ? 1 : 0;
  }
  if (command == null || command === '--help' || command === '-h' || rest.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return command == null ? 1 : 0;
  }
  try {
    if (command === 'export') {
      await runExport(parseExportArgs(rest), sink);
      return 0;
    }
    if (command !== 'train') {
      throw new Error(`tfjs-hadamrnn: unknown command '${command}'; expected train or export`);
    }
    await runTrain(parseTrainArgs(rest), sink, `tfjs-hadamrnn ${argv.join(' ')}`);
    return 0;
  } catch (error) {
    sink.write(`${(error as Error).message}\n`);
    return 2;
  }
}

/** This package's version, from the package.json above this file (src/cli or dist/cjs/cli). */
export function packageVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (json.name === 'tfjs-hadamrnn' && typeof json.version === 'string') {
        return json.version;
      }
    }
  }
  throw new Error('tfjs-hadamrnn: package.json not found above the CLI');
}
