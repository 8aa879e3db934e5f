/**
 * Command-line arguments of `tfjs-hadamrnn train <task>`: Node's `util.parseArgs` splits them
 * into flags and values; each value is then checked by its option's rule (training/train_options),
 * with messages that name the flag, the value and the rule.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BACKEND_NAMES } from '../training/backend';
import { MODEL_NAMES, SIGN_MODES, type ModelName } from '../training/models/build_model';
import { TASK_NAMES, type TaskName } from '../training/tasks/task';
import { isPowerOfTwo } from '../common/validate';
import {
  flagOf,
  OPTION_KINDS,
  parseOptionValue,
  TASK_DEFAULTS,
  type FlagOption,
  type TrainOptions,
} from '../training/train_options';
import { TRAIN_COMMAND as API } from '../training/command';

/** Usage text of the CLI. */
export const USAGE = `Usage: tfjs-hadamrnn train <task> [options]
       tfjs-hadamrnn --version

Tasks: ${TASK_NAMES.join(', ')}
Options (defaults: the paper's settings for the task):
  --model ${MODEL_NAMES.join('|')}   (default hadamrnn)
  --backend ${BACKEND_NAMES.join('|')}   (default wasm, about 5x faster than cpu; cpu if wasm is missing)
  --T N            copy-task length (default 1000)
  --epochs N       epochs to reach (default 100)
  --steps N        steps per epoch (copy default 100; MNIST: one pass over the training set)
  --batch N        batch size (copy 128, smnist 64, pmnist 100)
  --lr X           Adam learning rate (copy 1e-4, MNIST 1e-3)
  --lr-decay X     learning-rate factor after every epoch (default 0.98)
  --units N        state size (copy 128, MNIST 512)
  --block-size N   Block-HadamRNN block size (default 32)
  --bits N         bits of the input and read-out matrices (default 4)
  --signs ${SIGN_MODES.join('|')}   train HadamRNN's sign vector u with the layer's default
                   'stable' recipe (default), with the paper's recipe (fails in most runs), or
                   keep its random initial signs
  --out DIR        run folder (default artifacts/runs/<task>-<model>)
  --resume         continue the run in --out with its own options; flags given override
                   them, except the model's and the data's (--batch may change)
  --seed N         data seed (default 1)
  --train-size N   MNIST training examples used (default 50000)
  --eval-size N    validation and test examples used (copy 256, MNIST 10000)
  --log-every N    without a terminal, print progress every N steps (default 10)`;

const OPTIONS = Object.keys(OPTION_KINDS) as FlagOption[];

/** The option each flag sets, by the flag's name without its dashes. */
const OPTION_OF = new Map(OPTIONS.map((option) => [flagOf(option).slice(2), option]));

/** What `util.parseArgs` needs to know: which flags take a value. */
const PARSE_OPTIONS: ParseArgsConfig['options'] = Object.fromEntries(
  [...OPTION_OF].map(([name, option]) => [
    name,
    { type: OPTION_KINDS[option] === 'flag' ? 'boolean' : 'string' },
  ]),
);

/** The HadamRNN models need a power-of-two state, and Block-HadamRNN a block size dividing it:
 * checked here to name the flags (the layer would name its own arguments). */
function checkHadamardSizes(options: Record<string, unknown>, given: Set<FlagOption>): void {
  const { model, units, blockSize } = options as {
    model: ModelName;
    units: number;
    blockSize: number;
  };
  if (model !== 'hadamrnn' && model !== 'block-hadamrnn') {
    return;
  }
  if (!isPowerOfTwo(units)) {
    throw new Error(`${API}: --units ${units} is not a power of two, which --model ${model} needs`);
  }
  if (model === 'block-hadamrnn' && !(isPowerOfTwo(blockSize) && units % blockSize === 0)) {
    const source = given.has('blockSize') ? '' : ' (the default)';
    throw new Error(
      `${API}: --block-size ${blockSize}${source} must be a power of two dividing --units ${units}; ` +
        `give --block-size with one (e.g. --block-size ${Math.min(units, 32)})`,
    );
  }
}

/**
 * Parses the arguments after `train`: a task name, then `--flag value` pairs (or `--flag=value`).
 * Throws an Error naming the flag, the value and the rule on any mistake.
 */
export function parseTrainArgs(argv: readonly string[]): TrainOptions {
  const [task, ...rest] = argv;
  if (task == null || task.startsWith('-')) {
    throw new Error(`${API}: missing task; expected one of ${TASK_NAMES.join(', ')}`);
  }
  if (!(TASK_NAMES as readonly string[]).includes(task)) {
    throw new Error(`${API}: unknown task '${task}'; expected one of ${TASK_NAMES.join(', ')}`);
  }
  const options: Record<string, unknown> = {
    ...TASK_DEFAULTS[task as TaskName],
    task,
    resume: false,
  };
  const given = new Set<FlagOption>();
  // Not strict: the checks below word the messages, one token at a time, in argument order.
  const { tokens } = parseArgs({
    args: [...rest],
    options: PARSE_OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    const option = token.kind === 'option' ? OPTION_OF.get(token.name) : undefined;
    // parseArgs also reads short forms (-T 20): only the long flag is ours.
    if (token.kind !== 'option' || option == null || token.rawName !== flagOf(option)) {
      throw new Error(
        `${API}: unknown option '${rest[token.index].split('=')[0]}'; expected one of ${OPTIONS.map(flagOf).join(', ')}`,
      );
    }
    const flag = token.rawName;
    if (given.has(option)) {
      throw new Error(`${API}: option ${flag} given twice`);
    }
    given.add(option);
    const kind = OPTION_KINDS[option];
    if (kind === 'flag') {
      if (token.value != null) {
        throw new Error(`${API}: ${flag} takes no value, got '${token.value}'`);
      }
      options[option] = true;
      continue;
    }
    // parseArgs takes the next argument as the value even when it is a flag.
    if (token.value == null || (!token.inlineValue && token.value.startsWith('--'))) {
      throw new Error(`${API}: ${flag} needs a value`);
    }
    options[option] = parseOptionValue(flag, kind, token.value);
  }
  if (task !== 'copy' && given.has('T')) {
    throw new Error(`${API}: --T applies to the copy task only; ${task} has T = 784`);
  }
  checkHadamardSizes(options, given);
  options.out ??= `artifacts/runs/${task}-${String(options.model)}`;
  options.given = [...given];
  return options as unknown as TrainOptions;
}
