/**
 * When the impulse responses (ops/impulse_responses.ts) are worth keeping for inference of a
 * HadamRNN layer's last state.
 */

/** Most values of the responses (K·T·n floats, 64 MiB) a layer keeps. */
const MAX_RESPONSE_VALUES = 2 ** 24;

/** Whether responses for inputs [batch, T, K] into `units` units make inference cheaper: fewer
 * response rows than batch rows (the recurrence then runs over fewer rows), and bounded size. */
export function responsesArePreferable([batch, steps, inputDim]: readonly number[], units: number) {
  return steps > 0 && inputDim < batch && inputDim * steps * units <= MAX_RESPONSE_VALUES;
}
