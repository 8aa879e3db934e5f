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

/** Every backend the Node suites cover. */
export const NODE_BACKENDS: BackendUnderTest[] = [CPU, FALLBACK];

/** Defines `suite` once per backend, selecting that backend around it. */
export function describeEachBackend(
  title: string,
  suite: (backend: BackendUnderTest) => void,
  backends: BackendUnderTest[] = NODE_BACKENDS,
): void {
  for (const backend of backends) {
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
