/**
 * The page's models: the shipped one (demo/model/, tfjs layers format), a fresh one for "train
 * here", running either on one copy sequence with its latency, and reading the learned recurrence
 * back for the pictures.
 */
import * as tf from '@tensorflow/tfjs';
import { HadamRNN, hadamRNN, quantizedDense, signSte } from '../../src';
import { INPUT_CLASSES, OUTPUT_CLASSES, oneHotCodes, type CopyExample } from './copy_data';

/** Predict calls timed per measurement, after one untimed warm-up call (shader compilation). */
const TIMED_RUNS = 5;

/**
 * Loads a model saved by `npm run demo` (HadamRNN + QuantizedDense, [T, 10] inputs); the package's
 * bundle has registered its classes on the page's tfjs, so `tf.loadLayersModel` rebuilds them.
 *
 * @param url The model.json URL, relative to the page (default 'model/model.json').
 */
export async function loadShippedModel(url = 'model/model.json'): Promise<tf.LayersModel> {
  const model = await tf.loadLayersModel(url);
  if (!(model.layers[0] instanceof HadamRNN)) {
    throw new Error(
      `loadShippedModel: ${url} starts with a ${model.layers[0]?.getClassName()} layer; expected HadamRNN`,
    );
  }
  return model;
}

/** The model's sequence length T, from its input shape [null, T, 10]. */
export function modelTimeSteps(model: tf.LayersModel): number {
  return model.inputs[0].shape[1] as number;
}

/**
 * A fresh copy-task model as `npm run demo` builds it: HadamRNN(units, returnSequences) and a
 * 4-bit QuantizedDense softmax read-out over the 9 output classes, compiled with Adam.
 *
 * @param timeSteps Sequence length T.
 * @param units HadamRNN width n, a power of two.
 * @param learningRate Adam's learning rate.
 */
export function buildCopyModel(
  timeSteps: number,
  units: number,
  learningRate: number,
): tf.Sequential {
  const model = tf.sequential({
    layers: [
      hadamRNN({ units, returnSequences: true, inputShape: [timeSteps, INPUT_CLASSES] }),
      quantizedDense({ units: OUTPUT_CLASSES, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(learningRate), loss: 'categoricalCrossentropy' });
  return model;
}

/** What {@link predictCopy} returns. */
export interface CopyPrediction {
  /** The most likely output class at each step, T codes (0 blank, 1..8 symbols). */
  predicted: Int32Array;
  /** Median wall time of one `predict` including the read-back, in ms. */
  latencyMs: number;
}

/**
 * Runs `model` on one copy sequence on the current backend, timing `predict` plus the read-back of
 * its result (the read waits for the GPU on webgl).
 */
export async function predictCopy(
  model: tf.LayersModel,
  example: CopyExample,
): Promise<CopyPrediction> {
  const timeSteps = example.inputs.length;
  const x = oneHotCodes(example.inputs, 1, timeSteps, INPUT_CLASSES);
  const times: number[] = [];
  let predicted = new Int32Array(timeSteps);
  try {
    for (let run = 0; run <= TIMED_RUNS; run++) {
      const start = performance.now();
      const classes = tf.tidy(() => tf.argMax(model.predict(x) as tf.Tensor3D, -1));
      predicted = Int32Array.from(await classes.data());
      classes.dispose();
      if (run > 0) {
        times.push(performance.now() - start);
      }
    }
  } finally {
    x.dispose();
  }
  times.sort((a, b) => a - b);
  return { predicted, latencyMs: times[times.length >> 1] };
}

/** The learned recurrence of a model's HadamRNN layer, as plain arrays for drawing. */
export interface RecurrencePicture {
  /** n. */
  units: number;
  /** s = sign(u), n values ±1. */
  signs: Float32Array;
  /** The effective recurrent matrix W = diag(s) (I ⊗ S_b) / sqrt(b), n × n row-major. */
  matrix: Float32Array;
}

/** Reads s = sign(u) and W from the model's first layer (a HadamRNN). */
export async function recurrencePicture(model: tf.LayersModel): Promise<RecurrencePicture> {
  const layer = model.layers[0] as HadamRNN;
  const [signs, matrix] = tf.tidy(() => [
    signSte(layer.getWeights()[1]), // weights: kernel U, recurrent_kernel u, bias
    layer.recurrentMatrix(),
  ]);
  const picture = {
    units: matrix.shape[0],
    signs: (await signs.data()) as Float32Array,
    matrix: (await matrix.data()) as Float32Array,
  };
  tf.dispose([signs, matrix]);
  return picture;
}
