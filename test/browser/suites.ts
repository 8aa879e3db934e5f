/**
 * The suite modules the browser harness runs, each on the backends listed (default: every browser
 * backend). Add a module here to run it in Chromium; it needs no change of its own, as long as it
 * reaches backends through `describeEachBackend` and uses the matchers in page/expect.ts.
 */

/** A suite module and the browser backends it runs on. */
export interface BrowserSuite {
  /** Loads (and so registers) the module's tests; only the page calls it. */
  load: () => Promise<unknown>;
  /** Backend variants (see BROWSER_BACKENDS) to run on; default all. */
  backends?: readonly BrowserBackendName[];
}

/** A backend of the page: the name passed to tf.setBackend and tfjs flags set before it starts. */
export interface BrowserBackend {
  backend: string;
  flags: Record<string, number | boolean>;
}

/**
 * The backends every suite runs on. Both WebGL variants run tfjs's own programs with shape
 * uniforms (WEBGL_USE_SHAPES_UNIFORMS): under SwiftShader each shader compile costs tens of
 * milliseconds, and without them tfjs compiles one per shape, which doubles the suites' time. Our
 * programs use shape uniforms either way, and the textures they exchange with tfjs's programs
 * (packed or not) are the same.
 */
export const BROWSER_BACKENDS = {
  webgl: { backend: 'webgl', flags: { WEBGL_VERSION: 2, WEBGL_USE_SHAPES_UNIFORMS: true } },
  webgl1: { backend: 'webgl', flags: { WEBGL_VERSION: 1, WEBGL_USE_SHAPES_UNIFORMS: true } },
  // IS_TEST off on wasm, as in Node (test/harness/backends.ts): tfjs's per-kernel leak check
  // misreads customGrad's save() there. expectNoLeaks still checks every suite.
  wasm: { backend: 'wasm', flags: { IS_TEST: false } },
  cpu: { backend: 'cpu', flags: {} },
  // Needs a WebGPU adapter (SwiftShader's Vulkan where no GPU exists); a page without one reports
  // the suite skipped (see browser.test.ts).
  webgpu: { backend: 'webgpu', flags: {} },
} satisfies Record<string, BrowserBackend>;
export type BrowserBackendName = keyof typeof BROWSER_BACKENDS;

export const BROWSER_SUITES: Record<string, BrowserSuite> = {
  hadamard_transform: { load: () => import('../conformance/hadamard_transform.test') },
  hadamard_recurrence: { load: () => import('../conformance/hadamard_recurrence.test') },
  // WebGL1 adds nothing here: the layer's webgl kernels are those the suites above cover on it.
  hadam_rnn_layer: {
    load: () => import('../conformance/hadam_rnn_layer.test'),
    backends: ['webgl', 'wasm', 'cpu', 'webgpu'],
  },
  impulse_responses: {
    load: () => import('../conformance/impulse_responses.test'),
    backends: ['webgl', 'wasm', 'cpu', 'webgpu'],
  },
  model_leaks: {
    load: () => import('./suites/model_leaks.suite'),
    backends: ['webgl', 'webgpu'],
  },
  webgl_kernels: {
    load: () => import('./suites/webgl_kernels.suite'),
    backends: ['webgl', 'webgl1'],
  },
  webgpu_kernels: {
    load: () => import('./suites/webgpu_kernels.suite'),
    backends: ['webgpu'],
  },
};
