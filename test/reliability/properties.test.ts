/**
 * Property-based tests (fast-check) of hadamardTransform and hadamardRecurrence over random shapes,
 * block sizes and values, on every Node backend of the harness: linearity, self-inverse, norm
 * preservation, gradient = transform of the upstream gradient, and the fused recurrence equal to
 * its step-by-step definition, forward and backward. Seeded, and bounded in runs and time.
 */
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import { hadamardRecurrence, hadamardTransform } from '../../src/index';
import { describeEachBackend } from '../harness/backends';
import { expectClose, valuesOf } from '../harness/expect';
import { randomSigns, randomValues, seededRandom } from '../harness/random';

/** fast-check settings: fixed seed, few runs, and a time budget per property. */
const RUNS: fc.Parameters<unknown> = { seed: 7, numRuns: 25, interruptAfterTimeLimit: 4_000 };

interface TransformCase {
  shape: number[];
  blockSize: number;
  normalize: boolean;
  seed: number;
}

/** A transform problem: leading shape, last dimension n = 2^logN, block b = 2^logB <= n. */
const transformCase: fc.Arbitrary<TransformCase> = fc
  .record({
    leading: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 0, maxLength: 2 }),
    logN: fc.integer({ min: 0, max: 7 }),
    blockShift: fc.integer({ min: 0, max: 7 }),
    normalize: fc.boolean(),
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
  })
  .map(({ leading, logN, blockShift, normalize, seed }) => ({
    shape: [...leading, 2 ** logN],
    blockSize: 2 ** Math.max(0, logN - blockShift),
    normalize,
    seed,
  }));

function tensorOf(c: { shape: number[] }, seed: number): tf.Tensor {
  const size = c.shape.reduce((a, b) => a * b, 1);
  return tf.tensor(randomValues(size, seed), c.shape);
}

/** Runs `check` on every generated case, inside a tidy, and asserts nothing leaked. */
function property<T>(arbitrary: fc.Arbitrary<T>, check: (c: T) => void): void {
  const before = tf.memory().numTensors;
  fc.assert(
    fc.property(arbitrary, (c) => tf.tidy(() => check(c))),
    RUNS,
  );
  expect(tf.memory().numTensors).toBe(before);
}

describeEachBackend('hadamardTransform properties', (backend) => {
  const tol = backend.tolerance;
  const H = (x: tf.Tensor, c: TransformCase) =>
    hadamardTransform(x, { blockSize: c.blockSize, normalize: c.normalize });

  it('is linear: H(a x + b y) = a H(x) + b H(y)', () => {
    property(fc.tuple(transformCase, fc.double({ min: -4, max: 4, noNaN: true })), ([c, a]) => {
      const x = tensorOf(c, c.seed);
      const y = tensorOf(c, c.seed + 1);
      const left = H(tf.add(tf.mul(x, a), tf.mul(y, -0.5)), c);
      const right = tf.add(tf.mul(H(x, c), a), tf.mul(H(y, c), -0.5));
      expectClose(valuesOf(left), valuesOf(right), tol * 4);
    });
  });

  it('is its own inverse when normalized: H(H(x)) = x', () => {
    property(transformCase, (c) => {
      const x = tensorOf(c, c.seed);
      const twice = hadamardTransform(hadamardTransform(x, { blockSize: c.blockSize }), {
        blockSize: c.blockSize,
      });
      expectClose(valuesOf(twice), valuesOf(x), tol * 2);
    });
  });

  it('preserves the norm of every block when normalized', () => {
    property(transformCase, (c) => {
      const x = tensorOf(c, c.seed);
      const blocks = [-1, c.blockSize];
      const norms = (t: tf.Tensor) => tf.sqrt(tf.sum(tf.square(tf.reshape(t, blocks)), 1));
      const y = hadamardTransform(x, { blockSize: c.blockSize });
      expectClose(valuesOf(norms(y)), valuesOf(norms(x)), tol * 2);
    });
  });

  it('has the transform of the upstream gradient as its gradient', () => {
    property(transformCase, (c) => {
      const x = tensorOf(c, c.seed);
      const dy = tensorOf(c, c.seed + 1);
      const dx = tf.grad((t: tf.Tensor) => H(t, c))(x, dy);
      expectClose(valuesOf(dx), valuesOf(H(dy, c)), tol);
    });
  });
});

interface RecurrenceCase {
  batch: number;
  steps: number;
  units: number;
  blockSize: number;
  goBackwards: boolean;
  masked: boolean;
  seed: number;
}

/** A recurrence problem: batch, steps, n, b, direction, optional mask. */
const recurrenceCase: fc.Arbitrary<RecurrenceCase> = fc
  .record({
    batch: fc.integer({ min: 0, max: 3 }),
    steps: fc.integer({ min: 0, max: 6 }),
    logN: fc.integer({ min: 0, max: 6 }),
    blockShift: fc.integer({ min: 0, max: 6 }),
    goBackwards: fc.boolean(),
    masked: fc.boolean(),
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
  })
  .map((r) => ({
    ...r,
    units: 2 ** r.logN,
    blockSize: 2 ** Math.max(0, r.logN - r.blockShift),
  }));

function recurrenceInputs(c: RecurrenceCase) {
  const next = seededRandom(c.seed + 5);
  return {
    z: tf.tensor3d(randomValues(c.batch * c.steps * c.units, c.seed), [c.batch, c.steps, c.units]),
    s: tf.tensor1d(randomSigns(c.units, c.seed + 1)),
    h0: tf.tensor2d(randomValues(c.batch * c.units, c.seed + 2), [c.batch, c.units]),
    mask: c.masked
      ? tf.tensor2d(
          Float32Array.from({ length: c.batch * c.steps }, () => (next() < 0.3 ? 0 : 1)),
          [c.batch, c.steps],
        )
      : undefined,
  };
}

/** The definition, one hadamardTransform per step: h = s ⊙ H(h) + z_t where the mask is 1. */
function stepByStep(
  c: RecurrenceCase,
  z: tf.Tensor3D,
  s: tf.Tensor1D,
  h0: tf.Tensor2D,
  mask?: tf.Tensor2D,
): tf.Tensor3D {
  if (c.steps === 0) {
    return tf.zeros([c.batch, 0, c.units]);
  }
  let h: tf.Tensor = h0;
  const states: tf.Tensor[] = [];
  for (let k = 0; k < c.steps; k++) {
    const t = c.goBackwards ? c.steps - 1 - k : k;
    const zt = tf.reshape(tf.slice(z, [0, t, 0], [c.batch, 1, c.units]), [c.batch, c.units]);
    const next = tf.add(tf.mul(s, hadamardTransform(h, { blockSize: c.blockSize })), zt);
    if (mask === undefined) {
      h = next;
    } else {
      const runs = tf.reshape(tf.slice(mask, [0, t], [c.batch, 1]), [c.batch, 1]);
      h = tf.add(tf.mul(runs, next), tf.mul(tf.sub(1, runs), h));
    }
    states.push(h);
  }
  return tf.stack(states, 1) as tf.Tensor3D;
}

describeEachBackend('hadamardRecurrence properties', (backend) => {
  const tol = backend.tolerance;

  it('equals its step-by-step definition with hadamardTransform', () => {
    property(recurrenceCase, (c) => {
      const { z, s, h0, mask } = recurrenceInputs(c);
      const options = { blockSize: c.blockSize, goBackwards: c.goBackwards, mask };
      const fused = hadamardRecurrence(z, s, h0, options);
      expect(fused.shape).toEqual([c.batch, c.steps, c.units]);
      expectClose(valuesOf(fused), valuesOf(stepByStep(c, z, s, h0, mask)), tol * 4);
    });
  });

  it('has the gradients (dz, ds, dh0) of its step-by-step definition', () => {
    property(recurrenceCase, (c) => {
      const { z, s, h0, mask } = recurrenceInputs(c);
      const dy = tf.tensor3d(randomValues(c.batch * c.steps * c.units, c.seed + 9), z.shape);
      const options = { blockSize: c.blockSize, goBackwards: c.goBackwards, mask };
      const fused = tf.grads((a: tf.Tensor, b: tf.Tensor, d: tf.Tensor) =>
        hadamardRecurrence(a as tf.Tensor3D, b as tf.Tensor1D, d as tf.Tensor2D, options),
      )([z, s, h0], dy);
      // With T = 0 nothing depends on the inputs: every gradient is zero (and must not throw).
      const defined =
        c.steps === 0
          ? [z, s, h0].map((t) => tf.zerosLike(t))
          : tf.grads((a: tf.Tensor, b: tf.Tensor, d: tf.Tensor) =>
              stepByStep(c, a as tf.Tensor3D, b as tf.Tensor1D, d as tf.Tensor2D, mask),
            )([z, s, h0], dy);
      fused.forEach((g, i) => expect(g.shape).toEqual(defined[i].shape));
      fused.forEach((g, i) => expectClose(valuesOf(g), valuesOf(defined[i]), tol * 8));
    });
  });

  it('keeps NaN and Inf of masked steps out of the states and the gradients', () => {
    tf.tidy(() => {
      const z = tf.tensor3d([
        [
          [1, 2],
          [NaN, Infinity],
          [3, 4],
        ],
      ]);
      const s = tf.tensor1d([1, -1]);
      const h0 = tf.tensor2d([[0.5, 0.5]]);
      const mask = tf.tensor2d([[1, 0, 1]]);
      const run = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
        hadamardRecurrence(a as tf.Tensor3D, b as tf.Tensor1D, c as tf.Tensor2D, { mask });
      expect(valuesOf(run(z, s, h0)).every(Number.isFinite)).toBe(true);
      const [dz, ds, dh0] = tf.grads(run)([z, s, h0]);
      expect(Array.from(valuesOf(dz)).slice(2, 4)).toEqual([0, 0]); // the masked step
      expect([dz, ds, dh0].every((g) => valuesOf(g).every(Number.isFinite))).toBe(true);
    });
  });
});
