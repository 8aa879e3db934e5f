import * as tf from '@tensorflow/tfjs-core';
import { SignSte, getQuantizer, signSte } from '../../src';
import { expectClose, expectNoLeaks, valuesOf } from '../harness/expect';
import { referenceSign } from '../reference/quantize';

const INPUTS = [-2, -1, -0.5, -0, 0, 0.5, 1, 2];

describe('signSte', () => {
  it('gives sign(x) with sign(0) = +1, never 0', async () => {
    await expectNoLeaks(() => {
      const x = tf.tensor1d(INPUTS);
      const y = signSte(x);
      expect(Array.from(valuesOf(y))).toEqual(Array.from(referenceSign(INPUTS)));
      tf.dispose([x, y]);
    });
  });

  it('keeps NaN', () => {
    const y = tf.tidy(() => signSte(tf.tensor1d([NaN, 1])));
    expect(Number.isNaN(valuesOf(y)[0])).toBe(true);
    y.dispose();
  });

  it('passes the gradient straight through inside |x| <= clipValue and zeroes it outside', async () => {
    await expectNoLeaks(() => {
      const dy = tf.tensor1d([1, 2, 3, 4, 5, 6, 7, 8]);
      const x = tf.tensor1d(INPUTS);
      const clipped = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(signSte(v), dy)))(x);
      expectClose(valuesOf(clipped), [0, 2, 3, 4, 5, 6, 7, 0], 0);
      const identity = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(signSte(v, null), dy)))(x);
      expectClose(valuesOf(identity), [1, 2, 3, 4, 5, 6, 7, 8], 0);
      tf.dispose([dy, x, clipped, identity]);
    });
  });

  it('differentiates an intermediate tensor of a tidy (the STE saves its input)', () => {
    const g = tf.tidy(() =>
      tf.grad((x: tf.Tensor) => tf.sum(signSte(tf.mul(x, 2))))(tf.tensor1d([0.25, 1])),
    );
    expectClose(valuesOf(g), [2, 0], 0); // |2x| <= 1 passes, |2x| = 2 is clipped
    g.dispose();
  });

  it('rejects a non-positive clipValue', () => {
    const x = tf.tensor1d([1]);
    expect(() => signSte(x, 0)).toThrow(
      'signSte: clipValue must be a positive number or null, got 0',
    );
    expect(() => new SignSte({ clipValue: -1 })).toThrow(
      'signSte: clipValue must be a positive number or null, got -1',
    );
    x.dispose();
  });

  it('is a serializable quantizer of precision 1', () => {
    const q = getQuantizer({ className: 'HadamSignSte', config: { clipValue: 0.5 } }) as SignSte;
    expect(q).toBeInstanceOf(SignSte);
    expect(q.precision).toBe(1);
    expect(q.getConfig()).toEqual({ clipValue: 0.5 });
    expect(getQuantizer('signSte')?.getConfig()).toEqual({ clipValue: 1 });
  });
});
