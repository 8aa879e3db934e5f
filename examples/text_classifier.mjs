// HadamRNN in an ordinary tfjs text model: embedding (maskZero) → hadamRNN → dense softmax.
// The task: does token 1 occur in a padded sequence of token ids? Padding (id 0) is masked: the
// masked steps carry HadamRNN's state, so the padded and the unpadded sequence predict the same.
//
//   node examples/text_classifier.mjs      (after npm install tfjs-hadamrnn @tensorflow/tfjs)
import * as tf from '@tensorflow/tfjs';
import { hadamRNN } from 'tfjs-hadamrnn'; // registers HadamRNN's kernels and classes on tf

const VOCAB = 20;
const LENGTH = 12;

/** Sequences of 3 to LENGTH tokens from 1..VOCAB-1, zero-padded; label 1 when token 1 occurs. */
function dataset(count, seed) {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const ids = [];
  const labels = [];
  for (let i = 0; i < count; i++) {
    const length = 3 + Math.floor(random() * (LENGTH - 2));
    const row = Array.from({ length: LENGTH }, (_, t) =>
      t < length ? 2 + Math.floor(random() * (VOCAB - 2)) : 0,
    );
    const positive = i % 2 === 0;
    if (positive) {
      row[Math.floor(random() * length)] = 1;
    }
    ids.push(row);
    labels.push(positive ? 1 : 0);
  }
  return { x: tf.tensor2d(ids, [count, LENGTH]), y: tf.oneHot(tf.tensor1d(labels, 'int32'), 2) };
}

const model = tf.sequential({
  layers: [
    tf.layers.embedding({ inputDim: VOCAB, outputDim: 16, maskZero: true, inputLength: LENGTH }),
    hadamRNN({ units: 32 }), // the last state; the mask reaches it from the embedding
    tf.layers.dense({ units: 2, activation: 'softmax' }),
  ],
});
model.compile({
  optimizer: tf.train.adam(0.01),
  loss: 'categoricalCrossentropy',
  metrics: ['accuracy'],
});

const train = dataset(512, 1);
const test = dataset(256, 2);
await model.fit(train.x, train.y, {
  epochs: Number(process.env.EPOCHS ?? 10),
  batchSize: 32,
  verbose: 0,
});
const [loss, accuracy] = model.evaluate(test.x, test.y).map((t) => t.dataSync()[0]);
console.log(`test loss ${loss.toFixed(3)}, accuracy ${(accuracy * 100).toFixed(1)}%`);

// Padding is masked: [5, 1, 7] and [5, 1, 7, 0, 0, ...] give the same prediction.
const padded = model.predict(tf.tensor2d([[5, 1, 7, ...new Array(LENGTH - 3).fill(0)]]));
const shortModel = tf.sequential({
  layers: [
    tf.layers.embedding({ inputDim: VOCAB, outputDim: 16, maskZero: true, inputLength: 3 }),
    hadamRNN({ units: 32 }),
    tf.layers.dense({ units: 2, activation: 'softmax' }),
  ],
});
shortModel.setWeights(model.getWeights());
const unpadded = shortModel.predict(tf.tensor2d([[5, 1, 7]]));
const same = tf.max(tf.abs(tf.sub(padded, unpadded))).dataSync()[0] === 0;
console.log(`padding changes the prediction: ${!same}`);
if (!same || !Number.isFinite(loss)) {
  process.exitCode = 1;
}
