/**
 * A checkpoint's state.json and optimizer.bin, checked before they are trusted: every field's
 * type and range, the run options by the command line's own rules, and Adam's saved slots
 * against the model's trainable variables (names, shapes, order) and for finite values.
 */
import type { io, Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { countNonFinite } from '../io/finite';
import { join, type JsonChecker, type JsonObject } from '../io/json_checker';
import { checkWeightsManifest } from '../io/weights_manifest';
import { formatShape } from '../common/validate';
import { checkOptionValues } from './train_options';
import type { EpochRecord, Score, StepRecord, TrainState } from './train_state';

/** A checkpoint's state.json: the run's state and the specs of the optimizer's weights. */
export interface SavedState extends TrainState {
  optimizerSpecs: io.WeightsManifestEntry[];
}

/** The bytes optimizer.bin must hold for `specs`, checked as a weights manifest. */
export function optimizerBytes(
  check: JsonChecker,
  specs: io.WeightsManifestEntry[],
  maxBytes: number,
): number {
  const [group] = checkWeightsManifest(
    check,
    [{ paths: ['optimizer.bin'], weights: specs }],
    maxBytes,
  );
  return group.byteLength;
}

/** Checks the parsed state.json; `source` names the file in option errors. */
export function checkSavedState(check: JsonChecker, value: unknown, source: string): SavedState {
  const json = check.object(value, 'the top level');
  const count = (v: unknown, w: string) => nonNegativeInteger(check, v, w);
  const positive = (v: unknown, w: string) => {
    const x = check.number(v, w);
    if (!(x > 0)) {
      throw check.error(`${w} must be a positive number, got ${x}`);
    }
    return x;
  };
  const epoch = check.required(json, 'epoch', '', count);
  const step = check.required(json, 'step', '', count);
  const learningRate = check.required(json, 'learningRate', '', positive);
  const seconds = check.required(json, 'seconds', '', (v, w) => atLeastZero(check, v, w));
  const options = check.required(json, 'options', '', (v, w) => check.object(v, w));
  checkOptionValues(options, source);
  const steps = check.required(json, 'steps', '', (v, w) =>
    check.array(v, w).map((s, i): StepRecord => {
      const where = join(w, i);
      const record = check.object(s, where);
      return {
        step: check.required(record, 'step', where, count),
        ...checkScore(check, record, where),
      };
    }),
  );
  const epochs = check.required(json, 'epochs', '', (v, w) =>
    check.array(v, w).map((e, i): EpochRecord => {
      const where = join(w, i);
      const record = check.object(e, where);
      const result: EpochRecord = {
        epoch: check.required(record, 'epoch', where, count),
        step: check.required(record, 'step', where, count),
        learningRate: check.required(record, 'learningRate', where, positive),
        train: check.required(record, 'train', where, (t, tw) =>
          checkScore(check, check.object(t, tw), tw),
        ),
        validation: check.required(record, 'validation', where, (t, tw) =>
          checkScore(check, check.object(t, tw), tw),
        ),
        seconds: check.required(record, 'seconds', where, (t, tw) => atLeastZero(check, t, tw)),
      };
      const batch = check.optional(record, 'batch', where, (t, tw) =>
        positiveInteger(check, t, tw),
      );
      return batch === undefined ? result : { ...result, batch };
    }),
  );
  const best = check.optional(json, 'best', '', (v, w) => {
    const record = check.object(v, w);
    return {
      epoch: check.required(record, 'epoch', w, count),
      step: check.required(record, 'step', w, count),
      validation: check.required(record, 'validation', w, (t, tw) =>
        checkScore(check, check.object(t, tw), tw),
      ),
    };
  });
  const optimizerSpecs = check.required(json, 'optimizerSpecs', '', (v, w) =>
    check.array(v, w),
  ) as io.WeightsManifestEntry[];
  const state: SavedState = {
    epoch,
    step,
    learningRate,
    seconds,
    options,
    steps,
    epochs,
    optimizerSpecs,
  };
  return best === undefined ? state : { ...state, best };
}

function checkScore(check: JsonChecker, record: JsonObject, where: string): Score {
  return {
    loss: check.required(record, 'loss', where, (v, w) => atLeastZero(check, v, w)),
    accuracy: check.required(record, 'accuracy', where, (v, w) => {
      const x = check.number(v, w);
      if (!(x >= 0 && x <= 1)) {
        throw check.error(`${w} must be in [0, 1], got ${x}`);
      }
      return x;
    }),
  };
}

function atLeastZero(check: JsonChecker, value: unknown, where: string): number {
  const x = check.number(value, where);
  if (!(x >= 0)) {
    throw check.error(`${where} must be a non-negative number, got ${x}`);
  }
  return x;
}

function nonNegativeInteger(check: JsonChecker, value: unknown, where: string): number {
  const x = check.number(value, where);
  if (!(Number.isSafeInteger(x) && x >= 0)) {
    throw check.error(`${where} must be a non-negative integer, got ${x}`);
  }
  return x;
}

function positiveInteger(check: JsonChecker, value: unknown, where: string): number {
  const x = nonNegativeInteger(check, value, where);
  if (x === 0) {
    throw check.error(`${where} must be a positive integer, got 0`);
  }
  return x;
}

/** Whether `name` is `expected` (`<weight>/m`) with tfjs's uniquifying suffix: `<weight>_3/m`. */
function isSuffixedName(name: string, expected: string): boolean {
  const stem = expected.slice(0, -2);
  const tail = expected.slice(-2);
  return (
    name.startsWith(`${stem}_`) &&
    name.endsWith(tail) &&
    /^\d+$/.test(name.slice(stem.length + 1, -tail.length))
  );
}

/**
 * Checks Adam's weights read back (`iter`, then the first moments `<weight>/m` and the second
 * moments `<weight>/v` of the model's trainable weights, in their order) against the model, and
 * their values: `iter` equal to the state's step count, every value finite, second moments >= 0.
 * Names saved with tfjs's uniquifying suffix (`rnn/kernel_1/m`) are accepted.
 */
export function checkOptimizerWeights(
  check: JsonChecker,
  weights: { name: string; tensor: Tensor }[],
  model: LayersModel,
  step: number,
): void {
  const trainable = model.trainableWeights;
  const expected = [
    { name: 'iter', shape: [] as number[] },
    ...trainable.map((w) => ({ name: `${w.originalName}/m`, shape: w.shape as number[] })),
    ...trainable.map((w) => ({ name: `${w.originalName}/v`, shape: w.shape as number[] })),
  ];
  if (weights.length !== expected.length) {
    throw check.error(
      `holds ${weights.length} optimizer weights but Adam over the model's ${trainable.length} ` +
        `trainable weights has ${expected.length} (iter, then /m and /v of each)`,
    );
  }
  expected.forEach((e, i) => {
    const { name, tensor } = weights[i];
    if (!(name === e.name || (i > 0 && isSuffixedName(name, e.name)))) {
      const suffixed = e.name.replace(/\/([mv])$/, '_<n>/$1');
      throw check.error(
        `optimizer weight ${i} is named '${name}' but must be '${e.name}' (or '${suffixed}')`,
      );
    }
    if (formatShape(tensor.shape) !== formatShape(e.shape)) {
      throw check.error(
        `optimizer weight '${name}' has shape ${formatShape(tensor.shape)} but the model's needs ${formatShape(e.shape)}`,
      );
    }
    const values = tensor.dataSync();
    const problem = countNonFinite(values);
    if (problem !== null) {
      throw check.error(
        `optimizer weight '${name}' holds ${problem} among its ${values.length} values`,
      );
    }
    if (i === 0 && values[0] !== step) {
      throw check.error(
        `Adam's iteration count iter is ${values[0]} but state.json's step is ${step}`,
      );
    }
    if (e.name.endsWith('/v') && values.some((v) => v < 0)) {
      throw check.error(`optimizer weight '${name}' (a second moment) holds negative values`);
    }
  });
}
