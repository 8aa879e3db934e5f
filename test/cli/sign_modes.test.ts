import * as tf from '@tensorflow/tfjs-core';
import { parseTrainArgs } from '../../src/cli/args';
import { buildModel } from '../../src/training/models/build_model';
import { makeTask } from '../../src/training/tasks/make_task';
import type { HadamRNN } from '../../src/layers/hadam_rnn';

// --signs picks HadamRNN's sign recipe: 'trained' the layer's default ('stable', u = ±2), 'paper'
// the paper's (u in ±sqrt(6/129) at 128 units), 'fixed' the default draw, not trained. One seed
// draws the same signs in every mode (only |u| differs), so the modes start from the same W.
describe('--signs', () => {
  const layerOf = (signs: string) => {
    const options = parseTrainArgs(['copy', '--T', '20', '--units', '128', '--signs', signs]);
    const model = buildModel(makeTask(options), options);
    return { model, layer: model.layers[0] as HadamRNN };
  };

  it('builds the stable, paper and fixed recipes from one seed with the same signs', () => {
    const before = tf.memory().numTensors;
    const built = ['trained', 'paper', 'fixed'].map(layerOf);
    const u = built.map(({ layer }) =>
      Array.from(
        layer.weights
          .find((w) => w.name.endsWith('recurrent_kernel'))!
          .read()
          .dataSync(),
      ),
    );
    expect(built.map(({ layer }) => layer.getConfig().signRecipe)).toEqual([
      'stable',
      'paper',
      'stable',
    ]);
    expect(built.map(({ layer }) => layer.cell.trainableSigns)).toEqual([true, true, false]);
    const bounds = [2, Math.sqrt(6 / 129), 2];
    u.forEach((values, i) => {
      expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(bounds[i]);
      expect(Math.max(...values.map(Math.abs))).toBeGreaterThan(0.9 * bounds[i]);
      if (i !== 1) {
        expect(Math.min(...values.map(Math.abs))).toBe(2);
      }
      expect(values.map((v) => v >= 0)).toEqual(u[0].map((v) => v >= 0));
    });
    built.forEach(({ model }) => model.dispose());
    expect(tf.memory().numTensors).toBe(before);
  });
});
