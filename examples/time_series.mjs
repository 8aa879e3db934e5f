// A time-series classifier: which of 4 frequencies does a noisy sine of 64 steps have? HadamRNN
// with 4-bit input and read-out matrices (quantizedDense), trained with fit, saved to disk with
// the package's file:// handler, reloaded and checked to predict bit-identically.
//
//   node examples/time_series.mjs          (after npm install tfjs-hadamrnn @tensorflow/tfjs)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { hadamRNN, quantizedDense } from 'tfjs-hadamrnn';

const STEPS = 64;
const FREQUENCIES = [1, 2, 4, 8]; // periods per sequence

function dataset(count) {
  return tf.tidy(() => {
    const labels = tf.randomUniform([count], 0, FREQUENCIES.length, 'int32');
    const f = tf.gather(tf.tensor1d(FREQUENCIES), labels).reshape([count, 1]);
    const phase = tf.randomUniform([count, 1], 0, 2 * Math.PI);
    const t = tf.range(0, STEPS).reshape([1, STEPS]);
    const wave = tf.sin(tf.add(tf.mul(t, tf.mul(f, (2 * Math.PI) / STEPS)), phase));
    const x = tf.add(wave, tf.randomNormal([count, STEPS], 0, 0.3)).reshape([count, STEPS, 1]);
    return { x, y: tf.oneHot(labels, FREQUENCIES.length) };
  });
}

const model = tf.sequential({
  layers: [
    hadamRNN({ units: 64, inputShape: [STEPS, 1] }),
    quantizedDense({ units: FREQUENCIES.length, activation: 'softmax' }),
  ],
});
model.compile({
  optimizer: tf.train.adam(0.005),
  loss: 'categoricalCrossentropy',
  metrics: ['accuracy'],
});
const train = dataset(1024);
const test = dataset(256);
await model.fit(train.x, train.y, {
  epochs: Number(process.env.EPOCHS ?? 8),
  batchSize: 32,
  verbose: 0,
});
const [loss, accuracy] = model.evaluate(test.x, test.y).map((t) => t.dataSync()[0]);
console.log(`test loss ${loss.toFixed(3)}, accuracy ${(accuracy * 100).toFixed(1)}% (chance 25%)`);

const dir = mkdtempSync(join(tmpdir(), 'time-series-'));
await model.save(`file://${dir}`);
const reloaded = await tf.loadLayersModel(`file://${dir}/model.json`);
const a = model.predict(test.x).dataSync();
const b = reloaded.predict(test.x).dataSync();
const identical = a.every((v, i) => v === b[i]);
console.log(`saved to ${dir}, reloaded: predictions identical: ${identical}`);
rmSync(dir, { recursive: true, force: true });
if (!identical || !Number.isFinite(loss)) {
  process.exitCode = 1;
}
