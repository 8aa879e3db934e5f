/**
 * Concurrency: tfjs runs kernels synchronously but `fit` and `data()` yield to the event loop, so
 * calls interleave. Interleaved async predictions, and predictions made while `fit` runs, must
 * give exactly what the same call gives alone with the same weights.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { fileSystem } from '../../src/index';
import { randomValues } from '../harness/random';
import { FIXTURE, fixtureModel, float32Base64 } from '../io/fixtures/model';
import { removeFolder, savedFixture } from '../io/fixtures/saved';

const { steps, features, classes } = FIXTURE;

function input(batch: number, seed: number): tf.Tensor3D {
  return tf.tensor3d(randomValues(batch * steps * features, seed), [batch, steps, features]);
}

/** Predicts after yielding, and reads the result asynchronously, so that callers interleave. */
async function predictLater(model: tfl.LayersModel, x: tf.Tensor, delay: number): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, delay));
  const y = model.predict(x) as tf.Tensor;
  await y.data();
  const bytes = float32Base64(y);
  y.dispose();
  return bytes;
}

describe('concurrency', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('interleaved async predict calls give the results of sequential calls', async () => {
    const model = fixtureModel();
    const inputs = [1, 2, 3, 4, 5, 6, 7, 8].map((batch, i) => input(batch, 100 + i));
    const alone = inputs.map((x) => tf.tidy(() => float32Base64(model.predict(x) as tf.Tensor)));
    const before = tf.memory().numTensors;
    // Reverse-ordered delays: the calls start in one order and finish in another, twice over.
    const together = await Promise.all(
      [...inputs, ...inputs].map((x, i) => predictLater(model, x, (16 - i) % 5)),
    );
    expect(together).toEqual([...alone, ...alone]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(inputs);
    model.dispose();
  });

  it('predict while fit runs gives what predict alone gives with the same weights', async () => {
    const model = fixtureModel();
    model.compile({ optimizer: tf.train.sgd(0.5), loss: 'categoricalCrossentropy' });
    const x = input(4, 7);
    const y = tf.tidy(() =>
      tf.reshape(
        tf.oneHot(
          Array.from({ length: 4 * steps }, (_, i) => i % classes),
          classes,
        ),
        [4, steps, classes],
      ),
    );
    const probe = input(3, 8);
    const seen: { weights: tf.Tensor[]; prediction: string }[] = [];
    let training = true;
    const during = (async () => {
      while (training) {
        // Synchronously snapshot the weights and predict: fit cannot step in between.
        const weights = model.getWeights().map((w) => tf.clone(w));
        const prediction = tf.tidy(() => float32Base64(model.predict(probe) as tf.Tensor));
        seen.push({ weights, prediction });
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await model.fit(x, y, { epochs: 20, batchSize: 1, verbose: 0, yieldEvery: 'batch' });
    training = false;
    await during;

    const distinct = new Set(seen.map((s) => s.prediction));
    expect(distinct.size).toBeGreaterThan(3); // predictions really ran between training steps
    const alone = fixtureModel();
    for (const { weights, prediction } of seen) {
      alone.setWeights(weights);
      expect(tf.tidy(() => float32Base64(alone.predict(probe) as tf.Tensor))).toBe(prediction);
      tf.dispose(weights);
    }
    tf.dispose([x, y, probe]);
    alone.dispose();
    model.dispose();
  });

  it('loading models while another model trains leaves the trainer intact', async () => {
    const dir = await savedFixture();
    const trainer = fixtureModel();
    // A fresh Adam creates its slot variables during the first steps, while the loads run.
    trainer.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
    const x = input(4, 11);
    const y = tf.zerosLike(trainer.predict(x) as tf.Tensor);
    const training = trainer.fit(x, y, {
      epochs: 5,
      batchSize: 1,
      verbose: 0,
      yieldEvery: 'batch',
    });
    const loads = Array.from({ length: 6 }, () => tfl.loadLayersModel(fileSystem(dir)));
    const [history, ...loaded] = await Promise.all([training, ...loads]);
    expect((history as tfl.History).history.loss.length).toBe(5);
    // Every variable of the trainer and of its optimizer is still alive and usable.
    const slots = (await trainer.optimizer.getWeights()).map((w) => w.tensor);
    const weights = [...trainer.weights.map((w) => w.read()), ...slots];
    expect(slots.length).toBeGreaterThan(0);
    expect(weights.every((w) => !w.isDisposed)).toBe(true);
    await trainer.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    (loaded as tfl.LayersModel[]).forEach((m) => m.dispose());
    tf.dispose([x, y]);
    trainer.dispose();
    removeFolder(dir);
  });
});
