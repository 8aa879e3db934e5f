import * as tf from '@tensorflow/tfjs-core';
import { hadamardRecurrence } from '../../src';
import { describeEachBackend } from '../harness/backends';
import { expectClose, expectNoLeaks, valuesOf } from '../harness/expect';
import { randomSigns, randomValues, seededRandom } from '../harness/random';
import { referenceRecurrence, referenceRecurrenceGrad } from '../reference/dense';

interface Case {
  batch: number;
  steps: number;
  units: number;
  blockSize: number;
  goBackwards: boolean;
  masked: boolean;
}

const CASES: Case[] = [
  { batch: 1, steps: 1, units: 1, blockSize: 1, goBackwards: false, masked: false },
  { batch: 2, steps: 1, units: 8, blockSize: 8, goBackwards: false, masked: false },
  { batch: 3, steps: 7, units: 16, blockSize: 16, goBackwards: false, masked: false },
  { batch: 3, steps: 7, units: 16, blockSize: 4, goBackwards: true, masked: false },
  { batch: 2, steps: 9, units: 32, blockSize: 8, goBackwards: false, masked: true },
  { batch: 2, steps: 9, units: 32, blockSize: 32, goBackwards: true, masked: true },
  { batch: 4, steps: 5, units: 128, blockSize: 128, goBackwards: false, masked: false },
  { batch: 1, steps: 3, units: 512, blockSize: 64, goBackwards: false, masked: true },
];

function inputsOf(c: Case, seed: number) {
  const next = seededRandom(seed);
  const mask = Float32Array.from({ length: c.batch * c.steps }, () =>
    c.masked && next() < 0.3 ? 0 : 1,
  );
  return {
    z: randomValues(c.batch * c.steps * c.units, seed + 1),
    s: randomSigns(c.units, seed + 2),
    h0: randomValues(c.batch * c.units, seed + 3),
    dy: randomValues(c.batch * c.steps * c.units, seed + 4),
    mask,
  };
}

const title = (c: Case) =>
  `batch ${c.batch}, T ${c.steps}, n ${c.units}, b ${c.blockSize}` +
  `${c.goBackwards ? ', backwards' : ''}${c.masked ? ', masked' : ''}`;

describeEachBackend('hadamardRecurrence', (backend) => {
  const tol = backend.tolerance;

  it.each(CASES.map((c) => [title(c), c] as const))(
    'matches the dense reference recurrence: %s',
    async (_, c) => {
      const { z, s, h0, mask } = inputsOf(c, c.units + c.steps);
      await expectNoLeaks(() => {
        const states = tf.tidy(() =>
          hadamardRecurrence(
            tf.tensor3d(z, [c.batch, c.steps, c.units]),
            tf.tensor1d(s),
            tf.tensor2d(h0, [c.batch, c.units]),
            {
              blockSize: c.blockSize,
              goBackwards: c.goBackwards,
              mask: tf.tensor2d(mask, [c.batch, c.steps]),
            },
          ),
        );
        expect(states.shape).toEqual([c.batch, c.steps, c.units]);
        expectClose(valuesOf(states), referenceRecurrence(z, s, h0, mask, c), tol * 4);
        states.dispose();
      });
    },
  );

  it.each(CASES.map((c) => [title(c), c] as const))(
    'has the reference gradient for z, s and h0: %s',
    async (_, c) => {
      const { z, s, h0, mask, dy } = inputsOf(c, 3 * c.units + c.steps);
      await expectNoLeaks(() => {
        const grads = tf.tidy(() => {
          const loss = (zt: tf.Tensor, st: tf.Tensor, ht: tf.Tensor) =>
            tf.sum(
              tf.mul(
                hadamardRecurrence(zt as tf.Tensor3D, st as tf.Tensor1D, ht as tf.Tensor2D, {
                  blockSize: c.blockSize,
                  goBackwards: c.goBackwards,
                  mask: tf.tensor2d(mask, [c.batch, c.steps]),
                }),
                tf.tensor3d(dy, [c.batch, c.steps, c.units]),
              ),
            );
          return tf.grads(loss)([
            tf.tensor3d(z, [c.batch, c.steps, c.units]),
            tf.tensor1d(s),
            tf.tensor2d(h0, [c.batch, c.units]),
          ]);
        });
        const expected = referenceRecurrenceGrad(dy, z, s, h0, mask, c);
        expectClose(valuesOf(grads[0]), expected.dz, tol * 4);
        expectClose(valuesOf(grads[1]), expected.ds, tol * 4 * c.batch * c.steps);
        expectClose(valuesOf(grads[2]), expected.dh0, tol * 4);
        tf.dispose(grads);
      });
    },
  );

  it('returns an empty sequence for T = 0 and an empty batch for batch 0', () => {
    const [none, empty] = tf.tidy(() => [
      hadamardRecurrence(tf.zeros([2, 0, 8]), tf.ones([8]), tf.zeros([2, 8])),
      hadamardRecurrence(tf.zeros([0, 3, 8]), tf.ones([8]), tf.zeros([0, 8])),
    ]);
    expect(none.shape).toEqual([2, 0, 8]);
    expect(empty.shape).toEqual([0, 3, 8]);
    tf.dispose([none, empty]);
  });

  it('keeps the state norm over 10,000 steps with zero input (W is orthogonal)', () => {
    const n = 64;
    const h0 = randomValues(n, 99);
    const last = tf.tidy(() => {
      const states = hadamardRecurrence(
        tf.zeros([1, 10000, n]),
        tf.tensor1d(randomSigns(n, 98)),
        tf.tensor2d(h0, [1, n]),
      );
      return tf.norm(tf.slice(states, [0, 9999, 0], [1, 1, n]));
    });
    const start = Math.hypot(...h0);
    expect(Math.abs(last.dataSync()[0] - start) / start).toBeLessThan(1e-3);
    last.dispose();
  });
});
