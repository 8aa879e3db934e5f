/**
 * Our module's exports called on any memory that holds it, one wrapper per export, written once for
 * the cpu kernels (their private memory) and the wasm kernels (the tfjs-wasm heap), as tfjs-wasm's
 * unary_kernel.ts writes one body for many kernels. Each wrapper also holds the one decision of what
 * runs where the module cannot: the typed-array impl, on float views of the same buffers.
 *
 * Buffers are passed by name, as the kernels' inputs are (names.ts), so a wasm kernel hands over its
 * `inputs` as they are and a cpu kernel the same names copied onto its memory.
 */
import { affineWeightGradsImpl, type AffineShape } from '../affine_weight_grads_impl';
import { fwhtImpl } from '../fwht_impl';
import type {
  AffineWeightGradsInputs,
  HadamRNNSequenceInputs,
  HadamardRecurrenceGradInputs,
  HadamardRecurrenceInputs,
} from '../names';
import type { RecurrenceShape, SequenceShape } from '../recurrence';
import { recurrenceBackwardImpl, recurrenceForwardImpl } from '../recurrence_impl';
import { hadamRNNSequenceImpl } from '../sequence_impl';
import type { TransformArgs } from '../transform';
import { recurrenceArgs, type HadamardWasmExports } from './hadamard_module';

/**
 * A memory the wrappers run on. `B` names one buffer of float32 values on it: a tensor on the
 * tfjs-wasm heap, a reserved range of the cpu kernels' private memory, or a plain array.
 */
export interface ModuleMemory<B> {
  /** Our module's exports on this memory, or null where it cannot run there: the wrappers then
   * run the typed-array impl on {@link ModuleMemory.floats} views. */
  readonly exports: HadamardWasmExports | null;
  /** A new buffer for `shape`'s float32 values (contents unspecified). */
  alloc(shape: number[]): B;
  /** The byte offset of `buffer` in the memory, as the module's exports take it. */
  offsetOf(buffer: B): number;
  /** A float32 view of `buffer` as the memory is now: growing the memory detaches it, so take
   * views after the last allocation of a call and never keep them. */
  floats(buffer: B): Float32Array;
}

/** Each of `Names` as a buffer `B` on a memory. */
export type Buffers<Names, B> = { [K in keyof Names]: B };

/** Writes to `dst` the transform of each block of `blockSize` values of `src` (`size` values, a
 * multiple of blockSize), times `scale`. `src` may be `dst` (in place). */
export function transformCall<B>(
  memory: ModuleMemory<B>,
  src: B,
  dst: B,
  { size, blockSize, scale }: TransformArgs,
): void {
  const module = memory.exports;
  if (module == null) {
    const dstValues = memory.floats(dst);
    const srcValues = src === dst ? dstValues : memory.floats(src);
    fwhtImpl(srcValues, dstValues, 0, size, blockSize, scale);
    return;
  }
  module.HadamardTransform(
    memory.offsetOf(src), // src
    memory.offsetOf(dst), // dst
    size, // values, a multiple of blockSize
    Math.log2(blockSize), // log2b
    scale, // applied once, in the first pass
  );
}

/** Writes every state of the recurrence into `states` ([batch, T, n], processing order). */
export function recurrenceCall<B>(
  memory: ModuleMemory<B>,
  { z, s, h0, mask }: Buffers<HadamardRecurrenceInputs, B>,
  states: B,
  shape: RecurrenceShape,
): void {
  const module = memory.exports;
  if (module == null) {
    const [zV, sV, h0V, maskV, statesV] = [z, s, h0, mask, states].map((b) => memory.floats(b));
    recurrenceForwardImpl(zV, sV, h0V, maskV, shape, statesV);
    return;
  }
  const at = (b: B) => memory.offsetOf(b);
  module.HadamardRecurrence(
    at(z), // [batch, T, n], time order
    at(s), // [n]
    at(h0), // [batch, n]
    at(mask), // [batch, T]
    at(states), // [batch, T, n] out, processing order
    ...recurrenceArgs(shape),
  );
}

/** The outputs of the recurrence's reverse sweep: dz [batch, T, n] (time order), ds [n] and dh0
 * [batch, n]. */
export interface RecurrenceGradOutputs<B> {
  dz: B;
  ds: B;
  dh0: B;
}

/** Writes dz, ds and dh0 from one reverse sweep of the recurrence (ds and dh0 need not be zeroed;
 * the module keeps its running gradient in dh0 and its work vector in dz, so needs no scratch). */
export function recurrenceGradCall<B>(
  memory: ModuleMemory<B>,
  { dy, states, s, h0, mask }: Buffers<HadamardRecurrenceGradInputs, B>,
  { dz, ds, dh0 }: RecurrenceGradOutputs<B>,
  shape: RecurrenceShape,
): void {
  const module = memory.exports;
  if (module == null) {
    const [dyV, statesV, sV, h0V, maskV] = [dy, states, s, h0, mask].map((b) => memory.floats(b));
    const [dzV, dsV, dh0V] = [dz, ds, dh0].map((b) => memory.floats(b));
    recurrenceBackwardImpl(dyV, statesV, sV, h0V, maskV, shape, dzV, dsV, dh0V);
    return;
  }
  const at = (b: B) => memory.offsetOf(b);
  module.HadamardRecurrenceGrad(
    at(dy), // [batch, T, n], processing order
    at(states), // [batch, T, n], processing order
    at(s), // [n]
    at(h0), // [batch, n]
    at(mask), // [batch, T]
    at(dz), // [batch, T, n] out, time order
    at(ds), // [n] out (zeroed by the module)
    at(dh0), // [batch, n] out (zeroed by the module)
    ...recurrenceArgs(shape),
  );
}

/** Writes `dk = xᵀ · dy` [inDim, n] and `db = Σ_r dy[r]` [n] in one pass over the rows. */
export function affineWeightGradsCall<B>(
  memory: ModuleMemory<B>,
  { x, dy }: Buffers<AffineWeightGradsInputs, B>,
  { dk, db }: { dk: B; db: B },
  shape: AffineShape,
): void {
  const module = memory.exports;
  if (module == null) {
    const [xV, dyV, dkV, dbV] = [x, dy, dk, db].map((b) => memory.floats(b));
    affineWeightGradsImpl(xV, dyV, shape, dkV, dbV);
    return;
  }
  const at = (b: B) => memory.offsetOf(b);
  module.AffineWeightGrads(at(x), at(dy), at(dk), at(db), shape.rows, shape.inDim, shape.n);
}

/** Writes `act(h_k)` for every step into `out` ([batch, T, n], processing order): projection,
 * bias, recurrence and activation (ReLU when `relu`, else none) in one pass per batch row. `work`
 * holds 2n floats, the module's state and the next one (the impl needs none). */
export function sequenceCall<B>(
  memory: ModuleMemory<B>,
  { x, kernel, bias, s, h0, mask }: Buffers<HadamRNNSequenceInputs, B>,
  { out, work }: { out: B; work: B },
  shape: SequenceShape,
  relu: boolean,
): void {
  const module = memory.exports;
  if (module == null) {
    const views = [x, kernel, bias, s, h0, mask, out].map((b) => memory.floats(b));
    const [xV, kernelV, biasV, sV, h0V, maskV, outV] = views;
    hadamRNNSequenceImpl(xV, kernelV, biasV, sV, h0V, maskV, shape, relu, outV);
    return;
  }
  const at = (b: B) => memory.offsetOf(b);
  module.HadamRNNSequence(
    at(x), // [batch, T, inDim], time order
    at(kernel), // [inDim, n]
    at(bias), // [n]
    at(s), // [n]
    at(h0), // [batch, n]
    at(mask), // [batch, T]
    at(out), // [batch, T, n] out, processing order, activated
    at(work), // [2, n] scratch
    ...recurrenceArgs(shape),
    shape.inDim,
    relu ? 1 : 0,
  );
}
