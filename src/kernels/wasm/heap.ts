/**
 * Where a tensor's values live on the tfjs-wasm heap. Offsets are stable for a tensor's life;
 * typed-array views are not (heap growth detaches the buffer), so take views only after the last
 * allocation of a kernel, and never keep them.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { util, type TensorInfo } from '@tensorflow/tfjs-core';
import type { ModuleMemory } from '../module/calls';
import { emscriptenHeap, hadamardWasm } from './heap_module';

/** Byte offset of `t`'s values on the heap; `kernel` names the caller in the error. */
export function offsetOf(backend: BackendWasm, t: TensorInfo, kernel: string): number {
  // DataStorage.get would try to move data it lacks from another backend: check first.
  if (!backend.dataIdMap.has(t.dataId)) {
    throw new Error(`wasm ${kernel}: tensor of shape [${t.shape}] has no data on the wasm heap`);
  }
  return backend.dataIdMap.get(t.dataId).memoryOffset;
}

/** A float32 view of `t`'s values on the heap as it is now (for the typed-array impl). */
export function heapFloats(backend: BackendWasm, t: TensorInfo, kernel: string): Float32Array {
  const buffer = emscriptenHeap(backend).HEAPU8.buffer;
  return new Float32Array(buffer, offsetOf(backend, t, kernel), util.sizeFromShape(t.shape));
}

/**
 * Brings each tensor's values onto the heap when they live on another backend (a layer's weights
 * created before the application switched to wasm): tfjs's DataStorage moves what it lacks on
 * first access. Call before allocating outputs, so that no view or offset is taken mid-move.
 */
export function moveToHeap(backend: BackendWasm, tensors: readonly TensorInfo[]): void {
  for (const t of tensors) {
    backend.dataIdMap.get(t.dataId);
  }
}

/**
 * The heap as the memory of module/calls.ts's wrappers, for one call of `kernel` (named in errors):
 * buffers are tensors, allocated as kernel outputs. Our module runs on it when it can be
 * instantiated there; otherwise the wrappers run the typed-array impl on views of the heap.
 */
export function wasmHeap(backend: BackendWasm, kernel: string): ModuleMemory<TensorInfo> {
  return {
    exports: hadamardWasm(backend)?.exports ?? null,
    alloc: (shape) => backend.makeOutput(shape, 'float32'),
    offsetOf: (t) => offsetOf(backend, t, kernel),
    floats: (t) => heapFloats(backend, t, kernel),
  };
}
