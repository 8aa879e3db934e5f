/** The one typed constructor of our `KernelConfig`s: it holds the only cast between our kernel
 * signatures and tfjs's untyped `KernelFunc`. */
import type {
  KernelBackend,
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';

/** What a kernel receives, typed by its inputs, backend and attributes. */
export interface KernelArgs<I, B extends KernelBackend, A extends NamedAttrMap> {
  inputs: I;
  backend: B;
  attrs: A;
}

/** A kernel written against its own input, backend and attribute types. */
export type TypedKernel<I, B extends KernelBackend, A extends NamedAttrMap> = (
  args: KernelArgs<I, B, A>,
) => TensorInfo | TensorInfo[];

/** Builds the `KernelConfig` that registers `kernel` as `kernelName` for `backendName`. */
export function kernelConfig<I, B extends KernelBackend, A extends NamedAttrMap>(
  kernelName: string,
  backendName: string,
  kernel: TypedKernel<I, B, A>,
): KernelConfig {
  return { kernelName, backendName, kernelFunc: kernel as unknown as KernelFunc };
}
