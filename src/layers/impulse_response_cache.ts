/**
 * The impulse responses a HadamRNN layer keeps for inference of its last state
 * (ops/impulse_responses.ts), and when they are worth it.
 */
import { dispose, keep } from '@tensorflow/tfjs-core';
import type { ImpulseResponses } from '../ops/impulse_responses';

/** Most values of the responses (K·T·n floats, 64 MiB) a layer keeps. */
export const MAX_RESPONSE_VALUES = 2 ** 24;

/** Whether responses for inputs [batch, T, K] into `units` units make inference cheaper: fewer
 * response rows than batch rows (the recurrence then runs over fewer rows), and bounded size. */
export function responsesArePreferable([batch, steps, inputDim]: readonly number[], units: number) {
  return steps > 0 && inputDim < batch && inputDim * steps * units <= MAX_RESPONSE_VALUES;
}

/**
 * A layer's impulse responses, kept while the tensors they were computed from stay the same. A
 * variable's `dataId` changes on every assign (optimizer steps, setWeights), so the key is the
 * weights' data ids, the backend, T and the direction. Responses are built on the second call with
 * the same key: a single inference with new weights (say, after each training step) runs the
 * recurrence instead of paying for responses it would not reuse.
 */
export class ImpulseResponseCache {
  private key: readonly unknown[] | null = null;
  private responses: ImpulseResponses | null = null;

  /** The responses for `key`, built by `build` (and kept) on the second request in a row for the
   * same key; null on a first request. */
  lookup(key: readonly unknown[], build: () => ImpulseResponses): ImpulseResponses | null {
    const sameKey =
      this.key != null && this.key.length === key.length && this.key.every((k, i) => k === key[i]);
    if (!sameKey) {
      this.dispose();
      this.key = key;
      return null;
    }
    if (this.responses == null) {
      const built = build();
      keep(built.inputs);
      if (built.bias != null) {
        keep(built.bias);
      }
      this.responses = built;
    }
    return this.responses;
  }

  /** Frees the kept responses. */
  dispose(): void {
    if (this.responses != null) {
      dispose([
        this.responses.inputs,
        ...(this.responses.bias == null ? [] : [this.responses.bias]),
      ]);
    }
    this.responses = null;
    this.key = null;
  }
}
