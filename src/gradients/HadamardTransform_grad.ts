import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';
import { HadamardTransform, type HadamardTransformAttrs } from '../kernels/names';
import { hadamardTransform } from '../ops/hadamard_transform';

/** dx = (I ⊗ S_b) dy (scaled like the forward pass): the matrix is symmetric. */
export const hadamardTransformGradConfig: GradConfig = {
  kernelName: HadamardTransform,
  gradFunc: (dy: Tensor | Tensor[], _saved: Tensor[], attrs: NamedAttrMap) => {
    const { blockSize, normalize } = attrs as HadamardTransformAttrs;
    return { x: () => hadamardTransform(dy as Tensor, { blockSize, normalize }) };
  },
};
