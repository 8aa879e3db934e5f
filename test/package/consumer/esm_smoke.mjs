// An ES-module consumer: the package imported by name next to @tensorflow/tfjs; prints one JSON
// line with S_4 · [1, 2, 3, 4] and the class names of a model reloaded from memory.
import * as tf from '@tensorflow/tfjs';
import { hadamardTransform, hadamRNN, quantizedDense } from 'tfjs-hadamrnn';

const y = hadamardTransform(tf.tensor2d([[1, 2, 3, 4]]), { normalize: false });
const model = tf.sequential({
  layers: [hadamRNN({ units: 8, inputShape: [3, 2] }), quantizedDense({ units: 1 })],
});
let artifacts;
await model.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: {} })));
const reloaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
console.log(
  JSON.stringify({
    y: Array.from(y.dataSync()),
    classNames: reloaded.layers.map((l) => l.getClassName()),
  }),
);
