/** The trial build of a loaded topology: what it refuses, and that it disposes only its own. */
import * as tf from '@tensorflow/tfjs-core';
import { fileSystem } from '../../src/index';
import { JsonChecker } from '../../src/io/json_checker';
import { checkTopologyAgainstWeights } from '../../src/io/topology_check';
import { removeFolder, savedFixture } from './fixtures/saved';

describe('checkTopologyAgainstWeights', () => {
  let dir: string;
  let artifacts: tf.io.ModelArtifacts;
  const check = new JsonChecker('fileSystem', '/m/model.json');

  beforeAll(async () => {
    await tf.setBackend('cpu');
    dir = await savedFixture();
    artifacts = await fileSystem(dir).load();
  });
  afterAll(() => removeFolder(dir));

  it('accepts a matching topology and leaves no tensor behind', async () => {
    const before = tf.memory().numTensors;
    await checkTopologyAgainstWeights(check, artifacts);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('disposes only its own variables, even when others are made meanwhile', async () => {
    const pending = checkTopologyAgainstWeights(check, artifacts);
    // Made while the check awaits: it must survive.
    const other = tf.variable(tf.zeros([3]), true, 'made_meanwhile');
    await pending;
    expect(other.isDisposed).toBe(false);
    other.dispose();
  });

  it('disposes a half-built model when a later layer is refused', async () => {
    const topology = JSON.parse(JSON.stringify(artifacts.modelTopology));
    topology.config.layers[1].config.units = 0; // the read-out refuses; the RNN is built already
    const before = tf.memory().numTensors;
    await expect(
      checkTopologyAgainstWeights(check, { ...artifacts, modelTopology: topology }),
    ).rejects.toThrow(
      new Error(
        'fileSystem: /m/model.json: modelTopology cannot be built (HadamQuantizedDense: units must be a positive integer, got 0)',
      ),
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('lets strict: false through with names missing on either side', async () => {
    const specs = artifacts.weightSpecs!.map((s, i) => (i === 0 ? { ...s, name: 'other' } : s));
    await expect(
      checkTopologyAgainstWeights(check, { ...artifacts, weightSpecs: specs }),
    ).rejects.toThrow("model weight 'rnn/kernel' is not in weightsManifest");
    await checkTopologyAgainstWeights(check, { ...artifacts, weightSpecs: specs }, false);
  });
});
