/**
 * Command-line arguments of `tfjs-hadamrnn train <task>`: parsing, validation with messages that
 * name the flag, the value and the rule, and the per-task defaults (the paper's settings).
 */
import { MODEL_NAMES, type ModelName } from './models';
import { TASK_NAMES, type TaskName } from './tasks/task';

/** Backends the CLI can run on in Node. */
export const BACKEND_NAMES = ['cpu', 'wasm'] as const;
/** One of {@link BACKEND_NAMES}. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Values of `--signs`: HadamRNN's sign vector u trained with the layer's default ('stable')
 * recipe, trained with the paper's recipe, or fixed at its random initialization. */
export const SIGN_MODES = ['trained', 'paper', 'fixed'] as const;
/** One of {@link SIGN_MODES}. */
export type SignMode = (typeof SIGN_MODES)[number];

/** Everything a training run is configured by. */
export interface TrainOptions {
  task: TaskName;
  model: ModelName;
  backend: BackendName;
  /** Copy-task sequence length (MNIST is always 784). */
  T: number;
  epochs: number;
  /** Training steps per epoch; null = one pass over the training set (MNIST). */
  steps: number | null;
  batch: number;
  lr: number;
  /** Learning-rate factor applied after every epoch. */
  lrDecay: number;
  units: number;
  /** Block-HadamRNN's block size. */
  blockSize: number;
  /** Bits of HadamRNN's input and read-out matrices. */
  bits: number;
  /** Whether HadamRNN's sign vector u is trained or kept at its initialization. */
  signs: SignMode;
  /** Run folder: checkpoint, metrics.json, curve.svg. */
  out: string;
  resume: boolean;
  seed: number;
  /** Training examples used (MNIST; a prefix of the 50k training split). */
  trainSize: number;
  /** Validation and test examples used. */
  evalSize: number;
  /** Without a terminal, a progress line every this many steps. */
  logEvery: number;
  /** The options set on the command line (the others are defaults). */
  given: (keyof TrainOptions)[];
}

/** Options a run has before any flag: those of its task, below. */
type TaskSettings = Omit<TrainOptions, 'task' | 'out' | 'resume' | 'given'>;

/** The settings every task shares. */
const SHARED_DEFAULTS = {
  model: 'hadamrnn',
  backend: 'wasm',
  epochs: 100,
  lrDecay: 0.98,
  blockSize: 32,
  bits: 4,
  signs: 'trained',
  seed: 1,
  logEvery: 10,
} as const satisfies Partial<TaskSettings>;

/** The settings both MNIST tasks share. */
const MNIST_DEFAULTS = {
  ...SHARED_DEFAULTS,
  T: 784,
  steps: null,
  lr: 1e-3,
  units: 512,
  trainSize: 50_000,
  evalSize: 10_000,
} as const satisfies Partial<TaskSettings>;

/** The paper's settings per task (HadamRNN, ICLR 2025, appendix), and this CLI's run lengths. */
export const TASK_DEFAULTS: Readonly<Record<TaskName, TaskSettings>> = {
  copy: {
    ...SHARED_DEFAULTS,
    T: 1000,
    steps: 100,
    batch: 128,
    lr: 1e-4,
    units: 128,
    trainSize: 0,
    evalSize: 256,
  },
  smnist: { ...MNIST_DEFAULTS, batch: 64 },
  pmnist: { ...MNIST_DEFAULTS, batch: 100 },
};

type Kind = 'int' | 'positiveInt' | 'number' | 'string' | 'flag';

/** Each flag: the option it sets and the kind of value it takes. */
const FLAGS: Readonly<
  Record<string, { key: keyof TrainOptions; kind: Kind; choices?: readonly string[] }>
> = {
  '--model': { key: 'model', kind: 'string', choices: MODEL_NAMES },
  '--backend': { key: 'backend', kind: 'string', choices: BACKEND_NAMES },
  '--T': { key: 'T', kind: 'positiveInt' },
  '--epochs': { key: 'epochs', kind: 'positiveInt' },
  '--steps': { key: 'steps', kind: 'positiveInt' },
  '--batch': { key: 'batch', kind: 'positiveInt' },
  '--lr': { key: 'lr', kind: 'number' },
  '--lr-decay': { key: 'lrDecay', kind: 'number' },
  '--units': { key: 'units', kind: 'positiveInt' },
  '--block-size': { key: 'blockSize', kind: 'positiveInt' },
  '--bits': { key: 'bits', kind: 'positiveInt' },
  '--signs': { key: 'signs', kind: 'string', choices: SIGN_MODES },
  '--out': { key: 'out', kind: 'string' },
  '--resume': { key: 'resume', kind: 'flag' },
  '--seed': { key: 'seed', kind: 'int' },
  '--train-size': { key: 'trainSize', kind: 'positiveInt' },
  '--eval-size': { key: 'evalSize', kind: 'positiveInt' },
  '--log-every': { key: 'logEvery', kind: 'positiveInt' },
};

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
  --signs trained|paper|fixed   train HadamRNN's sign vector u with the layer's default
                   'stable' recipe (default), with the paper's recipe (fails in most runs), or
                   keep its random initial signs
  --out DIR        run folder (default artifacts/runs/<task>-<model>)
  --resume         continue the run in --out with its own options; flags given override
                   them, except the model's and the data's (--batch may change)
  --seed N         data seed (default 1)
  --train-size N   MNIST training examples used (default 50000)
  --eval-size N    validation and test examples used (copy 256, MNIST 10000)
  --log-every N    without a terminal, print progress every N steps (default 10)`;

const API = 'tfjs-hadamrnn train';

function parseValue(flag: string, kind: Kind, raw: string, choices?: readonly string[]): unknown {
  if (kind === 'string') {
    if (choices != null && !choices.includes(raw)) {
      throw new Error(
        `${API}: ${flag} '${raw}' is not valid; expected one of ${choices.join(', ')}`,
      );
    }
    return raw;
  }
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) {
    throw new Error(`${API}: ${flag} expects a number, got '${raw}'`);
  }
  if (kind === 'number' && !(value > 0)) {
    throw new Error(`${API}: ${flag} must be a positive number, got ${raw}`);
  }
  if (kind === 'int' && !Number.isInteger(value)) {
    throw new Error(`${API}: ${flag} must be an integer, got ${raw}`);
  }
  if (kind === 'positiveInt' && !(Number.isInteger(value) && value >= 1)) {
    throw new Error(`${API}: ${flag} must be a positive integer, got ${raw}`);
  }
  return value;
}

/** The HadamRNN models need a power-of-two state, and Block-HadamRNN a block size dividing it:
 * checked here to name the flags (the layer would name its own arguments). */
function checkHadamardSizes(options: Record<string, unknown>, given: Set<string>): void {
  const { model, units, blockSize } = options as {
    model: ModelName;
    units: number;
    blockSize: number;
  };
  if (model !== 'hadamrnn' && model !== 'block-hadamrnn') {
    return;
  }
  const isPowerOfTwo = (n: number) => (n & (n - 1)) === 0;
  if (!isPowerOfTwo(units)) {
    throw new Error(`${API}: --units ${units} is not a power of two, which --model ${model} needs`);
  }
  if (model === 'block-hadamrnn' && !(isPowerOfTwo(blockSize) && units % blockSize === 0)) {
    const source = given.has('--block-size') ? '' : ' (the default)';
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
  const given = new Set<string>();
  for (let i = 0; i < rest.length; i++) {
    const [flag, inline] = rest[i].includes('=')
      ? rest[i].split(/=(.*)/s, 2)
      : [rest[i], undefined];
    const spec = FLAGS[flag];
    if (spec == null) {
      throw new Error(
        `${API}: unknown option '${flag}'; expected one of ${Object.keys(FLAGS).join(', ')}`,
      );
    }
    if (given.has(flag)) {
      throw new Error(`${API}: option ${flag} given twice`);
    }
    given.add(flag);
    if (spec.kind === 'flag') {
      if (inline != null) {
        throw new Error(`${API}: ${flag} takes no value, got '${inline}'`);
      }
      options[spec.key] = true;
      continue;
    }
    const raw = inline ?? rest[++i];
    if (raw == null || (inline == null && raw.startsWith('--'))) {
      throw new Error(`${API}: ${flag} needs a value`);
    }
    options[spec.key] = parseValue(flag, spec.kind, raw, spec.choices);
  }
  if (task !== 'copy' && given.has('--T')) {
    throw new Error(`${API}: --T applies to the copy task only; ${task} has T = 784`);
  }
  if (!((options.lrDecay as number) <= 1)) {
    throw new Error(`${API}: --lr-decay must be in (0, 1], got ${String(options.lrDecay)}`);
  }
  checkHadamardSizes(options, given);
  options.out ??= `artifacts/runs/${task}-${String(options.model)}`;
  options.given = [...given].map((flag) => FLAGS[flag].key);
  return options as unknown as TrainOptions;
}

/**
 * Checks run options read back from a file (a checkpoint's state.json) by the rules their flags
 * follow on the command line, so that a damaged or edited file cannot train with values the
 * command line refuses (a negative learning rate, a batch of -4). Options missing from the file
 * are left to their defaults; throws naming `source`, the flag and the value.
 */
export function checkOptionValues(values: Record<string, unknown>, source: string): void {
  const fail = (problem: string): never => {
    throw new Error(`${API}: ${source}: ${problem}`);
  };
  if (!(TASK_NAMES as readonly unknown[]).includes(values.task)) {
    fail(
      `options.task must be one of ${TASK_NAMES.join(', ')}, got ${JSON.stringify(values.task)}`,
    );
  }
  const defaults: Record<string, unknown> = TASK_DEFAULTS[values.task as TaskName];
  for (const [flag, spec] of Object.entries(FLAGS)) {
    const value = values[spec.key];
    // A task's own defaults pass (the copy task's trainSize 0 is no flag value).
    if (
      spec.kind === 'flag' ||
      spec.key === 'out' ||
      value === undefined ||
      value === defaults[spec.key]
    ) {
      continue;
    }
    if (spec.key === 'steps' && value === null) {
      continue; // one pass over the training set
    }
    const type = spec.kind === 'string' ? 'string' : 'number';
    if (typeof value !== type) {
      fail(`options.${spec.key} (${flag}) must be a ${type}, got ${JSON.stringify(value)}`);
    }
    try {
      parseValue(flag, spec.kind, String(value), spec.choices);
    } catch (e) {
      fail(`options.${spec.key}: ${(e as Error).message.slice(API.length + 2)}`);
    }
  }
  if (!((values.lrDecay as number | undefined) === undefined || (values.lrDecay as number) <= 1)) {
    fail(`options.lrDecay: --lr-decay must be in (0, 1], got ${String(values.lrDecay)}`);
  }
}
