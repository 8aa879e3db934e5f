import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { kernelConfig, type KernelArgs } from '../kernel_config';
import {
  HadamRNNSequence,
  type HadamRNNSequenceAttrs,
  type HadamRNNSequenceInputs,
} from '../names';
import { recurrenceArgs } from '../module/hadamard_module';
import { recurrenceShape, type RecurrenceShape } from '../recurrence';
import { recurrenceForwardImpl } from '../recurrence_impl';
import { heapFloats, moveToHeap, offsetOf } from './heap';
import { hadamardWasm } from './heap_module';

/**
 * wasm `HadamRNNSequence`: projection, bias, recurrence and activation in one pass of our module
 * per batch row, each output row written once; the state and the next one live in a scratch
 * tensor of 2n floats. Where the module cannot run, the same math in JavaScript on the heap.
 */
export function hadamRNNSequence({
  inputs,
  backend,
  attrs,
}: KernelArgs<HadamRNNSequenceInputs, BackendWasm, HadamRNNSequenceAttrs>): TensorInfo {
  const { x, kernel, bias, s, h0, mask } = inputs;
  const [batch, steps, inDim] = x.shape;
  const units = kernel.shape[1];
  const shape = recurrenceShape([batch, steps, units], attrs);
  // The layer's weights may have been created on another backend.
  moveToHeap(backend, [x, kernel, bias, s, h0, mask]);
  const out = backend.makeOutput([batch, steps, units], 'float32');
  const wasm = hadamardWasm(backend);
  if (wasm == null) {
    const view = (t: TensorInfo) => heapFloats(backend, t, HadamRNNSequence);
    sequenceFallback(view(x), view(kernel), view(bias), view(s), view(h0), view(mask), shape, {
      inDim,
      relu: attrs.activation === 'relu',
      out: view(out),
    });
    return out;
  }
  const work = backend.makeOutput([2, units], 'float32');
  const at = (t: TensorInfo) => offsetOf(backend, t, HadamRNNSequence);
  wasm.exports.HadamRNNSequence(
    at(x), // [batch, T, inDim], time order
    at(kernel), // [inDim, n]
    at(bias), // [n]
    at(s), // [n]
    at(h0), // [batch, n]
    at(mask), // [batch, T]
    at(out), // [batch, T, n] out, processing order, activated
    at(work), // [2, n] scratch
    ...recurrenceArgs(shape),
    inDim,
    attrs.activation === 'relu' ? 1 : 0,
  );
  backend.disposeData(work.dataId);
  return out;
}

/** The kernel's math on typed arrays: z = x · kernel + bias, recurrenceForward, activation. */
function sequenceFallback(
  x: Float32Array,
  kernel: Float32Array,
  bias: Float32Array,
  s: Float32Array,
  h0: Float32Array,
  mask: Float32Array,
  shape: RecurrenceShape,
  { inDim, relu, out }: { inDim: number; relu: boolean; out: Float32Array },
): void {
  const n = shape.units;
  const z = new Float32Array(out.length);
  for (let row = 0; row < shape.batch * shape.steps; row++) {
    for (let j = 0; j < n; j++) {
      let sum = bias[j];
      for (let i = 0; i < inDim; i++) {
        sum += x[row * inDim + i] * kernel[i * n + j];
      }
      z[row * n + j] = sum;
    }
  }
  recurrenceForwardImpl(z, s, h0, mask, shape, out);
  if (relu) {
    out.forEach((v, i) => (out[i] = Math.max(v, 0)));
  }
}

export const hadamRNNSequenceConfig = kernelConfig(HadamRNNSequence, 'wasm', hadamRNNSequence);
