/**
 * Where a tensor's values live on the tfjs-wasm heap. Offsets are stable for a tensor's life;
 * typed-array views are not (heap growth detaches the buffer), so take views only after the last
 * allocation of a kernel, and never keep them.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { util, type TensorInfo } from '@tensorflow/tfjs-core';
import { emscriptenHeap } from './hadamard_module';

/** Byte offset of `t`'s values on the heap; `kernel` names the caller in the error. */
export function offsetOf(backend: BackendWasm, t: TensorInfo, kernel: string): number {
  // DataStorage.get would try to move data it lacks from another backend: check first.
  if (!backend.dataIdMap.has(t.dataId)) {
    throw new Error(`wasm ${kernel}: tensor of shape [${t.shape}] has no data on the wasm heap`);
  }
  return backend.dataIdMap.get(t.dataId).memoryOffset;
}

/** A float32 view of `t`'s values on the heap as it is now (for the JavaScript fallback). */
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
