/**
 * A trial build of a loaded topology, checked against the weights manifest before tfjs builds it.
 *
 * Why: `tf.loadLayersModel` builds the model layer by layer, then assigns the weights. When a layer
 * config is refused half-way, or a weight's name, shape or dtype does not match, tfjs throws and
 * never disposes what it built: every refused file leaked the variables of the layers built so far,
 * plus the decoded weights. The trial build runs the same steps, disposes everything it made
 * whatever happens, and turns each mismatch into one line naming the file; tfjs then only sees
 * files it will load.
 */
import { engine, io, tidy, zeros, type DataType, type Variable } from '@tensorflow/tfjs-core';
import { layers, models, type LayersModel } from '@tensorflow/tfjs-layers';
import type { PyJsonDict } from '@tensorflow/tfjs-layers/dist/keras_format/types';
import { formatShape } from '../common/validate';
import type { JsonChecker } from './json_checker';
import { DTYPE_BYTES } from './weights_manifest';

/**
 * Builds `artifacts.modelTopology` (and applies its trainingConfig) as tfjs will, then checks
 * that the model weights of the manifest are exactly the model's, with the same shapes and
 * dtypes. Disposes the trial model and every variable it created.
 * @param strict As tfjs's LoadOptions.strict: when false, names missing on either side are
 *     allowed (tfjs ignores them), but shared names must still agree.
 * @param maxWeightBytes Largest total of weight bytes the topology may declare: each weight is
 *     counted when its layer declares it, before its values are made, so a topology declaring
 *     gigabytes is refused at once instead of after allocating them.
 * @param dry Build with empty weights (every dimension 0), comparing the shapes the layers declare:
 *     no weight is allocated or initialized. A construction that fails this way is not refused
 *     (an empty weight may be what failed); only mismatched weights are.
 */
export async function checkTopologyAgainstWeights(
  check: JsonChecker,
  artifacts: io.ModelArtifacts,
  strict = true,
  maxWeightBytes = Infinity,
  dry = false,
): Promise<void> {
  const declared = new Map<unknown, number[]>();
  const created: Variable[] = [];
  let model: LayersModel | undefined;
  try {
    // modelFromJSON deserializes synchronously (it awaits only to fetch weights, and we pass
    // none), so the variables registered during this call are exactly the trial's: other async
    // work cannot interleave, and we never dispose anything of theirs.
    const pending = withNewVariables(created, () =>
      countingWeights(
        weightBytesLimit(artifacts.weightSpecs ?? [], strict, maxWeightBytes),
        dry ? declared : null,
        () => models.modelFromJSON({ modelTopology: artifacts.modelTopology as PyJsonDict }),
      ),
    );
    try {
      model = await pending;
      const trial = model;
      if (artifacts.trainingConfig != null) {
        // tfjs-core and tfjs-layers declare the same TrainingConfig twice.
        const config = artifacts.trainingConfig as Parameters<LayersModel['loadTrainingConfig']>[0];
        withNewVariables(created, () => trial.loadTrainingConfig(config));
      }
    } catch (e) {
      if (e instanceof TooManyWeightBytes) {
        throw check.error(`modelTopology is refused: ${e.message}`);
      }
      if (dry) {
        return;
      }
      throw check.error(`modelTopology cannot be built (${firstLine(e)})`);
    }
    compareWeights(check, model, artifacts.weightSpecs ?? [], strict, declared);
  } finally {
    model?.dispose();
    created.forEach((v) => v.dispose());
  }
}

type AddWeight = (name: string, shape: number[], dtype?: string, ...rest: unknown[]) => unknown;

/**
 * The most bytes the topology's weights may take in memory: with `strict`, those of the manifest's
 * model weights (a topology declaring more cannot match it), and never above `maxWeightBytes`.
 */
function weightBytesLimit(
  specs: io.WeightsManifestEntry[],
  strict: boolean,
  maxWeightBytes: number,
): { bytes: number; rule: string } {
  const declared = specs
    .filter((s) => s.group !== 'optimizer')
    .reduce((sum, s) => sum + s.shape.reduce((a, b) => a * b, 1) * (DTYPE_BYTES[s.dtype] ?? 4), 0);
  if (strict && declared <= maxWeightBytes) {
    return { bytes: declared, rule: `the ${declared} bytes of the weights in weightsManifest` };
  }
  return { bytes: maxWeightBytes, rule: `maxWeightBytes ${maxWeightBytes}` };
}

/** The error countingWeights throws, told apart from a layer's own refusals. */
class TooManyWeightBytes extends Error {}

/**
 * Runs `f` (synchronous) while every `Layer.addWeight` call first adds its weight's bytes to a
 * running total and throws once the total passes `limit`: a layer declares each weight's shape
 * through addWeight before its values exist, so nothing is allocated for a refused topology. With
 * `empty`, each weight is made empty instead (every dimension 0) and its declared shape recorded.
 */
function countingWeights<T>(
  limit: { bytes: number; rule: string },
  empty: Map<unknown, number[]> | null,
  f: () => T,
): T {
  const prototype = layers.Layer.prototype as unknown as { addWeight: AddWeight };
  const original = prototype.addWeight;
  let total = 0;
  prototype.addWeight = function (this: unknown, name, shape, dtype, ...rest) {
    const size = shape.reduce((a, b) => a * (b ?? 0), 1);
    total += size * (DTYPE_BYTES[dtype ?? 'float32'] ?? 4);
    if (total > limit.bytes) {
      throw new TooManyWeightBytes(
        `its weights add up to more than ${limit.rule} ` +
          `(at weight '${name}' of shape ${formatShape(shape)})`,
      );
    }
    if (empty === null) {
      return original.call(this, name, shape, dtype, ...rest);
    }
    // Dry: an empty weight of the same rank; the declared shape is kept for the comparison.
    const [, ...more] = rest;
    const initializer = {
      apply: (s: number[], d?: DataType) =>
        zeros(
          s.map(() => 0),
          d,
        ),
    };
    const weight = original.call(this, name, shape, dtype, initializer, ...more);
    empty.set(weight, [...shape]);
    return weight;
  };
  try {
    return f();
  } finally {
    prototype.addWeight = original;
  }
}

/**
 * Runs `f` in a tidy, which frees the plain tensors a constructor made before it threw (variables
 * survive a tidy), and appends to `created` the variables it registered, also when it throws.
 */
function withNewVariables<T>(created: Variable[], f: () => T): T {
  const before = new Set(Object.keys(engine().registeredVariables));
  let result: T | undefined;
  try {
    tidy(() => {
      result = f();
    });
    return result as T;
  } finally {
    const variables = engine().registeredVariables;
    created.push(
      ...Object.keys(variables)
        .filter((name) => !before.has(name))
        .map((name) => variables[name]),
    );
  }
}

function compareWeights(
  check: JsonChecker,
  model: LayersModel,
  specs: io.WeightsManifestEntry[],
  strict: boolean,
  declared: Map<unknown, number[]>,
): void {
  const byName = new Map(specs.filter((s) => s.group !== 'optimizer').map((s) => [s.name, s]));
  for (const weight of model.weights) {
    const spec = byName.get(weight.originalName);
    if (spec === undefined) {
      if (strict) {
        throw check.error(`model weight '${weight.originalName}' is not in weightsManifest`);
      }
      continue;
    }
    byName.delete(weight.originalName);
    const shape = declared.get(weight) ?? (weight.shape as number[]);
    if (formatShape(spec.shape) !== formatShape(shape)) {
      throw check.error(
        `weight '${spec.name}' has shape ${formatShape(spec.shape)} in weightsManifest but ` +
          `${formatShape(shape)} in modelTopology`,
      );
    }
    if (spec.dtype !== weight.dtype) {
      throw check.error(
        `weight '${spec.name}' has dtype ${spec.dtype} in weightsManifest but ${weight.dtype} in modelTopology`,
      );
    }
  }
  const extra = [...byName.keys()];
  if (strict && extra.length > 0) {
    throw check.error(`weightsManifest weight '${extra[0]}' is not a weight of modelTopology`);
  }
}

/** The first line of an error's message (some tfjs messages span several). */
function firstLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.split('\n')[0].trim();
}
