import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { affineWeightGrads as affineWeightGradsJs } from '../affine';
import { kernelConfig, type KernelArgs } from '../kernel_config';
import { AffineWeightGrads, type AffineWeightGradsInputs } from '../names';
import { hadamardWasm } from './hadamard_module';
import { heapFloats, offsetOf } from './heap';

/** wasm `AffineWeightGrads`: dk and db from one pass of our module over the rows of dy, or the
 * JavaScript loop on views of the heap as fallback. */
export function affineWeightGrads({
  inputs,
  backend,
}: KernelArgs<AffineWeightGradsInputs, BackendWasm, NamedAttrMap>): TensorInfo[] {
  const { x, dy } = inputs;
  const [rows, inDim] = x.shape;
  const n = dy.shape[1];
  const dk = backend.makeOutput([inDim, n], 'float32');
  const db = backend.makeOutput([n], 'float32');
  const wasm = hadamardWasm(backend);
  if (wasm == null) {
    const view = (t: TensorInfo) => heapFloats(backend, t, AffineWeightGrads);
    affineWeightGradsJs(view(x), view(dy), { rows, inDim, n }, view(dk), view(db));
    return [dk, db];
  }
  const at = (t: TensorInfo) => offsetOf(backend, t, AffineWeightGrads);
  wasm.exports.AffineWeightGrads(at(x), at(dy), at(dk), at(db), rows, inDim, n);
  return [dk, db];
}

export const affineWeightGradsConfig = kernelConfig(AffineWeightGrads, 'wasm', affineWeightGrads);
