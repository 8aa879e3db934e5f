/**
 * The backends the conformance suites run on, each with its tolerance and the tfjs flags it runs
 * under. `describeEachBackend` runs one suite unchanged on every one of them.
 */
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { CPU_WASM_FLAG } from '../../src/kernels/cpu/private_memory';
import * as kernelNames from '../../src/kernels/names';

/** A backend under test. */
export interface BackendUnderTest {
  /** Name passed to tf.setBackend. */
  name: string;
  /** Shown in describe titles, to tell apart entries of one backend under other flags (default:
   * `name`). */
  label?: string;
  /** tfjs env flags set for the suite (in beforeAll) and restored after it (in afterAll). */
  flags?: Record<string, boolean | number | string>;
  /** Relative tolerance (see expectClose) of float32 results against float64 references. */
  tolerance: number;
  /** Registers the backend if needed; resolves when it can be selected. */
  setup: () => Promise<void>;
}

const OUR_KERNELS = new Set<string>([
  kernelNames.HadamardTransform,
  kernelNames.HadamardRecurrence,
  kernelNames.HadamardRecurrenceGrad,
  kernelNames.AffineWeightGrads,
]);

/**
 * 'fallback': a cpu backend holding every cpu kernel of tfjs but none of ours, so the ops take
 * their stock-ops path exactly as on webgpu or tfjs-node.
 */
function registerFallbackBackend(): void {
  if (tf.findBackendFactory('fallback') != null) {
    return;
  }
  tf.registerBackend('fallback', () => new MathBackendCPU());
  for (const kernel of tf.getKernelsForBackend('cpu')) {
    if (!OUR_KERNELS.has(kernel.kernelName)) {
      tf.registerKernel({ ...kernel, backendName: 'fallback' });
    }
  }
}

/** The cpu backend as registered: our kernels run our WebAssembly module on a private memory. */
export const CPU: BackendUnderTest = { name: 'cpu', tolerance: 1e-5, setup: async () => {} };

/** The cpu backend with `HADAMRNN_CPU_WASM` off: our kernels' typed-array impl (fwht_impl.ts,
 * recurrence_impl.ts), as in a runtime without WebAssembly. */
export const CPU_JS: BackendUnderTest = {
  name: 'cpu',
  label: 'cpu-js',
  tolerance: 1e-5,
  flags: { [CPU_WASM_FLAG]: false },
  setup: async () => {},
};

export const FALLBACK: BackendUnderTest = {
  name: 'fallback',
  tolerance: 1e-5,
  setup: async () => registerFallbackBackend(),
};

/**
 * tfjs-backend-wasm, imported only when a suite selects it (importing registers 'wasm' at a higher
 * priority than cpu). Its binary, SIMD or not, is picked once per process (per jest file) from the
 * `WASM_HAS_SIMD_SUPPORT` flag: see test/kernels/wasm/no_simd_conformance.test.ts for the scalar one.
 * Our module computes in float32 like the cpu kernels, scaling in its first pass rather than its last.
 *
 * IS_TEST is off here: tfjs's per-kernel leak check misreads every `customGrad` that save()s its
 * inputs (our quantizers, the quantized projection) on wasm, where save()'s clone is a copy with a
 * data id of its own (cpu shares the data id). Leaks are still checked by expectNoLeaks.
 */
export const WASM: BackendUnderTest = {
  name: 'wasm',
  tolerance: 1e-5,
  flags: { IS_TEST: false },
  setup: async () => {
    await import('@tensorflow/tfjs-backend-wasm');
  },
};

/** Every backend the Node suites cover. */
export const NODE_BACKENDS: BackendUnderTest[] = [CPU, CPU_JS, FALLBACK, WASM];

/** The backends `describeEachBackend` uses by default in this jest file. */
let defaultBackends = NODE_BACKENDS;

/**
 * Makes `describeEachBackend` default to `backends` for the rest of this jest file (each file has
 * its own module registry), so that a file can rerun the conformance suites unchanged on another
 * configuration, e.g. the wasm backend without SIMD. Call it before importing the suites.
 */
export function useBackends(backends: BackendUnderTest[]): void {
  defaultBackends = backends;
}

/** Defines `suite` once per backend, selecting that backend and setting its flags around it. */
export function describeEachBackend(
  title: string,
  suite: (backend: BackendUnderTest) => void,
  backends?: BackendUnderTest[],
): void {
  for (const backend of backends ?? defaultBackends) {
    describe(`${title} [${backend.label ?? backend.name}]`, () => {
      const flags = Object.entries(backend.flags ?? {});
      const saved = new Map<string, boolean | number | string>();
      beforeAll(async () => {
        await backend.setup();
        const ok = await tf.setBackend(backend.name);
        if (!ok || tf.getBackend() !== backend.name) {
          throw new Error(`backend ${backend.name} could not be selected`);
        }
        for (const [flag, value] of flags) {
          saved.set(flag, tf.env().get(flag));
          tf.env().set(flag, value);
        }
      });
      afterAll(() => {
        for (const [flag, value] of saved) {
          tf.env().set(flag, value);
        }
      });
      suite(backend);
    });
  }
}
