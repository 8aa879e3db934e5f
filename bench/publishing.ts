/**
 * Publishing formats (docs/publishing.md): the size of each format for the copy-task model
 * (n = 128, demo/model) and an sMNIST-shaped model (n = 512, 1 input, 10 classes), and the speed
 * of tfjs-hadamrnn/lite at batch 1 against tfjs on cpu and wasm: streaming (one time step per
 * call, the edge use case) and a whole sequence.
 */
import '@tensorflow/tfjs-backend-wasm';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { exportBits, exportModel, fileSystem, hadamRNN, quantizedDense } from '../src';
import { modelSize } from '../src/training/models/model_size';
import { loadModel, type LiteModel } from '../src/lite';
import { formatNs, formatRatio, measure, markdownTable, type BenchSection } from './harness';

const COPY = join(__dirname, '..', 'demo', 'model', 'model.json');
const COPY_STEPS = 20;

/** An sMNIST-shaped model with random weights: 784 steps of 1 pixel, n = 512, 10 classes. */
function smnistModel(): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      hadamRNN({ units: 512, inputShape: [784, 1] }),
      quantizedDense({ units: 10, activation: 'softmax' }),
    ],
  });
}

function folderBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

/** Bytes of the float32 save and of each format, and the paper's count. */
async function sizes(model: tfl.LayersModel): Promise<number[]> {
  const root = mkdtempSync(join(tmpdir(), 'hadamrnn-bench-'));
  try {
    await model.save(fileSystem(join(root, 'float32')));
    const row = [folderBytes(join(root, 'float32'))];
    for (const format of ['quantized', 'stock', 'bits'] as const) {
      row.push((await exportModel(model, join(root, format), { format })).bytes);
    }
    return [...row, modelSize(model).paperBits / 8];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** A stateful copy of `model` reading one time step per call at batch 1. */
function statefulTwin(model: tfl.LayersModel, inputDim: number): tfl.LayersModel {
  const twin = tfl.sequential({
    layers: [
      hadamRNN({
        units: 128,
        stateful: true,
        returnSequences: true,
        batchInputShape: [1, 1, inputDim],
      }),
      quantizedDense({ units: 9, activation: 'softmax' }),
    ],
  });
  twin.setWeights(model.getWeights());
  return twin;
}

interface SpeedRows {
  step: string[][];
  sequence: string[][];
}

async function speeds(
  backend: string,
  copy: tfl.LayersModel,
  liteCopy: LiteModel,
  smnist: tfl.LayersModel,
  liteSmnist: LiteModel,
): Promise<SpeedRows> {
  await tf.setBackend(backend);
  const stateful = statefulTwin(copy, 10);
  const xt = tf.oneHot(tf.tensor1d([3], 'int32'), 10).reshape([1, 1, 10]);
  const xtValues = xt.dataSync() as Float32Array;
  const copyX = tf.randomUniform([1, COPY_STEPS, 10]);
  const smnistX = tf.randomUniform([1, 784, 1]);
  const [copyValues, smnistValues] = [copyX.dataSync(), smnistX.dataSync()] as Float32Array[];
  const step = measure({
    lite: () => liteCopy.step(xtValues),
    tfjs: () => {
      const y = stateful.predict(xt) as tf.Tensor;
      y.dataSync(); // a streaming application reads each step's output
      y.dispose();
    },
  });
  const sequenceCopy = measure({
    lite: () => liteCopy.predict(copyValues, COPY_STEPS),
    tfjs: () => tf.tidy(() => (copy.predict(copyX) as tf.Tensor).dataSync()),
  });
  const sequenceSmnist = measure(
    {
      lite: () => liteSmnist.predict(smnistValues, 784),
      tfjs: () => tf.tidy(() => (smnist.predict(smnistX) as tf.Tensor).dataSync()),
    },
    { minSamples: 3 },
  );
  tf.dispose([xt, copyX, smnistX]);
  stateful.dispose();
  const us = (ns: number) => formatNs(ns / 1e3);
  return {
    step: [
      [
        backend,
        us(step.tfjs.medianNs),
        us(step.lite.medianNs),
        formatRatio(step.tfjs.medianNs, step.lite.medianNs),
      ],
    ],
    sequence: [
      [`copy (n = 128, T = ${COPY_STEPS}), ${backend}`, sequenceCopy],
      [`sMNIST-shaped (n = 512, T = 784), ${backend}`, sequenceSmnist],
    ].map(([name, t]) => {
      const timing = t as ReturnType<typeof measure>;
      return [
        name as string,
        us(timing.tfjs.medianNs),
        us(timing.lite.medianNs),
        formatRatio(timing.tfjs.medianNs, timing.lite.medianNs),
      ];
    }),
  };
}

export async function run(): Promise<BenchSection> {
  await tf.setBackend('cpu');
  const copy = await tfl.loadLayersModel(fileSystem(COPY));
  const smnist = smnistModel();
  const sizeRows = [
    ['copy task (n = 128, demo/model)', ...(await sizes(copy))],
    ['sMNIST-shaped (n = 512, random weights)', ...(await sizes(smnist))],
  ];
  const liteCopy = loadModel(exportBits(copy));
  const liteSmnist = loadModel(exportBits(smnist));
  const rows: SpeedRows = { step: [], sequence: [] };
  for (const backend of ['cpu', 'wasm']) {
    const r = await speeds(backend, copy, liteCopy, smnist, liteSmnist);
    rows.step.push(...r.step);
    rows.sequence.push(...r.sequence);
    console.log(`  ${backend} timed`);
  }
  copy.dispose();
  smnist.dispose();
  const sizeTable = markdownTable(
    ['model', 'float32 save', 'quantized', 'stock', 'bits', "paper's count"],
    sizeRows.map(([name, ...bytes]) => [name as string, ...bytes.map((b) => `${b}`)]),
  );
  const sequenceTable = markdownTable(
    ['model, tfjs backend', 'tfjs predict (µs)', 'lite predict (µs)', '× (tfjs / lite)'],
    rows.sequence,
  );
  return {
    title: 'Publishing: format sizes, and lite against tfjs at batch 1',
    intro: [
      'Sizes in bytes, every file counted (model.json and shards, or the bits file), against the ' +
        "paper's count (u 1 bit per unit, U and V 4 bits, biases 32 bits). The float32 save is " +
        '`model.save` of the trained model (latent weights).',
      sizeTable,
      '**Streaming, one time step per call** (the copy-task model): **tfjs** is a stateful copy ' +
        'of the model (`stateful: true`, batchInputShape [1, 1, 10]) whose `predict` takes one ' +
        'step and whose output is read with `dataSync`; **lite** is `model.step(x_t)`. Medians ' +
        'in microseconds per step; **×** is how many times faster lite is.',
    ],
    headers: [
      'tfjs backend',
      'tfjs stateful predict (µs/step)',
      'lite step (µs/step)',
      '× (tfjs / lite)',
    ],
    rows: rows.step,
    notes: [
      '**A whole sequence at batch 1**: tfjs `model.predict` of [1, T, inputDim] (output read ' +
        'with dataSync) against lite `predict(x, T)`. The copy model returns every step; the ' +
        'sMNIST-shaped model only the last.',
      sequenceTable,
      'lite runs the recurrence one step at a time in float64 JavaScript; the tfjs models use ' +
        "the layer's default `inference: 'recurrence'`, one kernel call over the sequence. " +
        "(`inference: 'impulseResponses'` replaces a last-state recurrence by one matMul with " +
        'kept impulse responses W^j·U from the second call on, docs/layers.md.)',
    ],
  };
}
