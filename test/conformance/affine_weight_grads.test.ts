// The affine map's weight gradients (HadamRNN's input projection) on every backend, through every
// path: the AffineWeightGrads kernel (wasm), which runs its one-pass export on small kernels and
// tfjs-wasm's own kernels otherwise, and the op's matMul + sum elsewhere.
import * as tf from '@tensorflow/tfjs-core';
import '../../src'; // registers the kernels
import * as calls from '../../src/kernels/module/calls';
import { AffineWeightGrads } from '../../src/kernels/names';
import { affineWeightGrads } from '../../src/ops/affine_weight_grads';
import { hasKernel } from '../../src/ops/fallback';
import { describeEachBackend } from '../harness/backends';
import { expectClose, expectNoLeaks, valuesOf } from '../harness/expect';
import { randomValues } from '../harness/random';
import { referenceAffineWeightGrads } from '../reference/dense';

describeEachBackend('affineWeightGrads', (backend) => {
  it.each([
    { rows: 300, inDim: 10, n: 128, onePass: true }, // HadamRNN's projection
    { rows: 7, inDim: 1, n: 16, onePass: true },
    { rows: 33, inDim: 64, n: 128, onePass: false }, // a kernel too large to stay in L1
    { rows: 20, inDim: 128, n: 9, onePass: false }, // a read-out: too narrow
    { rows: 0, inDim: 10, n: 32, onePass: true },
  ])('matches float64 sums: %j', async ({ rows, inDim, n, onePass }) => {
    const x = randomValues(rows * inDim, rows + inDim);
    const dy = randomValues(rows * n, rows + n);
    const expected = referenceAffineWeightGrads(x, dy, rows, inDim, n);
    const runsKernel = backend.name === 'wasm';
    expect(hasKernel(AffineWeightGrads)).toBe(runsKernel);
    await expectNoLeaks(() => {
      const spy = jest.spyOn(tf.engine(), 'runKernel');
      const onePassSpy = jest.spyOn(calls, 'affineWeightGradsCall');
      const [dk, db] = tf.tidy(() =>
        affineWeightGrads(tf.tensor2d(x, [rows, inDim]), tf.tensor2d(dy, [rows, n])),
      );
      const ran = spy.mock.calls.some(([name]) => name === AffineWeightGrads);
      const ranOnePass = onePassSpy.mock.calls.length > 0;
      spy.mockRestore();
      onePassSpy.mockRestore();
      expect(ran).toBe(runsKernel);
      expect(ranOnePass).toBe(runsKernel && onePass);
      expect(dk.shape).toEqual([inDim, n]);
      expect(db.shape).toEqual([n]);
      expectClose(valuesOf(dk), expected.dk, backend.tolerance * Math.max(1, rows));
      expectClose(valuesOf(db), expected.db, backend.tolerance * Math.max(1, rows));
      tf.dispose([dk, db]);
    });
  });

  it('refuses x and dy with different numbers of rows', () => {
    expect(() => affineWeightGrads(tf.zeros([3, 2]), tf.zeros([4, 16]))).toThrow(
      'affineWeightGrads: x [3,2] and dy [4,16] must have the same number of rows',
    );
  });
});
