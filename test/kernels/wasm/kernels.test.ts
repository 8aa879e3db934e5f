// The wasm kernels against the concerns of working in place on the tfjs-wasm heap: growth of the
// heap while a kernel allocates its outputs, the typed-array impl, and an engine reset (a new
// emscripten module with a new memory). Their math is covered by test/conformance on every backend.
// (Large typed-array loops are slow under jest's sandbox, so heap growth is provoked, not filled.)
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { hadamardRecurrence, hadamardTransform } from '../../../src';
import { AffineWeightGrads, HadamardRecurrenceGrad } from '../../../src/kernels/names';
import * as loader from '../../../src/kernels/wasm/heap_module';
import { expectClose, expectNoLeaks, valuesOf } from '../../harness/expect';
import { randomSigns, randomValues } from '../../harness/random';
import {
  referenceAffineWeightGrads,
  referenceRecurrence,
  referenceRecurrenceGrad,
  referenceTransform,
} from '../../reference/dense';

const TOLERANCE = 1e-5;
const wasmBackend = () => tf.backend() as BackendWasm;
const heapBytes = () => loader.heapMemory(wasmBackend())!.buffer.byteLength;

beforeAll(async () => {
  expect(await tf.setBackend('wasm')).toBe(true);
});

afterEach(() => {
  jest.restoreAllMocks();
});

interface RecurrenceCase {
  batch: number;
  steps: number;
  units: number;
  blockSize: number;
  goBackwards: boolean;
}

/**
 * Runs `fn` with every `makeOutput` of the wasm backend followed by a growth of the heap through
 * emscripten's own malloc (as when an output does not fit): a kernel that took a view of the heap
 * before its last allocation would read a detached buffer. Returns the result and the growth.
 */
function growingOnEachOutput<T>(fn: () => T): { result: T; growth: number } {
  const backend = wasmBackend();
  const emscripten = backend.wasm as unknown as {
    _malloc(n: number): number;
    _free(p: number): void;
  };
  const makeOutput = backend.makeOutput.bind(backend);
  const spy = jest.spyOn(backend, 'makeOutput').mockImplementation((...args) => {
    const out = makeOutput(...args);
    emscripten._free(emscripten._malloc(heapBytes()));
    return out;
  });
  const before = heapBytes();
  try {
    const result = fn();
    return { result, growth: heapBytes() / before };
  } finally {
    spy.mockRestore();
  }
}

/** The recurrence and its gradient kernel, each run while the heap grows, against the dense
 * references. */
async function checkRecurrence(c: RecurrenceCase) {
  const { batch, steps, units } = c;
  const z = randomValues(batch * steps * units, 1);
  const s = randomSigns(units, 2);
  const h0 = randomValues(batch * units, 3);
  const dy = randomValues(batch * steps * units, 4);
  const mask = Float32Array.from({ length: batch * steps }, (_, i) => (i % 3 === 1 ? 0 : 1));
  await expectNoLeaks(() => {
    const inputs = {
      z: tf.tensor3d(z, [batch, steps, units]),
      s: tf.tensor1d(s),
      h0: tf.tensor2d(h0, [batch, units]),
      mask: tf.tensor2d(mask, [batch, steps]),
      dy: tf.tensor3d(dy, [batch, steps, units]),
    };
    const forward = growingOnEachOutput(() =>
      hadamardRecurrence(inputs.z, inputs.s, inputs.h0, { ...c, mask: inputs.mask }),
    );
    expect(forward.growth).toBeGreaterThan(1);
    const states = forward.result;
    expectClose(valuesOf(states), referenceRecurrence(z, s, h0, mask, c), TOLERANCE * 4);
    const backward = growingOnEachOutput(
      () =>
        tf.engine().runKernel(
          HadamardRecurrenceGrad,
          { ...inputs, states },
          {
            blockSize: c.blockSize,
            goBackwards: c.goBackwards,
          },
        ) as tf.Tensor[],
    );
    expect(backward.growth).toBeGreaterThan(1);
    const [dz, ds, dh0] = backward.result;
    const expected = referenceRecurrenceGrad(dy, z, s, h0, mask, c);
    expectClose(valuesOf(dz), expected.dz, TOLERANCE * 4);
    expectClose(valuesOf(ds), expected.ds, TOLERANCE * 4 * batch * steps);
    expectClose(valuesOf(dh0), expected.dh0, TOLERANCE * 4);
    tf.dispose([...Object.values(inputs), states, dz, ds, dh0]);
  });
}

/** The affine map's weight gradients from the kernel, run while the heap grows, against float64
 * sums. n = 19 leaves a scalar tail after the vector loop. */
async function checkAffineWeightGrads(rows: number, inDim: number, n: number) {
  const x = randomValues(rows * inDim, 7);
  const dy = randomValues(rows * n, 8);
  const { dk, db } = referenceAffineWeightGrads(x, dy, rows, inDim, n);
  await expectNoLeaks(() => {
    const inputs = { x: tf.tensor2d(x, [rows, inDim]), dy: tf.tensor2d(dy, [rows, n]) };
    const { result, growth } = growingOnEachOutput(
      () => tf.engine().runKernel(AffineWeightGrads, inputs, {}) as tf.Tensor[],
    );
    expect(growth).toBeGreaterThan(1);
    expectClose(valuesOf(result[0]), dk, TOLERANCE * rows);
    expectClose(valuesOf(result[1]), db, TOLERANCE * rows);
    tf.dispose([...Object.values(inputs), ...result]);
  });
}

describe.each([
  ['our module', false],
  ['the typed-array impl', true],
])('wasm kernels through %s', (_, typedArrayImpl) => {
  // A fresh 16 MiB heap for each test: growingOnEachOutput at least doubles it per output.
  beforeEach(async () => {
    tf.engine().reset();
    expect(await tf.setBackend('wasm')).toBe(true);
    if (typedArrayImpl) {
      jest.spyOn(loader, 'hadamardWasm').mockReturnValue(null);
    }
  });

  it('uses the path under test', () => {
    const spy = jest.spyOn(loader, 'hadamardWasm');
    tf.dispose(hadamardTransform(tf.zeros([4, 8])));
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.results[0].value === null).toBe(typedArrayImpl);
  });

  it('transforms correctly while the heap grows', async () => {
    const values = randomValues(3 * 256, 5);
    await expectNoLeaks(() => {
      const x = tf.tensor2d(values, [3, 256]);
      const { result, growth } = growingOnEachOutput(() => hadamardTransform(x, { blockSize: 64 }));
      expect(growth).toBeGreaterThan(1);
      expectClose(valuesOf(result), referenceTransform(values, 64, true), TOLERANCE);
      tf.dispose([x, result]);
    });
  });

  it.each([
    { batch: 3, steps: 5, units: 64, blockSize: 16, goBackwards: true },
    { batch: 2, steps: 4, units: 2, blockSize: 2, goBackwards: false },
  ])('runs the recurrence and its gradient while the heap grows: %j', checkRecurrence);

  it.each([
    [37, 3, 19],
    [5, 10, 128],
    [1, 1, 4],
  ])('sums the affine weight gradients of %i rows, %i inputs, %i outputs', checkAffineWeightGrads);
});

describe('after an engine reset', () => {
  it('loads a new instance on the new memory and computes with it', async () => {
    const memoryBefore = loader.heapMemory(wasmBackend());
    const instanceBefore = loader.hadamardWasm(wasmBackend());
    tf.engine().reset();
    expect(await tf.setBackend('wasm')).toBe(true);
    expect(loader.heapMemory(wasmBackend())).not.toBe(memoryBefore);
    expect(loader.hadamardWasm(wasmBackend())).not.toBe(instanceBefore);
    const values = randomValues(4 * 128, 6);
    await expectNoLeaks(() => {
      const y = tf.tidy(() => hadamardTransform(tf.tensor2d(values, [4, 128])));
      expectClose(valuesOf(y), referenceTransform(values, 128, true), TOLERANCE);
      y.dispose();
    });
    await checkRecurrence({ batch: 2, steps: 3, units: 32, blockSize: 32, goBackwards: false });
  });
});
