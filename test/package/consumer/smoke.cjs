// Smoke test of an installed tfjs-hadamrnn against the tfjs copy of the consumer project it runs
// in (the pack test and the oldest-tfjs CI step): on cpu and wasm, the op against the dense
// Sylvester product, a HadamRNN's last state against a float64 loop, a fit step, a file:// save
// and reload, and no leaked tensors. Prints one JSON line; exits non-zero on any mismatch.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const tf = require('@tensorflow/tfjs-core');
const tfl = require('@tensorflow/tfjs-layers');
require('@tensorflow/tfjs-backend-cpu');
require('@tensorflow/tfjs-backend-wasm');
const hadamrnn = require('tfjs-hadamrnn');

function check(condition, message) {
  if (!condition) {
    throw new Error(`smoke: ${message}`);
  }
}
const close = (a, b, tol) => a.length === b.length && a.every((v, i) => Math.abs(v - b[i]) <= tol);

/** S_n x for one row, from the Sylvester recursion in float64. */
function sylvesterTimes(x) {
  if (x.length === 1) return [x[0]];
  const half = x.length / 2;
  const top = sylvesterTimes(x.slice(0, half));
  const bottom = sylvesterTimes(x.slice(half));
  return [...top.map((t, i) => t + bottom[i]), ...top.map((t, i) => t - bottom[i])];
}

/** h_t = s ⊙ S_n h_{t-1} / sqrt(n) + x_t U + b, from zeros; returns relu(h_{T-1}). */
function lastOutput(xs, U, s, b) {
  const n = s.length;
  let h = new Array(n).fill(0);
  for (const x of xs) {
    const wh = sylvesterTimes(h).map((v, i) => (s[i] * v) / Math.sqrt(n));
    h = wh.map((v, j) => v + b[j] + x.reduce((acc, xk, k) => acc + xk * U[k][j], 0));
  }
  return h.map((v) => Math.max(v, 0));
}

async function onBackend(name) {
  check(await tf.setBackend(name), `backend ${name} failed to initialize`);
  const before = tf.memory().numTensors;
  const x = [1, 2, 3, 4, -1, 0.5, 2, -3];
  const y = tf.tidy(() => hadamrnn.hadamardTransform(tf.tensor2d([x]), { normalize: false }));
  check(close(Array.from(y.dataSync()), sylvesterTimes(x), 1e-4), `${name}: hadamardTransform`);
  y.dispose();

  const units = 8;
  const model = tfl.sequential({
    layers: [
      hadamrnn.hadamRNN({ units, inputShape: [5, 3], kernelQuantizer: null }),
      hadamrnn.quantizedDense({ units: 2, activation: 'softmax' }),
    ],
  });
  const xs = tf.randomNormal([4, 5, 3], 0, 1, 'float32', 7);
  const [U, u, b] = model.layers[0].getWeights().map((w) => w.arraySync());
  const s = u.map((v) => (v >= 0 ? 1 : -1));
  const rnnOut = tf.tidy(() => model.layers[0].apply(xs));
  const got = rnnOut.arraySync();
  const inputs = xs.arraySync();
  for (let i = 0; i < inputs.length; i++) {
    check(close(got[i], lastOutput(inputs[i], U, s, b), 1e-4), `${name}: HadamRNN last state`);
  }
  rnnOut.dispose();

  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  const ys = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 0, 1], 'int32'), 2));
  const history = await model.fit(xs, ys, { epochs: 2, batchSize: 4, verbose: 0 });
  check(history.history.loss.every(Number.isFinite), `${name}: fit loss not finite`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hadamrnn-smoke-'));
  await model.save(`file://${dir}`);
  const loaded = await tfl.loadLayersModel(`file://${dir}/model.json`);
  const p1 = model.predict(xs);
  const p2 = loaded.predict(xs);
  check(close(Array.from(p1.dataSync()), Array.from(p2.dataSync()), 0), `${name}: reload differs`);
  fs.rmSync(dir, { recursive: true, force: true });
  tf.dispose([p1, p2, xs, ys]);
  model.dispose();
  loaded.dispose();
  const leaked = tf.memory().numTensors - before;
  check(leaked === 0, `${name}: ${leaked} tensors leaked`);
  return name;
}

(async () => {
  const ran = [];
  for (const name of ['cpu', 'wasm']) {
    ran.push(await onBackend(name));
  }
  console.log(JSON.stringify({ ok: true, tfjs: tf.version_core, backends: ran }));
})().catch((error) => {
  console.error(error.message);
  process.exitCode = 1;
});
