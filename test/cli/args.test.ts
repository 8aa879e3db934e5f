import { parseTrainArgs } from '../../src/cli/args';
import { TASK_DEFAULTS } from '../../src/training/train_options';

describe('parseTrainArgs', () => {
  it('gives the paper settings per task', () => {
    const copy = parseTrainArgs(['copy']);
    expect(copy).toMatchObject({
      task: 'copy',
      model: 'hadamrnn',
      T: 1000,
      units: 128,
      lr: 1e-4,
      batch: 128,
      lrDecay: 0.98,
      bits: 4,
      resume: false,
    });
    expect(copy.out).toBe('artifacts/runs/copy-hadamrnn');
    expect(copy.given).toEqual([]);
    expect(copy.backend).toBe('wasm');
    expect(parseTrainArgs(['smnist'])).toMatchObject({
      units: 512,
      lr: 1e-3,
      batch: 64,
      steps: null,
    });
    expect(parseTrainArgs(['pmnist'])).toMatchObject({ units: 512, lr: 1e-3, batch: 100 });
    expect(TASK_DEFAULTS.pmnist.trainSize).toBe(50_000);
  });

  it('applies overrides, both --flag value and --flag=value', () => {
    const options = parseTrainArgs([
      'copy',
      '--T',
      '100',
      '--model=lstm',
      '--backend',
      'wasm',
      '--lr',
      '3e-3',
      '--units',
      '64',
      '--block-size',
      '8',
      '--resume',
      '--out',
      '/tmp/x',
      '--seed',
      '-3',
      '--steps',
      '7',
    ]);
    expect(options).toMatchObject({
      T: 100,
      model: 'lstm',
      backend: 'wasm',
      lr: 3e-3,
      units: 64,
      blockSize: 8,
      resume: true,
      out: '/tmp/x',
      seed: -3,
      steps: 7,
    });
    expect(options.given.sort()).toEqual(
      [
        'T',
        'backend',
        'blockSize',
        'lr',
        'model',
        'out',
        'resume',
        'seed',
        'steps',
        'units',
      ].sort(),
    );
  });

  it.each([
    [[], 'tfjs-hadamrnn train: missing task; expected one of copy, smnist, pmnist'],
    [['cifar'], "tfjs-hadamrnn train: unknown task 'cifar'; expected one of copy, smnist, pmnist"],
    [['copy', '--Tx', '3'], "tfjs-hadamrnn train: unknown option '--Tx'; expected one of --model,"],
    [['copy', '-T', '20'], "tfjs-hadamrnn train: unknown option '-T'; expected one of --model,"],
    [['smnist', '-T20'], "tfjs-hadamrnn train: unknown option '-T20'; expected one of --model,"],
    [['copy', '--T'], 'tfjs-hadamrnn train: --T needs a value'],
    [['copy', '--T', '--lr', '1'], 'tfjs-hadamrnn train: --T needs a value'],
    [['copy', '--T', 'ten'], "tfjs-hadamrnn train: --T expects a number, got 'ten'"],
    [['copy', '--T', '10.5'], 'tfjs-hadamrnn train: --T must be a positive integer, got 10.5'],
    [['copy', '--batch', '0'], 'tfjs-hadamrnn train: --batch must be a positive integer, got 0'],
    [['copy', '--lr', '-1'], 'tfjs-hadamrnn train: --lr must be a positive number, got -1'],
    [['copy', '--lr-decay', '1.5'], 'tfjs-hadamrnn train: --lr-decay must be in (0, 1], got 1.5'],
    [['copy', '--seed', '0.5'], 'tfjs-hadamrnn train: --seed must be an integer, got 0.5'],
    [
      ['copy', '--model', 'rnn'],
      "tfjs-hadamrnn train: --model 'rnn' is not valid; expected one of hadamrnn, block-hadamrnn, lstm, gru, simplernn, ornn",
    ],
    [
      ['copy', '--backend', 'webgpu'],
      "tfjs-hadamrnn train: --backend 'webgpu' is not valid; expected one of cpu, wasm",
    ],
    [['copy', '--resume=yes'], "tfjs-hadamrnn train: --resume takes no value, got 'yes'"],
    [['copy', '--units', '8', '--units', '16'], 'tfjs-hadamrnn train: option --units given twice'],
    [
      ['copy', '--model', 'block-hadamrnn', '--units', '16'],
      'tfjs-hadamrnn train: --block-size 32 (the default) must be a power of two dividing --units 16; give --block-size with one (e.g. --block-size 16)',
    ],
    [
      ['copy', '--model', 'block-hadamrnn', '--units', '64', '--block-size', '12'],
      'tfjs-hadamrnn train: --block-size 12 must be a power of two dividing --units 64; give --block-size with one (e.g. --block-size 32)',
    ],
    [
      ['copy', '--units', '100'],
      'tfjs-hadamrnn train: --units 100 is not a power of two, which --model hadamrnn needs',
    ],
    [
      ['smnist', '--T', '100'],
      'tfjs-hadamrnn train: --T applies to the copy task only; smnist has T = 784',
    ],
  ])('rejects %j', (argv, message) => {
    expect(() => parseTrainArgs(argv)).toThrow(message);
  });
});
