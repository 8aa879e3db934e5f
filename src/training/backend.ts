/// <reference types="node" />
/**
 * Selects the tfjs backend of a CLI run, loaded here on demand: tfjs-backend-cpu is a peer dependency
 * (npm installs it, and @tensorflow/tfjs brings it), tfjs-backend-wasm an optional one. They are not
 * dependencies: npm would then nest a second tfjs-core under this package whenever the
 * application's tfjs is older than the newest backend, whose tfjs-core peer is an exact version.
 */
import { findBackend, getBackend, setBackend } from '@tensorflow/tfjs-core';
import { TRAIN_COMMAND } from './command';

/** Backends a training run can use in Node. */
export const BACKEND_NAMES = ['cpu', 'wasm'] as const;
/** One of {@link BACKEND_NAMES}. */
export type BackendName = (typeof BACKEND_NAMES)[number];

const PACKAGES: Record<BackendName, string> = {
  cpu: '@tensorflow/tfjs-backend-cpu',
  wasm: '@tensorflow/tfjs-backend-wasm',
};

/**
 * Loads and selects `name`, or `fallback` when `name` cannot be loaded (the default backend when
 * the user asked for none); throws naming the package to install otherwise. Returns the backend
 * selected.
 */
export async function useBackend(name: BackendName, fallback?: BackendName): Promise<BackendName> {
  try {
    await import(PACKAGES[name]);
  } catch (error) {
    if (fallback != null && fallback !== name) {
      return useBackend(fallback);
    }
    throw new Error(
      `${TRAIN_COMMAND}: --backend ${name} needs ${PACKAGES[name]} (${(error as Error).message.split('\n')[0]}); run npm install ${PACKAGES[name]}`,
    );
  }
  if (!(await setBackend(name)) || getBackend() !== name) {
    throw new Error(`${TRAIN_COMMAND}: backend '${name}' failed to initialize`);
  }
  silenceNodeBanner();
  return name;
}

/**
 * tfjs-backend-cpu prints a banner recommending tfjs-node on its first tensor in Node, on every
 * run; the CLI says which backend it trains on instead. The banner is printed once per backend
 * instance, guarded by its `firstUse` flag, which we clear.
 */
function silenceNodeBanner(): void {
  const cpu = findBackend('cpu') as { firstUse?: boolean } | null;
  if (cpu != null && cpu.firstUse === true) {
    cpu.firstUse = false;
  }
}
