/**
 * What only the webgpu kernels can get wrong, run in the browser on webgpu: both places a chunk's
 * work buffers can live (workgroup memory, or the output's storage when a block does not fit, here
 * forced by HADAMRNN_WEBGPU_WORKGROUP_BYTES), with 256 invocations per workgroup or as few as the
 * adapter gets (HADAMRNN_WEBGPU_THREADS), give the float64 references for the transform, the
 * recurrence and its gradient, the fused sequence and its gradient, with blocks, masks and
 * goBackwards; chunks of several blocks (an odd number of them too) split rows correctly; GPU
 * memory returns to where it was.
 */
import * as tf from '@tensorflow/tfjs-core';
import { hadamardRecurrence, hadamardTransform } from '../../../src';
import { THREADS_FLAG, WORKGROUP_BYTES_FLAG } from '../../../src/kernels/webgpu/chunk_plan';
import { affineWeightGrads } from '../../../src/ops/affine_weight_grads';
import { describeEachBackend } from '../../harness/backends';
import { expectClose, valuesOf } from '../../harness/expect';
import { randomSigns, randomValues } from '../../harness/random';
import { sequenceAndReference, sequenceGradsAndReference } from '../../harness/sequence_grad';
import {
  referenceAffineWeightGrads,
  referenceRecurrence,
  referenceRecurrenceGrad,
  referenceTransform,
} from '../../reference/dense';

interface Case {
  batch: number;
  steps: number;
  units: number;
  blockSize: number;
  goBackwards: boolean;
  masked: boolean;
}

/** States and gradients of sum(states * dy) for a random sequence, read back and disposed. */
function recurrenceAndGrad(c: Case) {
  const { batch, steps, units, blockSize, goBackwards } = c;
  const z = randomValues(batch * steps * units, steps + units);
  const s = randomSigns(units, units);
  const h0 = randomValues(batch * units, batch);
  const dy = randomValues(batch * steps * units, steps + 1);
  // Every third step of every other row is masked out.
  const mask = c.masked
    ? Float32Array.from({ length: batch * steps }, (_, i) => (i % 3 === 1 && i % 2 === 0 ? 0 : 1))
    : null;
  const [states, dz, ds, dh0] = tf.tidy(() => {
    const maskTensor = mask && tf.tensor2d(mask, [batch, steps]);
    const f = (zt: tf.Tensor, st: tf.Tensor, ht: tf.Tensor) =>
      hadamardRecurrence(zt as tf.Tensor3D, st as tf.Tensor1D, ht as tf.Tensor2D, {
        blockSize,
        goBackwards,
        mask: maskTensor ?? undefined,
      });
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
  const result = {
    states: valuesOf(states),
    dz: valuesOf(dz),
    ds: valuesOf(ds),
    dh0: valuesOf(dh0),
    reference: referenceRecurrence(z, s, h0, mask, c),
    grads: referenceRecurrenceGrad(dy, z, s, h0, mask, c),
  };
  tf.dispose([states, dz, ds, dh0]);
  return result;
}

/** Runs `f` with at most `bytes` of workgroup memory per workgroup (0: the device's limit) and at
 * most `threads` invocations per workgroup (0: by adapter). */
function withPlanFlags<T>(bytes: number, threads: number, f: () => T): T {
  const saved = [tf.env().getNumber(WORKGROUP_BYTES_FLAG), tf.env().getNumber(THREADS_FLAG)];
  tf.env().set(WORKGROUP_BYTES_FLAG, bytes);
  tf.env().set(THREADS_FLAG, threads);
  try {
    return f();
  } finally {
    tf.env().set(WORKGROUP_BYTES_FLAG, saved[0]);
    tf.env().set(THREADS_FLAG, saved[1]);
  }
}

/** tf.memory() once webgpu has released what disposed tensors held (it does so when the commands
 * using them are submitted). */
function submittedMemory(): tf.MemoryInfo & { numBytesInGPU: number } {
  const queue = tf.backend() as unknown as {
    endComputePassEncoder: () => void;
    ensureCommandEncoderReady: () => void;
    submitQueue: () => void;
  };
  queue.endComputePassEncoder();
  queue.ensureCommandEncoderReady();
  queue.submitQueue();
  return tf.memory() as tf.MemoryInfo & { numBytesInGPU: number };
}

const CASES: Case[] = [
  { batch: 3, steps: 7, units: 16, blockSize: 16, goBackwards: false, masked: false },
  { batch: 2, steps: 9, units: 64, blockSize: 16, goBackwards: true, masked: true },
  { batch: 2, steps: 5, units: 8, blockSize: 1, goBackwards: false, masked: true },
  { batch: 2, steps: 6, units: 256, blockSize: 64, goBackwards: true, masked: false },
];

describeEachBackend('webgpu kernels', (backend) => {
  const tol = backend.tolerance;
  if (tf.getBackend() !== 'webgpu') {
    return;
  }

  // 96 bytes hold blocks of 8 floats at most (4 in the gradient's two buffers): larger ones run
  // out of storage memory.
  // Threads 0: as the adapter gets them (4 on SwiftShader); 256: as a GPU gets them.
  describe.each([
    ['workgroup memory', 0, 0],
    ['workgroup memory', 0, 256],
    ['storage memory', 96, 0],
    ['storage memory', 96, 256],
  ])('work buffers in %s, threads %i (0: by adapter)', (_, bytes, threads) => {
    it.each(CASES)(
      'recurrence and gradient match the references: batch $batch, T $steps, n $units, b $blockSize, backwards $goBackwards, masked $masked',
      (c) => {
        const r = withPlanFlags(bytes as number, threads as number, () => recurrenceAndGrad(c));
        expectClose(r.states, r.reference, tol * 10);
        expectClose(r.dz, r.grads.dz, tol * 10);
        expectClose(r.ds, r.grads.ds, tol * 10);
        expectClose(r.dh0, r.grads.dh0, tol * 10);
      },
    );

    it.each(CASES.map((c, i) => ({ ...c, inDim: [3, 10, 1, 5][i] })))(
      'fused sequence (HadamRNNSequence) matches the references: batch $batch, T $steps, d $inDim, n $units, b $blockSize, backwards $goBackwards, masked $masked',
      (c) => {
        for (const activation of ['relu', 'linear']) {
          const r = withPlanFlags(bytes as number, threads as number, () =>
            sequenceAndReference(c, activation),
          );
          expectClose(r.values, r.reference, tol * 10);
        }
      },
    );

    it.each(CASES.map((c, i) => ({ ...c, inDim: [3, 10, 1, 5][i] })))(
      'fused sequence gradient (linear) matches the references: batch $batch, T $steps, d $inDim, n $units, b $blockSize, backwards $goBackwards, masked $masked',
      (c) => {
        const r = withPlanFlags(bytes as number, threads as number, () =>
          sequenceGradsAndReference(c),
        );
        for (const input of ['x', 'kernel', 'bias', 's', 'h0'] as const) {
          expectClose(r.actual[input], r.expected[input], tol * 10);
        }
      },
    );

    it('transform matches the reference for whole rows, narrower blocks and odd chunk counts', () => {
      for (const [rows, n, blockSize] of [
        [3, 1, 1],
        [5, 8, 2],
        [7, 64, 16],
        [2, 1024, 1024],
        [3, 2048, 4],
      ]) {
        const x = randomValues(rows * n, n + blockSize);
        const y = withPlanFlags(bytes as number, threads as number, () =>
          hadamardTransform(tf.tensor2d(x, [rows, n]), { normalize: true, blockSize }),
        );
        expectClose(valuesOf(y), referenceTransform(x, blockSize, true), tol);
        tf.dispose(y);
      }
    });
  });

  it('affine weight gradients (AffineWeightGrads) match the references', () => {
    for (const [rows, inDim, n] of [
      [300, 10, 16],
      [7, 1, 128],
      [65, 4, 33],
    ]) {
      const x = randomValues(rows * inDim, rows);
      const dy = randomValues(rows * n, n);
      const [dk, db] = affineWeightGrads(tf.tensor2d(x, [rows, inDim]), tf.tensor2d(dy, [rows, n]));
      const reference = referenceAffineWeightGrads(x, dy, rows, inDim, n);
      expectClose(valuesOf(dk), reference.dk, tol * 10);
      expectClose(valuesOf(db), reference.db, tol * 10);
      tf.dispose([dk, db]);
    }
  });

  it('free every buffer they allocate: transform, recurrence and gradient', async () => {
    const c = { batch: 2, steps: 50, units: 32, blockSize: 8, goBackwards: false, masked: true };
    recurrenceAndGrad(c); // compiles the programs and fills tfjs's buffer pool first
    const before = submittedMemory();
    recurrenceAndGrad(c);
    const x = tf.ones([64, 512]);
    const y = hadamardTransform(x);
    await y.data();
    tf.dispose([x, y]);
    const after = submittedMemory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytesInGPU).toBe(before.numBytesInGPU);
  });
});
