/**
 * Tensors a layer derives from its weights and keeps across inference calls while the weights stay
 * the same. A variable's `dataId` changes on every assign (optimizer steps, setWeights), so a key
 * made of the weights' data ids (and whatever else the tensors depend on) tells when to rebuild.
 */
import { clone, dispose, keep, type Tensor } from '@tensorflow/tfjs-core';

/** A flat record of tensors (null for an absent one, such as a layer without bias). */
export type TensorRecord<T> = { [K in keyof T]: Tensor | null };

/**
 * One record of kept tensors and the key it was built for. The kept tensors are clones, so
 * disposing them never frees what `build` returned (a quantizer may return the weight itself).
 */
export class KeptTensors<T extends TensorRecord<T>> {
  private key: readonly unknown[] | null = null;
  private value: T | null = null;

  /** The record for `key`: the one kept, or the one `build` makes (then kept) for a new key. */
  kept(key: readonly unknown[], build: () => T): T {
    this.rekey(key);
    this.value ??= keepClones(build());
    return this.value;
  }

  /**
   * As {@link KeptTensors.kept}, but null on the first request for a new key: a single call with
   * new weights (say, after each training step) then pays nothing for a record it would not reuse.
   */
  keptOnRepeat(key: readonly unknown[], build: () => T): T | null {
    return this.rekey(key) ? null : this.kept(key, build);
  }

  /** Frees the kept tensors. */
  dispose(): void {
    if (this.value != null) {
      dispose(presentTensors(this.value));
    }
    this.value = null;
    this.key = null;
  }

  /** Drops the record when `key` differs from the kept one; whether it did. */
  private rekey(key: readonly unknown[]): boolean {
    const same =
      this.key != null && this.key.length === key.length && this.key.every((k, i) => k === key[i]);
    if (!same) {
      this.dispose();
      this.key = key;
    }
    return !same;
  }
}

function presentTensors<T extends TensorRecord<T>>(record: T): Tensor[] {
  return (Object.values(record) as (Tensor | null)[]).filter((t): t is Tensor => t != null);
}

function keepClones<T extends TensorRecord<T>>(record: T): T {
  const kept: { [name: string]: Tensor | null } = {};
  for (const [name, t] of Object.entries(record) as [string, Tensor | null][]) {
    kept[name] = t == null ? null : keep(clone(t));
  }
  return kept as T;
}
