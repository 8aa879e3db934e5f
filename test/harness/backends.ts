/**
 * The backends the conformance suites run on, each with its tolerance. `describeEachBackend` runs
 * one suite unchanged on every one of them.
 */
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as kernelNames from '../../src/kernels/names';

/** A backend under test. */
export interface BackendUnderTest {
  /** Name passed to tf.setBackend. */
  name: string;
  /** Relative tolerance (see expectClose) of float32 results against float64 references. */
  tolerance: number;
  /** Registers the backend if needed; resolves when it can be selected. */
  setup: () => Promise<void>;
}

const OUR_KERNELS = new Set<string>([
  kernelNames.HadamardTransform,
  kernelNames.HadamardRecurrence,
  kernelNames.HadamardRecurrenceGrad,
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

export const CPU: BackendUnderTest = { name: 'cpu', tolerance: 1e-5, setup: async () => {} };

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
 */
export const WASM: BackendUnderTest = {
  name: 'wasm',
  tolerance: 1e-5,
  setup: async () => {
    await import('@tensorflow/tfjs-backend-wasm');
  },
};

/** Every backend the Node suites cover. */
export const NODE_BACKENDS: BackendUnderTest[] = [CPU, FALLBACK, WASM];

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

/** Defines `suite` once per backend, selecting that backend around it. */
export function describeEachBackend(
  title: string,
  suite: (backend: BackendUnderTest) => void,
  backends?: BackendUnderTest[],
): void {
  for (const backend of backends ?? defaultBackends) {
    describe(`${title} [${backend.name}]`, () => {
      beforeAll(async () => {
        await backend.setup();
        const ok = await tf.setBackend(backend.name);
        if (!ok || tf.getBackend() !== backend.name) {
          throw new Error(`backend ${backend.name} could not be selected`);
        }
      });
      suite(backend);
    });
  }
}
