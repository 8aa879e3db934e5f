import * as tf from '@tensorflow/tfjs-core';
import { hadamardRecurrence, hadamardTransform } from '../../../src';
import { hadamardRecurrence as recurrenceKernel } from '../../../src/kernels/cpu/HadamardRecurrence';
import { hadamardRecurrenceGrad as recurrenceGradKernel } from '../../../src/kernels/cpu/HadamardRecurrenceGrad';
import { CPU_WASM_FLAG, privateWasmMemory } from '../../../src/kernels/cpu/private_memory';
import * as fwhtModule from '../../../src/kernels/fwht_impl';
import * as recurrenceModule from '../../../src/kernels/recurrence_impl';
import { CPU, CPU_JS, describeEachBackend } from '../../harness/backends';
import { expectClose, expectNoLeaks, valuesOf } from '../../harness/expect';
import { randomSigns, randomValues } from '../../harness/random';
import {
  referenceRecurrence,
  referenceRecurrenceGrad,
  referenceTransform,
} from '../../reference/dense';

const TOLERANCE = 1e-5;

/** Runs `fn` with HADAMRNN_CPU_WASM set to `value`, restoring it after. */
function withCpuWasm<T>(value: boolean, fn: () => T): T {
  const before = tf.env().get(CPU_WASM_FLAG);
  tf.env().set(CPU_WASM_FLAG, value);
  try {
    return fn();
  } finally {
    tf.env().set(CPU_WASM_FLAG, before);
  }
}

/** The private memory's size in bytes now (0 before it exists). */
const memoryBytes = () => privateWasmMemory()?.buffer.byteLength ?? 0;

/** Transforms `rows` rows of `n` values (blockSize 64, normalized) through the op; checks them
 * against the dense reference, and that no tensor leaks. */
async function checkTransform(rows: number, n: number, seed: number): Promise<void> {
  const values = randomValues(rows * n, seed);
  await expectNoLeaks(() => {
    const y = tf.tidy(() => hadamardTransform(tf.tensor2d(values, [rows, n]), { blockSize: 64 }));
    expectClose(valuesOf(y), referenceTransform(values, 64, true), TOLERANCE);
    y.dispose();
  });
}

/** Random recurrence inputs with `rows` batch rows of 8 steps of 16 units, a few steps masked. */
function recurrenceCase(rows: number, seed: number) {
  const shape = { batch: rows, steps: 8, units: 16, blockSize: 8, goBackwards: true };
  const size = rows * shape.steps * shape.units;
  const mask = Float32Array.from({ length: rows * shape.steps }, (_, i) => (i % 5 === 2 ? 0 : 1));
  return {
    shape,
    z: randomValues(size, seed),
    s: randomSigns(shape.units, seed + 1),
    h0: randomValues(rows * shape.units, seed + 2),
    dy: randomValues(size, seed + 3),
    mask,
  };
}

describe('cpu kernels on their private WebAssembly memory', () => {
  beforeAll(async () => {
    expect(await tf.setBackend('cpu')).toBe(true);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('defaults HADAMRNN_CPU_WASM to true where WebAssembly exists', () => {
    expect(typeof WebAssembly).toBe('object');
    expect(tf.env().get(CPU_WASM_FLAG)).toBe(true);
  });

  it('creates the memory on first use and grows it for a transform larger than it', async () => {
    // Each jest file has its own module registry: no kernel has run on this memory yet.
    expect(privateWasmMemory()).toBeNull();
    await checkTransform(2, 64, 1);
    const memory = privateWasmMemory();
    expect(memory).not.toBeNull();
    const initialBytes = memoryBytes();
    expect(initialBytes).toBeGreaterThan(0);

    // Twice the memory's size, plus a row: it must grow (and keep its Memory object).
    const rows = (2 * initialBytes) / (4 * 256) + 1;
    await checkTransform(rows, 256, 2);
    expect(privateWasmMemory()).toBe(memory);
    expect(memoryBytes()).toBeGreaterThanOrEqual(rows * 256 * 4);

    // Small again, after the grow detached the old buffer: no stale view may be used.
    const grownBytes = memoryBytes();
    await checkTransform(3, 128, 3);
    expect(memoryBytes()).toBe(grownBytes);
  });

  it('runs the recurrence and its gradient on memory grown for them', () => {
    const backend = tf.backend();
    // Each [batch, 8, 16] array is 512 bytes per row: together they overflow the memory.
    const rows = Math.ceil(memoryBytes() / 512) + 1;
    const { shape, z, s, h0, dy, mask } = recurrenceCase(rows, 10);
    const { blockSize, goBackwards, batch, steps, units } = shape;
    const attrs = { blockSize, goBackwards };
    const before = memoryBytes();
    const [tz, ts, th0, tdy, tmask] = [
      tf.tensor3d(z, [batch, steps, units]),
      tf.tensor1d(s),
      tf.tensor2d(h0, [batch, units]),
      tf.tensor3d(dy, [batch, steps, units]),
      tf.tensor2d(mask, [batch, steps]),
    ];
    const states = recurrenceKernel({
      inputs: { z: tz, s: ts, h0: th0, mask: tmask },
      backend,
      attrs,
    });
    const grads = recurrenceGradKernel({
      inputs: { dy: tdy, states, s: ts, h0: th0, mask: tmask },
      backend,
      attrs,
    });
    expect(memoryBytes()).toBeGreaterThan(before);
    const read = (t: tf.TensorInfo) => backend.readSync(t.dataId) as Float32Array;
    expectClose(read(states), referenceRecurrence(z, s, h0, mask, shape), TOLERANCE);
    const expected = referenceRecurrenceGrad(dy, z, s, h0, mask, shape);
    expect(grads.map((g) => g.shape)).toEqual([[batch, steps, units], [units], [batch, units]]);
    expectClose(read(grads[0]), expected.dz, TOLERANCE);
    expectClose(read(grads[1]), expected.ds, TOLERANCE);
    expectClose(read(grads[2]), expected.dh0, TOLERANCE);
    for (const t of [states, ...grads]) {
      backend.disposeData(t.dataId);
    }
    tf.dispose([tz, ts, th0, tdy, tmask]);
  });

  it('runs no JavaScript butterfly with the flag on, and only it with the flag off', async () => {
    const fwht = jest.spyOn(fwhtModule, 'fwhtImpl');
    const forward = jest.spyOn(recurrenceModule, 'recurrenceForwardImpl');
    const backward = jest.spyOn(recurrenceModule, 'recurrenceBackwardImpl');
    // A recurrence and its gradient with respect to z (the op's registered gradient), all tensors
    // freed but the returned dz.
    const run = () => {
      const { shape, z, s, h0, mask } = recurrenceCase(2, 20);
      const { batch, steps, units, blockSize, goBackwards } = shape;
      return tf.tidy(() => {
        const args = [tf.tensor1d(s), tf.tensor2d(h0, [batch, units])] as const;
        const options = { blockSize, goBackwards, mask: tf.tensor2d(mask, [batch, steps]) };
        const loss = (x: tf.Tensor) =>
          tf.sum(hadamardRecurrence(x as tf.Tensor3D, ...args, options));
        return tf.grad(loss)(tf.tensor3d(z, [batch, steps, units]));
      });
    };

    await checkTransform(2, 64, 4);
    const wasmDz = run();
    expect(fwht).not.toHaveBeenCalled();
    expect(forward).not.toHaveBeenCalled();
    expect(backward).not.toHaveBeenCalled();

    const bytes = memoryBytes();
    const rows = bytes / (4 * 64) + 1; // larger than the memory: it must not grow now
    await withCpuWasm(false, () => checkTransform(rows, 64, 5));
    const jsDz = withCpuWasm(false, run);
    expect(fwht).toHaveBeenCalled();
    expect(forward).toHaveBeenCalledTimes(1);
    expect(backward).toHaveBeenCalledTimes(1);
    expect(memoryBytes()).toBe(bytes);
    expectClose(valuesOf(wasmDz), valuesOf(jsDz), TOLERANCE);
    tf.dispose([wasmDz, jsDz]);
  });

  it('runs the typed-array impl when the memory cannot grow', async () => {
    const fwht = jest.spyOn(fwhtModule, 'fwhtImpl');
    jest.spyOn(WebAssembly.Memory.prototype, 'grow').mockImplementation(() => {
      throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
    });
    const bytes = memoryBytes();
    await checkTransform(bytes / (4 * 64) + 1, 64, 6);
    expect(fwht).toHaveBeenCalledTimes(1);
    expect(memoryBytes()).toBe(bytes);
    // Calls that fit still run on the module.
    await checkTransform(4, 64, 7);
    expect(fwht).toHaveBeenCalledTimes(1);
  });
});

describeEachBackend(
  'the harness entry',
  (backend) => {
    it('runs the path its flags select', async () => {
      const fwht = jest.spyOn(fwhtModule, 'fwhtImpl');
      await checkTransform(2, 64, 8);
      expect(fwht).toHaveBeenCalledTimes(backend === CPU_JS ? 1 : 0);
      fwht.mockRestore();
    });
  },
  [CPU, CPU_JS],
);

it('has HADAMRNN_CPU_WASM restored after the cpu-js suite', () => {
  expect(tf.env().get(CPU_WASM_FLAG)).toBe(true);
});
