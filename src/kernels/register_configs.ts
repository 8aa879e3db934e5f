/** Registers a backend's kernel configs, skipping any kernel the registry already holds for that
 * backend so that loading two copies of this package (or importing it twice) is harmless. */
import { getKernel, registerKernel, type KernelConfig } from '@tensorflow/tfjs-core';

export function registerKernelConfigs(configs: readonly KernelConfig[]): void {
  for (const config of configs) {
    if (getKernel(config.kernelName, config.backendName) == null) {
      registerKernel(config);
    }
  }
}
