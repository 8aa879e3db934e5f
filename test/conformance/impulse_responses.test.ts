import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { hadamRNN } from '../../src';
import { impulseResponses, lastStateFromResponses } from '../../src/ops/impulse_responses';
import { describeEachBackend } from '../harness/backends';
import { expectClose, expectNoLeaks, valuesOf } from '../harness/expect';
import { randomSigns, randomValues } from '../harness/random';
import { randomReferenceLayer, setReferenceWeights } from '../harness/reference_weights';
import { applyRows, denseRecurrentMatrix } from '../reference/dense';
import { referenceLayer, type ReferenceLayer } from '../reference/layer';

// HadamRNN's inference of the last state (returnSequences false): with `inference:
// 'impulseResponses'` from impulse responses, built on the second predict with the same weights and
// kept until a weight changes; by default through the recurrence, bit-identical on every call.
const CASES = [
  { units: 16, blockSize: 16, inputDim: 3, batch: 5, steps: 7, bits: 4, goBackwards: false },
  { units: 32, blockSize: 8, inputDim: 2, batch: 4, steps: 40, bits: 2, goBackwards: true },
  { units: 8, blockSize: 2, inputDim: 1, batch: 3, steps: 1, bits: null, goBackwards: false },
];

type Case = (typeof CASES)[number];

function weightsOf(c: Case, seed: number): ReferenceLayer {
  const { inputDim, units, blockSize, bits } = c;
  return randomReferenceLayer({ inputDim, units, blockSize, bits }, seed);
}

/** The reference's last state per row, [batch, units]: the last state in processing order. */
function referenceLastState(x: Float32Array, c: Case, w: ReferenceLayer): Float64Array {
  const { states } = referenceLayer(x, c.batch, c.steps, w, c.goBackwards);
  const last = new Float64Array(c.batch * c.units);
  for (let r = 0; r < c.batch; r++) {
    const row = (r * c.steps + c.steps - 1) * c.units;
    last.set(states.subarray(row, row + c.units), r * c.units);
  }
  return last;
}

/** Names of the kernels one call of `f` runs. */
async function kernelsOf(f: () => tf.Tensor | tf.Tensor[]): Promise<string[]> {
  const profile = await tf.profile(() => tf.dispose(f()));
  return profile.kernels.map((k) => k.name);
}

describeEachBackend('HadamRNN last state from impulse responses', (backend) => {
  const tol = backend.tolerance * 10;

  it.each(CASES)(
    'matches the reference recurrence, before and after a weight change: %j',
    async (c) => {
      const layer = hadamRNN({
        units: c.units,
        blockSize: c.blockSize,
        goBackwards: c.goBackwards,
        returnState: true,
        inference: 'impulseResponses',
        kernelQuantizer:
          c.bits == null ? null : { className: 'HadamUniformSte', config: { bits: c.bits } },
      });
      const xValues = randomValues(c.batch * c.steps * c.inputDim, 3);
      const x = tf.tensor3d(xValues, [c.batch, c.steps, c.inputDim]);
      tf.dispose(layer.apply(x) as tf.Tensor[]); // builds it
      for (const seed of [10, 20]) {
        const weights = weightsOf(c, seed);
        setReferenceWeights(layer, weights);
        const expected = referenceLastState(xValues, c, weights);
        // First call: the recurrence; second: builds the responses; third: uses the kept ones.
        const runs: string[][] = [];
        for (let call = 0; call < 3; call++) {
          let outputs: tf.Tensor[] = [];
          runs.push(await kernelsOf(() => (outputs = layer.apply(x) as tf.Tensor[])));
          outputs = layer.apply(x) as tf.Tensor[];
          const [output, state] = outputs;
          expectClose(valuesOf(state), expected, tol);
          expectClose(
            valuesOf(output),
            expected.map((v) => Math.max(v, 0)),
            tol,
          );
          tf.dispose(outputs);
        }
        // The kept responses leave the third call a product and an add: no recurrence, no transform.
        expect(runs[2].filter((name) => /Hadamard|FusedMatMul/.test(name))).toEqual([]);
        expect(runs[2]).toContain('BatchMatMul');
      }
      await expectNoLeaks(() => tf.dispose(layer.apply(x) as tf.Tensor[]));
      x.dispose();
      layer.dispose();
    },
  );

  it('is used by predict, invalidated by fit, and freed by dispose', async () => {
    const c = CASES[0];
    const before = tf.memory().numTensors;
    const model = tfl.sequential({
      layers: [
        hadamRNN({
          units: c.units,
          inputShape: [c.steps, c.inputDim],
          inference: 'impulseResponses',
        }),
      ],
    });
    const optimizer = tf.train.sgd(0.5);
    model.compile({ optimizer, loss: 'meanSquaredError' });
    const xValues = randomValues(c.batch * c.steps * c.inputDim, 4);
    const x = tf.tensor3d(xValues, [c.batch, c.steps, c.inputDim]);
    const y = tf.ones([c.batch, c.units]);
    for (let round = 0; round < 2; round++) {
      const [kernel, u, bias] = model.getWeights().map((w) => w.dataSync() as Float32Array);
      const weights = { ...weightsOf(c, 0), kernel, u, bias };
      const expected = referenceLastState(xValues, c, weights).map((v) => Math.max(v, 0));
      for (let call = 0; call < 3; call++) {
        const predicted = model.predict(x) as tf.Tensor;
        expectClose(valuesOf(predicted), expected, tol);
        predicted.dispose();
      }
      await model.fit(x, y, { epochs: 1, batchSize: c.batch, verbose: 0 }); // changes every weight
    }
    tf.dispose([x, y]);
    model.dispose();
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('by default runs the recurrence on every predict: bit-identical results', async () => {
    const c = CASES[1];
    const layer = hadamRNN({ units: c.units, blockSize: c.blockSize, goBackwards: c.goBackwards });
    const model = tfl.sequential({
      layers: [tfl.layers.inputLayer({ inputShape: [c.steps, c.inputDim] }), layer],
    });
    const weights = weightsOf(c, 30);
    setReferenceWeights(layer, { ...weights, bits: 4 });
    const xValues = randomValues(c.batch * c.steps * c.inputDim, 5);
    const x = tf.tensor3d(xValues, [c.batch, c.steps, c.inputDim]);
    const runs: Float32Array[] = [];
    const kernels: string[][] = [];
    for (let call = 0; call < 3; call++) {
      let output: tf.Tensor | null = null;
      kernels.push(await kernelsOf(() => (output = model.predict(x) as tf.Tensor)));
      output = model.predict(x) as tf.Tensor;
      runs.push(output.dataSync() as Float32Array);
      output.dispose();
    }
    const expected = referenceLastState(xValues, c, { ...weights, bits: 4 });
    expectClose(
      runs[0],
      expected.map((v) => Math.max(v, 0)),
      tol,
    );
    expect(Array.from(runs[1])).toEqual(Array.from(runs[0]));
    expect(Array.from(runs[2])).toEqual(Array.from(runs[0]));
    // Every call runs the same kernels: the recurrence, never the kept responses' product.
    expect(kernels[1]).toEqual(kernels[0]);
    expect(kernels[2]).toEqual(kernels[0]);
    await expectNoLeaks(() => tf.dispose(model.predict(x) as tf.Tensor));
    x.dispose();
    model.dispose();
  });
});

describeEachBackend('impulseResponses op', (backend) => {
  const tol = backend.tolerance * 10;

  it.each(CASES)('gives W^j U and the summed W^j b of the dense reference: %j', async (c) => {
    const n = c.units;
    const kernelValues = randomValues(c.inputDim * n, 40);
    const biasValues = randomValues(n, 41);
    const signValues = randomSigns(n, 42);
    const w = denseRecurrentMatrix(signValues, n, c.blockSize);
    // Row k·T + t meets W^{T-1-t} (W^t going backwards): powers[j] holds W^j U_k for every k.
    const powers: Float64Array[] = [Float64Array.from(kernelValues)];
    let biasPower: Float64Array<ArrayBufferLike> = Float64Array.from(biasValues);
    const biasSum = Float64Array.from(biasValues);
    for (let j = 1; j < c.steps; j++) {
      powers.push(applyRows(w, powers[j - 1], n));
      biasPower = applyRows(w, biasPower, n);
      biasSum.forEach((v, i) => (biasSum[i] = v + biasPower[i]));
    }
    const expected = new Float64Array(c.inputDim * c.steps * n);
    for (let k = 0; k < c.inputDim; k++) {
      for (let t = 0; t < c.steps; t++) {
        const power = powers[c.goBackwards ? t : c.steps - 1 - t];
        expected.set(power.subarray(k * n, (k + 1) * n), (k * c.steps + t) * n);
      }
    }
    const kernel = tf.tensor2d(kernelValues, [c.inputDim, n]);
    const bias = tf.tensor1d(biasValues);
    const signs = tf.tensor1d(signValues);
    const options = { blockSize: c.blockSize, goBackwards: c.goBackwards };
    const responses = impulseResponses(kernel, bias, signs, c.steps, options);
    expect(responses.inputs.shape).toEqual([c.inputDim * c.steps, n]);
    expectClose(valuesOf(responses.inputs), expected, tol);
    expectClose(valuesOf(responses.bias!), biasSum, tol);
    const noBias = impulseResponses(kernel, null, signs, c.steps, options);
    expect(noBias.bias).toBeNull();
    expectClose(valuesOf(noBias.inputs), expected, tol);

    // The last state from the responses is the reference recurrence's last state from zeros.
    const xValues = randomValues(c.batch * c.steps * c.inputDim, 43);
    const x = tf.tensor3d(xValues, [c.batch, c.steps, c.inputDim]);
    const last = referenceLastState(xValues, c, {
      kernel: kernelValues,
      u: signValues,
      bias: biasValues,
      inputDim: c.inputDim,
      units: n,
      blockSize: c.blockSize,
      bits: null,
    });
    const state = lastStateFromResponses(x, responses);
    expectClose(valuesOf(state), last, tol);
    await expectNoLeaks(() => {
      const again = impulseResponses(kernel, bias, signs, c.steps, options);
      tf.dispose([again.inputs, again.bias!]);
      tf.dispose(lastStateFromResponses(x, responses));
    });
    tf.dispose([kernel, bias, signs, x, state, responses.inputs, responses.bias!, noBias.inputs]);
  });
});
