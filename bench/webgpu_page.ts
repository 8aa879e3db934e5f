/**
 * The page side of bench/webgpu.ts, bundled for Chromium: on the webgpu backend, times
 * `hadamardTransform` against `tf.matMul` with the dense Sylvester matrix (K chained calls
 * y = f(y), then one value read back), and the HadamRNN layer against tf.layers.simpleRNN for
 * `predict` and one training step (each ending with one value read back, which waits for the GPU).
 * Cases run in interleaved rounds (a, b, a, b, ...) after one untimed call each; medians are kept.
 */
import '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { hadamardTransform, hadamRNN, sylvester } from '../src';
import { affineWeightGrads } from '../src/ops/affine_weight_grads';
import { hadamRNNSequence } from '../src/ops/hadam_rnn_sequence';

/** What to measure. */
export interface WebGPUBenchPlan {
  transform: { n: number; batch: number; chain: number; rounds: number };
  layers: {
    units: number;
    steps: number;
    batch: number;
    inputs: number;
    predictRounds: number;
    trainRounds: number;
  };
}

/** Parts of HadamRNN's training step, each timed alone (see partsOfTheStep). */
export type StepPart = 'fused states' | 'fused states + gradient' | 'weight gradients';

/** Median ms by case, and the adapter that ran them. */
export interface WebGPUBench {
  adapter: string;
  transformMs: { op: number; matMul: number };
  predictMs: Record<string, number>;
  trainStepMs: Record<string, number>;
  partsMs: Record<StepPart, number>;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Waits for `t` by reading its first value back, then disposes it. */
async function readBack(t: tf.Tensor): Promise<void> {
  const first = tf.tidy(() => tf.slice(tf.reshape(t, [-1]), 0, 1));
  await first.data();
  tf.dispose([first, t]);
}

async function timeInterleaved(
  cases: Record<string, () => Promise<void>>,
  rounds: number,
): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = {};
  for (const [name, f] of Object.entries(cases)) {
    const start = performance.now();
    await f();
    console.log(`${name}: first call ${(performance.now() - start).toFixed(0)} ms`);
    samples[name] = [];
  }
  for (let r = 0; r < rounds; r++) {
    for (const [name, f] of Object.entries(cases)) {
      const start = performance.now();
      await f();
      samples[name].push(performance.now() - start);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, median(s)]));
}

/** K chained calls of `f` from x, then one value read back. */
function chained(x: tf.Tensor, chain: number, f: (y: tf.Tensor) => tf.Tensor) {
  return async () => {
    let y = x;
    for (let k = 0; k < chain; k++) {
      const next = f(y);
      if (y !== x) {
        y.dispose();
      }
      y = next;
    }
    await readBack(y);
  };
}

/**
 * Where a HadamRNN training step's time goes, each part timed alone on the step's shapes: the
 * states as the layer computes them in training (one HadamRNNSequence dispatch, 'linear':
 * projection and recurrence), the same with the gradient of the kernel, bias and signs (the
 * recurrence's reverse sweep, then AffineWeightGrads; x's gradient is not asked for, as for a
 * model's input), and those weight gradients (AffineWeightGrads) alone.
 */
async function partsOfTheStep(
  xs: tf.Tensor3D,
  units: number,
  rounds: number,
): Promise<Record<StepPart, number>> {
  const [batch, steps, inputs] = xs.shape;
  const rows = tf.reshape(xs, [batch * steps, inputs]) as tf.Tensor2D;
  const kernel = tf.randomNormal([inputs, units]) as tf.Tensor2D;
  const bias = tf.zeros([units]) as tf.Tensor1D;
  const dy = tf.randomNormal([batch, steps, units]) as tf.Tensor3D;
  const dyRows = tf.reshape(dy, [batch * steps, units]) as tf.Tensor2D;
  const signs = tf.sign(tf.randomNormal([units])) as tf.Tensor1D;
  const h0 = tf.zeros([batch, units]) as tf.Tensor2D;
  const states = (k: tf.Tensor, b: tf.Tensor, s: tf.Tensor) => {
    const weights = () => ({
      kernel: k as tf.Tensor2D,
      bias: b as tf.Tensor1D,
      s: s as tf.Tensor1D,
    });
    const out = hadamRNNSequence(xs, weights, h0, undefined, {
      blockSize: units,
      goBackwards: false,
      activation: 'linear',
    });
    if (out == null) {
      throw new Error('bench: the HadamRNNSequence kernel is not registered on webgpu');
    }
    return out;
  };
  const parts = (await timeInterleaved(
    {
      'fused states': () => readBack(tf.tidy(() => states(kernel, bias, signs))),
      'fused states + gradient': () =>
        readBack(
          tf.tidy(() => {
            const grads = tf.grads((k: tf.Tensor, b: tf.Tensor, s: tf.Tensor) =>
              tf.sum(tf.mul(states(k, b, s), dy)),
            )([kernel, bias, signs]);
            return tf.addN(grads.map((g) => tf.sum(g)));
          }),
        ),
      'weight gradients': async () => {
        const [dk, db] = affineWeightGrads(rows, dyRows);
        await readBack(dk);
        db.dispose();
      },
    },
    rounds,
  )) as Record<StepPart, number>;
  tf.dispose([rows, kernel, bias, dy, dyRows, signs, h0]);
  return parts;
}

async function run(plan: WebGPUBenchPlan): Promise<WebGPUBench> {
  if (!(await tf.setBackend('webgpu'))) {
    throw new Error('bench: the webgpu backend could not be selected (no WebGPU adapter?)');
  }
  await tf.ready();
  const gpu = (navigator as Navigator & { gpu: GPU }).gpu;
  const adapter = (await gpu.requestAdapter()) as GPUAdapter & { info?: Record<string, string> };
  const { n, batch, chain, rounds } = plan.transform;
  const x = tf.randomNormal([batch, n]);
  const h = sylvester(n, { normalize: true });
  const transformMs = (await timeInterleaved(
    {
      op: chained(x, chain, (y) => hadamardTransform(y)),
      matMul: chained(x, chain, (y) => tf.matMul(y, h)),
    },
    rounds,
  )) as { op: number; matMul: number };
  tf.dispose([x, h]);

  const { units, steps, inputs } = plan.layers;
  const xs = tf.randomNormal([plan.layers.batch, steps, inputs]);
  const ys = tf.randomNormal([plan.layers.batch, steps, units]);
  // Glorot-uniform recurrent kernel: tfjs's Orthogonal initializer runs a QR decomposition of
  // small ops that would dominate the page's time; the values do not change a step's time.
  const layers: Record<string, () => tfl.layers.Layer> = {
    HadamRNN: () => hadamRNN({ units, returnSequences: true }),
    simpleRNN: () =>
      tfl.layers.simpleRNN({ units, returnSequences: true, recurrentInitializer: 'glorotUniform' }),
  };
  const models = Object.fromEntries(
    Object.entries(layers).map(([name, layer]) => [
      name,
      tfl.sequential({ layers: [tfl.layers.inputLayer({ inputShape: [steps, inputs] }), layer()] }),
    ]),
  );
  const optimizers = Object.fromEntries(Object.keys(layers).map((k) => [k, tf.train.adam(1e-3)]));
  const predictMs = await timeInterleaved(
    Object.fromEntries(
      Object.entries(models).map(([name, m]) => [name, () => readBack(m.predict(xs) as tf.Tensor)]),
    ),
    plan.layers.predictRounds,
  );
  const trainStepMs = await timeInterleaved(
    Object.fromEntries(
      Object.entries(models).map(([name, m]) => [
        name,
        () =>
          readBack(
            optimizers[name].minimize(
              () => tf.losses.meanSquaredError(ys, m.apply(xs, { training: true }) as tf.Tensor),
              true,
              m.trainableWeights.map((w) => w.read() as tf.Variable),
            )!,
          ),
      ]),
    ),
    plan.layers.trainRounds,
  );
  const partsMs = await partsOfTheStep(xs as tf.Tensor3D, units, plan.layers.trainRounds);
  tf.dispose([xs, ys]);
  Object.values(models).forEach((m) => m.dispose());
  Object.values(optimizers).forEach((o) => o.dispose());
  const info = adapter.info ?? {};
  return {
    adapter: [info.vendor, info.architecture, info.description].filter(Boolean).join(' '),
    transformMs,
    predictMs,
    trainStepMs,
    partsMs,
  };
}

Object.assign(window, { hadamrnnBench: { run } });
