/**
 * Issue 13's findings on the file-system handler, one test each: non-finite weights, links out of
 * the folder and to devices, costs bounded before work (declared weight bytes, entry count),
 * file:// URLs, and the `terminateOnNaN` callback.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { fileSystem, terminateOnNaN } from '../../src/index';
import { fixtureModel, fixtureInput } from './fixtures/model';
import {
  readModelJson,
  removeFolder,
  savedFixture,
  temporaryFolder,
  writeModelJson,
} from './fixtures/saved';

const folders: string[] = [];
afterAll(() => folders.forEach(removeFolder));

function folder(): string {
  const dir = temporaryFolder();
  folders.push(dir);
  return dir;
}

/** A compiled fixture model whose fit on a batch with one NaN example turned every weight NaN. */
async function divergedModel(callbacks: tfl.CustomCallbackArgs | tfl.Callback[] = []) {
  const model = fixtureModel();
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  const x = fixtureInput();
  const values = x.arraySync();
  values[1][2][0] = NaN; // one value of one example
  const poisoned = tf.tensor3d(values);
  const y = tf.fill([2, 5, 4], 0.25);
  const history = await model.fit(poisoned, y, {
    epochs: 3,
    batchSize: 2,
    verbose: 0,
    callbacks: callbacks as tfl.Callback[],
  });
  tf.dispose([x, poisoned, y]);
  return { model, history };
}

describe('non-finite weights', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('one NaN example in a fit batch: the save is refused, naming the weight', async () => {
    const { model } = await divergedModel();
    expect(Number.isNaN(model.getWeights()[0].dataSync()[0])).toBe(true);
    const dir = folder();
    await expect(model.save(fileSystem(dir))).rejects.toThrow(
      /^fileSystem: refusing to save non-finite weights: 'rnn\/kernel' holds 24 NaN among its 24 values \(training diverged\?\); pass allowNonFinite: true to save them anyway$/,
    );
    expect(fs.readdirSync(dir)).toEqual([]);
    model.dispose();
  });

  it('with allowNonFinite the save goes through, and a load refuses it unless allowed too', async () => {
    const { model } = await divergedModel();
    const dir = folder();
    await model.save(fileSystem(dir, { allowNonFinite: true }), { includeOptimizer: true });
    const file = path.join(dir, 'model.json');
    await expect(fileSystem(dir).load()).rejects.toThrow(
      `fileSystem: ${file}: weight 'rnn/kernel' holds 24 NaN among its 24 values; pass allowNonFinite: true to load non-finite weights anyway`,
    );
    const loaded = await tfl.loadLayersModel(fileSystem(dir, { allowNonFinite: true }));
    expect(Number.isNaN(loaded.getWeights()[0].dataSync()[0])).toBe(true);
    [model, loaded].forEach((m) => m.dispose());
  });

  it('NaN optimizer slots saved with includeOptimizer are refused on load', async () => {
    // A clean model whose Adam slots hold NaN: after loading, the first fit would turn every
    // weight NaN.
    const { model } = await divergedModel();
    const clean = fixtureModel();
    model.setWeights(clean.getWeights());
    clean.dispose();
    const dir = folder();
    await expect(model.save(fileSystem(dir), { includeOptimizer: true })).rejects.toThrow(
      /^fileSystem: refusing to save non-finite weights: 'rnn\/kernel(_\d+)?\/m' holds 24 NaN/,
    );
    await model.save(fileSystem(dir, { allowNonFinite: true }), { includeOptimizer: true });
    await expect(fileSystem(dir).load()).rejects.toThrow(
      /: weight 'rnn\/kernel(_\d+)?\/m' holds 24 NaN among its 24 values; pass allowNonFinite/,
    );
    model.dispose();
  });

  it('terminateOnNaN stops fit at the first non-finite batch, before anything is saved', async () => {
    const stops: unknown[] = [];
    const stop = terminateOnNaN({ onStop: (s) => stops.push(s) });
    const { model, history } = await divergedModel([stop]);
    // The first batch already held the NaN example: one batch, not three epochs.
    expect(history.epoch).toEqual([0]);
    expect(stop.stopped).toEqual({ epoch: 0, batch: 0, reason: 'loss is NaN' });
    expect(stops).toEqual([stop.stopped]);
    model.dispose();
  });

  it('terminateOnNaN catches weights gone non-finite while the loss is finite', async () => {
    const model = fixtureModel();
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const stop = terminateOnNaN({ onStop: () => undefined });
    const x = fixtureInput();
    const y = tf.zeros([2, 5, 4]);
    // A huge learning rate would do it too; an Infinity weight set in the first batch is exact.
    const poison = new tfl.CustomCallback({
      onBatchBegin: async () => {
        const [k, ...rest] = model.getWeights();
        const bad = tf.fill(k.shape, Infinity);
        model.setWeights([bad, ...rest]);
        bad.dispose();
      },
    });
    await model.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0, callbacks: [poison, stop] });
    expect(stop.stopped?.epoch).toBe(0);
    expect(stop.stopped?.reason).toMatch(/^(loss is NaN|weight 'rnn\/kernel' holds )/);
    tf.dispose([x, y]);
    model.dispose();
    expect(() => terminateOnNaN({ checkWeights: 'yes' as unknown as boolean })).toThrow(
      'terminateOnNaN: checkWeights must be a boolean, got yes',
    );
  });
});

describe('files read back', () => {
  it('refuses a model.json that is a link out of the folder, quoting none of it', async () => {
    const dir = await savedFixture();
    folders.push(dir);
    const secret = `${dir}-secret.json`;
    fs.writeFileSync(secret, 'SECRET=hunter2 not json');
    fs.rmSync(path.join(dir, 'model.json'));
    fs.symlinkSync(secret, path.join(dir, 'model.json'));
    const file = path.join(dir, 'model.json');
    const error = await fileSystem(dir)
      .load()
      .catch((e: Error) => e);
    expect(error).toEqual(new Error(`fileSystem: ${file}: resolves outside the folder`));
    fs.rmSync(secret);
    // Inside the folder, a non-JSON file is refused without quoting it either.
    fs.rmSync(file);
    fs.writeFileSync(file, 'SECRET=hunter2 not json');
    await expect(fileSystem(dir).load()).rejects.toThrow(
      new Error(`fileSystem: ${file}: is not valid JSON`),
    );
  });

  it('refuses a model.json linked to /proc/self/environ and a FIFO, without hanging', async () => {
    const dir = folder();
    const file = path.join(dir, 'model.json');
    fs.symlinkSync('/proc/self/environ', file);
    await expect(fileSystem(dir).load()).rejects.toThrow(
      new Error(`fileSystem: ${file}: resolves outside the folder`),
    );
    fs.rmSync(file);
    execFileSync('mkfifo', [file]);
    await expect(fileSystem(file).load()).rejects.toThrow(
      new Error(`fileSystem: ${file}: is not a regular file`),
    );
  });
});

describe('costs bounded before work', () => {
  it('refuses a 2 KB model.json declaring HadamRNN units 2^24 before building it', async () => {
    const dir = await savedFixture();
    folders.push(dir);
    const json = readModelJson(dir);
    json.modelTopology.config.layers[0].config.units = 2 ** 24;
    writeModelJson(dir, json);
    const before = tf.memory().numBytes;
    const start = Date.now();
    await expect(fileSystem(dir).load()).rejects.toThrow(
      `fileSystem: ${path.join(dir, 'model.json')}: modelTopology is refused: its weights add up to more than the 304 bytes of the weights in weightsManifest (at weight 'kernel' of shape [3,16777216])`,
    );
    // Milliseconds, not the 10 s of building 1.4 GiB; nothing allocated.
    expect(Date.now() - start).toBeLessThan(1000);
    expect(tf.memory().numBytes).toBe(before);
  });

  it('refuses a 16 MiB model.json of 8.4 M entries in about JSON.parse time', async () => {
    const dir = await savedFixture();
    folders.push(dir);
    const json = readModelJson(dir);
    const text = JSON.stringify({ ...json, userDefinedMetadata: { x: 'ENTRIES' } }).replace(
      '"ENTRIES"',
      `[${new Array(8_400_000).fill('0').join(',')}]`,
    );
    fs.writeFileSync(path.join(dir, 'model.json'), text);
    expect(text.length).toBeGreaterThan(16_000_000);
    const start = Date.now();
    JSON.parse(text);
    const parseMs = Date.now() - start;
    const refused = Date.now();
    await expect(fileSystem(dir, { maxModelJsonBytes: 32 * 1024 * 1024 }).load()).rejects.toThrow(
      /: holds 84\d{5} values, more than the limit of 1000000$/,
    );
    // Seconds before (18 s and 1.5 GiB); now at most a few JSON.parse times, on a busy machine.
    expect(Date.now() - refused).toBeLessThan(Math.max(2000, 5 * parseMs));
  });
});

describe('file:// URLs', () => {
  it('decodes %20 and accepts file://localhost/', async () => {
    const dir = path.join(folder(), 'a b');
    const model = fixtureModel();
    await model.save(`file://${dir.replace(/ /g, '%20')}`);
    expect(fs.existsSync(path.join(dir, 'model.json'))).toBe(true);
    const loaded = await tfl.loadLayersModel(
      `file://localhost${dir.replace(/ /g, '%20')}/model.json`,
    );
    expect(loaded.getWeights()[0].dataSync()).toEqual(model.getWeights()[0].dataSync());
    [model, loaded].forEach((m) => m.dispose());
    expect(fileSystem('file://relative/model').path).toBe('relative/model');
    expect(() => fileSystem('file:///tmp/%E0%A4%A')).toThrow(
      'fileSystem: file:///tmp/%E0%A4%A has a malformed percent-escape',
    );
  });
});

describe('checkTopology: false', () => {
  it('a refused load with checkTopology false leaks nothing', async () => {
    const dir = await savedFixture();
    folders.push(dir);
    const json = readModelJson(dir);
    Object.assign(json.weightsManifest[0].weights[4], { shape: [5] });
    writeModelJson(dir, json);
    fs.appendFileSync(path.join(dir, json.weightsManifest[0].paths[0]), Buffer.alloc(4));
    const before = tf.memory().numTensors;
    // Before, tfjs built the model, found the mismatch, and kept its 10 tensors.
    await expect(tfl.loadLayersModel(fileSystem(dir, { checkTopology: false }))).rejects.toThrow(
      `fileSystem: ${path.join(dir, 'model.json')}: weight 'readout/bias' has shape [5] in weightsManifest but [4] in modelTopology`,
    );
    expect(tf.memory().numTensors).toBe(before);
    // A matching folder loads as before, and the dry build left nothing behind.
    const good = await savedFixture();
    folders.push(good);
    const loaded = await tfl.loadLayersModel(fileSystem(good, { checkTopology: false }));
    expect(loaded.getWeights().map((w) => w.shape)).toEqual([[3, 8], [8], [8], [8, 4], [4]]);
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
