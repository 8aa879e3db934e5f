import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { RandomSigns, randomSigns } from '../../src';

describe('randomSigns', () => {
  it('draws ±magnitude with fair signs, the signs of randomUniform with the same seed', () => {
    const before = tf.memory().numTensors;
    const signs = randomSigns({ magnitude: 3, seed: 5 }).apply([1000]);
    const uniform = tfl.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: 5 });
    const reference = uniform.apply([1000]);
    const values = Array.from(signs.dataSync());
    expect(new Set(values.map(Math.abs))).toEqual(new Set([3]));
    const positive = values.filter((v) => v > 0).length;
    expect(positive).toBeGreaterThan(450); // 500 ± 16 expected
    expect(positive).toBeLessThan(550);
    expect(values.map((v) => v > 0)).toEqual(Array.from(reference.dataSync(), (v) => v >= 0));
    tf.dispose([signs, reference]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is unseeded by default and serializes its magnitude and seed', () => {
    const first = Array.from(randomSigns().apply([64]).dataSync());
    const second = Array.from(randomSigns().apply([64]).dataSync());
    expect(first).not.toEqual(second);
    expect(new Set(first.map(Math.abs))).toEqual(new Set([2]));
    expect(new RandomSigns().getConfig()).toEqual({ magnitude: 2, seed: null });
  });

  it.each([
    [{ magnitude: 0 }, 'RandomSigns: magnitude must be a positive finite number, got 0'],
    [
      { magnitude: Infinity },
      'RandomSigns: magnitude must be a positive finite number, got Infinity',
    ],
    [{ seed: 1.5 }, 'RandomSigns: seed must be an integer, got 1.5'],
  ])('rejects %j', (args, message) => {
    expect(() => randomSigns(args)).toThrow(message);
  });
});
