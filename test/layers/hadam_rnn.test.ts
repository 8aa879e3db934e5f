import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { HadamRNN, hadamRNN, hadamRNNCell } from '../../src';
import { expectClose, expectNoLeaks, valuesOf } from '../harness/expect';
import { randomValues } from '../harness/random';
import { denseRecurrentMatrix } from '../reference/dense';
import { referenceSign } from '../reference/quantize';

/** Builds `layer` for inputs [batch, steps, inputDim] and gives it seeded weights. */
function seed<T extends tfl.layers.Layer>(layer: T, inputShape: number[], seedValue: number): T {
  tf.dispose(layer.apply(tf.zeros(inputShape)) as tf.Tensor);
  const weights = layer
    .getWeights()
    .map((w, i) => tf.tensor(randomValues(w.size, seedValue + i), w.shape));
  layer.setWeights(weights);
  tf.dispose(weights);
  return layer;
}

describe('HadamRNN', () => {
  it.each([
    [64, 64],
    [64, 8],
    [16, 1],
  ])(
    'has an exactly orthogonal W with entries in {±1/sqrt(b), 0} (units %i, b %i)',
    (units, blockSize) => {
      const layer = seed(hadamRNN({ units, blockSize }), [1, 1, 2], 3);
      const [w, wwt] = tf.tidy(() => {
        const m = layer.recurrentMatrix();
        return [m, tf.matMul(m, m, false, true)];
      });
      const entries = new Set(
        Array.from(valuesOf(w), (v) =>
          v === 0 ? 0 : Math.round(Math.abs(v) * Math.sqrt(blockSize) * 1e6),
        ),
      );
      expect([...entries].every((e) => e === 0 || e === 1e6)).toBe(true);
      expectClose(valuesOf(wwt), valuesOf(tf.tidy(() => tf.eye(units))), 1e-6);
      const u = layer.getWeights()[1]; // the live variable: not ours to dispose
      expectClose(
        valuesOf(w),
        denseRecurrentMatrix(referenceSign(valuesOf(u)), units, blockSize),
        1e-6,
      );
      tf.dispose([w, wwt]);
      layer.dispose();
    },
  );

  it('keeps ‖h_T‖ = ‖h_0‖ over 10,000 steps with zero input and no bias', () => {
    const units = 32;
    const layer = seed(hadamRNN({ units, useBias: false, returnState: true }), [1, 1, 1], 5);
    const h0 = randomValues(units, 6);
    const [, last] = layer.apply(tf.zeros([1, 10000, 1]), {
      initialState: [tf.tensor2d(h0, [1, units])],
    }) as tf.Tensor[];
    const norm = Math.hypot(...valuesOf(last));
    expect(Math.abs(norm - Math.hypot(...h0)) / Math.hypot(...h0)).toBeLessThan(1e-3);
    layer.dispose();
  });

  describe('matches HadamRNNCell run step by step through tf.layers.rnn', () => {
    const options = [
      { returnSequences: true },
      { returnSequences: false },
      { returnSequences: true, goBackwards: true },
      { returnSequences: true, returnState: true, blockSize: 4 },
      { returnSequences: false, returnState: true, goBackwards: true, blockSize: 2 },
    ];
    it.each(options)('%j', async (opts) => {
      // The cell takes the cell's options only (strict args), the RNN the others.
      const { blockSize, ...rnnOptions } = opts as typeof opts & { blockSize?: number };
      const cellArgs = {
        units: 16,
        kernelQuantizer: { className: 'HadamUniformSte', config: { bits: 3 } },
        blockSize,
      };
      const fused = seed(hadamRNN({ ...cellArgs, ...rnnOptions }), [2, 5, 3], 11);
      const stepwise = tfl.layers.rnn({ cell: hadamRNNCell(cellArgs), ...rnnOptions });
      tf.dispose(stepwise.apply(tf.zeros([2, 5, 3])) as tf.Tensor);
      stepwise.setWeights(fused.getWeights());
      const x = tf.tensor3d(randomValues(2 * 5 * 3, 12), [2, 5, 3]);
      await expectNoLeaks(() => {
        const a = [fused.apply(x)].flat() as tf.Tensor[];
        const b = [stepwise.apply(x)].flat() as tf.Tensor[];
        expect(a.length).toBe(b.length);
        a.forEach((t, i) => expectClose(valuesOf(t), valuesOf(b[i]), 1e-5));
        tf.dispose([...a, ...b]);
      });
      x.dispose();
      fused.dispose();
      stepwise.dispose();
    });

    it('with a mask from tf.layers.masking (masked steps carry the state)', () => {
      const fused = seed(
        hadamRNN({ units: 8, returnSequences: true, returnState: true }),
        [2, 6, 3],
        21,
      );
      const stepwise = tfl.layers.rnn({
        cell: hadamRNNCell({ units: 8 }),
        returnSequences: true,
        returnState: true,
      });
      tf.dispose(stepwise.apply(tf.zeros([2, 6, 3])) as tf.Tensor);
      stepwise.setWeights(fused.getWeights());
      const values = randomValues(2 * 6 * 3, 22);
      for (const t of [1, 2, 5]) values.fill(0, 3 * t, 3 * t + 3); // row 0: steps 1, 2, 5 all zero
      const x = tf.tensor3d(values, [2, 6, 3]);
      const mask = tf.any(tf.notEqual(x, 0), -1);
      const a = fused.apply(x, { mask }) as tf.Tensor[];
      const b = stepwise.apply(x, { mask }) as tf.Tensor[];
      // Both carry h through masked steps: same final states, same outputs at unmasked steps.
      expectClose(valuesOf(a[1]), valuesOf(b[1]), 1e-5);
      const [ours, theirs] = [valuesOf(a[0]), valuesOf(b[0])];
      const maskedRow0 = [1, 2, 5];
      for (let row = 0; row < 2; row++) {
        for (let t = 0; t < 6; t++) {
          const at = (v: Float64Array, step: number) =>
            v.slice((row * 6 + step) * 8, (row * 6 + step + 1) * 8);
          if (row === 0 && maskedRow0.includes(t)) {
            // Keras semantics: a masked step repeats the previous output. (tfjs's rnn() repeats the
            // previous *state* instead, which differs from the output once ReLU is applied.)
            expect(Array.from(at(ours, t))).toEqual(Array.from(at(ours, t - 1)));
          } else {
            expectClose(at(ours, t), at(theirs, t), 1e-5);
          }
        }
      }
      tf.dispose([x, mask, ...a, ...b]);
      fused.dispose();
      stepwise.dispose();
    });
  });

  it('is stateful across calls when asked, and resetStates() starts over', () => {
    const layer = seed(
      hadamRNN({ units: 8, stateful: true, batchInputShape: [2, 3, 4] }),
      [2, 3, 4],
      31,
    );
    const whole = seed(hadamRNN({ units: 8, returnSequences: true }), [2, 6, 4], 31);
    const x = tf.tensor3d(randomValues(2 * 6 * 4, 32), [2, 6, 4]);
    const [first, second] = tf.split(x, 2, 1);
    tf.dispose(layer.apply(first) as tf.Tensor);
    const continued = layer.apply(second) as tf.Tensor;
    const all = whole.apply(x) as tf.Tensor;
    const lastOfAll = tf.squeeze(tf.slice(all, [0, 5, 0], [2, 1, 8]), [1]);
    expectClose(valuesOf(continued), valuesOf(lastOfAll), 1e-5);
    layer.resetStates();
    const fresh = layer.apply(first) as tf.Tensor;
    expectClose(
      valuesOf(fresh),
      valuesOf(tf.squeeze(tf.slice(all, [0, 2, 0], [2, 1, 8]), [1])),
      1e-5,
    );
    tf.dispose([x, first, second, continued, all, lastOfAll, fresh]);
    layer.dispose();
    whole.dispose();
  });

  it('orders its weights kernel, recurrent_kernel, bias with the documented shapes', () => {
    const layer = seed(hadamRNN({ units: 16 }), [1, 2, 10], 1);
    expect(layer.weights.map((w) => [w.originalName.split('/').pop(), w.shape])).toEqual([
      ['kernel', [10, 16]],
      ['recurrent_kernel', [16]],
      ['bias', [16]],
    ]);
    layer.dispose();
  });

  it('keeps u (and so W) fixed under fit with trainableSigns: false, while U and the bias learn', async () => {
    const build = (trainableSigns: boolean) => {
      const model = tfl.sequential({
        layers: [hadamRNN({ units: 16, trainableSigns, inputShape: [5, 3] })],
      });
      model.compile({ optimizer: tf.train.sgd(0.5), loss: 'meanSquaredError' });
      return model;
    };
    const x = tf.tensor3d(randomValues(4 * 5 * 3, 11), [4, 5, 3]);
    const y = tf.tensor2d(randomValues(4 * 16, 12), [4, 16]);
    const named = (layer: tfl.layers.Layer) =>
      Object.fromEntries(
        layer.weights.map((w) => [w.originalName.split('/').pop()!, valuesOf(w.read())]),
      );
    const frozen = build(false);
    const layer = frozen.layers[0];
    // u is a non-trainable weight: listed after the trainable ones, as tfjs-layers orders them.
    expect(layer.trainableWeights.map((w) => w.originalName.split('/').pop())).toEqual([
      'kernel',
      'bias',
    ]);
    expect(layer.nonTrainableWeights.map((w) => w.originalName.split('/').pop())).toEqual([
      'recurrent_kernel',
    ]);
    const initial = layer.getWeights().map((w) => tf.clone(w));
    const before = named(layer);
    const numTensors = tf.memory().numTensors;
    await frozen.fit(x, y, { epochs: 3, batchSize: 4, verbose: 0 });
    expect(tf.memory().numTensors).toBe(numTensors);
    const after = named(layer);
    expect(after.recurrent_kernel).toEqual(before.recurrent_kernel);
    expect(after.kernel).not.toEqual(before.kernel);
    expect(after.bias).not.toEqual(before.bias);
    // The same fit with trainable signs moves u: the option, not the data, kept it still.
    const trained = build(true);
    trained.layers[0].setWeights([initial[0], initial[2], initial[1]]); // kernel, u, bias
    await trained.fit(x, y, { epochs: 3, batchSize: 4, verbose: 0 });
    expect(named(trained.layers[0]).recurrent_kernel).not.toEqual(before.recurrent_kernel);
    tf.dispose([x, y, ...initial]);
    frozen.dispose();
    trained.dispose();
  });

  it.each([
    ['stable', undefined],
    ['stable', 'stable'],
    ['paper', 'paper'],
  ] as const)('initializes u with the %s recipe (signRecipe %s)', (recipe, signRecipe) => {
    const layer = hadamRNN({ units: 512, signRecipe });
    tf.dispose(layer.apply(tf.zeros([1, 1, 2])) as tf.Tensor);
    const u = Array.from(valuesOf(layer.getWeights()[1]));
    const positive = u.filter((v) => v > 0).length;
    expect(positive).toBeGreaterThan(200); // fair signs: 256 ± 11 expected
    expect(positive).toBeLessThan(312);
    if (recipe === 'stable') {
      expect(new Set(u.map(Math.abs))).toEqual(new Set([2])); // ±2, none near 0
    } else {
      const limit = Math.sqrt(6 / 513); // uniform in ±limit, the paper's code
      expect(Math.max(...u)).toBeLessThanOrEqual(limit);
      expect(Math.min(...u)).toBeGreaterThanOrEqual(-limit);
      expect(Math.max(...u)).toBeGreaterThan(0.9 * limit);
      expect(u.filter((v) => Math.abs(v) < limit / 2).length).toBeGreaterThan(200);
    }
    // Both recipes: identity straight-through gradient, no constraint (the paper's code).
    const config = layer.getConfig();
    expect(config.signRecipe).toBe(recipe);
    expect(config.recurrentQuantizer).toEqual({
      className: 'HadamSignSte',
      config: { clipValue: null },
    });
    expect(config.recurrentConstraint).toBeNull();
    layer.dispose();
  });

  it.each([
    [{ units: 12 }, 'HadamRNN: units 12 is not a power of two'],
    [{ units: 0 }, 'HadamRNN: units must be a positive integer, got 0'],
    [{ units: -4 }, 'HadamRNN: units must be a positive integer, got -4'],
    [{ units: 2 ** 31 }, 'HadamRNN: units 2147483648 exceeds the largest supported 16777216'],
    [{ units: 16, blockSize: 3 }, 'HadamRNN: blockSize 3 is not a power of two'],
    [{ units: 16, blockSize: 32 }, 'HadamRNN: blockSize 32 does not divide the units 16'],
    [{ units: 16, activation: 'relux' }, "HadamRNN: unknown activation 'relux'"],
    [
      { units: 16, signRecipe: 'bop' },
      "HadamRNN: signRecipe must be one of stable, paper, got 'bop'",
    ],
    [
      { units: 16, kernelQuantizer: 'steSgn' },
      "HadamRNN: unknown kernelQuantizer 'steSgn'; expected one of signSte, uniformSte",
    ],
    [
      { units: 16, kernelInitializer: 'glorotUnifrm' },
      "HadamRNN: unknown kernelInitializer 'glorotUnifrm'",
    ],
    [
      { units: 16, recurrentConstraint: 'maxNrm' },
      "HadamRNN: unknown recurrentConstraint 'maxNrm'",
    ],
    [
      { units: 16, kernelInitializer: 'maxNorm' },
      "HadamRNN: 'MaxNorm' is not a valid kernelInitializer",
    ],
  ])('rejects %j', (args, message) => {
    expect(() => new HadamRNN(args as never)).toThrow(message);
  });

  it('rejects inputs of the wrong rank and initial states of the wrong shape', () => {
    const layer = seed(hadamRNN({ units: 8 }), [1, 2, 3], 1);
    expect(() => layer.apply(tf.zeros([2, 3]))).toThrow();
    expect(() => layer.apply(tf.zeros([2, 4, 3]), { initialState: [tf.zeros([2, 4])] })).toThrow(
      'HadamRNN: initialState must have shape [2,8], got [2,4]',
    );
    layer.dispose();
  });
});
