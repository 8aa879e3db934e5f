/**
 * The file-system loader on damaged and hostile model folders: each case is refused with its exact
 * one-line message, before any tensor is made, and nothing reaches Object.prototype.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { fileSystem } from '../../src/index';
import { HOSTILE_CASES, SHARD_BYTES, type HostileCase } from './fixtures/hostile_cases';
import { readModelJson, removeFolder, savedFixture, temporaryFolder } from './fixtures/saved';

const folders: string[] = [];
afterAll(() => {
  folders.forEach(removeFolder);
  folders.forEach((dir) => fs.rmSync(`${dir}-outside.bin`, { force: true }));
});

async function damaged(c: HostileCase): Promise<{ dir: string; file: string; problem: string }> {
  const dir = await savedFixture();
  folders.push(dir);
  const file = path.join(dir, 'model.json');
  c.damage(dir, readModelJson(dir));
  const problem = c.problem.replace('<size>', String(fs.statSync(file).size));
  return { dir, file, problem };
}

describe('fileSystem load refuses hostile folders', () => {
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();

  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  afterAll(() => {
    // Nothing any hostile file held reached the prototype of every object.
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it.each(HOSTILE_CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const { dir, file, problem } = await damaged(c);
    const before = tf.memory().numTensors;
    await expect(fileSystem(dir, c.options).load()).rejects.toThrow(
      new Error(`fileSystem: ${file}: ${problem}`),
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses through tf.loadLayersModel with the same message', async () => {
    const { dir, file } = await damaged(
      HOSTILE_CASES.find((c) => c.name === 'a __proto__ key in a layer config')!,
    );
    await expect(tfl.loadLayersModel(`file://${file}`)).rejects.toThrow(
      new Error(
        `fileSystem: ${file}: forbidden key '__proto__' at modelTopology.config.layers[0].config`,
      ),
    );
    expect(dir).not.toBe('');
  });

  it('names a folder that does not exist', async () => {
    const dir = path.join(temporaryFolder(), 'nope');
    await expect(fileSystem(dir).load()).rejects.toThrow(
      new Error(`fileSystem: ${dir}: does not exist`),
    );
  });

  it('loads the undamaged fixture (the cases above start from a valid folder)', async () => {
    const dir = await savedFixture();
    folders.push(dir);
    const artifacts = await fileSystem(dir).load();
    expect(artifacts.weightSpecs!.length).toBe(5);
    expect((artifacts.weightData as ArrayBuffer).byteLength).toBe(SHARD_BYTES);
  });
});
