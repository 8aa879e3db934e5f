/**
 * The page side of bench/webgl_layers.ts, bundled for Chromium: times the HadamRNN layer against
 * tf.layers.simpleRNN and tf.layers.lstm of the same width on the webgl backend, for `predict` and
 * for one training step. Each timed call ends by reading a value back, which waits for the GPU.
 * The models are timed in interleaved rounds (a, b, c, a, b, c, ...) and the median is kept.
 */
import '@tensorflow/tfjs-backend-webgl';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { hadamRNN } from '../src';
import { webglRenderer } from '../test/browser/page/webgl_info';

/** The workload. */
export interface WebGLLayersPlan {
  units: number;
  steps: number;
  batch: number;
  inputs: number;
  /** Timed rounds of predict, after one untimed call (shader compilation). */
  predictRounds: number;
  /** Timed rounds of the training step, after one untimed step. */
  trainRounds: number;
}

/** Median ms of each measurement, by layer name. */
export interface WebGLLayersBench {
  renderer: string;
  webglVersion: number;
  predictMs: Record<string, number>;
  trainStepMs: Record<string, number>;
}

/**
 * The baselines' recurrent kernels start Glorot-uniform instead of orthogonal: tfjs's Orthogonal
 * initializer runs a QR decomposition of one small op per column, which on webgl compiles new
 * shaders for minutes. The values do not change the time of a step.
 */
const BASELINE = { returnSequences: true, recurrentInitializer: 'glorotUniform' } as const;

/** The layers compared, each `returnSequences` over the whole sequence. */
const LAYERS: Record<string, (units: number) => tfl.layers.Layer> = {
  HadamRNN: (units) => hadamRNN({ units, returnSequences: true }),
  simpleRNN: (units) => tfl.layers.simpleRNN({ units, ...BASELINE }),
  lstm: (units) => tfl.layers.lstm({ units, ...BASELINE }),
};

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Times `cases` in `rounds` interleaved rounds after one untimed call each; median ms per case. */
function timeInterleaved(
  cases: Record<string, () => void>,
  rounds: number,
): Record<string, number> {
  const samples: Record<string, number[]> = {};
  for (const [name, f] of Object.entries(cases)) {
    const start = performance.now();
    f();
    console.log(`${name}: first call ${(performance.now() - start).toFixed(0)} ms`);
    samples[name] = [];
  }
  for (let r = 0; r < rounds; r++) {
    for (const [name, f] of Object.entries(cases)) {
      const start = performance.now();
      f();
      samples[name].push(performance.now() - start);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, median(s)]));
}

/** Waits for `t` by reading its first value back, then disposes it. */
function readBack(t: tf.Tensor): void {
  const first = tf.tidy(() => tf.slice(tf.reshape(t, [-1]), 0, 1));
  first.dataSync();
  tf.dispose([first, t]);
}

async function run(plan: WebGLLayersPlan): Promise<WebGLLayersBench> {
  await tf.setBackend('webgl');
  await tf.ready();
  const { units, steps, batch, inputs } = plan;
  const x = tf.randomNormal([batch, steps, inputs]);
  const y = tf.oneHot(tf.randomUniform([batch, steps], 0, 9, 'int32'), 9);
  const models = Object.fromEntries(
    Object.entries(LAYERS).map(([name, layer]) => [
      name,
      tfl.sequential({
        layers: [
          tfl.layers.inputLayer({ inputShape: [steps, inputs] }),
          layer(units),
          tfl.layers.dense({ units: 9, activation: 'softmax' }),
        ],
      }),
    ]),
  );
  const optimizers = Object.fromEntries(
    Object.keys(LAYERS).map((name) => [name, tf.train.adam(1e-3)]),
  );
  const predictMs = timeInterleaved(
    Object.fromEntries(
      Object.entries(models).map(([name, m]) => [name, () => readBack(m.predict(x) as tf.Tensor)]),
    ),
    plan.predictRounds,
  );
  // One training step as fit runs it: loss, gradients of every trainable weight, Adam update.
  const trainStepMs = timeInterleaved(
    Object.fromEntries(
      Object.entries(models).map(([name, m]) => [
        name,
        () =>
          readBack(
            optimizers[name].minimize(
              () => tf.losses.softmaxCrossEntropy(y, m.apply(x, { training: true }) as tf.Tensor),
              true,
              m.trainableWeights.map((w) => w.read() as tf.Variable),
            )!,
          ),
      ]),
    ),
    plan.trainRounds,
  );
  tf.dispose([x, y]);
  Object.values(models).forEach((m) => m.dispose());
  Object.values(optimizers).forEach((o) => o.dispose());
  return {
    renderer: webglRenderer(),
    webglVersion: tf.env().getNumber('WEBGL_VERSION'),
    predictMs,
    trainStepMs,
  };
}

Object.assign(window, { hadamrnnBench: { run } });
