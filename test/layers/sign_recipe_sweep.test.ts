import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { hadamRNN, quantizedDense, type SignRecipe } from '../../src';
import { Random } from '../../src/training/random';
import {
  copyBaselineLoss,
  copyOneHotBatch,
  COPY_INPUT_CLASSES as INPUT_CLASSES,
  COPY_OUTPUT_CLASSES as OUTPUT_CLASSES,
  COPY_SYMBOLS,
} from '../../src/training/tasks/copy_task';
import { describeEachBackend, WASM } from '../harness/backends';

// A scaled-down seed sweep (docs/results.md has the full one at T = 100): a plain tf.sequential
// with Adam and trainOnBatch, no seeds anywhere but the test set, trained RUNS times per recipe.
// The default ('stable') recipe must learn in every run; the paper's recipe, whose signs keep
// flipping while |u| collapses to 0, must fail in most (measured while writing this test, at these
// settings: the default learned in 3 of 3 runs, 0.27-0.35 of the baseline, the paper's recipe in 0
// of 3, |u| ending at 0.005-0.01).
const T = 20;
const UNITS = 32;
const STEPS = 400;
const BATCH = 32;
const LR = 5e-3;
const RUNS = 4;

type Outcome = {
  /** Test loss over the baseline 10·ln(8)/T. */
  relativeLoss: number;
  /** Fraction of the recalled symbols predicted right. */
  recall: number;
  /** Mean |u| at the end. */
  meanAbsU: number;
};

async function trainOnce(
  signRecipe: SignRecipe | undefined,
  { x: testX, y: testY }: { x: tf.Tensor3D; y: tf.Tensor3D },
): Promise<Outcome> {
  const model = tfl.sequential({
    layers: [
      hadamRNN({ units: UNITS, returnSequences: true, inputShape: [T, INPUT_CLASSES], signRecipe }),
      quantizedDense({ units: OUTPUT_CLASSES, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(LR), loss: 'categoricalCrossentropy' });
  const data = new Random(Math.floor(Math.random() * 2 ** 31));
  for (let step = 0; step < STEPS; step++) {
    const batch = copyOneHotBatch(T, BATCH, data);
    await model.trainOnBatch(batch.x, batch.y);
    tf.dispose([batch.x, batch.y]);
  }
  const outcome = tf.tidy((): Outcome => {
    const predicted = model.predict(testX) as tf.Tensor3D;
    const loss = tf.mean(tfl.metrics.categoricalCrossentropy(testY, predicted));
    const recalled = (t: tf.Tensor3D) => tf.argMax(tf.slice(t, [0, T - COPY_SYMBOLS, 0]), -1);
    const recall = tf.mean(tf.cast(tf.equal(recalled(predicted), recalled(testY)), 'float32'));
    const u = model.layers[0].weights.find((w) => w.name.endsWith('recurrent_kernel'))!.read();
    return {
      relativeLoss: loss.dataSync()[0] / copyBaselineLoss(T),
      recall: recall.dataSync()[0],
      meanAbsU: tf.mean(tf.abs(u)).dataSync()[0],
    };
  });
  model.optimizer.dispose();
  model.dispose();
  return outcome;
}

const learned = (o: Outcome) => o.relativeLoss < 0.5 && o.recall > 0.5;

describeEachBackend(
  'trained signs, unseeded runs of a small copy task (T = 20, 32 units, Adam, trainOnBatch)',
  () => {
    let test: { x: tf.Tensor3D; y: tf.Tensor3D };
    // IS_TEST's per-kernel leak check misfires on wasm for the STEs' customGrad `save` (see
    // test/cli/copy_learning.test.ts) and slows training; tf.memory() is checked around the runs.
    beforeAll(() => {
      tf.env().set('IS_TEST', false);
      test = copyOneHotBatch(T, 256, new Random(7));
    });
    afterAll(() => {
      tf.dispose([test.x, test.y]);
      tf.env().set('IS_TEST', true);
    });

    it(`learn in every one of ${RUNS} runs with the default recipe, and mostly fail with the paper's`, async () => {
      const before = tf.memory().numTensors;
      const stable: Outcome[] = [];
      const paper: Outcome[] = [];
      for (let run = 0; run < RUNS; run++) {
        stable.push(await trainOnce(undefined, test));
        paper.push(await trainOnce('paper', test));
      }
      expect(tf.memory().numTensors).toBe(before);
      // Every default run below half the baseline with most symbols recalled, its u away from 0.
      expect(stable.filter(learned)).toHaveLength(RUNS);
      expect(Math.min(...stable.map((o) => o.meanAbsU))).toBeGreaterThan(0.5);
      // The paper's recipe: at most half the runs learn (0 of 3 measured); the failures end near
      // or above the baseline with |u| collapsed, the signature of sign thrashing.
      const failed = paper.filter((o) => !learned(o));
      expect(failed.length).toBeGreaterThanOrEqual(RUNS / 2);
      expect(Math.max(...failed.map((o) => o.meanAbsU))).toBeLessThan(0.1);
    }, 120_000);
  },
  [WASM], // the fastest Node backend: the test is about learning, the kernels are tested elsewhere
);
