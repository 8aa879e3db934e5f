import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { KeptTensors } from '../../src/layers/kept_tensors';

interface Pair {
  a: tf.Tensor;
  b: tf.Tensor | null;
}

describe('KeptTensors', () => {
  beforeAll(() => tf.setBackend('cpu'));

  it('builds once per key, and again for a new key', () => {
    const kept = new KeptTensors<Pair>();
    let builds = 0;
    const build = () => {
      builds += 1;
      return { a: tf.tensor1d([builds]), b: null };
    };
    tf.tidy(() => {
      expect(Array.from(kept.kept(['x', 1], build).a.dataSync())).toEqual([1]);
      expect(Array.from(kept.kept(['x', 1], build).a.dataSync())).toEqual([1]);
      expect(Array.from(kept.kept(['x', 2], build).a.dataSync())).toEqual([2]);
    });
    expect(builds).toBe(2);
    // Survives the tidy it was built in; disposing frees exactly what was kept.
    const before = tf.memory().numTensors;
    kept.dispose();
    expect(tf.memory().numTensors).toBe(before - 1);
  });

  it('keptOnRepeat answers null to the first request for a key and builds on the second', () => {
    const kept = new KeptTensors<Pair>();
    const build = () => ({ a: tf.scalar(7), b: tf.scalar(8) });
    expect(kept.keptOnRepeat([1], build)).toBeNull();
    const record = kept.keptOnRepeat([1], build);
    expect(record?.b?.dataSync()[0]).toBe(8);
    expect(kept.keptOnRepeat([2], build)).toBeNull();
    kept.dispose();
  });

  it('keeps clones: disposing it never frees what build returned', () => {
    const weight = tf.tensor1d([1, 2, 3]);
    const kept = new KeptTensors<Pair>();
    kept.kept([weight.dataId], () => ({ a: weight, b: null }));
    kept.dispose();
    expect(weight.isDisposed).toBe(false);
    expect(Array.from(weight.dataSync())).toEqual([1, 2, 3]);
    const before = tf.memory().numTensors;
    weight.dispose();
    expect(tf.memory().numTensors).toBe(before - 1);
  });
});
