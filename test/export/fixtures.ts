/**
 * Seeded HadamRNN → QuantizedDense models for the export and lite tests, their weights, and a
 * float64 reference of the whole model written from the paper's formulas.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { hadamRNN, quantizedDense } from '../../src/index';
import { randomValues } from '../harness/random';
import { referenceLayer } from '../reference/layer';
import { referenceUniform } from '../reference/quantize';

/** The options a fixture varies. */
export interface Fixture {
  units: number;
  blockSize: number;
  inputDim: number;
  steps: number;
  /** Read-out units; null for a HadamRNN alone. */
  outputs: number | null;
  bitsU: number;
  bitsV: number;
  returnSequences: boolean;
  goBackwards: boolean;
  activation: string;
  readoutActivation: string;
}

/** The default fixture; tests override fields. */
export const BASE: Fixture = {
  units: 16,
  blockSize: 8,
  inputDim: 5,
  steps: 7,
  outputs: 4,
  bitsU: 4,
  bitsV: 4,
  returnSequences: true,
  goBackwards: false,
  activation: 'relu',
  readoutActivation: 'softmax',
};

/** A built model of `f` with seeded weights (names 'rnn' and 'readout'). */
export function fixtureModel(f: Fixture, seed = 1): tfl.LayersModel {
  const layers: tfl.layers.Layer[] = [
    hadamRNN({
      name: 'rnn',
      units: f.units,
      blockSize: f.blockSize,
      returnSequences: f.returnSequences,
      goBackwards: f.goBackwards,
      activation: f.activation,
      kernelQuantizer: { className: 'HadamUniformSte', config: { bits: f.bitsU } },
      inputShape: [f.steps, f.inputDim],
    }),
  ];
  if (f.outputs != null) {
    layers.push(
      quantizedDense({
        name: 'readout',
        units: f.outputs,
        activation: f.readoutActivation,
        kernelQuantizer: { className: 'HadamUniformSte', config: { bits: f.bitsV } },
      }),
    );
  }
  const model = tfl.sequential({ layers });
  const weights = model
    .getWeights()
    .map((w, i) => tf.tensor(randomValues(w.size, seed + i), w.shape));
  model.setWeights(weights);
  tf.dispose(weights);
  return model;
}

/** A seeded input [steps, inputDim]. */
export function fixtureInput(f: Fixture, seed = 99): Float32Array {
  return randomValues(f.steps * f.inputDim, seed);
}

/** The model's outputs for one sequence x, as a flat Float32Array. */
export function predictOne(model: tfl.LayersModel, x: Float32Array, f: Fixture): Float32Array {
  return tf.tidy(() => {
    const y = model.predict(tf.tensor3d(x, [1, f.steps, f.inputDim])) as tf.Tensor;
    return y.dataSync() as Float32Array;
  });
}

function activate(name: string, x: Float64Array): Float64Array {
  switch (name) {
    case 'relu':
      return x.map((v) => Math.max(v, 0));
    case 'linear':
      return x;
    case 'tanh':
      return x.map(Math.tanh);
    case 'sigmoid':
      return x.map((v) => 1 / (1 + Math.exp(-v)));
    case 'softmax': {
      const e = x.map(Math.exp);
      const sum = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / sum);
    }
  }
  throw new Error(`no reference activation ${name}`);
}

/** Float64 reference of the model's outputs for one sequence (outputs in processing order). */
export function referenceModel(model: tfl.LayersModel, x: Float32Array, f: Fixture): Float64Array {
  const w = model.getWeights().map((t) => t.dataSync());
  const [kernel, u, bias] = w;
  const { states } = referenceLayer(
    x,
    1,
    f.steps,
    {
      kernel,
      u,
      bias,
      inputDim: f.inputDim,
      units: f.units,
      blockSize: f.blockSize,
      bits: f.bitsU,
    },
    f.goBackwards,
  );
  const n = f.units;
  const rows = f.returnSequences ? f.steps : 1;
  const first = f.returnSequences ? 0 : f.steps - 1;
  const outDim = f.outputs ?? n;
  const out = new Float64Array(rows * outDim);
  const v = f.outputs == null ? null : referenceUniform(w[3], f.bitsV);
  for (let r = 0; r < rows; r++) {
    const h = activate(f.activation, states.slice((first + r) * n, (first + r + 1) * n));
    if (v == null) {
      out.set(h, r * n);
      continue;
    }
    const y = new Float64Array(outDim);
    for (let j = 0; j < outDim; j++) {
      let acc = w[4][j];
      for (let i = 0; i < n; i++) acc += h[i] * v[i * outDim + j];
      y[j] = acc;
    }
    out.set(activate(f.readoutActivation, y), r * outDim);
  }
  return out;
}
