// The fused wasm kernel (HadamRNNSequence): projection, bias, recurrence and activation in one
// pass, against the float64 references (dense projection, dense recurrence with mask, goBackwards
// and h0), with blocks; its gradient ('linear') against the dense recurrence's; the layer runs it
// at every-step inference and, linear, for the states in training, where x gets no gradient
// unless something asks for one.
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { hadamRNN } from '../../src';
import { HadamRNNSequence } from '../../src/kernels/names';
import * as loader from '../../src/kernels/wasm/heap_module';
import { hadamRNNSequence } from '../../src/ops/hadam_rnn_sequence';
import { expectClose, expectNoLeaks, valuesOf } from '../harness/expect';
import { randomValues } from '../harness/random';
import { sequenceAndReference, sequenceGradsAndReference } from '../harness/sequence_grad';
import { randomReferenceLayer, setReferenceWeights } from '../harness/reference_weights';
import { referenceLayer } from '../reference/layer';

const TOLERANCE = 1e-5;

beforeAll(async () => {
  // As in test/harness/backends.ts: tfjs's per-kernel leak check misreads customGrad's save() on
  // wasm; expectNoLeaks checks instead.
  tf.env().set('IS_TEST', false);
  expect(await tf.setBackend('wasm')).toBe(true);
});

const CASES = [
  { batch: 2, steps: 7, inDim: 3, units: 16, blockSize: 16, goBackwards: false, masked: false },
  { batch: 3, steps: 9, inDim: 10, units: 32, blockSize: 8, goBackwards: true, masked: true },
  { batch: 2, steps: 5, inDim: 1, units: 8, blockSize: 1, goBackwards: false, masked: true },
  { batch: 1, steps: 4, inDim: 5, units: 128, blockSize: 128, goBackwards: true, masked: false },
];

/** Sizes of a layer test. */
type LayerCase = { batch: number; steps: number; inDim: number; units: number; blockSize: number };

/** `inputLayer → hadamRNN(returnSequences)` of `c`'s sizes, and the layer. */
function sequencesModel(c: LayerCase): { layer: tfl.layers.Layer; model: tfl.Sequential } {
  const layer = hadamRNN({
    units: c.units,
    blockSize: c.blockSize,
    returnSequences: true,
    inputShape: [c.steps, c.inDim],
  });
  return { layer, model: tfl.sequential({ layers: [layer] }) };
}

/** The reference sizes of `c`'s layer (4-bit kernel, the layer's default). */
function referenceSizes(c: LayerCase) {
  return { inputDim: c.inDim, units: c.units, blockSize: c.blockSize, bits: 4 };
}

/** Names of the kernels `f` runs. */
async function kernelsRunBy(f: () => unknown): Promise<string[]> {
  const names: string[] = [];
  const engine = tf.engine();
  const runKernel = engine.runKernel;
  engine.runKernel = ((name, ...rest) => {
    names.push(name);
    return runKernel.call(engine, name, ...rest);
  }) as typeof engine.runKernel;
  try {
    await f();
  } finally {
    engine.runKernel = runKernel;
  }
  return names;
}

afterEach(() => {
  jest.restoreAllMocks();
});

describe.each([
  ['our WebAssembly module', false],
  ['the typed-array impl (no module)', true],
])('HadamRNNSequence on wasm through %s', (_, withoutModule) => {
  beforeEach(() => {
    if (withoutModule) {
      jest.spyOn(loader, 'hadamardWasm').mockReturnValue(null);
    }
  });

  it.each(CASES)(
    'matches the float64 references: batch $batch, T $steps, d $inDim, n $units, b $blockSize, backwards $goBackwards, masked $masked',
    async (c) => {
      for (const activation of ['relu', 'linear']) {
        const { values, reference } = await expectNoLeaks(() =>
          sequenceAndReference(c, activation),
        );
        expectClose(values, reference, TOLERANCE);
      }
    },
  );

  it.each(CASES)(
    'has the float64 reference gradient (linear): batch $batch, T $steps, d $inDim, n $units, b $blockSize, backwards $goBackwards, masked $masked',
    async (c) => {
      const { actual, expected } = await expectNoLeaks(() => sequenceGradsAndReference(c));
      for (const input of ['x', 'kernel', 'bias', 's', 'h0'] as const) {
        expectClose(actual[input], expected[input], TOLERANCE * 10);
      }
    },
  );

  it('refuses the gradient of the relu form, naming the rule', () => {
    const c = CASES[0];
    const f = (x: tf.Tensor) =>
      tf.sum(
        hadamRNNSequence(
          x as tf.Tensor3D,
          () => ({
            kernel: tf.ones([c.inDim, c.units]),
            bias: tf.zeros([c.units]),
            s: tf.ones([c.units]),
          }),
          tf.zeros([c.batch, c.units]),
          undefined,
          { blockSize: c.blockSize, goBackwards: false, activation: 'relu' },
        )!,
      );
    expect(() => tf.tidy(() => tf.grad(f)(tf.ones([c.batch, c.steps, c.inDim])))).toThrow(
      "HadamRNNSequence: the gradient is defined for activation 'linear' only, got 'relu'",
    );
  });

  it('is what a returnSequences layer predicts, and what training runs (linear) with no input gradient', async () => {
    const c = { batch: 3, steps: 6, inDim: 4, units: 16, blockSize: 4 };
    const { layer, model } = sequencesModel(c);
    const reference = randomReferenceLayer(referenceSizes(c), 5);
    setReferenceWeights(layer, reference);
    const xValues = randomValues(c.batch * c.steps * c.inDim, 8);
    const x = tf.tensor3d(xValues, [c.batch, c.steps, c.inDim]);
    let y: tf.Tensor | undefined;
    const predicted = await kernelsRunBy(() => {
      y = model.predict(x) as tf.Tensor;
    });
    expect(predicted).toContain(HadamRNNSequence);
    expectClose(valuesOf(y!), referenceLayer(xValues, c.batch, c.steps, reference).outputs, 1e-4);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const target = tf.zerosLike(y!);
    const trained = await kernelsRunBy(() => model.trainOnBatch(x, target));
    expect(trained).toContain(HadamRNNSequence);
    expect(trained).toContain('HadamardRecurrenceGrad');
    // The projection is inside the kernel, and x (the model's input) needs no gradient: no
    // product runs, dz · kernelᵀ included.
    expect(trained.filter((k) => k.includes('MatMul'))).toEqual([]);
    tf.dispose([x, y!, target]);
    model.dispose();
  });

  it('gives x its gradient when asked (a layer below), and fits without leaking', async () => {
    const c = { batch: 2, steps: 5, inDim: 3, units: 8, blockSize: 4 };
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: c.inDim, inputShape: [c.steps, 2] }),
        hadamRNN({ units: c.units, blockSize: c.blockSize, dropout: 0.25 }),
      ],
    });
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const x = tf.tensor3d(randomValues(c.batch * c.steps * 2, 13), [c.batch, c.steps, 2]);
    const target = tf.tensor2d(randomValues(c.batch * c.units, 14), [c.batch, c.units]);
    const before = valuesOf(model.layers[0].getWeights()[0]);
    const trained = await kernelsRunBy(() => model.trainOnBatch(x, target));
    expect(trained).toContain(HadamRNNSequence);
    // The dense layer's forward product, then dz · kernelᵀ and its own weight gradient.
    expect(trained.filter((k) => k.includes('MatMul')).length).toBeGreaterThanOrEqual(3);
    const after = valuesOf(model.layers[0].getWeights()[0]);
    expect(after.some((v, i) => v !== before[i])).toBe(true);
    await expectNoLeaks(async () => {
      await model.fit(x, target, { epochs: 2, batchSize: 1, verbose: 0 });
    });
    tf.dispose([x, target]);
    model.dispose();
  });

  it('keeps the quantized weights between predicts, follows new weights and frees them on dispose', async () => {
    const c = { batch: 2, steps: 5, inDim: 3, units: 16, blockSize: 4 };
    const before = tf.memory().numTensors;
    const { layer, model } = sequencesModel(c);
    const xValues = randomValues(c.batch * c.steps * c.inDim, 10);
    const x = tf.tensor3d(xValues, [c.batch, c.steps, c.inDim]);
    for (const seed of [11, 21]) {
      const reference = randomReferenceLayer(referenceSizes(c), seed);
      setReferenceWeights(layer, reference);
      const expected = referenceLayer(xValues, c.batch, c.steps, reference).outputs;
      for (const call of ['first', 'second']) {
        let y: tf.Tensor | undefined;
        const kernels = await kernelsRunBy(() => {
          y = model.predict(x) as tf.Tensor;
        });
        expectClose(valuesOf(y!), expected, 1e-4);
        y!.dispose();
        // model.predict's own Slice and Identity aside, a second predict runs the fused kernel
        // alone: no quantizer op.
        const layerKernels = kernels.filter((k) => k !== 'Slice' && k !== 'Identity');
        if (call === 'second') {
          expect(layerKernels).toEqual([HadamRNNSequence]);
        } else {
          expect(layerKernels.length).toBeGreaterThan(1);
        }
      }
    }
    x.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each([
    ['every step', { returnSequences: true }],
    ['the last state through kept impulse responses', { inference: 'impulseResponses' as const }],
  ])(
    'differentiates model.apply(x) without a training flag (%s), as with training: true',
    (_, args) => {
      const c = { batch: 4, steps: 5, inDim: 2, units: 8, blockSize: 4 };
      const model = tfl.sequential({
        layers: [
          hadamRNN({
            units: c.units,
            blockSize: c.blockSize,
            inputShape: [c.steps, c.inDim],
            ...args,
          }),
        ],
      });
      const x = tf.tensor3d(randomValues(c.batch * c.steps * c.inDim, 31), [
        c.batch,
        c.steps,
        c.inDim,
      ]);
      // A predict first: what inference keeps must not stand in for the live weights.
      tf.dispose([model.predict(x), model.predict(x)] as tf.Tensor[]);
      const gradsWith = (kwargs: Record<string, unknown>): Float64Array[] => {
        const { value, grads } = tf.variableGrads(
          () => tf.sum(tf.square(model.apply(x, kwargs) as tf.Tensor)) as tf.Scalar,
          model.trainableWeights.map((w) => w.read() as tf.Variable),
        );
        const values = Object.values(grads).map((g) => valuesOf(g));
        tf.dispose([value, ...Object.values(grads)]);
        return values;
      };
      const custom = gradsWith({});
      const training = gradsWith({ training: true });
      expect(custom).toHaveLength(3); // kernel, u, bias
      custom.forEach((g, i) => {
        expect(g.some((v) => v !== 0)).toBe(true);
        expectClose(g, training[i], 1e-5);
      });
      x.dispose();
      model.dispose();
    },
  );

  it('reads weights created on another backend (built on cpu, predicting on wasm)', async () => {
    await tf.setBackend('cpu');
    const model = tfl.sequential({
      layers: [hadamRNN({ units: 8, returnSequences: true, inputShape: [5, 3] })],
    });
    const x = tf.tensor3d(randomValues(2 * 5 * 3, 9), [2, 5, 3]);
    const onCpu = model.predict(x) as tf.Tensor;
    const expected = valuesOf(onCpu);
    await tf.setBackend('wasm');
    const onWasm = model.predict(x) as tf.Tensor;
    expectClose(valuesOf(onWasm), expected, TOLERANCE);
    tf.dispose([x, onCpu, onWasm]);
    model.dispose();
  });
});
