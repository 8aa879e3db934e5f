/**
 * `npm run demo`: the package's main job, end to end. Builds an ordinary tf.sequential model with a
 * HadamRNN layer and a 4-bit QuantizedDense read-out, trains it with `fit` on the copy task, reports
 * test cross-entropy against the baseline and recall accuracy, saves it in the tfjs layers format,
 * loads it back with tf.loadLayersModel and checks that predictions are identical.
 *
 *   npm run demo -- --T 20 --units 128 --steps 1500 --batch 32 --lr 0.01 --bits 4 --backend wasm
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { hadamRNN, quantizedDense, signInitializer } from '../src';
import { useBackend } from '../src/training/backend';
import { ProgressBar } from '../src/training/progress';
import { Random } from '../src/training/random';
import {
  copyBaselineLoss,
  copyOneHotBatch,
  COPY_INPUT_CLASSES as INPUT_CLASSES,
  COPY_OUTPUT_CLASSES as OUTPUT_CLASSES,
  COPY_SYMBOLS,
} from '../src/training/tasks/copy_task';

/** Steps trained per `fit` call: each call gets fresh sequences. */
const STEPS_PER_FIT = 25;

interface DemoOptions {
  T: number;
  units: number;
  steps: number;
  batch: number;
  lr: number;
  backend: 'auto' | 'cpu' | 'wasm';
  /** Bits of the input and read-out kernels; 0 keeps them full precision. */
  bits: number;
  out: string;
  seed: number;
}

/** Defaults that learn in a few minutes on two CPU cores (about 1,500 steps of 50 ms on wasm):
 * the shortest copy task, T = 20. Longer delays train too, with more steps (see docs/results.md). */
const DEFAULTS: DemoOptions = {
  T: 20,
  units: 128,
  steps: 1500,
  batch: 32,
  lr: 1e-2,
  backend: 'auto',
  bits: 4,
  out: 'artifacts/copy-demo',
  seed: 1,
};

function parseOptions(argv: string[]): DemoOptions {
  const options: DemoOptions = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '') as keyof DemoOptions;
    const value = argv[i + 1];
    if (!(key in DEFAULTS) || value === undefined) {
      throw new Error(
        `demo: unknown flag or missing value '${argv[i]}'; flags: ${Object.keys(DEFAULTS)
          .map((k) => `--${k}`)
          .join(' ')}`,
      );
    }
    const parsed = typeof DEFAULTS[key] === 'number' ? Number(value) : value;
    if (typeof parsed === 'number' && !Number.isFinite(parsed)) {
      throw new Error(`demo: --${key} must be a number, got '${value}'`);
    }
    (options as unknown as Record<string, unknown>)[key] = parsed;
  }
  return options;
}

/** Mean cross-entropy over every step, and accuracy on the recalled symbols (last K steps). */
function score(model: tfl.LayersModel, x: tf.Tensor3D, y: tf.Tensor3D) {
  return tf.tidy(() => {
    const p = model.predict(x) as tf.Tensor3D;
    const crossEntropy = tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(tf.add(p, 1e-7))), -1)));
    const [batch, T] = x.shape;
    const recalled = (t: tf.Tensor3D) =>
      tf.argMax(tf.slice(t, [0, T - COPY_SYMBOLS, 0], [batch, COPY_SYMBOLS, -1]), -1);
    const accuracy = tf.mean(tf.cast(tf.equal(recalled(p), recalled(y)), 'float32'));
    return { crossEntropy: crossEntropy.dataSync()[0], accuracy: accuracy.dataSync()[0] };
  });
}

async function selectBackend(choice: DemoOptions['backend']): Promise<string> {
  for (const name of choice === 'auto' ? (['wasm', 'cpu'] as const) : [choice]) {
    try {
      await useBackend(name);
      return name;
    } catch (error) {
      if (choice !== 'auto') throw error;
    }
  }
  throw new Error('demo: no tfjs backend could be initialized');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const backend = await selectBackend(options.backend);
  const { T, units, steps, batch } = options;
  console.log(
    `tfjs-hadamrnn demo: copy task T=${T}, HadamRNN(${units}) + QuantizedDense, ${options.bits ? `${options.bits}-bit` : 'full-precision'} U and V, ${steps} steps of ${batch} on ${backend}`,
  );

  const kernelQuantizer =
    options.bits === 0 ? null : { className: 'HadamUniformSte', config: { bits: options.bits } };
  // Initializers seeded from --seed, like the data: a run is reproducible on a given backend.
  const seed = options.seed;
  const model = tfl.sequential({
    layers: [
      hadamRNN({
        units,
        returnSequences: true,
        inputShape: [T, INPUT_CLASSES],
        kernelQuantizer,
        kernelInitializer: tfl.initializers.glorotUniform({ seed }),
        recurrentInitializer: signInitializer('stable', units, seed + 1), // the default's, seeded
      }),
      quantizedDense({
        units: OUTPUT_CLASSES,
        activation: 'softmax',
        kernelQuantizer,
        kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 2 }),
      }),
    ],
  });
  model.compile({
    optimizer: tf.train.adam(options.lr),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });

  const random = new Random(options.seed);
  const progress = new ProgressBar(process.stderr, 25);
  const start = Date.now();
  let done = 0;
  let runningLoss = NaN;
  let runningAccuracy = 0;
  while (done < steps) {
    const chunk = Math.min(STEPS_PER_FIT, steps - done);
    const { x, y } = copyOneHotBatch(T, chunk * batch, random);
    await model.fit(x, y, {
      batchSize: batch,
      epochs: 1,
      shuffle: false,
      verbose: 0,
      callbacks: {
        onBatchEnd: async (_, logs) => {
          done++;
          const loss = logs?.loss ?? NaN;
          runningLoss = Number.isNaN(runningLoss) ? loss : 0.9 * runningLoss + 0.1 * loss;
          runningAccuracy = 0.9 * runningAccuracy + 0.1 * (logs?.acc ?? 0);
          const secondsPerStep = (Date.now() - start) / 1000 / done;
          progress.update({
            epoch: 1,
            epochs: 1,
            step: done,
            stepsPerEpoch: steps,
            loss: runningLoss,
            accuracy: runningAccuracy,
            secondsPerStep,
            stepsLeft: steps - done,
          });
        },
      },
    });
    tf.dispose([x, y]);
  }
  const trainSeconds = (Date.now() - start) / 1000;

  const test = copyOneHotBatch(T, 256, new Random(options.seed + 1_000_003));
  const { crossEntropy, accuracy } = score(model, test.x, test.y);
  const baseline = copyBaselineLoss(T);
  console.log(
    `trained in ${trainSeconds.toFixed(1)} s (${((1000 * trainSeconds) / steps).toFixed(0)} ms/step)`,
  );
  console.log(
    `test cross-entropy ${crossEntropy.toFixed(5)} vs baseline 10·ln(8)/T = ${baseline.toFixed(5)} (${((100 * crossEntropy) / baseline).toFixed(1)}% of baseline)`,
  );
  console.log(`recalled symbols: ${(100 * accuracy).toFixed(1)}% correct (chance 12.5%)`);

  const url = `file://${options.out}`;
  await model.save(url);
  const reloaded = await tfl.loadLayersModel(`${url}/model.json`);
  const [before, after] = [model.predict(test.x), reloaded.predict(test.x)] as tf.Tensor[];
  const identical = tf.tidy(() => tf.all(tf.equal(before, after)).dataSync()[0] === 1);
  console.log(
    `saved to ${options.out}/ (model.json + weights), reloaded: predictions ${identical ? 'identical' : 'DIFFER'}`,
  );
  tf.dispose([before, after, test.x, test.y]);
  if (!identical) {
    process.exitCode = 1;
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exitCode = 1;
});
