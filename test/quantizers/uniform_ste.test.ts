import * as tf from '@tensorflow/tfjs-core';
import { UniformSte, getQuantizer, uniformSte } from '../../src';
import { expectClose, expectNoLeaks, valuesOf } from '../harness/expect';
import { randomValues } from '../harness/random';
import { referenceUniform } from '../reference/quantize';

describe('uniformSte', () => {
  it.each([1, 2, 4, 8, 16])('matches the paper formula at %i bits', async (bits) => {
    const values = randomValues(257, bits);
    values[3] = 0;
    await expectNoLeaks(() => {
      const y = tf.tidy(() => uniformSte(tf.tensor1d(values), bits));
      expectClose(valuesOf(y), referenceUniform(values, bits), 1e-6);
      y.dispose();
    });
  });

  it('uses at most 2^bits levels, from -2^(p-1) to 2^(p-1)-1 steps of alpha/2^(p-1)', () => {
    const values = randomValues(1000, 5);
    const y = tf.tidy(() => uniformSte(tf.tensor1d(values), 4));
    const alpha = Math.max(...Array.from(values, Math.abs));
    const steps = new Set(Array.from(valuesOf(y), (v) => Math.round((v * 8) / alpha)));
    expect(steps.size).toBeLessThanOrEqual(16);
    expect(Math.min(...steps)).toBeGreaterThanOrEqual(-8);
    expect(Math.max(...steps)).toBeLessThanOrEqual(7);
    y.dispose();
  });

  it('recomputes alpha = max|x| on every call', () => {
    const [a, b] = tf.tidy(() => [
      uniformSte(tf.tensor1d([1, -0.5]), 2),
      uniformSte(tf.tensor1d([4, -2]), 2),
    ]);
    expectClose(valuesOf(a), [0.5, -0.5], 0);
    expectClose(valuesOf(b), [2, -2], 0);
    tf.dispose([a, b]);
  });

  it('keeps an all-zero tensor at zero', () => {
    const y = tf.tidy(() => uniformSte(tf.zeros([4]), 4));
    expectClose(valuesOf(y), [0, 0, 0, 0], 0);
    y.dispose();
  });

  it('has the identity gradient', async () => {
    await expectNoLeaks(() => {
      const g = tf.tidy(() => {
        const dy = tf.tensor1d([1, -2, 3]);
        return tf.grad((x: tf.Tensor) => tf.sum(tf.mul(uniformSte(x, 3), dy)))(
          tf.tensor1d([0.1, -5, 2]),
        );
      });
      expectClose(valuesOf(g), [1, -2, 3], 0);
      g.dispose();
    });
  });

  it.each([0, -1, 2.5, 17, NaN])('rejects bits = %p', (bits) => {
    const x = tf.tensor1d([1]);
    expect(() => uniformSte(x, bits)).toThrow(
      `uniformSte: bits must be an integer from 1 to 16, got ${bits}`,
    );
    expect(() => new UniformSte({ bits })).toThrow(
      'uniformSte: bits must be an integer from 1 to 16',
    );
    x.dispose();
  });

  it('is a serializable quantizer whose precision is its bits', () => {
    const q = getQuantizer({ className: 'HadamUniformSte', config: { bits: 2 } }) as UniformSte;
    expect(q.precision).toBe(2);
    expect(q.getConfig()).toEqual({ bits: 2 });
    expect(getQuantizer('uniformSte')?.precision).toBe(4);
    expect(getQuantizer(null)).toBeNull();
  });

  it('rejects unknown identifiers, naming them', () => {
    expect(() => getQuantizer('steSgn')).toThrow(
      "getQuantizer: unknown quantizer 'steSgn'; expected one of signSte, uniformSte",
    );
    expect(() => getQuantizer('__proto__')).toThrow("getQuantizer: unknown quantizer '__proto__'");
    expect(() => getQuantizer({ className: 'GlorotUniform', config: {} })).toThrow(
      "getQuantizer: 'GlorotUniform' is not a valid quantizer",
    );
  });
});
