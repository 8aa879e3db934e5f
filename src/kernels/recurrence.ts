/**
 * The recurrence kernels' sizes and small helpers shared by every backend: the sizes of a sequence
 * under the kernels' attributes, the time step of a processing step, and empty gradient outputs.
 */
import type { DataType, TensorInfo } from '@tensorflow/tfjs-core';

/** Sizes shared by both sweeps. */
export interface RecurrenceShape {
  batch: number;
  steps: number;
  units: number;
  blockSize: number;
  goBackwards: boolean;
}

/** The sizes of a [batch, T, n] sequence under the kernels' attributes. */
export function recurrenceShape(
  [batch, steps, units]: readonly number[],
  { blockSize, goBackwards }: { blockSize: number; goBackwards: boolean },
): RecurrenceShape {
  return { batch, steps, units, blockSize, goBackwards };
}

/**
 * The gradient kernels' outputs (dz, ds, dh0) for a sequence with no element: zeros of their shapes,
 * written by the GPU backends without running a program.
 */
export function emptyRecurrenceGrad(
  backend: TensorMaker,
  dyShape: number[],
  { batch, units }: RecurrenceShape,
): TensorInfo[] {
  return [
    zerosInfo(backend, dyShape),
    zerosInfo(backend, [units]),
    zerosInfo(backend, [batch, units]),
  ];
}

/** A backend that writes a tensor from values (every backend's makeTensorInfo). */
export interface TensorMaker {
  makeTensorInfo(shape: number[], dtype: DataType, values: Float32Array): TensorInfo;
}

/** Float32 zeros of `shape`, written by `backend` without running a program. */
export function zerosInfo(backend: TensorMaker, shape: number[]): TensorInfo {
  return backend.makeTensorInfo(
    shape,
    'float32',
    new Float32Array(shape.reduce((a, b) => a * b, 1)),
  );
}

/** Index of the time step consumed at processing step k. */
export function timeIndex(k: number, shape: RecurrenceShape): number {
  return shape.goBackwards ? shape.steps - 1 - k : k;
}

/** The sizes of a `HadamRNNSequence` call: the recurrence's, and the width of its inputs. */
export interface SequenceShape extends RecurrenceShape {
  /** Features of x per step. */
  inDim: number;
}

/** The {@link SequenceShape} of x [batch, T, inDim] projected by kernel [inDim, n]. */
export function sequenceShape(
  { x, kernel }: { x: TensorInfo; kernel: TensorInfo },
  attrs: { blockSize: number; goBackwards: boolean },
): SequenceShape {
  const [batch, steps, inDim] = x.shape;
  return { ...recurrenceShape([batch, steps, kernel.shape[1]], attrs), inDim };
}
