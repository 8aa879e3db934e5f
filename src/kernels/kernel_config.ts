/** The one typed constructor of our `KernelConfig`s: it holds the only cast between our kernel
 * signatures and tfjs's untyped `KernelFunc`, and checks each kernel against its name's
 * signature (names.ts). */
import type {
  KernelBackend,
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import type { KernelSignatures } from './names';

/** What a kernel receives, typed by its inputs, backend and attributes. */
export interface KernelArgs<I, B extends KernelBackend, A extends NamedAttrMap> {
  inputs: I;
  backend: B;
  attrs: A;
}

/** What the kernel named `K` receives on a backend `B`. */
export type KernelArgsOf<K extends keyof KernelSignatures, B extends KernelBackend> = KernelArgs<
  KernelSignatures[K]['inputs'],
  B,
  KernelSignatures[K]['attrs']
>;

/** Builds the `KernelConfig` that registers `kernel` as `kernelName` for `backendName`. */
export function kernelConfig<K extends keyof KernelSignatures, B extends KernelBackend>(
  kernelName: K,
  backendName: string,
  kernel: (args: KernelArgsOf<K, B>) => TensorInfo | TensorInfo[],
): KernelConfig {
  return { kernelName, backendName, kernelFunc: kernel as unknown as KernelFunc };
}
