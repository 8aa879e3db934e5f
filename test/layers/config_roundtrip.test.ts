import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { serializableClasses } from '../../src';

type Config = tf.serialization.ConfigDict;

/** A non-default config of every registered class. */
const NON_DEFAULT_CONFIGS: Record<string, Config> = {
  HadamRNN: {
    units: 32,
    blockSize: 8,
    activation: 'tanh',
    useBias: false,
    kernelQuantizer: null,
    recurrentConstraint: { className: 'HadamWeightClip', config: { clipValue: 0.5 } },
    recurrentQuantizer: { className: 'HadamSignSte', config: { clipValue: null } },
    kernelRegularizer: { className: 'L1L2', config: { l1: 0.01, l2: 0 } },
    kernelConstraint: { className: 'MaxNorm', config: { maxValue: 2, axis: 0 } },
    returnSequences: true,
    returnState: true,
    goBackwards: true,
    stateful: false,
    signRecipe: 'paper',
  },
  HadamRNNCell: {
    units: 16,
    blockSize: 16,
    recurrentInitializer: { className: 'Zeros', config: {} },
    trainableSigns: false,
    signRecipe: 'paper',
  },
  HadamQuantizedDense: {
    units: 9,
    activation: 'softmax',
    kernelQuantizer: { className: 'HadamUniformSte', config: { bits: 2 } },
    biasInitializer: { className: 'Ones', config: {} },
  },
  HadamSignSte: { clipValue: 0.25 },
  HadamUniformSte: { bits: 8 },
  HadamWeightClip: { clipValue: 3 },
  HadamRandomSigns: { magnitude: 0.5, seed: 3 },
};

describe('every registered class', () => {
  it('has a literal, prefixed and unique className', () => {
    const names = serializableClasses.map((cls) => cls.className);
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((name) => name.startsWith('Hadam'))).toBe(true);
    expect(Object.keys(NON_DEFAULT_CONFIGS).sort()).toEqual([...names].sort());
  });

  it.each(serializableClasses.map((cls) => [cls.className, cls] as const))(
    '%s round-trips its config through the registry',
    (className, cls) => {
      const config = NON_DEFAULT_CONFIGS[className];
      const [registered, fromConfig] =
        tf.serialization.SerializationMap.getMap().classNameMap[className];
      expect(registered).toBe(cls);
      const first = fromConfig(registered, { ...config }) as tf.serialization.Serializable;
      const saved = first.getConfig();
      for (const [key, value] of Object.entries(config)) {
        expect([key, saved[key]]).toEqual([key, value]);
      }
      const second = fromConfig(registered, { ...saved }) as tf.serialization.Serializable;
      const { name: _first, ...firstRest } = saved;
      const { name: _second, ...secondRest } = second.getConfig();
      expect(secondRest).toEqual(firstRest);
    },
  );

  it('survives the snake_case conversion of a saved model.json', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.rnn({
          cell: new serializableClasses[1](NON_DEFAULT_CONFIGS.HadamRNNCell as never),
          inputShape: [3, 2],
        }),
      ],
    });
    let topology: unknown;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        topology = artifacts.modelTopology;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const reloaded = await tfl.models.modelFromJSON({
      modelTopology: topology as tf.io.ModelJSON['modelTopology'],
    });
    const cell = (reloaded.layers[0] as tfl.RNN).cell;
    expect(cell.getClassName()).toBe('HadamRNNCell');
    expect(cell.getConfig().recurrentInitializer).toEqual({ className: 'Zeros', config: {} });
    expect(cell.getConfig().signRecipe).toBe('paper');
    model.dispose();
    reloaded.dispose();
  });

  it('loads a config saved before signRecipe existed with its own u options, unchanged', () => {
    // The defaults of that version, written out in every saved config.
    const saved = {
      units: 8,
      recurrentInitializer: {
        className: 'RandomUniform',
        config: { minval: -0.8, maxval: 0.8, seed: null },
      },
      recurrentConstraint: { className: 'HadamWeightClip', config: { clipValue: 1 } },
      recurrentQuantizer: { className: 'HadamSignSte', config: { clipValue: 1 } },
      trainableSigns: true,
    };
    const [cls, fromConfig] = tf.serialization.SerializationMap.getMap().classNameMap.HadamRNN;
    const config = (fromConfig(cls, { ...saved }) as tf.serialization.Serializable).getConfig();
    for (const [key, value] of Object.entries(saved)) {
      expect([key, config[key]]).toEqual([key, value]);
    }
  });

  it.each([
    ['HadamRNN', { units: 8, unit: 4 }, "HadamRNN: unknown config key(s) 'unit'"],
    ['HadamRNNCell', { units: 8, blocksize: 4 }, "HadamRNNCell: unknown config key(s) 'blocksize'"],
    [
      'HadamQuantizedDense',
      { units: 8, __proto__x: 1 },
      "HadamQuantizedDense: unknown config key(s) '__proto__x'",
    ],
    ['HadamRNN', { units: '8' }, "HadamRNN: units must be a positive integer, got '8'"],
    [
      'HadamRNN',
      { units: 8, returnSequences: 'yes' },
      "HadamRNN: returnSequences must be a boolean, got 'yes'",
    ],
    ['HadamRNN', { units: 8, useBias: 1 }, 'HadamRNN: useBias must be a boolean, got 1'],
    [
      'HadamRNN',
      { units: 8, kernelQuantizer: { className: 'HadamUniformSte', config: { bits: 0 } } },
      'uniformSte: bits must be an integer from 1 to 16, got 0',
    ],
    [
      'HadamRNN',
      { units: 8, kernelQuantizer: { className: 'constructor' } },
      "HadamRNN: unknown kernelQuantizer 'constructor'; expected one of signSte, uniformSte",
    ],
  ])('%s rejects %j', (className, config, message) => {
    const [cls, fromConfig] = tf.serialization.SerializationMap.getMap().classNameMap[className];
    expect(() => fromConfig(cls, config as Config)).toThrow(message);
  });
});
