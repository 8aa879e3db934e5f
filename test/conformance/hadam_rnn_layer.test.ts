import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { hadamRNN, quantizedDense } from '../../src';
import { describeEachBackend } from '../harness/backends';
import { expectClose, expectNoLeaks, valuesOf } from '../harness/expect';
import { randomValues } from '../harness/random';
import { setReferenceWeights } from '../harness/reference_weights';
import { referenceLayer, referenceLayerGrads, type ReferenceLayer } from '../reference/layer';

const CASES = [
  { units: 16, blockSize: 16, inputDim: 3, batch: 2, steps: 6, bits: 4 },
  { units: 32, blockSize: 8, inputDim: 5, batch: 3, steps: 4, bits: 2 },
  { units: 8, blockSize: 8, inputDim: 2, batch: 1, steps: 1, bits: null },
];

function makeLayer(c: (typeof CASES)[number], seed: number, returnSequences = true) {
  const layer = hadamRNN({
    units: c.units,
    blockSize: c.blockSize,
    returnSequences,
    kernelQuantizer:
      c.bits == null ? null : { className: 'HadamUniformSte', config: { bits: c.bits } },
    biasInitializer: 'randomNormal',
    // The clipped sign STE (not the default), with |u| > 1 let in: the reference zeroes u's
    // gradient there.
    recurrentQuantizer: { className: 'HadamSignSte', config: { clipValue: 1 } },
    recurrentConstraint: null,
  });
  tf.dispose(layer.apply(tf.zeros([c.batch, c.steps, c.inputDim])) as tf.Tensor); // builds it
  const reference: ReferenceLayer = {
    kernel: randomValues(c.inputDim * c.units, seed),
    u: randomValues(c.units, seed + 1).map((v) => 1.5 * v), // some |u| > 1: clipped gradient
    bias: randomValues(c.units, seed + 2),
    inputDim: c.inputDim,
    units: c.units,
    blockSize: c.blockSize,
    bits: c.bits,
  };
  setReferenceWeights(layer, reference);
  return { layer, reference };
}

describeEachBackend('HadamRNN layer', (backend) => {
  const tol = backend.tolerance * 10;

  it.each(CASES)('matches the dense reference forward: %j', async (c) => {
    const { layer, reference } = makeLayer(c, 40 + c.units);
    const x = randomValues(c.batch * c.steps * c.inputDim, 7);
    await expectNoLeaks(() => {
      const y = tf.tidy(
        () => layer.apply(tf.tensor3d(x, [c.batch, c.steps, c.inputDim])) as tf.Tensor,
      );
      expect(y.shape).toEqual([c.batch, c.steps, c.units]);
      expectClose(valuesOf(y), referenceLayer(x, c.batch, c.steps, reference).outputs, tol);
      y.dispose();
    });
    layer.dispose();
  });

  /**
   * Expects the gradients of sum(outputWeights ⊙ layer(x)) for every weight to match the
   * reference's, whose `referenceWeights` weigh every step's output [batch, T, units].
   */
  async function expectReferenceGrads(
    made: { layer: tfl.layers.Layer; reference: ReferenceLayer },
    c: (typeof CASES)[number],
    x: Float32Array,
    outputWeights: () => tf.Tensor,
    referenceWeights: Float32Array,
  ): Promise<void> {
    const { layer, reference } = made;
    await expectNoLeaks(() => {
      const { grads, value } = tf.variableGrads(
        () =>
          tf.sum(
            tf.mul(
              layer.apply(tf.tensor3d(x, [c.batch, c.steps, c.inputDim]), {
                training: true,
              }) as tf.Tensor,
              outputWeights(),
            ),
          ) as tf.Scalar,
        layer.trainableWeights.map((v) => v.read() as tf.Variable),
      );
      const expected = referenceLayerGrads(x, referenceWeights, c.batch, c.steps, reference);
      const [kernel, u, bias] = layer.trainableWeights.map(
        (v) => grads[(v.read() as tf.Variable).name],
      );
      expectClose(valuesOf(kernel), expected.kernel, tol);
      expectClose(valuesOf(u), expected.u, tol);
      expectClose(valuesOf(bias), expected.bias, tol);
      tf.dispose([value, ...Object.values(grads)]);
    });
    layer.dispose();
  }

  it.each(CASES)('has the reference gradient for every weight: %j', async (c) => {
    const x = randomValues(c.batch * c.steps * c.inputDim, 8);
    const w = randomValues(c.batch * c.steps * c.units, 9);
    await expectReferenceGrads(
      makeLayer(c, 50 + c.units),
      c,
      x,
      () => tf.tensor3d(w, [c.batch, c.steps, c.units]),
      w,
    );
  });

  it.each(CASES)('has the reference gradient with returnSequences false: %j', async (c) => {
    const x = randomValues(c.batch * c.steps * c.inputDim, 10);
    const wLast = randomValues(c.batch * c.units, 11);
    // The reference weighs every step's output: zero but at the last step.
    const w = new Float32Array(c.batch * c.steps * c.units);
    for (let r = 0; r < c.batch; r++) {
      w.set(wLast.subarray(r * c.units, (r + 1) * c.units), (r * c.steps + c.steps - 1) * c.units);
    }
    await expectReferenceGrads(
      makeLayer(c, 60 + c.units, false),
      c,
      x,
      () => tf.tensor2d(wLast, [c.batch, c.units]),
      w,
    );
  });

  it('fits, saves to memory and reloads with identical predictions', async () => {
    const model = tfl.sequential({
      layers: [
        hadamRNN({ units: 16, returnSequences: true, inputShape: [6, 3] }),
        quantizedDense({ units: 4, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const x = tf.tensor3d(randomValues(8 * 6 * 3, 1), [8, 6, 3]);
    const y = tf.oneHot(
      tf.tensor2d(
        Int32Array.from({ length: 48 }, (_, i) => i % 4),
        [8, 6],
        'int32',
      ),
      4,
    );
    const history = await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
    expect(history.history.loss.every((v) => Number.isFinite(v as number))).toBe(true);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts!));
    const [before, after] = [model.predict(x), loaded.predict(x)] as tf.Tensor[];
    expect(Array.from(valuesOf(after))).toEqual(Array.from(valuesOf(before)));
    tf.dispose([x, y, before, after]);
    model.dispose();
    loaded.dispose();
  });
});
