/**
 * The options a training run is configured by, the paper's settings per task, and the rules each
 * option's value follows: the CLI's flags parse by them, and a checkpoint's state.json is checked
 * by them, so that neither can train with a value the other refuses.
 */
import { BACKEND_NAMES, type BackendName } from './backend';
import { MODEL_NAMES, SIGN_MODES, type ModelName, type SignMode } from './models/build_model';
import { TASK_NAMES, type TaskName } from './tasks/task';
import { TRAIN_COMMAND } from './command';

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

/**
 * The value an option's flag takes: one of a list of names, an integer, a positive integer, a
 * positive number, a fraction in (0, 1], any string, or none (`'flag'`, a switch).
 */
export type OptionKind =
  readonly string[] | 'int' | 'positiveInt' | 'number' | 'fraction' | 'string' | 'flag';

/**
 * The options set by flags, in the order the usage lists them, and the kind of value each takes.
 * An option's flag is its name in kebab case ({@link flagOf}).
 */
export const OPTION_KINDS = {
  model: MODEL_NAMES,
  backend: BACKEND_NAMES,
  T: 'positiveInt',
  epochs: 'positiveInt',
  steps: 'positiveInt',
  batch: 'positiveInt',
  lr: 'number',
  lrDecay: 'fraction',
  units: 'positiveInt',
  blockSize: 'positiveInt',
  bits: 'positiveInt',
  signs: SIGN_MODES,
  out: 'string',
  resume: 'flag',
  seed: 'int',
  trainSize: 'positiveInt',
  evalSize: 'positiveInt',
  logEvery: 'positiveInt',
} as const satisfies Partial<Record<keyof TrainOptions, OptionKind>>;

/** An option set by a flag. */
export type FlagOption = keyof typeof OPTION_KINDS;

/** The flag of `option`: `--` and its name in kebab case (`lrDecay` → `--lr-decay`, `T` → `--T`). */
export function flagOf(option: FlagOption): string {
  return `--${option.replace(/([a-z])([A-Z])/g, (_, before: string, capital: string) => `${before}-${capital.toLowerCase()}`)}`;
}

/**
 * The value `raw` stands for as the value of `flag`, of kind `kind`: the string itself or a
 * number. Throws naming the flag, the value and the rule it breaks.
 */
export function parseOptionValue(flag: string, kind: OptionKind, raw: string): string | number {
  if (typeof kind === 'object') {
    if (!kind.includes(raw)) {
      throw new Error(
        `${TRAIN_COMMAND}: ${flag} '${raw}' is not valid; expected one of ${kind.join(', ')}`,
      );
    }
    return raw;
  }
  if (kind === 'string') {
    return raw;
  }
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) {
    throw new Error(`${TRAIN_COMMAND}: ${flag} expects a number, got '${raw}'`);
  }
  if (kind === 'number' && !(value > 0)) {
    throw new Error(`${TRAIN_COMMAND}: ${flag} must be a positive number, got ${raw}`);
  }
  if (kind === 'fraction' && !(value > 0 && value <= 1)) {
    throw new Error(`${TRAIN_COMMAND}: ${flag} must be in (0, 1], got ${raw}`);
  }
  if (kind === 'int' && !Number.isInteger(value)) {
    throw new Error(`${TRAIN_COMMAND}: ${flag} must be an integer, got ${raw}`);
  }
  if (kind === 'positiveInt' && !(Number.isInteger(value) && value >= 1)) {
    throw new Error(`${TRAIN_COMMAND}: ${flag} must be a positive integer, got ${raw}`);
  }
  return value;
}

/**
 * Checks run options read back from a file (a checkpoint's state.json) by the rules their flags
 * follow on the command line, so that a damaged or edited file cannot train with values the
 * command line refuses (a negative learning rate, a batch of -4). Options missing from the file
 * are left to their defaults; throws naming `source`, the flag and the value.
 */
export function checkOptionValues(values: Record<string, unknown>, source: string): void {
  const fail = (problem: string): never => {
    throw new Error(`${TRAIN_COMMAND}: ${source}: ${problem}`);
  };
  if (!(TASK_NAMES as readonly unknown[]).includes(values.task)) {
    fail(
      `options.task must be one of ${TASK_NAMES.join(', ')}, got ${JSON.stringify(values.task)}`,
    );
  }
  const defaults: Record<string, unknown> = TASK_DEFAULTS[values.task as TaskName];
  for (const [key, kind] of Object.entries(OPTION_KINDS) as [FlagOption, OptionKind][]) {
    const value = values[key];
    // A task's own defaults pass (the copy task's trainSize 0 is no flag value).
    if (kind === 'flag' || key === 'out' || value === undefined || value === defaults[key]) {
      continue;
    }
    if (key === 'steps' && value === null) {
      continue; // one pass over the training set
    }
    const flag = flagOf(key);
    const type = typeof kind === 'object' || kind === 'string' ? 'string' : 'number';
    if (typeof value !== type) {
      fail(`options.${key} (${flag}) must be a ${type}, got ${JSON.stringify(value)}`);
    }
    try {
      parseOptionValue(flag, kind, String(value));
    } catch (e) {
      fail(`options.${key}: ${(e as Error).message.slice(TRAIN_COMMAND.length + 2)}`);
    }
  }
}
