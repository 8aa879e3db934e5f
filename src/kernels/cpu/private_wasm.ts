/**
 * The cpu kernels' private WebAssembly memory: our module (hadamard.wat, loaded by
 * src/kernels/wasm/hadamard_module.ts) instantiated on a `WebAssembly.Memory` of its own, so
 * that the cpu backend, which has no wasm heap, still runs the SIMD butterfly (about ten times
 * faster than the JavaScript one: see docs/benchmarks.md).
 *
 * A kernel call opens the memory with the lengths of the buffers it needs, copies its inputs in
 * (one `TypedArray.set` each), runs one export on byte offsets, and copies its outputs out (one
 * `slice` each). Kernels are synchronous and never nest, so every call allocates from offset 0.
 *
 * - The memory is created on first use and grown (`memory.grow`) to the largest call so far; it
 *   never shrinks. Growing detaches the old `ArrayBuffer`, so no typed-array view is kept: each
 *   copy takes a fresh view, and a call grows the memory before its first copy.
 * - The JavaScript kernels (fwht.ts, recurrence.ts) remain the fallback: when the flag below is
 *   false, when the runtime has no WebAssembly, validates no variant of the module or may not
 *   compile it (a page's Content-Security-Policy), or when the memory cannot grow to a call's
 *   size (a 32-bit memory holds at most 4 GiB).
 */
import { env } from '@tensorflow/tfjs-core';
import { hadamardWasmOnMemory, type HadamardWasm } from '../wasm/hadamard_module';

/**
 * Environment flag: whether the cpu kernels run our WebAssembly module on their private memory
 * (default: true when the runtime has WebAssembly). Set it to false, e.g.
 * `tf.env().set('HADAMRNN_CPU_WASM', false)`, to run the JavaScript butterfly instead; it is read
 * on every kernel call.
 */
export const CPU_WASM_FLAG = 'HADAMRNN_CPU_WASM';
env().registerFlag(CPU_WASM_FLAG, () => typeof WebAssembly === 'object');

const PAGE_BYTES = 65536;
/** Every buffer starts on a cache line (the SIMD loads need only 16 bytes). */
const ALIGN_BYTES = 64;

/** The memory and our module on it; null once we know the module cannot run here. */
let loaded: { memory: WebAssembly.Memory; wasm: HadamardWasm } | null | undefined;

/**
 * One kernel call's share of the private memory: a bump allocator over the bytes reserved for
 * it. Offsets are byte offsets, as the module's exports take them.
 */
export class PrivateWasmCall {
  private top = 0;

  constructor(
    /** The module's exports, instantiated on the private memory. */
    readonly exports: HadamardWasm['exports'],
    private readonly memory: WebAssembly.Memory,
    /** Bytes reserved for this call (the memory holds at least as many). */
    private readonly limit: number,
  ) {}

  /** Reserves `length` float32 values (contents left as the last call left them); returns
   * their byte offset. */
  alloc(length: number): number {
    const offset = this.top;
    this.top += alignedBytes(length);
    if (this.top > this.limit) {
      throw new Error(
        `cpu private wasm: a buffer of ${length} values overruns the ${this.limit} bytes ` +
          'reserved for this kernel call; privateWasm must be given every buffer length',
      );
    }
    return offset;
  }

  /** Copies `values` into a new buffer (converting to float32); returns its byte offset. */
  copyIn(values: ArrayLike<number>): number {
    const offset = this.alloc(values.length);
    this.floats(offset, values.length).set(values);
    return offset;
  }

  /** A new array holding the `length` values at byte offset `offset`. */
  copyOut(offset: number, length: number): Float32Array {
    return this.floats(offset, length).slice();
  }

  /** A view of the memory as it is now: valid until the next grow, so never kept. */
  private floats(offset: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, offset, length);
  }
}

/**
 * Opens the private memory for one kernel call that will allocate buffers of `lengths` float32
 * values (in any order), growing it first if needed. Returns null when the call should run the
 * JavaScript kernel instead: `HADAMRNN_CPU_WASM` is false, the module cannot run in this
 * runtime, or the memory cannot grow that far.
 */
export function privateWasm(lengths: readonly number[]): PrivateWasmCall | null {
  if (!env().getBool(CPU_WASM_FLAG)) {
    return null;
  }
  const target = load();
  if (target == null) {
    return null;
  }
  const bytes = lengths.reduce((sum, length) => sum + alignedBytes(length), 0);
  if (!reserve(target.memory, bytes)) {
    return null;
  }
  return new PrivateWasmCall(target.wasm.exports, target.memory, bytes);
}

/**
 * The private memory, or null if it was never created (or the module cannot run here). For tests
 * and benchmarks; hold no view of its buffer across a kernel call.
 */
export function privateWasmMemory(): WebAssembly.Memory | null {
  return loaded?.memory ?? null;
}

/** Creates the memory (one page) and instantiates the module on it, once. */
function load(): { memory: WebAssembly.Memory; wasm: HadamardWasm } | null {
  if (loaded === undefined) {
    loaded = null;
    // The flag can be forced true where WebAssembly is missing.
    if (typeof WebAssembly === 'object') {
      try {
        const memory = new WebAssembly.Memory({ initial: 1 });
        const wasm = hadamardWasmOnMemory(memory);
        loaded = wasm == null ? null : { memory, wasm };
      } catch {
        // A page whose Content-Security-Policy forbids compiling WebAssembly ('wasm-unsafe-eval')
        // validates the module but refuses to compile it: the JavaScript kernels still run there.
      }
    }
  }
  return loaded;
}

/** Grows `memory` to at least `bytes`; false if the engine refuses (a RangeError). */
function reserve(memory: WebAssembly.Memory, bytes: number): boolean {
  const missing = bytes - memory.buffer.byteLength;
  if (missing <= 0) {
    return true;
  }
  try {
    memory.grow(Math.ceil(missing / PAGE_BYTES));
    return true;
  } catch {
    return false;
  }
}

/** The bytes a buffer of `length` float32 values takes, rounded up to the next cache line. */
function alignedBytes(length: number): number {
  return Math.ceil((4 * length) / ALIGN_BYTES) * ALIGN_BYTES;
}
