/**
 * The test page's script: every backend, the package, a jest-like runner, and one entry point,
 * `window.hadamrnnTests.run(suite, backend)`, that the Node side calls once per page.
 */
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import '../../../src';
import {
  BROWSER_BACKENDS,
  BROWSER_SUITES,
  type BrowserBackend,
  type BrowserBackendName,
} from '../suites';
import { selectPageBackend, webglFloatBits } from './backends';
import { installGlobals, runRegistered, type TestResult } from './mini_jest';
import { webglRenderer } from './webgl_info';

/** What one page run reports back. */
export interface PageRun {
  backend: string;
  /** `tf.backend().floatPrecision()` on webgl (see webglFloatBits for why it is not the tolerance's). */
  floatPrecision?: number;
  /** Bits of the float textures webgl renders to. */
  floatBits?: number;
  webglVersion?: number;
  renderer?: string;
  tolerance: number;
  results: TestResult[];
  /** Why the suite did not run (a backend this browser lacks, such as webgpu without an adapter). */
  skipped?: string;
}

tf.env().set('IS_TEST', true);
installGlobals();
setWasmPaths(new URL('/node_modules/@tensorflow/tfjs-backend-wasm/dist/', location.href).href);

async function run(suite: string, variant: BrowserBackendName): Promise<PageRun> {
  const entry = BROWSER_SUITES[suite];
  const config: BrowserBackend = BROWSER_BACKENDS[variant];
  if (entry == null || config == null) {
    throw new Error(`browser harness: unknown suite '${suite}' or backend '${variant}'`);
  }
  const adapter = config.backend === 'webgpu' ? await webgpuAdapter() : undefined;
  if (adapter === null) {
    return { backend: variant, tolerance: 0, results: [], skipped: 'no WebGPU adapter' };
  }
  for (const [flag, value] of Object.entries(config.flags)) {
    tf.env().set(flag, value);
  }
  const backend = await selectPageBackend(config.backend);
  const webgl = config.backend === 'webgl';
  await entry.load();
  return {
    backend: variant,
    floatPrecision: webgl ? tf.backend().floatPrecision() : undefined,
    floatBits: webgl ? webglFloatBits() : undefined,
    webglVersion: webgl ? tf.env().getNumber('WEBGL_VERSION') : undefined,
    renderer: webgl ? webglRenderer() : adapter,
    tolerance: backend.tolerance,
    results: await runRegistered(),
  };
}

/** The WebGPU adapter's description, or null where the browser has none. */
async function webgpuAdapter(): Promise<string | null> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  const adapter = gpu == null ? null : await gpu.requestAdapter();
  if (adapter == null) {
    return null;
  }
  // GPUAdapter.info is newer than the @webgpu/types that tfjs pins.
  const info = (adapter as GPUAdapter & { info?: Record<string, string> }).info ?? {};
  const { vendor = '', architecture = '', description = '' } = info;
  return [vendor, architecture, description].filter((part) => part !== '').join(' ') || 'unnamed';
}

Object.assign(window, { hadamrnnTests: { run } });
