/**
 * The cpu kernels' private WebAssembly memory: our module (hadamard.wat, loaded by
 * src/kernels/module/hadamard_module.ts) instantiated on a `WebAssembly.Memory` of its own, so
 * that the cpu backend, which has no wasm heap, still runs the SIMD butterfly (about ten times
 * faster than the JavaScript one: see docs/benchmarks.md).
 *
 * A kernel call opens the memory with the lengths of the buffers it needs, copies its inputs in
 * (one `TypedArray.set` each), runs one of module/calls.ts's wrappers, and copies its outputs out
 * (one `slice` each). Kernels are synchronous and never nest, so every call allocates from
 * offset 0.
 *
 * - The memory is created on first use and grown (`memory.grow`) to the largest call so far; it
 *   never shrinks. Growing detaches the old `ArrayBuffer`, so no typed-array view is kept: each
 *   copy takes a fresh view, and a call grows the memory before its first copy.
 * - Where the module does not run, the call runs on plain typed arrays instead, and the wrappers
 *   run the typed-array impl (fwht_impl.ts, recurrence_impl.ts): when the flag below is false,
 *   when the runtime has no WebAssembly, validates no variant of the module or may not compile it
 *   (a page's Content-Security-Policy), or when the memory cannot grow to a call's size (a 32-bit
 *   memory holds at most 4 GiB).
 */
import { env } from '@tensorflow/tfjs-core';
import type { ModuleMemory } from '../module/calls';
import { hadamardWasmOnMemory, type HadamardWasm } from '../module/hadamard_module';

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

/** A buffer of a cpu kernel call: a range of the private memory, or a plain array. */
export type CpuBuffer = PrivateBuffer | Float32Array;

/** `length` float32 values at byte offset `offset` of the private memory. */
export interface PrivateBuffer {
  offset: number;
  length: number;
}

/** The memory a cpu kernel call runs on: inputs go in, the module's wrappers run, outputs come
 * out as arrays the kernel hands to the backend. */
export interface CpuMemory<B extends CpuBuffer> extends ModuleMemory<B> {
  /** Whether {@link CpuMemory.input} copies, so that the kernel may write over its inputs. */
  readonly copiesInputs: boolean;
  /** `values` where the module or the impl reads them. */
  input(values: Float32Array): B;
  /** The values of `buffer`, as an array the kernel may hand to the backend. */
  output(buffer: B): Float32Array;
}

/**
 * One kernel call's share of the private memory: a bump allocator over the bytes reserved for
 * it, running our module.
 */
class PrivateMemoryCall implements CpuMemory<PrivateBuffer> {
  readonly copiesInputs = true;
  private top = 0;

  constructor(
    /** The module's exports, instantiated on the private memory. */
    readonly exports: HadamardWasm['exports'],
    private readonly memory: WebAssembly.Memory,
    /** Bytes reserved for this call (the memory holds at least as many). */
    private readonly limit: number,
  ) {}

  /** Reserves the values of `shape` (contents left as the last call left them). */
  alloc(shape: number[]): PrivateBuffer {
    const length = shape.reduce((a, b) => a * b, 1);
    const offset = this.top;
    this.top += alignedBytes(length);
    if (this.top > this.limit) {
      throw new Error(
        `cpu private memory: a buffer of ${length} values overruns the ${this.limit} bytes ` +
          'reserved for this kernel call; withCpuMemory must be given every buffer length',
      );
    }
    return { offset, length };
  }

  offsetOf(buffer: PrivateBuffer): number {
    return buffer.offset;
  }

  /** A view of the memory as it is now: valid until the next grow, so never kept. */
  floats({ offset, length }: PrivateBuffer): Float32Array {
    return new Float32Array(this.memory.buffer, offset, length);
  }

  /** Copies `values` into a new buffer. */
  input(values: Float32Array): PrivateBuffer {
    const buffer = this.alloc([values.length]);
    this.floats(buffer).set(values);
    return buffer;
  }

  /** A new array holding `buffer`'s values. */
  output(buffer: PrivateBuffer): Float32Array {
    return this.floats(buffer).slice();
  }
}

/** A kernel call on plain arrays, where the module does not run: inputs are read where they are,
 * and the wrappers run the typed-array impl. */
const typedArrays: CpuMemory<Float32Array> = {
  exports: null,
  copiesInputs: false,
  alloc: (shape) => new Float32Array(shape.reduce((a, b) => a * b, 1)),
  offsetOf: () => {
    throw new Error('cpu kernels: plain arrays have no offset in the module memory');
  },
  floats: (buffer) => buffer,
  input: (values) => values,
  output: (buffer) => buffer,
};

/** A cpu kernel body, written once for both memories. */
export type CpuKernelBody<R> = <B extends CpuBuffer>(memory: CpuMemory<B>) => R;

/**
 * Runs `body` on the private memory, opened for buffers of `lengths` float32 values, or on plain
 * arrays when the module does not run (see {@link privateMemory}).
 */
export function withCpuMemory<R>(lengths: readonly number[], body: CpuKernelBody<R>): R {
  const call = privateMemory(lengths);
  return call == null ? body(typedArrays) : body(call);
}

/**
 * Opens the private memory for one kernel call that will allocate buffers of `lengths` float32
 * values (in any order), growing it first if needed. Returns null when the call should run the
 * typed-array impl instead: `HADAMRNN_CPU_WASM` is false, the module cannot run in this
 * runtime, or the memory cannot grow that far.
 */
function privateMemory(lengths: readonly number[]): PrivateMemoryCall | null {
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
  return new PrivateMemoryCall(target.wasm.exports, target.memory, bytes);
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
        // validates the module but refuses to compile it: the typed-array impl still runs there.
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
