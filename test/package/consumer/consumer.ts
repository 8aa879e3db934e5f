// A TypeScript consumer, compiled with tsc --strict against the installed package's .d.ts files.
import * as tf from '@tensorflow/tfjs';
import {
  hadamardTransform,
  hadamRNN,
  quantizedDense,
  weightClip,
  type HadamRNNArgs,
  type HadamRNNInference,
} from 'tfjs-hadamrnn';

const inference: HadamRNNInference = 'recurrence';
const args: HadamRNNArgs = {
  units: 16,
  blockSize: 4,
  dropout: 0.1,
  inference,
  recurrentConstraint: weightClip({ clipValue: 1 }),
  inputShape: [10, 3],
};
const model: tf.Sequential = tf.sequential({
  layers: [hadamRNN(args), quantizedDense({ units: 2, activation: 'softmax' })],
});
const y: tf.Tensor = hadamardTransform(tf.ones([2, 8]), { normalize: true });
export const shapes: number[][] = [model.outputs[0].shape.map((d) => d ?? -1), y.shape];
