import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  getKernel,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { kernelConfig, type KernelArgsOf } from '../kernel_config';
import { affineWeightGradsCall } from '../module/calls';
import { AffineWeightGrads } from '../names';
import { wasmHeap } from './heap';

/**
 * Largest kernel (inDim · n values) that the one-pass export accumulates into: 16 KiB of float32
 * stays in L1 while every row of dy adds to all of it. Beyond that every row would stream the
 * whole kernel through memory, so larger kernels go to tfjs-wasm's blocked matMul.
 */
const MAX_ONE_PASS_KERNEL = 4096;
/** Narrower outputs leave the one-pass export's vector loop mostly idle. */
const MIN_ONE_PASS_WIDTH = 16;

/**
 * wasm `AffineWeightGrads`: dk and db from one pass of our module over the rows of dy (or the
 * typed-array impl on views of the heap) where that pass wins; otherwise tfjs-wasm's own
 * Transpose, BatchMatMul and Sum kernels, as the stock ops `matMul(transpose(x), dy)` and
 * `sum(dy, 0)` run them.
 */
export function affineWeightGradsWasm({
  inputs,
  backend,
}: KernelArgsOf<typeof AffineWeightGrads, BackendWasm>): TensorInfo[] {
  const { x, dy } = inputs;
  const [rows, inDim] = x.shape;
  const n = dy.shape[1];
  if (inDim * n > MAX_ONE_PASS_KERNEL || n < MIN_ONE_PASS_WIDTH) {
    return stockWeightGrads(backend, x, dy);
  }
  const heap = wasmHeap(backend, AffineWeightGrads);
  const dk = heap.alloc([inDim, n]);
  const db = heap.alloc([n]);
  affineWeightGradsCall(heap, inputs, { dk, db }, { rows, inDim, n });
  return [dk, db];
}

/** `[xᵀ · dy, Σ_r dy[r]]` from the backend's registered kernels, with the attributes tfjs's
 * transpose, matMul and sum ops give them. */
function stockWeightGrads(backend: BackendWasm, x: TensorInfo, dy: TensorInfo): TensorInfo[] {
  const run = (name: string, kernelInputs: Record<string, TensorInfo>, attrs: NamedAttrMap) =>
    (getKernel(name, 'wasm')!.kernelFunc as KernelFunc)({
      inputs: kernelInputs,
      backend,
      attrs,
    }) as TensorInfo;
  const xT = run('Transpose', { x }, { perm: [1, 0] });
  const dk = run('BatchMatMul', { a: xT, b: dy }, { transposeA: false, transposeB: false });
  backend.disposeData(xT.dataId);
  const db = run('Sum', { x: dy }, { axis: 0, keepDims: false });
  return [dk, db];
}

export const affineWeightGradsConfig = kernelConfig(
  AffineWeightGrads,
  'wasm',
  affineWeightGradsWasm,
);
