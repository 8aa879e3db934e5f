/**
 * Our module on the tfjs-wasm heap: finds the emscripten `WebAssembly.Memory` behind a wasm backend
 * and instantiates the shared loader (src/kernels/module/hadamard_module.ts) on it.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { hadamardWasmOnMemory, type HadamardWasm } from '../module/hadamard_module';

/** What we read of the emscripten module behind tfjs-wasm. Its non-threaded builds export their
 * memory (`asm.memory`); the threaded build creates it in JavaScript (`wasmMemory`). */
interface EmscriptenHeap {
  asm?: { memory?: unknown };
  wasmMemory?: unknown;
  HEAPU8: Uint8Array;
}

/** The emscripten module of a wasm backend, typed as far as we use it. */
export function emscriptenHeap(backend: BackendWasm): EmscriptenHeap {
  return backend.wasm as unknown as EmscriptenHeap;
}

/** The backend's heap as a `WebAssembly.Memory` we can import, or null if it is not reachable. */
export function heapMemory(backend: BackendWasm): WebAssembly.Memory | null {
  const wasm = emscriptenHeap(backend);
  for (const candidate of [wasm.wasmMemory, wasm.asm?.memory]) {
    if (candidate instanceof WebAssembly.Memory) {
      return candidate;
    }
  }
  return null;
}

/**
 * Our module instantiated on `backend`'s heap, or null when it cannot be (the memory is not
 * reachable, or no variant validates): the kernels then run the typed-array impl on views of
 * the heap. The import's limits (0 to 65536 pages) link with any 32-bit heap.
 */
export function hadamardWasm(backend: BackendWasm): HadamardWasm | null {
  const memory = heapMemory(backend);
  return memory == null ? null : hadamardWasmOnMemory(memory);
}
