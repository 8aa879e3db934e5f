/**
 * The package's math from stock tfjs ops, used on any backend without our kernels (the
 * tfjs-node `tensorflow` backend, ...). Slower, but correct everywhere and differentiable by tfjs's
 * own gradients.
 */
import {
  add,
  clone,
  concat,
  expandDims,
  getBackend,
  getKernel,
  greater,
  mul,
  reshape,
  scalar,
  split,
  stack,
  sub,
  unstack,
  where,
  slice,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  type Tensor3D,
} from '@tensorflow/tfjs-core';
import type { HadamardRecurrenceAttrs, HadamardTransformAttrs } from '../kernels/names';
import { timeIndex } from '../kernels/recurrence';

/** True when the active backend has a kernel registered under `kernelName`. */
export function hasKernel(kernelName: string): boolean {
  return getKernel(kernelName, getBackend()) != null;
}

/** The blockwise Walsh-Hadamard transform of `x` along its last axis, as log2(b) butterfly stages
 * of reshape, split, add, sub and concat. Call inside a tidy. */
export function transformFromStockOps(x: Tensor, attrs: HadamardTransformAttrs): Tensor {
  const { blockSize, normalize } = attrs;
  if (x.size === 0) {
    return clone(x); // tfjs's cpu split fails on empty tensors
  }
  const rows = x.size / blockSize;
  let y = reshape(x, [rows, blockSize]);
  for (let h = 1; h < blockSize; h *= 2) {
    const pairs = reshape(y, [(rows * blockSize) / (2 * h), 2, h]);
    const [a, b] = split(pairs, 2, 1);
    y = reshape(concat([add(a, b), sub(a, b)], 1), [rows, blockSize]);
  }
  if (normalize) {
    y = mul(y, scalar(1 / Math.sqrt(blockSize)));
  }
  return reshape(y, x.shape);
}

/**
 * Every state of the Hadamard recurrence, one step of stock ops at a time. `transform` is the
 * normalized blockwise transform to use (the op picks a kernel when the backend has one).
 * Call inside a tidy.
 */
export function recurrenceFromStockOps(
  z: Tensor3D,
  s: Tensor1D,
  h0: Tensor2D,
  mask: Tensor2D,
  attrs: HadamardRecurrenceAttrs,
  transform: (h: Tensor2D) => Tensor2D,
): Tensor3D {
  const [batch, steps, units] = z.shape;
  if (steps === 0) {
    // [batch, 0, n] computed from every input, so that tf.grads still reaches z, s and h0 (with
    // zero gradients): a fresh zeros() made tf.grads throw here. Empty slices, not a broadcast of
    // h0, because tfjs's add gradient cannot reduce a size-1 axis broadcast to size 0.
    const fromH0 = slice(expandDims(h0, 1), [0, 0, 0], [batch, 0, units]);
    const fromS = slice(reshape(s, [1, 1, units]), [0, 0, 0], [1, 0, units]);
    return add(add(z, fromH0), fromS) as Tensor3D;
  }
  const inputs = unstackSteps(z) as Tensor2D[];
  const runs = unstackSteps(expandDims(greater(mask, 0), 2));
  const shape = { batch, steps, units, blockSize: attrs.blockSize, goBackwards: attrs.goBackwards };
  const states: Tensor2D[] = [];
  let h = h0;
  for (let k = 0; k < steps; k++) {
    const t = timeIndex(k, shape);
    const next = add(mul(s, transform(h)), inputs[t]) as Tensor2D;
    h = where(runs[t], next, h);
    states.push(h);
  }
  return stack(states, 1) as Tensor3D;
}

/** unstack along axis 1, except that one step is a reshape: tfjs's Unpack gradient fails when
 * unstack has a single output. */
function unstackSteps(x: Tensor): Tensor[] {
  return x.shape[1] === 1 ? [reshape(x, [x.shape[0], ...x.shape.slice(2)])] : unstack(x, 1);
}
