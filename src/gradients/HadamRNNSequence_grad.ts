import {
  engine,
  matMul,
  reshape,
  transpose,
  zerosLike,
  type GradConfig,
  type NamedAttrMap,
  type Tensor,
  type Tensor2D,
} from '@tensorflow/tfjs-core';
import {
  HadamRNNSequence,
  HadamardRecurrenceGrad,
  type HadamRNNSequenceAttrs,
  type HadamardRecurrenceGradAttrs,
} from '../kernels/names';
import { affineWeightGrads } from '../ops/affine_weight_grads';

/**
 * The gradient of `HadamRNNSequence` with the 'linear' activation (the form the layer trains
 * with: its output is then the states): one reverse sweep of `HadamardRecurrenceGrad` gives dz,
 * ds and dh0, and the projection's weight gradients come from one `affineWeightGrads` pass. Both
 * run when the gradient is asked for (any input on the path needs dz); x's gradient,
 * `dz · kernelᵀ`, runs only in its own thunk, which tfjs's tape skips when x needs none (the
 * model's input). The mask gets zeros.
 */
export const hadamRNNSequenceGradConfig: GradConfig = {
  kernelName: HadamRNNSequence,
  inputsToSave: ['x', 'kernel', 's', 'h0', 'mask'],
  outputsToSave: [true],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const { activation, blockSize, goBackwards } = attrs as unknown as HadamRNNSequenceAttrs;
    if (activation !== 'linear') {
      throw new Error(
        `HadamRNNSequence: the gradient is defined for activation 'linear' only, got '${activation}' ` +
          '(the layer applies any other activation after the linear states)',
      );
    }
    const [x, kernel, s, h0, mask, states] = saved;
    const [batch, steps] = x.shape;
    const [inDim, units] = (kernel as Tensor2D).shape;
    // Computed here, not in a thunk: the tape runs each thunk in its own tidy, which would free
    // what the next thunk shares.
    const [dz, ds, dh0] = engine().runKernel(
      HadamardRecurrenceGrad,
      { dy: dy as Tensor, states, s, h0, mask },
      { blockSize, goBackwards } satisfies HadamardRecurrenceGradAttrs,
    ) as Tensor[];
    const dzRows = reshape(dz, [batch * steps, units]) as Tensor2D;
    const [dKernel, dBias] = affineWeightGrads(
      reshape(x, [batch * steps, inDim]) as Tensor2D,
      dzRows,
    );
    return {
      // A transpose, then a plain product: tfjs-wasm runs transposeB products on a slower path.
      x: () => reshape(matMul(dzRows, transpose(kernel)), x.shape),
      kernel: () => dKernel,
      bias: () => dBias,
      s: () => ds,
      h0: () => dh0,
      mask: () => zerosLike(mask),
    };
  },
};
