/**
 * Issue 7's leak check in the browser, where GPU textures can leak without tensors leaking: a
 * HadamRNN + QuantizedDense model's 1,000 predict calls and 100 fit steps (a tenth of each on
 * webgpu, whose CPU emulation takes minutes for the full count) leave tf.memory()'s numTensors and
 * numBytesInGPU where they were (after a first step has created the optimizer's state and a first
 * predict what the layer keeps between predicts), and
 * dispose() frees everything the model owned.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { hadamRNN, quantizedDense } from '../../../src';
import { describeEachBackend } from '../../harness/backends';
import { randomValues } from '../../harness/random';

type Memory = tf.MemoryInfo & { numBytesInGPU?: number };

const BATCH = 4;
const STEPS = 6;

/** The webgpu backend's queue, through the members it keeps private. */
interface WebGPUQueue {
  endComputePassEncoder: () => void;
  ensureCommandEncoderReady: () => void;
  submitQueue: () => void;
}

function memory(): [number, number | undefined] {
  if (tf.getBackend() === 'webgpu') {
    // webgpu releases a disposed tensor's buffer when the commands using it are submitted.
    const queue = tf.backend() as unknown as WebGPUQueue;
    queue.endComputePassEncoder();
    queue.ensureCommandEncoderReady();
    queue.submitQueue();
  }
  const m = tf.memory() as Memory;
  return [m.numTensors, m.numBytesInGPU];
}

describeEachBackend('model leaks', () => {
  it('1,000 predicts and 100 fit steps leave tensors and GPU bytes unchanged; dispose frees all', async () => {
    const repeats = tf.getBackend() === 'webgpu' ? 10 : 100;
    const start = memory();
    const model = tfl.sequential({
      layers: [
        hadamRNN({ units: 8, returnSequences: true, inputShape: [STEPS, 3] }),
        quantizedDense({ units: 4, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(1e-2), loss: 'categoricalCrossentropy' });
    const x = tf.tensor3d(randomValues(BATCH * STEPS * 3, 1), [BATCH, STEPS, 3]);
    const labels = Int32Array.from({ length: BATCH * STEPS }, (_, i) => i % 4);
    const y = tf.oneHot(tf.tensor2d(labels, [BATCH, STEPS], 'int32'), 4);
    // A first fit creates Adam's state, a first predict what the layer keeps between predicts
    // (the fused kernel's quantized weights on wasm and webgpu, replaced when the weights change).
    // Each loop is compared with the state its own kind of call leaves: on webgpu (SwiftShader) a
    // fit and a predict leave a few GPU bytes apart with the same tensors (one small tensor held
    // on the GPU or on the CPU), which is residency, not a leak.
    await model.fit(x, y, { epochs: 1, verbose: 0 });
    tf.dispose(model.predict(x));
    const predicted = memory();
    for (let i = 0; i < 10 * repeats; i++) {
      tf.dispose(model.predict(x));
    }
    expect(memory()).toEqual(predicted);
    await model.fit(x, y, { epochs: 1, batchSize: BATCH, verbose: 0 });
    const fitted = memory();
    expect(fitted[0]).toBe(predicted[0]);
    await model.fit(x, y, { epochs: repeats, batchSize: BATCH, verbose: 0 });
    expect(memory()).toEqual(fitted);
    model.dispose();
    (model.optimizer as tf.Optimizer).dispose();
    tf.dispose([x, y]);
    const [tensors] = memory();
    // tfjs's Adam keeps its iteration counter after dispose() (a tfjs bug), hence at most one.
    expect(tensors - start[0]).toBeLessThanOrEqual(1);
  }, 300_000);
});
