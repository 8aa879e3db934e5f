/** Saving and loading through the Node file-system handler: format, shards, routers, processes. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { fileSystem, hadamRNN, quantizedDense } from '../../src/index';
import { DEFAULT_SHARD_BYTES } from '../../src/io/file_system';
import { fileSystemRouter } from '../../src/io/register';
import { FIXTURE, fixtureInput, fixtureModel, float32Base64 } from './fixtures/model';
import { readModelJson, removeFolder, savedFixture, temporaryFolder } from './fixtures/saved';

const ROOT = path.resolve(__dirname, '../..');
const folders: string[] = [];
afterAll(() => folders.forEach(removeFolder));

async function roundTrip(
  model: tfl.LayersModel,
  options = {},
  saveConfig: tf.io.SaveConfig = {},
): Promise<{ dir: string; loaded: tfl.LayersModel }> {
  const dir = temporaryFolder();
  folders.push(dir);
  await model.save(fileSystem(dir, options), saveConfig);
  return { dir, loaded: await tfl.loadLayersModel(fileSystem(dir)) };
}

function predictBytes(model: tfl.LayersModel): string {
  return tf.tidy(() => float32Base64(model.predict(fixtureInput()) as tf.Tensor));
}

describe('fileSystem', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('writes the standard layers-model model.json and one shard', async () => {
    const model = fixtureModel();
    const { dir, loaded } = await roundTrip(model);
    const json = readModelJson(dir);
    expect(Object.keys(json).sort()).toEqual(
      ['convertedBy', 'format', 'generatedBy', 'modelTopology', 'weightsManifest'].sort(),
    );
    expect(json.format).toBe('layers-model');
    expect(json.generatedBy).toMatch(/^TensorFlow\.js tfjs-layers v4\./);
    expect(json.convertedBy).toBeNull();
    expect(json.modelTopology.config.layers.map((l) => l.class_name)).toEqual([
      'HadamRNN',
      'HadamQuantizedDense',
    ]);
    const [group] = json.weightsManifest;
    // Shard names carry a token unique to the save (see the crash-safety tests).
    expect(group.paths).toEqual([expect.stringMatching(/^model\.[a-z0-9]+\.shard1of1\.bin$/)]);
    expect(group.weights.map((w) => w.shape)).toEqual([[3, 8], [8], [8], [8, 4], [4]]);
    // 3*8 + 8 + 8 + 8*4 + 4 = 76 float32 values.
    expect(fs.statSync(path.join(dir, group.paths[0])).size).toBe(76 * 4);
    expect(fs.readdirSync(dir).sort()).toEqual(['model.json', group.paths[0]]);
    model.dispose();
    loaded.dispose();
  });

  it('loads back a model whose weights and predictions are bit-identical', async () => {
    const model = fixtureModel();
    const { loaded } = await roundTrip(model);
    const original = model.getWeights().map(float32Base64);
    expect(loaded.getWeights().map(float32Base64)).toEqual(original);
    expect(predictBytes(loaded)).toBe(predictBytes(model));
    model.dispose();
    loaded.dispose();
  });

  it('cuts weights into shards of at most shardBytes, across weight boundaries', async () => {
    const model = fixtureModel();
    const { dir, loaded } = await roundTrip(model, { shardBytes: 100 });
    const [group] = readModelJson(dir).weightsManifest;
    const token = group.paths[0].split('.')[1];
    expect(group.paths).toEqual([1, 2, 3, 4].map((i) => `model.${token}.shard${i}of4.bin`));
    expect(group.paths.map((p) => fs.statSync(path.join(dir, p)).size)).toEqual([100, 100, 100, 4]);
    expect(predictBytes(loaded)).toBe(predictBytes(model));
    model.dispose();
    loaded.dispose();
  });

  it('shards a model above 4 MiB as the converter does', async () => {
    const model = tfl.sequential({
      layers: [tfl.layers.dense({ units: 1100, inputShape: [1000], useBias: false })],
    });
    const { dir, loaded } = await roundTrip(model);
    const [group] = readModelJson(dir).weightsManifest;
    const sizes = group.paths.map((p) => fs.statSync(path.join(dir, p)).size);
    const token = group.paths[0].split('.')[1];
    expect(group.paths).toEqual([1, 2].map((i) => `model.${token}.shard${i}of2.bin`));
    expect(sizes).toEqual([DEFAULT_SHARD_BYTES, 1100 * 1000 * 4 - DEFAULT_SHARD_BYTES]);
    expect(float32Base64(loaded.getWeights()[0])).toBe(float32Base64(model.getWeights()[0]));
    model.dispose();
    loaded.dispose();
  });

  it('round-trips a functional model, a compiled one, and a Keras model_config wrapper', async () => {
    const input = tfl.input({ shape: [FIXTURE.steps, FIXTURE.features] });
    const rnn = hadamRNN({ units: 8, returnSequences: true }).apply(input) as tfl.SymbolicTensor;
    const a = quantizedDense({ units: 3 }).apply(rnn) as tfl.SymbolicTensor;
    const b = quantizedDense({ units: 2 }).apply(rnn) as tfl.SymbolicTensor;
    const functional = tfl.model({ inputs: input, outputs: [a, b] });
    functional.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const { dir, loaded } = await roundTrip(functional, {}, { includeOptimizer: true });
    const json = readModelJson(dir);
    expect(json.trainingConfig).toBeDefined();
    expect(json.weightsManifest[0].weights.some((w) => w.group === 'optimizer')).toBe(true);
    expect(loaded.optimizer.getClassName()).toBe('Adam');
    const outputs = (m: tfl.LayersModel) =>
      tf.tidy(() => (m.predict(fixtureInput()) as tf.Tensor[]).map(float32Base64));
    expect(outputs(loaded)).toEqual(outputs(functional));
    // Keras files nest the model under model_config.
    const wrapped = {
      ...json,
      modelTopology: { model_config: json.modelTopology, keras_version: 'x' },
    };
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(wrapped));
    const fromKeras = await tfl.loadLayersModel(fileSystem(dir));
    expect(outputs(fromKeras)).toEqual(outputs(functional));
    [functional, loaded, fromKeras].forEach((m) => m.dispose());
  });

  it('is reached through file:// URLs by model.save and tf.loadLayersModel', async () => {
    const dir = temporaryFolder();
    folders.push(dir);
    const model = fixtureModel();
    await model.save(`file://${dir}`);
    const fromFile = await tfl.loadLayersModel(`file://${dir}/model.json`);
    const fromFolder = await tfl.loadLayersModel(`file://${dir}`);
    expect(predictBytes(fromFile)).toBe(predictBytes(model));
    expect(predictBytes(fromFolder)).toBe(predictBytes(model));
    [model, fromFile, fromFolder].forEach((m) => m.dispose());
  });

  it('saves to a model.json path, with shards beside it', async () => {
    const dir = temporaryFolder();
    folders.push(dir);
    const model = fixtureModel();
    await model.save(fileSystem(path.join(dir, 'nested', 'my_model.json')));
    expect(fs.readdirSync(path.join(dir, 'nested')).sort()).toEqual([
      'my_model.json',
      expect.stringMatching(/^my_model\.[a-z0-9]+\.shard1of1\.bin$/),
    ]);
    const loaded = await tfl.loadLayersModel(fileSystem(path.join(dir, 'nested', 'my_model.json')));
    expect(predictBytes(loaded)).toBe(predictBytes(model));
    model.dispose();
    loaded.dispose();
  });

  it('passes strict: false from tf.loadLayersModel to the handler', async () => {
    const dir = await savedFixture();
    folders.push(dir);
    const json = readModelJson(dir);
    json.weightsManifest[0].weights[0].name = 'renamed/kernel';
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
    await expect(tfl.loadLayersModel(`file://${dir}`)).rejects.toThrow(
      "model weight 'rnn/kernel' is not in weightsManifest",
    );
    const lenient = await tfl.loadLayersModel(`file://${dir}`, { strict: false });
    expect(lenient.layers.map((l) => l.name)).toEqual(['rnn', 'readout']);
    lenient.dispose();
  });

  it('leaves no tensors behind when saving and loading', async () => {
    const model = fixtureModel();
    const before = tf.memory().numTensors;
    const { loaded } = await roundTrip(model);
    const weights = loaded.weights.length;
    loaded.dispose();
    expect(weights).toBe(5);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('names the folder it cannot create', async () => {
    const dir = temporaryFolder();
    folders.push(dir);
    fs.writeFileSync(path.join(dir, 'file'), '');
    const target = path.join(dir, 'file', 'model');
    const model = fixtureModel();
    await expect(model.save(fileSystem(target))).rejects.toThrow(
      new Error(`fileSystem: cannot create the folder ${target} (ENOTDIR)`),
    );
    model.dispose();
  });

  it('rejects bad options naming them', () => {
    expect(() => fileSystem('')).toThrow('fileSystem: path must be a non-empty string, got ');
    expect(() => fileSystem('/tmp/x', { shardBytes: 0 })).toThrow(
      'fileSystem: shardBytes must be a positive integer, got 0',
    );
    expect(() => fileSystem('/tmp/x', { maxModelJsonBytes: 1.5 })).toThrow(
      'fileSystem: maxModelJsonBytes must be a positive integer, got 1.5',
    );
  });

  it('stands aside outside Node.js (browsers), failing only when used', async () => {
    const global = globalThis as { process?: unknown };
    const saved = global.process;
    global.process = undefined;
    let handler: unknown;
    let load: Promise<unknown>;
    try {
      handler = fileSystemRouter('file:///tmp/m/model.json');
      load = fileSystem('/tmp/m').load();
    } finally {
      global.process = saved;
    }
    expect(handler).toBeNull();
    await expect(load).rejects.toThrow(
      new Error(
        'fileSystem: the file system is only available in Node.js >= 20.16 (process.getBuiltinModule is missing)',
      ),
    );
    expect(fileSystemRouter('file:///tmp/m/model.json')).not.toBeNull();
    expect(fileSystemRouter('https://example.com/model.json')).toBeNull();
  });

  it('names the Node.js version where it is too old for the file system (< 20.16)', async () => {
    const proc = process as { getBuiltinModule?: unknown };
    const saved = proc.getBuiltinModule;
    proc.getBuiltinModule = undefined;
    const model = fixtureModel();
    try {
      // tfjs said 'Cannot find any save handlers' before the router claimed file:// in any Node.js.
      await expect(model.save('file:///tmp/hadamrnn-never-written')).rejects.toThrow(
        new Error(
          `fileSystem: the file system needs Node.js >= 20.16 (process.getBuiltinModule); this is Node.js ${process.versions.node}`,
        ),
      );
    } finally {
      proc.getBuiltinModule = saved;
      model.dispose();
    }
    expect(fileSystemRouter('file:///tmp/m/model.json')).not.toBeNull();
    expect(fileSystemRouter('https://example.com/model.json')).toBeNull();
  });

  it('saves in one process and predicts bit-identically in another', async () => {
    const dir = await savedFixture();
    folders.push(dir);
    const model = fixtureModel();
    const expected = predictBytes(model);
    model.dispose();
    const child = spawnSync(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      ['test/io/fixtures/predict_saved.ts', dir],
      { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
    );
    expect(child.stderr.split('\n').filter((l) => l.startsWith('Error'))).toEqual([]);
    expect(child.status).toBe(0);
    const lines = child.stdout.trim().split('\n');
    const result = JSON.parse(lines[lines.length - 1]) as { backend: string; y: string };
    expect(result).toEqual({ backend: 'cpu', y: expected });
  });
});
