/**
 * What this package's layers hold, read as the quantizers see it: the p-bit grid of a kernel under
 * `uniformSte` (the quantizer's own ops, src/quantizers/uniform_ste.ts) and the signs of u.
 */
import { dispose, type Tensor } from '@tensorflow/tfjs-core';
import type { QuantizedProjection } from '../layers/quantized_projection';
import { UniformSte, uniformGrid } from '../quantizers/uniform_ste';
import { checkFiniteWeight } from './weight_encoding';

/** A kernel on the grid of its uniform quantizer. */
export interface UniformKernel {
  bits: number;
  /** L = 2^(bits-1). */
  levels: number;
  /** The quantization step alpha / L, a float32: Q(K) = float32(steps · delta). */
  delta: number;
  /** round(K · L / alpha), in [-L, L] (the quantizer clips L to L - 1). */
  rounded: Int32Array;
  shape: number[];
}

/** The grid of `projection`'s kernel, or null when its quantizer is not `uniformSte`. */
export function uniformKernel(
  api: string,
  name: string,
  projection: QuantizedProjection,
): UniformKernel | null {
  const quantizer = projection.kernelQuantizer;
  if (!(quantizer instanceof UniformSte)) {
    return null;
  }
  const kernel = projection.kernel!.read();
  checkFiniteWeight(api, name, kernel.dataSync());
  const bits = quantizer.precision;
  const levels = 2 ** (bits - 1);
  const grid = uniformGrid(kernel, bits);
  const alpha = grid.alpha.dataSync()[0];
  const rounded = Int32Array.from(grid.rounded.dataSync());
  dispose([grid.alpha, grid.rounded]);
  return { bits, levels, delta: Math.fround(alpha / levels), rounded, shape: kernel.shape };
}

/** The clipped steps of Q(K), in [-L, L - 1]. */
export function clippedSteps(kernel: UniformKernel): Int32Array {
  return kernel.rounded.map((r) => Math.min(r, kernel.levels - 1));
}

/** Q(K) as float32, exactly as the quantizer computes it. */
export function quantizedValues(kernel: UniformKernel): Float32Array {
  return Float32Array.from(clippedSteps(kernel), (s) => s * kernel.delta);
}

/** The signs of u as the sign quantizer gives them (u >= 0 is +1), one boolean per unit. */
export function signsOf(api: string, name: string, u: Tensor): boolean[] {
  const values = u.dataSync();
  checkFiniteWeight(api, name, values);
  return Array.from(values, (v) => v >= 0);
}
