/**
 * The bad-input table of docs/reliability.md: every row is an input, and either the exact error it
 * gives (one line, naming the API, the value and the rule) or, for inputs that are valid, the
 * result it must give. Throwing rows must also leave no tensor behind. A last test checks that
 * docs/reliability.md quotes every message, so the table and the docs cannot drift apart.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { hadamardRecurrence, hadamardTransform } from '../../src/index';
import { HOSTILE_CASES } from '../io/fixtures/hostile_cases';
import {
  REFUSED,
  REFUSED_CONFIGS,
  builtLayer,
  disposeCreated,
  model,
  zeros,
} from './fixtures/bad_input_rows';
import { valuesOf } from '../harness/expect';

describe('bad inputs are refused with their exact message', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(REFUSED.map((row) => [row.input, row] as const))('%s', (_, row) => {
    const before = tf.memory().numTensors;
    expect(() => tf.tidy(() => void row.run())).toThrow(new Error(row.message));
    disposeCreated();
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each(REFUSED_CONFIGS.map((row) => [row.input, row] as const))('%s', async (_, row) => {
    const source = model();
    const artifacts = await new Promise<tf.io.ModelArtifacts>((resolve) =>
      source.save(
        tf.io.withSaveHandler(
          async (a) => (
            resolve(a),
            { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
          ),
        ),
      ),
    );
    source.dispose();
    const topology = JSON.parse(JSON.stringify(artifacts.modelTopology));
    row.edit(topology.config.layers[0].config);
    await expect(
      tfl.loadLayersModel(tf.io.fromMemory({ ...artifacts, modelTopology: topology })),
    ).rejects.toThrow(new Error(row.message));
  });
});

/** tfjs's own message for model.predict on an empty batch (listed in docs/reliability.md). */
const EMPTY_PREDICT = 'Pass at least one tensor to concat';

describe('valid but unusual inputs give the right result', () => {
  it('int32 input is cast: the same result as float32', () => {
    const layer = builtLayer();
    const ints = tf.tensor3d(
      [
        [
          [1, -2, 3],
          [0, 4, -1],
          [2, 2, 2],
          [0, 0, 1],
          [-3, 1, 0],
        ],
      ],
      [1, 5, 3],
      'int32',
    );
    const fromInts = layer.apply(ints) as tf.Tensor;
    const fromFloats = layer.apply(tf.cast(ints, 'float32')) as tf.Tensor;
    expect(fromInts.dtype).toBe('float32');
    expect(valuesOf(fromInts)).toEqual(valuesOf(fromFloats));
    expect(valuesOf(hadamardTransform(tf.tensor1d([1, 0, 0, 0], 'int32')))).toEqual(
      Float64Array.from([0.5, 0.5, 0.5, 0.5]),
    );
  });

  it('NaN and Inf propagate to their own rows only, and nothing throws later', () => {
    const y = hadamardTransform(
      tf.tensor2d([
        [NaN, 0, 0, 0],
        [Infinity, 0, 0, 0],
        [1, 0, 0, 0],
      ]),
    );
    expect(Array.from(valuesOf(y))).toEqual([
      NaN,
      NaN,
      NaN,
      NaN,
      Infinity,
      Infinity,
      Infinity,
      Infinity,
      0.5,
      0.5,
      0.5,
      0.5,
    ]);
    const layer = builtLayer();
    const x = tf.tensor3d(
      Float32Array.from({ length: 30 }, (_, i) => (i === 0 ? NaN : 0.1 * (i % 7))),
      [2, 5, 3],
    );
    const out = valuesOf(layer.apply(x) as tf.Tensor); // [2, 5, 8]
    expect(out.slice(0, 40).every(Number.isNaN)).toBe(true); // batch 0: NaN from step 0 on
    expect(out.slice(40).every(Number.isFinite)).toBe(true); // batch 1 untouched
    const after = valuesOf(layer.apply(tf.onesLike(x)) as tf.Tensor);
    expect(after.every(Number.isFinite)).toBe(true);
  });

  it('an empty batch gives an empty result through the ops, the layer and model.apply', () => {
    expect(hadamardTransform(tf.zeros([0, 4])).shape).toEqual([0, 4]);
    expect(hadamardRecurrence(zeros([0, 3, 4]), tf.ones([4]), zeros([0, 4])).shape).toEqual([
      0, 3, 4,
    ]);
    expect((builtLayer().apply(zeros([0, 5, 3])) as tf.Tensor).shape).toEqual([0, 5, 8]);
    const m = model();
    expect((m.apply(zeros([0, 5, 3])) as tf.Tensor).shape).toEqual([0, 8]);
    // Note (tfjs): predict's batch loop concatenates zero batches; apply/execute work.
    expect(() => m.predict(zeros([0, 5, 3]))).toThrow(new Error(EMPTY_PREDICT));
    m.dispose();
  });

  it('T = 0 gives no states, and the initial state as the last state', () => {
    expect(hadamardRecurrence(zeros([2, 0, 4]), tf.ones([4]), zeros([2, 4])).shape).toEqual([
      2, 0, 4,
    ]);
    expect((builtLayer().apply(zeros([2, 0, 3])) as tf.Tensor).shape).toEqual([2, 0, 8]);
    const last = builtLayer({ returnSequences: false, returnState: true });
    const h0 = tf.tensor2d(
      Float32Array.from({ length: 16 }, (_, i) => i - 8),
      [2, 8],
    );
    const [output, state] = last.apply(zeros([2, 0, 3]), { initialState: [h0] }) as tf.Tensor[];
    expect(valuesOf(state)).toEqual(valuesOf(h0));
    expect(valuesOf(output)).toEqual(valuesOf(tf.relu(h0)));
  });
});

describe('docs/reliability.md', () => {
  it('quotes every message of the table', () => {
    const docs = fs.readFileSync(path.resolve(__dirname, '../../docs/reliability.md'), 'utf8');
    const quoted = (m: string) => `\`${m.replace(/\n\s*/g, ' ').replace(/\|/g, '\\|')}\``;
    const missing = [...REFUSED, ...REFUSED_CONFIGS]
      .map((r) => r.message)
      .concat(EMPTY_PREDICT)
      .concat(HOSTILE_CASES.map((c) => c.problem))
      .filter((m) => !docs.includes(quoted(m)));
    expect(missing).toEqual([]);
  });
});
