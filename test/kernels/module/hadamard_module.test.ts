import '@tensorflow/tfjs-backend-wasm'; // registers the WASM_HAS_SIMD_SUPPORT flag
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { env } from '@tensorflow/tfjs-core';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import wabtFactory from 'wabt';
import * as kernelNames from '../../../src/kernels/names';
import { HADAMARD_WASM } from '../../../src/kernels/module/hadamard_bytes';
import {
  variantBytes,
  type HadamardWasmVariant,
} from '../../../src/kernels/module/hadamard_module';
import { hadamardWasm } from '../../../src/kernels/wasm/heap_module';
import { expectClose } from '../../harness/expect';
import { randomValues } from '../../harness/random';
import { referenceRecurrence, referenceTransform } from '../../reference/dense';
import { referenceProjection } from '../../reference/layer';

const VARIANTS = Object.keys(HADAMARD_WASM) as HadamardWasmVariant[];
const PAGE = 65536;

/** A stand-in for a wasm backend: just the parts of the emscripten module the loader reads. */
function fakeBackend(memory: WebAssembly.Memory, where: 'asm' | 'wasmMemory' = 'asm'): BackendWasm {
  const heap = { HEAPU8: new Uint8Array(memory.buffer) };
  const wasm = where === 'asm' ? { ...heap, asm: { memory } } : { ...heap, wasmMemory: memory };
  return { wasm } as unknown as BackendWasm;
}

const unshared = () => new WebAssembly.Memory({ initial: 2 });
const shared = () => new WebAssembly.Memory({ initial: 2, maximum: 65536, shared: true });

/** Runs `fn` with WASM_HAS_SIMD_SUPPORT set to `value`, restoring it after. */
function withSimdFlag<T>(value: boolean, fn: () => T): T {
  const before = env().getFlags()['WASM_HAS_SIMD_SUPPORT'];
  env().set('WASM_HAS_SIMD_SUPPORT', value);
  try {
    return fn();
  } finally {
    env().set('WASM_HAS_SIMD_SUPPORT', before ?? true);
  }
}

describe('hadamard_bytes.ts', () => {
  it('is what npm run build:wasm builds from hadamard.wat', () => {
    const root = resolve(__dirname, '../../..');
    expect(() =>
      execFileSync('node', ['scripts/build_wasm.mjs', '--check'], { cwd: root, stdio: 'pipe' }),
    ).not.toThrow();
  });

  it.each(VARIANTS)(
    '%s imports only the memory, exports the five kernels and fits in 4 KiB',
    (variant) => {
      const bytes = variantBytes(variant);
      // Browsers refuse to compile larger modules synchronously on the main thread.
      expect(bytes.length).toBeLessThanOrEqual(4096);
      const module = new WebAssembly.Module(bytes);
      expect(WebAssembly.Module.imports(module)).toEqual([
        { module: 'env', name: 'memory', kind: 'memory' },
      ]);
      expect(WebAssembly.Module.exports(module).map((e) => e.name)).toEqual([
        kernelNames.HadamardTransform,
        kernelNames.HadamardRecurrence,
        kernelNames.HadamardRecurrenceGrad,
        kernelNames.HadamRNNSequence,
        kernelNames.AffineWeightGrads,
      ]);
    },
  );

  it('has scalar variants that need no SIMD and private variants that need no threads', async () => {
    const wabt = await wabtFactory();
    const check = (variant: HadamardWasmVariant, features: Record<string, boolean>) => {
      const module = wabt.readWasm(variantBytes(variant), features);
      // wabt's typings omit validate's features argument.
      const validate = module.validate as unknown as (this: typeof module, f: object) => void;
      try {
        validate.call(module, features);
      } finally {
        module.destroy();
      }
    };
    expect(() => check('scalar', { simd: false, threads: false })).not.toThrow();
    expect(() => check('scalarShared', { simd: false, threads: true })).not.toThrow();
    expect(() => check('simd128', { simd: true, threads: false })).not.toThrow();
    // The checks can fail: the SIMD variant does not validate without SIMD.
    expect(() => check('simd128', { simd: false, threads: false })).toThrow(
      /local type|simd|v128/i,
    );
  });
});

describe('hadamardWasm', () => {
  it('picks SIMD128, with a shared import for a shared heap', () => {
    expect(hadamardWasm(fakeBackend(unshared()))?.variant).toBe('simd128');
    expect(hadamardWasm(fakeBackend(shared(), 'wasmMemory'))?.variant).toBe('simd128Shared');
  });

  it('picks the scalar variants when WASM_HAS_SIMD_SUPPORT is false', () => {
    withSimdFlag(false, () => {
      expect(hadamardWasm(fakeBackend(unshared()))?.variant).toBe('scalar');
      expect(hadamardWasm(fakeBackend(shared()))?.variant).toBe('scalarShared');
    });
  });

  it('keeps one instance per memory', () => {
    const memory = unshared();
    const first = hadamardWasm(fakeBackend(memory));
    expect(hadamardWasm(fakeBackend(memory))).toBe(first);
    expect(hadamardWasm(fakeBackend(unshared()))).not.toBe(first);
  });

  it('returns null when the heap has no reachable memory', () => {
    const backend = { wasm: { HEAPU8: new Uint8Array(16) } } as unknown as BackendWasm;
    expect(hadamardWasm(backend)).toBeNull();
  });

  describe.each(VARIANTS)('variant %s', (variant) => {
    const isShared = variant.endsWith('Shared');
    const load = () => {
      const memory = isShared ? shared() : unshared();
      const loaded = withSimdFlag(variant.startsWith('simd'), () =>
        hadamardWasm(fakeBackend(memory)),
      );
      expect(loaded?.variant).toBe(variant);
      return { memory, exports: loaded!.exports };
    };

    // Block sizes below 16 leave a tail of rows to the scalar loop; 4096 is one whole 16 KiB chunk.
    it.each([
      [1, 5, 1],
      [2, 7, 2],
      [8, 3, 8],
      [64, 3, 16],
      [512, 2, 512],
      [2048, 3, 1024],
      [4096, 1, 4096],
    ])('transforms n = %i (rows %i, b = %i) in place and out of place', (n, rows, b) => {
      const { memory, exports } = load();
      // Grown after instantiation, as tfjs grows its heap: the instance sees the new pages.
      memory.grow(4 + Math.ceil((8 * n * rows + 16) / PAGE));
      const values = randomValues(n * rows, n + b);
      const src = 4 * PAGE + 12; // any 4-byte alignment works
      const dst = src + 4 * n * rows + 4;
      const heap = () => new Float32Array(memory.buffer);
      heap().set(values, src / 4);
      const scale = 1 / Math.sqrt(b);
      exports.HadamardTransform(src, dst, n * rows, Math.log2(b), scale);
      const expected = referenceTransform(values, b, true);
      expectClose(heap().subarray(dst / 4, dst / 4 + n * rows), expected, 1e-6);
      expectClose(heap().subarray(src / 4, src / 4 + n * rows), values, 0);
      exports.HadamardTransform(src, src, n * rows, Math.log2(b), scale);
      expectClose(heap().subarray(src / 4, src / 4 + n * rows), expected, 1e-6);
    });

    // Units that are not a multiple of 16 leave values to the scalar loop of a step's end; the
    // module allows any n that blocks of b divide (the layers only powers of two). The recurrence
    // ends its steps with no inputs.
    it.each([
      [1, 1, 1],
      [2, 2, 1],
      [8, 8, 3],
      [24, 8, 10],
      [40, 8, 5],
      [128, 128, 10],
    ])(
      'runs HadamRNNSequence and HadamardRecurrence at n = %i, b = %i, %i inputs',
      (n, b, inDim) => {
        const { memory, exports } = load();
        const [batch, steps] = [2, 6];
        const values = (size: number, seed: number) => randomValues(size, seed + 97 * n + inDim);
        const x = values(batch * steps * inDim, 1);
        const kernel = values(inDim * n, 2);
        const bias = values(n, 3);
        const s = values(n, 4).map((v) => (v < 0 ? -1 : 1));
        const h0 = values(batch * n, 5);
        const mask = values(batch * steps, 6).map((v) => (v < -0.5 ? 0 : 1));
        // The projection the fused kernel computes per step, in float64 (no quantizer).
        const layer = { kernel, u: s, bias, inputDim: inDim, units: n, blockSize: b, bits: null };
        const z = referenceProjection(x, layer);
        const size = batch * steps * n;
        let next = 4 * PAGE;
        const place = (data: ArrayLike<number>) => {
          const at = next;
          new Float32Array(memory.buffer).set(data, at / 4);
          next += 4 * data.length + 16;
          return at;
        };
        memory.grow(4 + Math.ceil((4 * (5 * size + 4 * n) + 256) / PAGE));
        const pointers = [x, kernel, bias, s, h0, mask].map(place);
        const out = place(new Float32Array(size));
        const work = place(new Float32Array(2 * n));
        const read = (at: number) => new Float32Array(memory.buffer, at, size).slice();
        for (const goBackwards of [false, true]) {
          const shape = { batch, steps, units: n, blockSize: b, goBackwards };
          const states = referenceRecurrence(z, s, h0, mask, shape);
          const args = [
            batch,
            steps,
            n,
            Math.log2(b),
            goBackwards ? 1 : 0,
            1 / Math.sqrt(b),
          ] as const;
          for (const relu of [0, 1]) {
            const [px, pk, pb, ps, ph, pm] = pointers;
            exports.HadamRNNSequence(px, pk, pb, ps, ph, pm, out, work, ...args, inDim, relu);
            expectClose(read(out), relu ? states.map((v) => Math.max(v, 0)) : states, 1e-5);
          }
          const zAt = place(Float32Array.from(z));
          exports.HadamardRecurrence(zAt, pointers[3], pointers[4], pointers[5], out, ...args);
          expectClose(read(out), states, 1e-5);
        }
      },
    );
  });
});
