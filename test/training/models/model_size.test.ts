import { sequential, layers } from '@tensorflow/tfjs-layers';
import { buildModel } from '../../../src/training/models/build_model';
import { modelSize } from '../../../src/training/models/model_size';
import { copyTask } from '../../../src/training/tasks/copy_task';
import '../../../src/index';

const task = copyTask({ timeSteps: 30, seed: 1, evalSize: 1 });

describe('modelSize', () => {
  it('counts HadamRNN as the paper does: u 1 bit, U and V p bits, biases 32 bits', () => {
    const model = buildModel(task, {
      model: 'hadamrnn',
      units: 128,
      blockSize: 128,
      bits: 4,
      seed: 1,
    });
    const size = modelSize(model);
    // U 10x128 at 4 bits, u 128 at 1 bit, b_U 128 at 32, V 128x9 at 4, b_V 9 at 32.
    const bits = 10 * 128 * 4 + 128 * 1 + 128 * 32 + 128 * 9 * 4 + 9 * 32;
    expect(bits).toBe(14240);
    expect(size.parameters).toBe(1280 + 128 + 128 + 1152 + 9);
    expect(size.paperBits).toBe(bits);
    expect(size.paperKiB).toBeCloseTo(14240 / 8 / 1024, 12);
    expect(size.float32KiB).toBeCloseTo((2697 * 4) / 1024, 12);
    expect(size.weights.map((w) => w.bits)).toEqual([4, 1, 32, 4, 32]);
    model.dispose();
  });

  it('follows the quantizer bits and counts Block-HadamRNN the same way', () => {
    const model = buildModel(task, {
      model: 'block-hadamrnn',
      units: 64,
      blockSize: 8,
      bits: 2,
      seed: 1,
    });
    expect(modelSize(model).paperBits).toBe(10 * 64 * 2 + 64 + 64 * 32 + 64 * 9 * 2 + 9 * 32);
    model.dispose();
  });

  it('counts every weight of a full-precision baseline at 32 bits', () => {
    const model = buildModel(task, { model: 'lstm', units: 8, blockSize: 8, bits: 4, seed: 1 });
    // LSTM: 4 gates x (input 10 + recurrent 8) x 8 + 4 x 8 biases; dense 8x9 + 9.
    const parameters = 4 * 18 * 8 + 32 + 72 + 9;
    expect(parameters).toBe(689);
    const size = modelSize(model);
    expect(size.parameters).toBe(parameters);
    expect(size.paperBits).toBe(parameters * 32);
    expect(size.paperKiB).toBe(size.float32KiB);
    model.dispose();
    const plain = sequential({ layers: [layers.dense({ units: 3, inputShape: [5] })] });
    expect(modelSize(plain).paperBits).toBe(18 * 32);
    plain.dispose();
  });
});
