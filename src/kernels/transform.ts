/** The transform kernels' derived values, computed once for every backend. */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { HadamardTransformAttrs } from './names';

/** What every `HadamardTransform` kernel derives from its input and attributes. */
export interface TransformArgs {
  /** Values of x (a multiple of blockSize). */
  size: number;
  /** Size of each transformed block. */
  blockSize: number;
  /** 1/sqrt(blockSize) when normalized, else 1: applied once, in one pass. */
  scale: number;
}

/** The {@link TransformArgs} of transforming `x` under `attrs`. */
export function transformArgs(
  x: TensorInfo,
  { blockSize, normalize }: HadamardTransformAttrs,
): TransformArgs {
  return {
    size: x.shape.reduce((a, b) => a * b, 1),
    blockSize,
    scale: normalize ? 1 / Math.sqrt(blockSize) : 1,
  };
}
