import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { hadamRNN, quantizedDense, signInitializer } from '../../src';
import { Random } from '../../src/training/random';
import {
  copyBaselineLoss,
  copyOneHotBatch,
  COPY_INPUT_CLASSES as INPUT_CLASSES,
  COPY_OUTPUT_CLASSES as OUTPUT_CLASSES,
} from '../../src/training/tasks/copy_task';
import { describeEachBackend, WASM } from '../harness/backends';

const T = 20;
const SEED = 1;

describeEachBackend(
  'HadamRNN learns a small copy task with fit',
  () => {
    it('reaches under 20% of the baseline cross-entropy 10·ln(8)/T on held-out sequences', async () => {
      // The demo's recipe: binary orthogonal W, 4-bit U and V; it learns in about 500 steps.
      // Seeded initializers and no shuffling: the run is the same every time on a backend.
      const model = tfl.sequential({
        layers: [
          hadamRNN({
            units: 128,
            returnSequences: true,
            inputShape: [T, INPUT_CLASSES],
            kernelInitializer: tfl.initializers.glorotUniform({ seed: SEED }),
            recurrentInitializer: signInitializer('stable', 128, SEED + 1), // the default's, seeded
          }),
          quantizedDense({
            units: OUTPUT_CLASSES,
            activation: 'softmax',
            kernelInitializer: tfl.initializers.glorotUniform({ seed: SEED + 2 }),
          }),
        ],
      });
      model.compile({ optimizer: tf.train.adam(1e-2), loss: 'categoricalCrossentropy' });
      const train = copyOneHotBatch(T, 4096, new Random(1));
      const test = copyOneHotBatch(T, 512, new Random(2));
      const baseline = copyBaselineLoss(T);
      const testLoss = () =>
        tf.tidy(
          () => (model.evaluate(test.x, test.y, { batchSize: 512 }) as tf.Scalar).dataSync()[0],
        );
      const start = Date.now();
      for (
        let epoch = 0;
        epoch < 12 && testLoss() > 0.2 * baseline && Date.now() - start < 100_000;
        epoch++
      ) {
        await model.fit(train.x, train.y, { batchSize: 32, epochs: 1, verbose: 0, shuffle: false });
      }
      expect(testLoss()).toBeLessThan(0.2 * baseline);
      tf.dispose([train.x, train.y, test.x, test.y]);
      model.dispose();
    }, 120_000);
  },
  [WASM], // the fastest Node backend: the test is about learning, the kernels are tested elsewhere
);
