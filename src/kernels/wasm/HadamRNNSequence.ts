import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { kernelConfig, type KernelArgsOf } from '../kernel_config';
import { HadamRNNSequence } from '../names';
import { recurrenceArgs } from '../module/hadamard_module';
import { sequenceShape } from '../recurrence';
import { hadamRNNSequenceImpl } from '../sequence_impl';
import { heapFloats, moveToHeap, offsetOf } from './heap';
import { hadamardWasm } from './heap_module';

/**
 * wasm `HadamRNNSequence`: projection, bias, recurrence and activation in one pass of our module
 * per batch row, each output row written once; the state and the next one live in a scratch
 * tensor of 2n floats. Where the module cannot run, sequence_impl.ts on views of the heap.
 */
export function hadamRNNSequence({
  inputs,
  backend,
  attrs,
}: KernelArgsOf<typeof HadamRNNSequence, BackendWasm>): TensorInfo {
  const { x, kernel, bias, s, h0, mask } = inputs;
  const shape = sequenceShape(inputs, attrs);
  const { batch, steps, units, inDim } = shape;
  // The layer's weights may have been created on another backend.
  moveToHeap(backend, [x, kernel, bias, s, h0, mask]);
  const out = backend.makeOutput([batch, steps, units], 'float32');
  const wasm = hadamardWasm(backend);
  if (wasm == null) {
    const view = (t: TensorInfo) => heapFloats(backend, t, HadamRNNSequence);
    const relu = attrs.activation === 'relu';
    hadamRNNSequenceImpl(
      view(x),
      view(kernel),
      view(bias),
      view(s),
      view(h0),
      view(mask),
      shape,
      relu,
      view(out),
    );
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

export const hadamRNNSequenceConfig = kernelConfig(HadamRNNSequence, 'wasm', hadamRNNSequence);
