/**
 * The test page's script: every backend, the package, a jest-like runner, and one entry point,
 * `window.hadamrnnTests.run(suite, backend)`, that the Node side calls once per page.
 */
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgl';
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
    renderer: webgl ? webglRenderer() : undefined,
    tolerance: backend.tolerance,
    results: await runRegistered(),
  };
}

Object.assign(window, { hadamrnnTests: { run } });
