import { memory } from '@tensorflow/tfjs-core';
import { copyBaselineLoss, copySequences, copyTask } from '../../../src/training/tasks/copy_task';
import { Random } from '../../../src/training/random';

describe('copy task', () => {
  it('lays out symbols, blanks, marker and targets as in the paper code', () => {
    const T = 25;
    const { inputs, labels } = copySequences(T, 3, new Random(7));
    for (let i = 0; i < 3; i++) {
      const x = Array.from(inputs.subarray(i * T, (i + 1) * T));
      const y = Array.from(labels.subarray(i * T, (i + 1) * T));
      const symbols = x.slice(0, 10);
      expect(symbols.every((s) => s >= 1 && s <= 8)).toBe(true);
      expect(x.slice(10, T - 10)).toEqual(new Array(T - 20).fill(0));
      expect(x[T - 10]).toBe(9);
      expect(x.slice(T - 9)).toEqual(new Array(9).fill(0));
      expect(y.slice(0, T - 10)).toEqual(new Array(T - 10).fill(0));
      expect(y.slice(T - 10)).toEqual(symbols);
    }
  });

  it('draws the 8 symbols uniformly', () => {
    const { inputs } = copySequences(20, 4000, new Random(1));
    const counts = new Array(10).fill(0);
    inputs.forEach((v, i) => i % 20 < 10 && counts[v]++);
    for (let s = 1; s <= 8; s++) {
      expect(Math.abs(counts[s] / 40000 - 1 / 8)).toBeLessThan(0.01);
    }
  });

  it('has baseline 10 ln 8 / T', () => {
    expect(copyBaselineLoss(1000)).toBeCloseTo(0.020794415416798, 12);
    expect(copyTask({ timeSteps: 100, seed: 1, evalSize: 4 }).baselineLoss).toBeCloseTo(
      (10 * Math.log(8)) / 100,
      12,
    );
  });

  it('serves one-hot batches, reproducible per (epoch, index), without leaks', () => {
    const task = copyTask({ timeSteps: 30, seed: 3, evalSize: 6 });
    const before = memory().numTensors;
    const a = task.trainBatch(2, 5, 4);
    const b = task.trainBatch(2, 5, 4);
    const c = task.trainBatch(2, 6, 4);
    expect(a.x.shape).toEqual([4, 30, 10]);
    expect(a.labels.shape).toEqual([4, 30]);
    expect(a.labels.dtype).toBe('int32');
    const xa = a.x.arraySync() as number[][][];
    expect(xa.every((seq) => seq.every((step) => step.reduce((s, v) => s + v, 0) === 1))).toBe(
      true,
    );
    expect(xa[0][20][9]).toBe(1);
    expect(a.labels.arraySync()).toEqual(b.labels.arraySync());
    expect(a.labels.arraySync()).not.toEqual(c.labels.arraySync());
    const v = task.validation.batch(2, 3);
    expect(v.labels.shape).toEqual([3, 30]);
    const test = task.test.batch(0, 6);
    const validation = task.validation.batch(0, 6);
    expect(test.labels.arraySync()).not.toEqual(validation.labels.arraySync());
    for (const t of [a, b, c, v, test, validation]) {
      t.x.dispose();
      t.labels.dispose();
    }
    expect(memory().numTensors).toBe(before);
  });

  it('rejects a T too short for the layout', () => {
    expect(() => copyTask({ timeSteps: 19, seed: 1, evalSize: 1 })).toThrow(
      'copyTask: T must be an integer >= 20, got 19',
    );
  });
});
