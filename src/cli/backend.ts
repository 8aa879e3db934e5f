/// <reference types="node" />
/**
 * Selects the tfjs backend of a CLI run. The backends are loaded on demand: tfjs-backend-cpu and
 * tfjs-backend-wasm are optional for users of the library, and only the CLI needs one of them.
 */
import { getBackend, setBackend } from '@tensorflow/tfjs-core';
import type { BackendName } from './args';

const PACKAGES: Record<BackendName, string> = {
  cpu: '@tensorflow/tfjs-backend-cpu',
  wasm: '@tensorflow/tfjs-backend-wasm',
};

/** Loads and selects `name`; throws naming the package to install when it is missing. */
export async function useBackend(name: BackendName): Promise<void> {
  try {
    await import(PACKAGES[name]);
  } catch (error) {
    throw new Error(
      `tfjs-hadamrnn train: --backend ${name} needs ${PACKAGES[name]} (${(error as Error).message.split('\n')[0]})`,
    );
  }
  if (!(await setBackend(name)) || getBackend() !== name) {
    throw new Error(`tfjs-hadamrnn train: backend '${name}' failed to initialize`);
  }
}
