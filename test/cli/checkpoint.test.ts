/**
 * CLI checkpoints under kills and hostile edits: a checkpoint writer SIGKILLed at random moments
 * always leaves a complete copy that --resume loads consistently; a killed swap is recovered; a
 * rerun without --resume never destroys a checkpoint; every file read back is checked.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { loadCheckpoint, readCheckpointState, saveCheckpoint } from '../../src/training/checkpoint';
import { main } from '../../src/cli/main';
import { nonFiniteStep, ScheduledAdam, trainableVariables } from '../../src/training/trainer';
import { TASK_DEFAULTS } from '../../src/training/train_options';
import type { Batch } from '../../src/training/tasks/task';
import { bundleScript, killAfterReady, seededRandom } from '../harness/kill_loop';
import * as tfl from '@tensorflow/tfjs-layers';

const KILLS = 20;

async function cli(...argv: string[]): Promise<{ code: number; output: string }> {
  let output = '';
  const code = await main(argv, { isTTY: false, write: (text) => void (output += text) });
  return { code, output };
}

const SMALL = [
  '--backend',
  'cpu',
  '--units',
  '16',
  '--batch',
  '8',
  '--steps',
  '2',
  '--train-size',
  '16',
  '--eval-size',
  '8',
];

let root: string;
let run: string; // a run folder with the checkpoint of epoch 1
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = fs.mkdtempSync(join(tmpdir(), 'hadamrnn-checkpoint-'));
  run = join(root, 'run');
  const first = await cli('train', 'smnist', ...SMALL, '--epochs', '1', '--out', run);
  expect(first.code).toBe(0);
}, 60_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let copies = 0;
/** A copy of the epoch-1 run folder. */
function copyOfRun(): string {
  const copy = join(root, `copy${copies++}`);
  fs.cpSync(run, copy, { recursive: true });
  return copy;
}

const stateOf = (dir: string) => join(dir, 'checkpoint', 'state.json');
const optimizerOf = (dir: string) => join(dir, 'checkpoint', 'optimizer.bin');
function editState(dir: string, edit: (state: Record<string, unknown>) => void): void {
  const state = JSON.parse(fs.readFileSync(stateOf(dir), 'utf8'));
  edit(state);
  fs.writeFileSync(stateOf(dir), JSON.stringify(state));
}
/** Edits optimizer.bin: `iter` (int32), then Adam's moments (float32). */
function editOptimizer(dir: string, edit: (iter: Int32Array, moments: Float32Array) => void): void {
  const bytes = fs.readFileSync(optimizerOf(dir));
  const iter = new Int32Array(bytes.buffer, bytes.byteOffset, 1);
  const moments = new Float32Array(bytes.buffer, bytes.byteOffset + 4, bytes.length / 4 - 1);
  edit(iter, moments);
  fs.writeFileSync(optimizerOf(dir), bytes);
}

describe('--resume refuses hostile or damaged checkpoints, in one line', () => {
  const cases: [string, (dir: string) => void, (dir: string) => string | RegExp][] = [
    [
      'optimizer.bin linked to /dev/zero',
      (d) => (fs.rmSync(optimizerOf(d)), fs.symlinkSync('/dev/zero', optimizerOf(d))),
      (d) => `${optimizerOf(d)}: resolves outside the folder`,
    ],
    [
      'optimizer.bin a FIFO',
      (d) => (fs.rmSync(optimizerOf(d)), execFileSync('mkfifo', [optimizerOf(d)])),
      (d) => `${optimizerOf(d)}: is not a regular file`,
    ],
    [
      'state.json a FIFO',
      (d) => (fs.rmSync(stateOf(d)), execFileSync('mkfifo', [stateOf(d)])),
      (d) => `${stateOf(d)}: is not a regular file`,
    ],
    [
      'state.json linked to a file outside the run folder',
      (d) => {
        fs.renameSync(stateOf(d), `${d}-state.json`);
        fs.symlinkSync(`${d}-state.json`, stateOf(d));
      },
      (d) => `${stateOf(d)}: resolves outside the folder`,
    ],
    [
      'state.json not JSON (quoted nowhere)',
      (d) => fs.writeFileSync(stateOf(d), 'SECRET=hunter2'),
      (d) => `${stateOf(d)}: is not valid JSON`,
    ],
    [
      'learningRate -0.05',
      (d) => editState(d, (s) => (s.learningRate = -0.05)),
      (d) => `${stateOf(d)}: learningRate must be a positive number, got -0.05`,
    ],
    [
      'learningRate null',
      (d) => editState(d, (s) => (s.learningRate = null)),
      (d) => `${stateOf(d)}: learningRate must be a finite number, got null`,
    ],
    [
      'options.lr -0.05',
      (d) => editState(d, (s) => ((s.options as { lr: number }).lr = -0.05)),
      (d) => `${stateOf(d)}: options.lr: --lr must be a positive number, got -0.05`,
    ],
    [
      'options.lrDecay 1000',
      (d) => editState(d, (s) => ((s.options as { lrDecay: number }).lrDecay = 1000)),
      (d) => `${stateOf(d)}: options.lrDecay: --lr-decay must be in (0, 1], got 1000`,
    ],
    [
      'options.batch -4',
      (d) => editState(d, (s) => ((s.options as { batch: number }).batch = -4)),
      (d) => `${stateOf(d)}: options.batch: --batch must be a positive integer, got -4`,
    ],
    [
      'options missing',
      (d) => editState(d, (s) => delete s.options),
      (d) => `${stateOf(d)}: options is missing`,
    ],
    [
      "Adam's iter -1e9",
      (d) => editOptimizer(d, (iter) => (iter[0] = -1e9)),
      (d) =>
        `${optimizerOf(d)}: Adam's iteration count iter is -1000000000 but state.json's step is 2`,
    ],
    [
      'a NaN in optimizer.bin',
      (d) => editOptimizer(d, (_, moments) => (moments[0] = NaN)),
      () =>
        /optimizer\.bin: optimizer weight 'hadam_rnn_\w+\/kernel\/m' holds 1 NaN among its 16 values$/,
    ],
    [
      'optimizer specs in another order',
      (d) =>
        editState(d, (s) => {
          const specs = s.optimizerSpecs as unknown[];
          [specs[1], specs[2]] = [specs[2], specs[1]];
        }),
      () =>
        /optimizer\.bin: optimizer weight 1 is named '(\w+)\/recurrent_kernel\/m' but must be '\1\/kernel\/m' \(or '\1\/kernel_<n>\/m'\)$/,
    ],
    [
      'a NaN model weight',
      (d) => {
        const json = JSON.parse(fs.readFileSync(join(d, 'checkpoint', 'model.json'), 'utf8'));
        const shard = join(d, 'checkpoint', json.weightsManifest[0].paths[0]);
        const bytes = fs.readFileSync(shard);
        bytes.writeFloatLE(NaN, 0);
        fs.writeFileSync(shard, bytes);
      },
      () =>
        /^fileSystem: .*checkpoint\/model\.json: weight 'hadam_rnn_\w+\/kernel' holds 1 NaN among its 16 values; pass allowNonFinite: true to load non-finite weights anyway$/,
    ],
  ];
  it.each(cases)('%s', async (_, damage, problem) => {
    const dir = copyOfRun();
    damage(dir);
    const expected = problem(dir);
    const result = await cli('train', 'smnist', '--resume', '--epochs', '2', '--out', dir);
    expect(result.code).toBe(2);
    if (typeof expected === 'string') {
      expect(result.output).toBe(`tfjs-hadamrnn train: ${expected}\n`);
    } else {
      expect(result.output.trim()).toMatch(expected);
      expect(result.output.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('a killed checkpoint swap', () => {
  it('between its two renames: --resume continues from checkpoint.old', async () => {
    const dir = copyOfRun();
    fs.renameSync(join(dir, 'checkpoint'), join(dir, 'checkpoint.old'));
    const resumed = await cli('train', 'smnist', '--resume', '--epochs', '2', '--out', dir);
    expect(resumed.output).toContain('resuming after epoch 1 (step 2)');
    expect(resumed.code).toBe(0);
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('checkpoint'))).toEqual(['checkpoint']);
  }, 60_000);

  it('--resume takes the newest complete copy, and a rerun without --resume deletes nothing', async () => {
    const older = copyOfRun();
    const newer = copyOfRun();
    expect((await cli('train', 'smnist', '--resume', '--epochs', '2', '--out', newer)).code).toBe(
      0,
    );
    // A kill after `checkpoint` became `checkpoint.old`, before the staged copy was renamed.
    const dir = copyOfRun();
    fs.renameSync(join(dir, 'checkpoint'), join(dir, 'checkpoint.old'));
    fs.cpSync(join(newer, 'checkpoint'), join(dir, 'checkpoint.abc123.tmp'), { recursive: true });
    fs.mkdirSync(join(dir, 'checkpoint.def456.tmp')); // a staging folder killed early: no state
    const rerun = await cli('train', 'smnist', ...SMALL, '--epochs', '3', '--out', dir);
    expect(rerun).toEqual({
      code: 2,
      output: `tfjs-hadamrnn train: ${dir} already holds a checkpoint; pass --resume to continue it or choose another --out\n`,
    });
    expect(
      fs
        .readdirSync(dir)
        .filter((n) => n.startsWith('checkpoint'))
        .sort(),
    ).toEqual(['checkpoint.abc123.tmp', 'checkpoint.def456.tmp', 'checkpoint.old']);
    const resumed = await cli('train', 'smnist', '--resume', '--epochs', '3', '--out', dir);
    expect(resumed.output).toContain('resuming after epoch 2 (step 4)');
    expect(resumed.code).toBe(0);
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('checkpoint'))).toEqual(['checkpoint']);
    expect(older).not.toBe(dir);
  }, 60_000);
});

describe('checkpoints written under SIGKILL', () => {
  it(`always leave a complete, consistent copy that --resume loads, ${KILLS} kills`, async () => {
    const child = bundleScript(join(__dirname, 'fixtures/checkpoint_loop.ts'), root);
    const next = seededRandom(13);
    let midSave = 0;
    const seen = new Set<number>();
    // Four run folders side by side, each killed KILLS / 4 times, to keep the wall time short.
    const outs = [0, 1, 2, 3].map((i) => join(root, `killed${i}`));
    await Promise.all(
      outs.map(async (out) => {
        for (let k = 0; k < KILLS / outs.length; k++) {
          // Killed within about one save's time (40-60 ms) of a save's start.
          const printed = await killAfterReady(child, [out], next() * 60, 'saving');
          // The kill landed inside saveCheckpoint when `saving k` was the last line.
          if (printed.trim().split('\n').pop()!.startsWith('saving')) {
            midSave++;
          }
          const saved = await readCheckpointState(out);
          const loaded = await loadCheckpoint(out, saved);
          // Model, optimizer (its iter is checked against the state's step) and state of one
          // and the same checkpoint: every weight equals the state's epoch.
          const values = loaded.model.getWeights().flatMap((w) => Array.from(w.dataSync()));
          expect({ out, k, values: new Set(values) }).toEqual({
            out,
            k,
            values: new Set([saved.epoch]),
          });
          seen.add(saved.epoch);
          loaded.model.dispose();
          tf.dispose(loaded.optimizerWeights.map((w) => w.tensor));
        }
      }),
    );
    // Several checkpoints were seen, and most kills landed inside a save.
    expect(seen.size).toBeGreaterThan(1);
    expect(midSave).toBeGreaterThanOrEqual(KILLS / 2);
  }, 120_000);
});

describe('nothing non-finite is checkpointed', () => {
  it('saveCheckpoint refuses NaN Adam slots and keeps the previous checkpoint', async () => {
    const out = join(root, 'nan');
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [2] })] });
    const optimizer = new ScheduledAdam(1e-3);
    const variables = trainableVariables(model);
    const x = tf.tensor2d([[1, 2]]);
    const state = {
      epoch: 1,
      step: 1,
      learningRate: 1e-3,
      seconds: 0,
      options: { ...TASK_DEFAULTS.copy, task: 'copy' },
      steps: [],
      epochs: [],
    };
    optimizer.minimize(() => tf.sum(model.apply(x) as tf.Tensor), false, variables);
    await saveCheckpoint(out, model, optimizer, state);
    const poisoned = tf.tensor2d([[NaN, 2]]);
    optimizer.minimize(() => tf.sum(model.apply(poisoned) as tf.Tensor), false, variables);
    await expect(
      saveCheckpoint(out, model, optimizer, { ...state, epoch: 2, step: 2 }),
    ).rejects.toThrow(
      /^tfjs-hadamrnn train: refusing to checkpoint epoch 2 \(step 2\): Adam's '.*\/m' holds 2 NaN; the previous checkpoint is kept$/,
    );
    expect((await readCheckpointState(out)).epoch).toBe(1);
    expect(fs.readdirSync(out)).toEqual(['checkpoint']);
    tf.dispose([x, poisoned]);
    model.dispose();
  });

  it('a step that goes non-finite is named, with its cause', () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [2] })] });
    const variables = trainableVariables(model);
    const batch = { x: tf.tensor2d([[NaN, 1]]), labels: tf.tensor1d([0]) } as unknown as Batch;
    expect(nonFiniteStep(NaN, batch, model, variables)).toBe(
      "the loss is NaN; the batch's inputs hold 1 NaN",
    );
    variables[0].assign(tf.fill([2, 2], Infinity));
    const clean = { x: tf.tensor2d([[0, 1]]), labels: tf.tensor1d([0]) } as unknown as Batch;
    expect(nonFiniteStep(0.5, clean, model, variables)).toMatch(
      /^weight '.*\/kernel' holds 4 Infinity among its 4 values \(the loss was 0.5\); the update overflowed \(a learning rate too high for this model: lower --lr\)$/,
    );
    expect(nonFiniteStep(0.5, clean, model, [variables[1]])).toBeNull();
    tf.dispose([batch.x, batch.labels, clean.x, clean.labels]);
    model.dispose();
  });
});
