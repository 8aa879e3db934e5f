/**
 * Strict constructor arguments (unknown keys throw, with the closest known key), the options the
 * fused recurrence cannot honour, and HadamRNN's input dropout (Keras semantics: training only,
 * one mask per sequence and feature, inverted scaling).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  HadamRNN,
  hadamRNN,
  hadamRNNCell,
  quantizedDense,
  weightClip,
  SignSte,
  UniformSte,
  WeightClip,
} from '../../src';
import { expectClose, expectNoLeaks, valuesOf } from '../harness/expect';
import { randomValues } from '../harness/random';
import { denseRecurrentMatrix } from '../reference/dense';

type Factory = (args: Record<string, unknown>) => unknown;

describe('strict constructor arguments', () => {
  it.each<[string, Factory, Record<string, unknown>, string]>([
    [
      'hadamRNN',
      (a) => hadamRNN(a as never),
      { units: 8, retrunSequences: true },
      "HadamRNN: unknown config key(s) 'retrunSequences'; did you mean 'returnSequences' for 'retrunSequences'?",
    ],
    [
      'hadamRNN',
      (a) => hadamRNN(a as never),
      { units: 8, blocksize: 4, foo: 1 },
      "HadamRNN: unknown config key(s) 'blocksize', 'foo'; did you mean 'blockSize' for 'blocksize'?",
    ],
    [
      'hadamRNNCell',
      (a) => hadamRNNCell(a as never),
      { units: 8, activaton: 'tanh' },
      "HadamRNNCell: unknown config key(s) 'activaton'; did you mean 'activation' for 'activaton'?",
    ],
    [
      'quantizedDense',
      (a) => quantizedDense(a as never),
      { units: 2, kernelQuantiser: null },
      "HadamQuantizedDense: unknown config key(s) 'kernelQuantiser'; did you mean 'kernelQuantizer' for 'kernelQuantiser'?",
    ],
    [
      'SignSte',
      (a) => new SignSte(a as never),
      { clipvalue: 2 },
      "signSte: unknown config key(s) 'clipvalue'; did you mean 'clipValue' for 'clipvalue'?",
    ],
    [
      'UniformSte',
      (a) => new UniformSte(a as never),
      { bit: 2 },
      "uniformSte: unknown config key(s) 'bit'; did you mean 'bits' for 'bit'?",
    ],
    [
      'weightClip',
      (a) => weightClip(a as never),
      { max: 2 },
      "WeightClip: unknown config key(s) 'max'",
    ],
  ])('%s(%j) throws naming the key', (_name, factory, args, message) => {
    expect(() => factory(args)).toThrow(message);
  });

  it('gives no hint when no known key is close', () => {
    expect(() => hadamRNN({ units: 8, foo: 1 } as never)).toThrow(
      /^HadamRNN: unknown config key\(s\) 'foo'$/,
    );
  });

  it.each<[string, () => unknown, string]>([
    [
      'recurrentDropout on the layer',
      () => hadamRNN({ units: 8, recurrentDropout: 0.2 } as never),
      'HadamRNN: recurrentDropout is not supported',
    ],
    [
      'recurrentDropout on the cell',
      () => hadamRNNCell({ units: 8, recurrentDropout: 0.2 } as never),
      'HadamRNNCell: recurrentDropout is not supported',
    ],
    [
      'dropout on the cell',
      () => hadamRNNCell({ units: 8, dropout: 0.2 } as never),
      'HadamRNNCell: dropout is an option of the HadamRNN layer',
    ],
    [
      'unroll true',
      () => hadamRNN({ units: 8, unroll: true }),
      'HadamRNN: unroll true is not supported',
    ],
    [
      'a cell',
      () => hadamRNN({ units: 8, cell: hadamRNNCell({ units: 8 }) } as never),
      'HadamRNN: cell is not an option',
    ],
    [
      'dropout 1',
      () => hadamRNN({ units: 8, dropout: 1 }),
      'HadamRNN: dropout must be a number in [0, 1), got 1',
    ],
    [
      'dropout as a string',
      () => hadamRNN({ units: 8, dropout: '0.1' as never }),
      "HadamRNN: dropout must be a number in [0, 1), got '0.1'",
    ],
    [
      'an unknown inference',
      () => hadamRNN({ units: 8, inference: 'fast' as never }),
      "HadamRNN: inference must be one of 'recurrence', 'impulseResponses', got 'fast'",
    ],
  ])('rejects %s', (_name, make, message) => {
    expect(make).toThrow(message);
  });

  it('accepts unroll false (what tfjs serializes) and the generic layer keys', () => {
    const layer = hadamRNN({ units: 8, unroll: false, name: 'rnn', inputShape: [3, 2] });
    expect(layer.name).toBe('rnn');
    expect([new SignSte({}), new UniformSte({ bits: 2 }), new WeightClip()].length).toBe(3);
  });

  it('serializes dropout and inference, and reloads them', () => {
    const layer = hadamRNN({ units: 8, dropout: 0.25, inference: 'impulseResponses' });
    const config = layer.getConfig();
    expect(config).toMatchObject({ dropout: 0.25, inference: 'impulseResponses', unroll: false });
    const reloaded = HadamRNN.fromConfig(HadamRNN, config) as HadamRNN;
    expect([reloaded.dropout, reloaded.inference]).toEqual([0.25, 'impulseResponses']);
    expect(hadamRNN({ units: 8 }).getConfig()).toMatchObject({
      dropout: 0,
      inference: 'recurrence',
    });
  });
});

describe('HadamRNN input dropout', () => {
  const [batch, steps, units] = [400, 3, 4];
  const rate = 0.5;

  /** A linear HadamRNN with U = I, no bias and no quantizer, so z_t = x̃_t (dropped inputs). */
  function linearLayer(dropout: number): HadamRNN {
    const layer = hadamRNN({
      units,
      dropout,
      activation: 'linear',
      returnSequences: true,
      useBias: false,
      kernelQuantizer: null,
    });
    tf.dispose(layer.apply(tf.zeros([1, steps, units])) as tf.Tensor);
    const weights = [tf.eye(units), tf.tensor1d(randomValues(units, 8))];
    layer.setWeights(weights);
    tf.dispose(weights);
    return layer;
  }

  it('drops whole features of a sequence in training, scaled by 1 / (1 - rate)', () => {
    const layer = linearLayer(rate);
    const xValues = randomValues(batch * steps * units, 9).map((v) => v + 2); // no zeros
    const x = tf.tensor3d(xValues, [batch, steps, units]);
    const h = valuesOf(layer.apply(x, { training: true }) as tf.Tensor);
    const u = valuesOf(layer.getWeights()[1]);
    const w = denseRecurrentMatrix(
      Array.from(u, (v) => (v >= 0 ? 1 : -1)),
      units,
      units,
    );
    // z_t = h_t - W h_{t-1} in float64, then the factor each input was multiplied by.
    let dropped = 0;
    for (let b = 0; b < batch; b++) {
      for (let k = 0; k < units; k++) {
        const factors: number[] = [];
        for (let t = 0; t < steps; t++) {
          const row = (b * steps + t) * units;
          let wh = 0;
          for (let j = 0; t > 0 && j < units; j++) {
            wh += w[k * units + j] * h[row - units + j];
          }
          factors.push((h[row + k] - wh) / xValues[row + k]);
        }
        const factor = factors[0];
        expect(Math.abs(factor) < 1e-5 || Math.abs(factor - 1 / (1 - rate)) < 1e-5).toBe(true);
        expectClose(factors, [factor, factor, factor], 1e-5); // one mask for every step
        dropped += Math.abs(factor) < 1e-5 ? 1 : 0;
      }
    }
    // 1600 Bernoulli(0.5) draws: within 5 standard deviations (±100) of 800.
    expect(Math.abs(dropped - batch * units * rate)).toBeLessThan(100);
    x.dispose();
    layer.dispose();
  });

  it('leaves inference unchanged: predict equals the layer without dropout', () => {
    const [withDropout, without] = [linearLayer(rate), linearLayer(0)];
    const x = tf.tensor3d(randomValues(8 * steps * units, 10), [8, steps, units]);
    const [a, b] = [withDropout.apply(x), without.apply(x)] as tf.Tensor[];
    expect(Array.from(valuesOf(a))).toEqual(Array.from(valuesOf(b)));
    tf.dispose([a, b, x]);
    withDropout.dispose();
    without.dispose();
  });

  it('trains with fit, without leaking tensors', async () => {
    const model = tfl.sequential({
      layers: [
        hadamRNN({ units: 8, dropout: 0.3, inputShape: [5, 3] }),
        quantizedDense({ units: 1 }),
      ],
    });
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const x = tf.randomNormal([16, 5, 3]);
    const y = tf.ones([16, 1]);
    const before = model.getWeights().map((t) => valuesOf(t));
    await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 }); // creates Adam's moments
    await expectNoLeaks(() => model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 }));
    const after = model.getWeights().map((t) => valuesOf(t));
    expect(after[0]).not.toEqual(before[0]);
    tf.dispose([x, y]);
    model.dispose();
  });
});
