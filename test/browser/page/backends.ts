/**
 * The browser build's stand-in for test/harness/backends (the bundler redirects the suites' import
 * here): `describeEachBackend` runs each suite once, on the backend this page was opened for, with
 * that backend's tolerance. Everything else is the Node harness's.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendUnderTest } from '../../harness/backends';

export * from '../../harness/backends';

/** Relative tolerances against the float64 references, by backend and float precision. */
export const BROWSER_TOLERANCES = {
  cpu: 1e-5,
  wasm: 1e-5,
  /** WebGL with 32-bit float textures (SwiftShader, most GPUs): fused and reordered float32 math. */
  webgl32: 1e-5,
  /** WebGL that only renders to 16-bit floats (some mobile GPUs): a half has 11 significant bits. */
  webgl16: 5e-3,
  /** WebGPU computes in float32 storage buffers: fused and reordered float32 math, as webgl32. */
  webgpu: 1e-5,
} as const;

/**
 * Bits of the float textures the webgl backend renders to. Note (tfjs): `floatPrecision()` answers
 * 16 whenever WEBGL_RENDER_FLOAT32_ENABLED is true (it only probes for 32 bits when rendering to
 * float32 is off), so the flag decides first.
 */
export function webglFloatBits(): number {
  return tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED') ? 32 : tf.backend().floatPrecision();
}

let pageBackend: BackendUnderTest | null = null;

/** Selects `name` for this page and derives its tolerance; call before loading any suite. */
export async function selectPageBackend(name: string): Promise<BackendUnderTest> {
  if (!(await tf.setBackend(name)) || tf.getBackend() !== name) {
    throw new Error(`browser harness: backend ${name} could not be selected`);
  }
  await tf.ready();
  const tolerance =
    name === 'webgl'
      ? webglFloatBits() === 32
        ? BROWSER_TOLERANCES.webgl32
        : BROWSER_TOLERANCES.webgl16
      : name === 'wasm'
        ? BROWSER_TOLERANCES.wasm
        : name === 'webgpu'
          ? BROWSER_TOLERANCES.webgpu
          : BROWSER_TOLERANCES.cpu;
  pageBackend = { name, tolerance, setup: async () => {} };
  return pageBackend;
}

/** As in Node, but over this page's backend only (a suite restricted to other backends is skipped). */
export function describeEachBackend(
  title: string,
  suite: (backend: BackendUnderTest) => void,
  backends?: BackendUnderTest[],
): void {
  const backend = pageBackend;
  if (backend == null) {
    throw new Error('browser harness: selectPageBackend() must run before the suites load');
  }
  if (backends != null && !backends.some((b) => b.name === backend.name)) {
    return;
  }
  describe(`${title} [${backend.name}]`, () => {
    beforeAll(async () => {
      await tf.setBackend(backend.name);
    });
    suite(backend);
  });
}
