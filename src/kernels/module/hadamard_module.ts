/**
 * Loads hadamard.wat's module onto a `WebAssembly.Memory`, whichever backend owns it: the tfjs-wasm
 * heap (src/kernels/wasm/heap_module.ts) or the cpu kernels' private memory
 * (src/kernels/cpu/private_memory.ts). Picks the variant that fits the runtime and that memory, and
 * keeps one instance per memory.
 *
 * - SIMD128 unless `WASM_HAS_SIMD_SUPPORT` is false (then tfjs-wasm itself runs its scalar binary)
 *   or `WebAssembly.validate` rejects the SIMD variant: validating the variant itself is the
 *   feature test, so it also covers the shared-memory import.
 * - A shared import when the heap is a SharedArrayBuffer (the threaded tfjs-wasm binary).
 * - One instance per `Memory`: an engine reset builds a new emscripten module with a new memory,
 *   and a `WeakMap` lets the old instance go with it. Heap growth keeps the `Memory` object, so
 *   the instance stays valid; only typed-array views of the heap go stale.
 * - Every variant is under 4 KiB, the most that browsers compile synchronously on the main thread
 *   (kernels are synchronous); a test keeps it so.
 */
import { env } from '@tensorflow/tfjs-core';
import type { RecurrenceShape } from '../recurrence';
import { HADAMARD_WASM } from './hadamard_bytes';

/** The module's exports: pointers are byte offsets into the heap, lengths count float32 values,
 * booleans are 0 or 1. See hadamard.wat for their contracts. */
export interface HadamardWasmExports {
  HadamardTransform(src: number, dst: number, length: number, log2b: number, scale: number): void;
  HadamardRecurrence(
    z: number,
    s: number,
    h0: number,
    mask: number,
    states: number,
    ...shape: RecurrenceArgs
  ): void;
  HadamardRecurrenceGrad(
    dy: number,
    states: number,
    s: number,
    h0: number,
    mask: number,
    dz: number,
    ds: number,
    dh0: number,
    ...shape: RecurrenceArgs
  ): void;
  HadamRNNSequence(
    x: number,
    kernel: number,
    bias: number,
    s: number,
    h0: number,
    mask: number,
    out: number,
    work: number,
    ...args: [...RecurrenceArgs, inDim: number, relu: number]
  ): void;
  AffineWeightGrads(
    x: number,
    dy: number,
    dk: number,
    db: number,
    rows: number,
    inDim: number,
    n: number,
  ): void;
}

/** The arguments that end both recurrence exports: batch, steps, units, log2b, goBackwards (0 or
 * 1), and the scale 1/sqrt(b) of each step's transform. */
export type RecurrenceArgs = [
  batch: number,
  steps: number,
  units: number,
  log2b: number,
  goBackwards: number,
  scale: number,
];

/** {@link RecurrenceArgs} of `shape`. */
export function recurrenceArgs(shape: RecurrenceShape): RecurrenceArgs {
  const { batch, steps, units, blockSize, goBackwards } = shape;
  return [batch, steps, units, Math.log2(blockSize), goBackwards ? 1 : 0, 1 / Math.sqrt(blockSize)];
}

/** A variant of the module, as named in hadamard_bytes.ts. */
export type HadamardWasmVariant = keyof typeof HADAMARD_WASM;

/** A loaded module: which variant, and its exports. */
export interface HadamardWasm {
  variant: HadamardWasmVariant;
  exports: HadamardWasmExports;
}

const instances = new WeakMap<WebAssembly.Memory, HadamardWasm | null>();
const compiled = new Map<HadamardWasmVariant, WebAssembly.Module | null>();

/**
 * Our module instantiated on `memory` (instantiated once per memory, shared or not), or null when
 * no variant validates in this runtime. Growing `memory` later keeps the instance valid.
 */
export function hadamardWasmOnMemory(memory: WebAssembly.Memory): HadamardWasm | null {
  let loaded = instances.get(memory);
  if (loaded === undefined) {
    loaded = instantiate(memory);
    instances.set(memory, loaded);
  }
  return loaded;
}

function instantiate(memory: WebAssembly.Memory): HadamardWasm | null {
  const shared =
    typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const simdAllowed = env().getFlags()['WASM_HAS_SIMD_SUPPORT'] !== false;
  const candidates: HadamardWasmVariant[] = shared
    ? ['simd128Shared', 'scalarShared']
    : ['simd128', 'scalar'];
  for (const variant of simdAllowed ? candidates : candidates.slice(1)) {
    const module = compile(variant);
    if (module == null) {
      continue;
    }
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    return { variant, exports: instance.exports as unknown as HadamardWasmExports };
  }
  return null;
}

/** The compiled variant, or null if this runtime does not validate it. Compiled once. */
function compile(variant: HadamardWasmVariant): WebAssembly.Module | null {
  let module = compiled.get(variant);
  if (module === undefined) {
    const bytes = variantBytes(variant);
    module = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    compiled.set(variant, module);
  }
  return module;
}

/** The binary of a variant, decoded from base64. */
export function variantBytes(variant: HadamardWasmVariant): Uint8Array<ArrayBuffer> {
  const text = atob(HADAMARD_WASM[variant]);
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}
