import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { heapFloats, offsetOf } from '../../../src/kernels/wasm/heap';

beforeAll(async () => {
  expect(await tf.setBackend('wasm')).toBe(true);
});

describe('heap', () => {
  it("finds a tensor's values on the heap", () => {
    const backend = tf.backend() as BackendWasm;
    const x = tf.tensor2d([1, -2, 3, 0.5, 0, -6], [2, 3]);
    expect(offsetOf(backend, x, 'HadamardTransform')).toBe(backend.getMemoryOffset(x.dataId));
    expect(Array.from(heapFloats(backend, x, 'HadamardTransform'))).toEqual([1, -2, 3, 0.5, 0, -6]);
    x.dispose();
  });

  it('names the backend, the kernel and the shape when a tensor has no heap data', () => {
    const backend = tf.backend() as BackendWasm;
    const x = tf.zeros([2, 3]);
    const info = { dataId: {}, shape: x.shape, dtype: x.dtype };
    expect(() => offsetOf(backend, info, 'HadamardRecurrence')).toThrow(
      'wasm HadamardRecurrence: tensor of shape [2,3] has no data on the wasm heap',
    );
    x.dispose();
  });
});
