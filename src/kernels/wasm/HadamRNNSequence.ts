import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { kernelConfig, type KernelArgsOf } from '../kernel_config';
import { sequenceCall } from '../module/calls';
import { HadamRNNSequence } from '../names';
import { sequenceShape } from '../recurrence';
import { moveToHeap, wasmHeap } from './heap';

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
  const shape = sequenceShape(inputs, attrs);
  const { batch, steps, units } = shape;
  // The layer's weights may have been created on another backend.
  moveToHeap(backend, Object.values(inputs));
  const heap = wasmHeap(backend, HadamRNNSequence);
  const out = heap.alloc([batch, steps, units]);
  const work = heap.alloc([2, units]);
  sequenceCall(heap, inputs, { out, work }, shape, attrs.activation === 'relu');
  backend.disposeData(work.dataId);
  return out;
}

export const hadamRNNSequenceConfig = kernelConfig(HadamRNNSequence, 'wasm', hadamRNNSequence);
