import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { hadamardTransform } from '../../src';
import { describeEachBackend } from '../harness/backends';
import { expectClose, expectNoLeaks, valuesOf } from '../harness/expect';
import { randomValues } from '../harness/random';
import { referenceTransform } from '../reference/dense';

const SIZES = Array.from({ length: 13 }, (_, k) => 2 ** k); // 1 ... 4096
const blockSizesOf = (n: number) => SIZES.filter((b) => b <= n);
/** A leading shape per case, cycling ranks 1-4 and batches of one and many. */
const LEADING_SHAPES = [[], [1], [3], [2, 3], [2, 1, 2], [5]];

describeEachBackend('hadamardTransform', (backend) => {
  const tol = backend.tolerance;

  describe.each(SIZES)('n = %i', (n) => {
    it.each(blockSizesOf(n))(
      'matches the dense Sylvester product for every blockSize: b = %i',
      async (b) => {
        for (const normalize of [true, false]) {
          const leading = LEADING_SHAPES[(Math.log2(n) + Math.log2(b)) % LEADING_SHAPES.length];
          const shape = [...leading, n];
          const values = randomValues(
            shape.reduce((a, c) => a * c, 1),
            31 * n + b,
          );
          await expectNoLeaks(() => {
            const x = tf.tensor(values, shape);
            const y = hadamardTransform(x, { blockSize: b, normalize });
            expect(y.shape).toEqual(shape);
            expect(y.dtype).toBe('float32');
            expectClose(valuesOf(y), referenceTransform(values, b, normalize), tol);
            tf.dispose([x, y]);
          });
        }
      },
    );
  });

  it.each([[[8]], [[4, 8]], [[2, 3, 16]], [[2, 2, 3, 32]]])('handles rank %j', async (shape) => {
    const values = randomValues(
      shape.reduce((a, c) => a * c, 1),
      7,
    );
    await expectNoLeaks(() => {
      const y = tf.tidy(() => hadamardTransform(tf.tensor(values, shape)));
      expectClose(valuesOf(y), referenceTransform(values, shape[shape.length - 1], true), tol);
      y.dispose();
    });
  });

  it('handles a zero-size batch', async () => {
    await expectNoLeaks(() => {
      const y = tf.tidy(() => hadamardTransform(tf.zeros([0, 3, 16]), { blockSize: 4 }));
      expect(y.shape).toEqual([0, 3, 16]);
      expect(y.size).toBe(0);
      y.dispose();
    });
  });

  it('handles many rows (batch 64)', async () => {
    const values = randomValues(64 * 256, 11);
    await expectNoLeaks(() => {
      const y = tf.tidy(() => hadamardTransform(tf.tensor2d(values, [64, 256]), { blockSize: 64 }));
      expectClose(valuesOf(y), referenceTransform(values, 64, true), tol);
      y.dispose();
    });
  });

  it('leaves its input unchanged, also through a reshape that shares its values', () => {
    const values = randomValues(32, 3);
    const x = tf.tensor2d(values, [4, 8]);
    const flat = tf.reshape(x, [32]);
    const y = hadamardTransform(flat, { blockSize: 8 });
    expectClose(valuesOf(x), values, 0);
    tf.dispose([x, flat, y]);
  });

  it.each([2, 64, 1024])(
    'is its own inverse and keeps norms when normalized (n = %i)',
    async (n) => {
      const values = randomValues(4 * n, n);
      await expectNoLeaks(() => {
        const [twice, norms] = tf.tidy(() => {
          const x = tf.tensor2d(values, [4, n]);
          const once = hadamardTransform(x);
          return [hadamardTransform(once), tf.stack([tf.norm(x, 2, 1), tf.norm(once, 2, 1)])];
        });
        expectClose(valuesOf(twice), values, tol * 4);
        const [before, after] = tf.unstack(norms);
        expectClose(valuesOf(after), valuesOf(before), tol * 4);
        tf.dispose([twice, norms, before, after]);
      });
    },
  );

  it('casts int32 input to float32', () => {
    const y = tf.tidy(() =>
      hadamardTransform(tf.tensor1d([1, 2, 3, 4], 'int32'), { normalize: false }),
    );
    expect(y.dtype).toBe('float32');
    expectClose(valuesOf(y), [10, -2, -4, 0], 0);
    y.dispose();
  });

  it('propagates NaN and Inf as IEEE arithmetic does', () => {
    const y = tf.tidy(() =>
      hadamardTransform(
        tf.tensor2d([
          [NaN, 0, 0, 0],
          [Infinity, 1, 0, 0],
        ]),
        { normalize: false },
      ),
    );
    const v = valuesOf(y);
    expect(Array.from(v.slice(0, 4)).every(Number.isNaN)).toBe(true);
    expect(Array.from(v.slice(4))).toEqual([Infinity, Infinity, Infinity, Infinity]);
    y.dispose();
  });

  describe('gradient', () => {
    it.each([
      [1, 1, true],
      [16, 16, true],
      [16, 4, false],
      [512, 128, true],
    ])(
      'equals the dense reference transform of dy (n = %i, b = %i, normalize %s)',
      async (n, b, normalize) => {
        const x = randomValues(3 * n, 5);
        const dy = randomValues(3 * n, 6);
        await expectNoLeaks(() => {
          const dx = tf.tidy(() => {
            const weights = tf.tensor2d(dy, [3, n]);
            const loss = (v: tf.Tensor) =>
              tf.sum(tf.mul(hadamardTransform(v, { blockSize: b, normalize }), weights));
            return tf.grad(loss)(tf.tensor2d(x, [3, n]));
          });
          expectClose(valuesOf(dx), referenceTransform(dy, b, normalize), tol);
          dx.dispose();
        });
      },
    );

    it('matches finite differences, also with a cloned input', () => {
      const n = 8;
      const x = randomValues(n, 9);
      const w = randomValues(n, 10);
      const f = (v: tf.Tensor) =>
        tf.sum(tf.square(tf.mul(hadamardTransform(v, { blockSize: 4 }), tf.tensor1d(w))));
      const dx = tf.tidy(() => tf.grad((v: tf.Tensor) => f(tf.clone(v)))(tf.tensor1d(x)));
      const analytic = valuesOf(dx);
      dx.dispose();
      const eps = 1e-2;
      const numeric = Float64Array.from({ length: n }, (_, i) => {
        const plus = Float32Array.from(x);
        const minus = Float32Array.from(x);
        plus[i] += eps;
        minus[i] -= eps;
        const diff = tf.tidy(() => tf.sub(f(tf.tensor1d(plus)), f(tf.tensor1d(minus))));
        const value = diff.dataSync()[0] / (2 * eps);
        diff.dispose();
        return value;
      });
      expectClose(analytic, numeric, 1e-3);
    });

    it('trains inside a model: a one-step SGD update matches the reference', async () => {
      const n = 16;
      const x = randomValues(2 * n, 12);
      const target = randomValues(2 * n, 13);
      const kernel = randomValues(n * n, 14);
      // Warmed up outside the leak check: tfjs's SGD keeps an iteration counter after dispose().
      const optimizer = tf.train.sgd(1);
      const v = tf.variable(tf.tensor2d(kernel, [n, n]));
      const step = () =>
        tf.dispose(
          optimizer.minimize(
            () =>
              tf.sum(
                tf.mul(
                  hadamardTransform(tf.matMul(tf.tensor2d(x, [2, n]), v)),
                  tf.tensor2d(target, [2, n]),
                ),
              ),
            true,
          ) as tf.Scalar,
        );
      step();
      await expectNoLeaks(step);
      // Two steps of dL/dV = x^T H(target), H the normalized transform (symmetric).
      const hTarget = referenceTransform(target, n, true);
      const expected = Float64Array.from(kernel);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          expected[i * n + j] -= 2 * (x[i] * hTarget[j] + x[n + i] * hTarget[n + j]);
        }
      }
      expectClose(valuesOf(v), expected, tol * 10);
      v.dispose();
      optimizer.dispose();
    });
  });
});
