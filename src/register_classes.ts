/** Registers every serializable class of this package with tfjs, under its prefixed className. */
import { serialization } from '@tensorflow/tfjs-core';
import { hasOwn } from './common/validate';
import { WeightClip } from './constraints/weight_clip';
import { RandomSigns } from './initializers/random_signs';
import { HadamRNN } from './layers/hadam_rnn';
import { HadamRNNCell } from './layers/hadam_rnn_cell';
import { QuantizedDense } from './layers/quantized_dense';
import { SignSte } from './quantizers/sign_ste';
import { UniformSte } from './quantizers/uniform_ste';

/** Every class this package registers, for tests and docs. */
export const serializableClasses = [
  HadamRNN,
  HadamRNNCell,
  QuantizedDense,
  SignSte,
  UniformSte,
  WeightClip,
  RandomSigns,
] as const;

for (const cls of serializableClasses) {
  const registered = serialization.SerializationMap.getMap().classNameMap;
  if (!hasOwn(registered, cls.className)) {
    serialization.registerClass(
      cls as unknown as serialization.SerializableConstructor<serialization.Serializable>,
    );
  }
}
