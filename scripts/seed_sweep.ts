/**
 * Seed sweep: N independent training runs of one task and sign recipe, each with its own seed for
 * the data and the initial weights (seed = first + i). Reports how many learn (test loss <=
 * --max-loss and test accuracy >= --min-accuracy), and for each run its curve, the sign flips per
 * step and the mean |u| over time (docs/results.md, "Seed sweeps").
 *
 *   npx tsx scripts/seed_sweep.ts copy --T 100 --lr 1e-3 --batch 128 --epochs 10 --steps 100 \
 *     --lr-decay 1 --backend wasm --signs paper --runs 10 --first-seed 1 --json sweep.json
 *
 * Every `tfjs-hadamrnn train` flag applies (--signs trained|paper|fixed picks the recipe), plus:
 *   --runs N          runs (default 10)       --first-seed S   seed of the first run (default 1)
 *   --bound A         u uniform in ±A instead of the recipe's bound (scale screening)
 *   --max-loss X      learned: test loss <= X (default 0.026, the copy task at T = 100)
 *   --min-accuracy X  learned: test accuracy >= X (default 0.99)
 *   --every K         one curve point per K steps (default 25)
 *   --json FILE       write the runs there after each one (atomically)
 */
import { renameSync, writeFileSync } from 'node:fs';
import '../src';
import type { Variable } from '@tensorflow/tfjs-core';
import { dispose } from '@tensorflow/tfjs-core';
import { parseTrainArgs } from '../src/cli/args';
import { useBackend } from '../src/training/backend';
import { buildModel } from '../src/training/models/build_model';
import { makeTask } from '../src/training/tasks/make_task';
import {
  evaluate,
  ScheduledAdam,
  stepsPerEpoch,
  trainableVariables,
  trainStep,
} from '../src/training/trainer';

/** One curve point: means over the K steps up to `step`. */
interface Point {
  step: number;
  loss: number;
  accuracy: number;
  /** Sign flips per step over the window. */
  flipsPerStep: number;
  /** Mean |u| at `step`. */
  meanAbsU: number;
}

interface Run {
  seed: number;
  learned: boolean;
  test: { loss: number; accuracy: number };
  seconds: number;
  totalFlips: number;
  curve: Point[];
}

const SWEEP_FLAGS = [
  '--runs',
  '--first-seed',
  '--bound',
  '--max-loss',
  '--min-accuracy',
  '--every',
  '--json',
];

function splitArgs(argv: string[]): { sweep: Record<string, string>; train: string[] } {
  const sweep: Record<string, string> = {};
  const train: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (SWEEP_FLAGS.includes(argv[i])) {
      const value = argv[++i];
      if (value == null) {
        throw new Error(`seed_sweep: ${argv[i - 1]} needs a value`);
      }
      sweep[argv[i - 1]] = value;
    } else {
      train.push(argv[i]);
    }
  }
  return { sweep, train };
}

function numberFlag(flags: Record<string, string>, flag: string, fallback: number): number {
  const raw = flags[flag];
  const value = raw == null ? fallback : Number(raw);
  if (!Number.isFinite(value)) {
    throw new Error(`seed_sweep: ${flag} expects a number, got '${raw}'`);
  }
  return value;
}

const round = (x: number) => Number(x.toPrecision(4));

async function main(): Promise<void> {
  const { sweep, train } = splitArgs(process.argv.slice(2));
  const base = parseTrainArgs(train);
  const runs = numberFlag(sweep, '--runs', 10);
  const firstSeed = numberFlag(sweep, '--first-seed', 1);
  const bound = sweep['--bound'] == null ? undefined : numberFlag(sweep, '--bound', 0);
  const maxLoss = numberFlag(sweep, '--max-loss', 0.026);
  const minAccuracy = numberFlag(sweep, '--min-accuracy', 0.99);
  const every = numberFlag(sweep, '--every', 25);
  const json = sweep['--json'];
  await useBackend(base.backend);
  const results: Run[] = [];
  const recipe = `${base.signs}${bound != null ? ` (u uniform ±${bound})` : ''}`;
  for (let r = 0; r < runs; r++) {
    const options = { ...base, seed: firstSeed + r };
    const task = makeTask(options);
    const model = buildModel(task, { ...options, signInitBound: bound });
    const optimizer = new ScheduledAdam(options.lr);
    const variables = trainableVariables(model);
    const u = model.weights.find((w) => w.name.endsWith('/recurrent_kernel'))!.read() as Variable;
    const absMean = (values: Float32Array) =>
      values.reduce((sum, v) => sum + Math.abs(v), 0) / values.length;
    let previous = (u.dataSync() as Float32Array).slice();
    const curve: Point[] = [];
    let window = { loss: 0, accuracy: 0, flips: 0, steps: 0 };
    let totalFlips = 0;
    let step = 0;
    const start = Date.now();
    const perEpoch = stepsPerEpoch(task, options);
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      optimizer.rate = options.lr * options.lrDecay ** epoch;
      for (let i = 0; i < perEpoch; i++) {
        const batch = task.trainBatch(epoch, i, options.batch);
        const { loss, correct, scored } = trainStep(model, optimizer, task, batch, variables);
        dispose([batch.x, batch.labels]);
        const now = (u.dataSync() as Float32Array).slice();
        let flips = 0;
        for (let k = 0; k < now.length; k++) {
          flips += Number(now[k] >= 0 !== previous[k] >= 0);
        }
        previous = now;
        step++;
        totalFlips += flips;
        window = {
          loss: window.loss + loss,
          accuracy: window.accuracy + correct / scored,
          flips: window.flips + flips,
          steps: window.steps + 1,
        };
        if (window.steps === every) {
          curve.push({
            step,
            loss: round(window.loss / every),
            accuracy: round(window.accuracy / every),
            flipsPerStep: round(window.flips / every),
            meanAbsU: round(absMean(now)),
          });
          window = { loss: 0, accuracy: 0, flips: 0, steps: 0 };
        }
      }
    }
    const test = evaluate(model, task, task.test, options.batch);
    model.dispose();
    optimizer.dispose();
    const learned = test.loss <= maxLoss && test.accuracy >= minAccuracy;
    const run: Run = {
      seed: options.seed,
      learned,
      test: { loss: round(test.loss), accuracy: round(test.accuracy) },
      seconds: round((Date.now() - start) / 1000),
      totalFlips,
      curve,
    };
    results.push(run);
    const sample = curve.filter((_, k) => k % Math.max(1, Math.floor(curve.length / 8)) === 0);
    console.log(
      `${recipe} seed ${run.seed}: ${learned ? 'LEARNED' : 'failed'}, test loss ${run.test.loss}, ` +
        `accuracy ${(100 * run.test.accuracy).toFixed(1)}%, ${run.totalFlips} flips, ${run.seconds} s; ` +
        `loss/flips/|u|: ${sample.map((p) => `${p.step}:${p.loss}/${p.flipsPerStep}/${p.meanAbsU}`).join(' ')}`,
    );
    if (json != null) {
      const payload = {
        command: `npx tsx scripts/seed_sweep.ts ${process.argv.slice(2).join(' ')}`,
        recipe,
        criterion: { maxLoss, minAccuracy },
        learned: results.filter((x) => x.learned).length,
        runs: results,
      };
      writeFileSync(`${json}.tmp`, JSON.stringify(payload));
      renameSync(`${json}.tmp`, json);
    }
  }
  console.log(`${recipe}: learned in ${results.filter((x) => x.learned).length} of ${runs} runs`);
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exitCode = 1;
});
