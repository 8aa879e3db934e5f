/**
 * What only the webgl kernels can get wrong, run in the browser on WebGL2 and WebGL1: GPU memory
 * returns to where it was (textures, not just tensors), one compiled shader serves every batch size
 * and sequence length, packed inputs (tfjs's matMul output, a previous transform's) are read in
 * the right order, a chained transform runs only its butterfly passes, and every radix the
 * butterfly can be built with gives the same transform, for whole rows and narrower blocks.
 */
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import * as tf from '@tensorflow/tfjs-core';
import { hadamardRecurrence, hadamardTransform, sylvester } from '../../../src';
import { ButterflyProgram } from '../../../src/kernels/webgl/butterfly_gpu';
import { MAX_RADIX_LOG_FLAG } from '../../../src/kernels/webgl/butterfly_passes';
import { PackedButterflyProgram } from '../../../src/kernels/webgl/butterfly_packed_gpu';
import { ConcatStepsProgram } from '../../../src/kernels/webgl/concat_steps_gpu';
import { MaskStepsProgram } from '../../../src/kernels/webgl/mask_steps_gpu';
import { RowSumProgram } from '../../../src/kernels/webgl/row_sum_gpu';
import { describeEachBackend } from '../../harness/backends';
import { expectClose, valuesOf } from '../../harness/expect';
import { randomSigns, randomValues } from '../../harness/random';
import {
  referenceRecurrence,
  referenceRecurrenceGrad,
  referenceTransform,
} from '../../reference/dense';

const OUR_PROGRAMS = [ButterflyProgram, ConcatStepsProgram, MaskStepsProgram, RowSumProgram];

/** Our programs compiled so far by this webgl backend (tfjs caches binaries by shader key). */
function compiledShaders(): number {
  const cache = (tf.backend() as unknown as { binaryCache: Record<string, { program: object }> })
    .binaryCache;
  return Object.values(cache).filter(({ program }) =>
    OUR_PROGRAMS.some((type) => program instanceof type),
  ).length;
}

/** What `f` returns, and every program it runs on the webgl backend (packs, reshapes too). */
function programsRunBy<T>(f: () => T): { result: T; programs: object[] } {
  const webgl = tf.backend() as MathBackendWebGL;
  const run = webgl.runWebGLProgram;
  const programs: object[] = [];
  webgl.runWebGLProgram = (program, ...rest) => {
    programs.push(program);
    return run.call(webgl, program, ...rest);
  };
  try {
    return { result: f(), programs };
  } finally {
    webgl.runWebGLProgram = run;
  }
}

/** Runs `f` and expects tensors and GPU bytes back to where they were. */
async function expectGpuMemoryRestored(f: () => void | Promise<void>): Promise<void> {
  const before = tf.memory() as tf.MemoryInfo & { numBytesInGPU: number };
  await f();
  const after = tf.memory() as tf.MemoryInfo & { numBytesInGPU: number };
  expect(after.numTensors).toBe(before.numTensors);
  expect(after.numBytesInGPU).toBe(before.numBytesInGPU);
}

/** Forward and gradient of sum(states * w) for a random sequence, read back and disposed. */
function recurrenceAndGrad(batch: number, steps: number, units: number, blockSize: number) {
  const z = randomValues(batch * steps * units, steps);
  const s = randomSigns(units, units);
  const h0 = randomValues(batch * units, batch);
  const dy = randomValues(batch * steps * units, steps + 1);
  const [states, dz, ds, dh0] = tf.tidy(() => {
    const f = (zt: tf.Tensor, st: tf.Tensor, ht: tf.Tensor) =>
      hadamardRecurrence(zt as tf.Tensor3D, st as tf.Tensor1D, ht as tf.Tensor2D, { blockSize });
    const inputs = [
      tf.tensor3d(z, [batch, steps, units]),
      tf.tensor1d(s),
      tf.tensor2d(h0, [batch, units]),
    ];
    const { value, grads } = tf.valueAndGrads((zt: tf.Tensor, st: tf.Tensor, ht: tf.Tensor) =>
      tf.sum(tf.mul(f(zt, st, ht), tf.tensor3d(dy, [batch, steps, units]))),
    )(inputs);
    value.dispose();
    return [f(inputs[0], inputs[1], inputs[2]), ...grads];
  });
  const result = { z, s, h0, dy, states: valuesOf(states), dz: valuesOf(dz), ds: valuesOf(ds) };
  tf.dispose([states, dz, ds, dh0]);
  return result;
}

describeEachBackend('webgl kernels', (backend) => {
  const tol = backend.tolerance;
  if (tf.getBackend() !== 'webgl') {
    return;
  }

  it('free every texture they allocate: transform, and a 1,000-step recurrence and gradient', async () => {
    recurrenceAndGrad(2, 3, 16, 4); // compiles the programs and fills tfjs's texture pool first
    await expectGpuMemoryRestored(() => {
      const x = tf.ones([64, 512]);
      const y = hadamardTransform(x);
      valuesOf(y);
      tf.dispose([x, y]);
    });
    await expectGpuMemoryRestored(() => {
      const { states } = recurrenceAndGrad(2, 1000, 16, 16);
      expect(states.length).toBe(2 * 1000 * 16);
    });
  });

  it('match the references over 1,000 steps (states, dz and ds)', () => {
    const c = { batch: 2, steps: 1000, units: 16, blockSize: 8, goBackwards: false };
    const r = recurrenceAndGrad(c.batch, c.steps, c.units, c.blockSize);
    expectClose(r.states, referenceRecurrence(r.z, r.s, r.h0, null, c), tol * 100);
    const expected = referenceRecurrenceGrad(r.dy, r.z, r.s, r.h0, null, c);
    expectClose(r.dz, expected.dz, tol * 100);
    expectClose(r.ds, expected.ds, tol * 100);
  });

  it('compile no new shader for a new batch size or sequence length', () => {
    recurrenceAndGrad(3, 5, 32, 32);
    tf.tidy(() => hadamardTransform(tf.ones([3, 64])));
    const compiled = compiledShaders();
    for (const [batch, steps] of [
      [4, 9],
      [6, 17],
      [5, 70],
    ]) {
      recurrenceAndGrad(batch, steps, 32, 32);
      tf.tidy(() => hadamardTransform(tf.ones([batch, 64])));
    }
    expect(compiledShaders()).toBe(compiled);
  });

  it('read packed inputs (a batched matMul result) in logical order', () => {
    const a = randomValues(2 * 3 * 5, 1);
    const b = randomValues(2 * 5 * 8, 2);
    const [product, transformed] = tf.tidy(() => {
      const p = tf.matMul(tf.tensor3d(a, [2, 3, 5]), tf.tensor3d(b, [2, 5, 8]));
      return [p, hadamardTransform(p, { blockSize: 4 })];
    });
    expectClose(valuesOf(transformed), referenceTransform(valuesOf(product), 4, true), tol);
    tf.dispose([product, transformed]);
  });

  it('read the packed output of a previous transform in place: butterfly passes only', () => {
    const [rows, n] = [6, 256];
    const x = randomValues(rows * n, 3);
    const once = tf.tidy(() => hadamardTransform(tf.tensor2d(x, [rows, n]), { normalize: false }));
    const { result: twice, programs } = programsRunBy(() =>
      tf.tidy(() => hadamardTransform(once, { blockSize: 16 })),
    );
    expect(programs.length).toBeGreaterThan(0);
    expect(programs.every((p) => p instanceof PackedButterflyProgram)).toBe(true);
    const expectedOnce = referenceTransform(x, n, false);
    expectClose(valuesOf(once), expectedOnce, tol);
    expectClose(valuesOf(twice), referenceTransform(expectedOnce, 16, true), tol);
    tf.dispose([once, twice]);
  });

  it('agree with matMul by S where tfjs squarifies the textures (no row pairs)', () => {
    // A 64-texel limit makes tfjs fold [160, 16] into a squarer texture: the passes then read by
    // (row, column), and a pass that guessed row pairs is redone. tfjs itself reads such packed
    // uploads back wrong (its matMul by the identity differs from x), so the reference is
    // tfjs's matMul by the dense S under the same limit, not the float64 transform.
    const saved = tf.env().getNumber('WEBGL_MAX_TEXTURE_SIZE');
    tf.env().set('WEBGL_MAX_TEXTURE_SIZE', 64);
    try {
      const x = randomValues(160 * 16, 4);
      const [y, expected] = tf.tidy(() => {
        const t = tf.tensor2d(x, [160, 16]);
        const s = sylvester(16, { normalize: true });
        return [hadamardTransform(hadamardTransform(t)), tf.matMul(tf.matMul(t, s), s)];
      });
      expectClose(valuesOf(y), valuesOf(expected), tol * 10);
      tf.dispose([y, expected]);
    } finally {
      tf.env().set('WEBGL_MAX_TEXTURE_SIZE', saved);
    }
  });

  it.each([1, 2, 3, 4, 5])(
    'give the reference transform with passes of radix 2^%i (flag HADAMRNN_WEBGL_MAX_RADIX_LOG)',
    (radixLog) => {
      const saved = tf.env().getNumber(MAX_RADIX_LOG_FLAG);
      tf.env().set(MAX_RADIX_LOG_FLAG, radixLog);
      try {
        for (const [n, blockSize] of [
          [1, 1],
          [2, 2],
          [32, 32],
          [1024, 1024],
          [64, 2],
          [64, 4],
          [256, 32],
        ]) {
          const x = randomValues(3 * n, n + blockSize);
          const y = hadamardTransform(tf.tensor2d(x, [3, n]), { normalize: false, blockSize });
          expectClose(valuesOf(y), referenceTransform(x, blockSize, false), tol);
          tf.dispose(y);
        }
      } finally {
        tf.env().set(MAX_RADIX_LOG_FLAG, saved);
      }
    },
  );
});
