/**
 * Loader fuzzing: seeded mutations of a saved model folder go through `tf.loadLayersModel` with the
 * file-system handler. Each must either give a model that predicts, or be refused with a clear
 * Error: one line, not a TypeError / RangeError / SyntaxError from deep inside, within a time limit.
 * Bounded by a count and a time budget; a failure prints the seed and the mutations to replay it.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { fileSystem } from '../../src/index';
import { seededRandom } from '../harness/random';
import { fixtureInput } from '../io/fixtures/model';
import { removeFolder, savedFixture, temporaryFolder } from '../io/fixtures/saved';
import { mutate, type ModelFiles } from './fuzz/mutations';

// Longer runs: FUZZ_SEED=1 FUZZ_CASES=5000 FUZZ_SECONDS=300 npx jest test/reliability/loader_fuzz.test.ts
const SEED = Number(process.env.FUZZ_SEED ?? 20261128);
const MAX_CASES = Number(process.env.FUZZ_CASES ?? 800);
const TIME_BUDGET_MS = 1000 * Number(process.env.FUZZ_SECONDS ?? 20);
const HANG_MS = 5_000;
const SHARD = 'group1-shard1of1.bin';

type Outcome = 'loaded' | 'refused by the handler' | 'refused by the layers';

/** Why `error` is not a clear refusal, or null when it is. */
function unclear(error: unknown): string | null {
  if (!(error instanceof Error)) {
    return `threw a non-Error ${String(error)}`;
  }
  for (const bad of [TypeError, RangeError, SyntaxError, ReferenceError]) {
    if (error instanceof bad) {
      return `${bad.name}: ${error.message}`;
    }
  }
  if (error.message.trim() === '' || error.message.includes('\n')) {
    return `message not on one line: ${JSON.stringify(error.message.slice(0, 200))}`;
  }
  return null;
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hang: ${what} took over ${HANG_MS} ms`)), HANG_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function tryLoad(dir: string, input: tf.Tensor): Promise<Outcome> {
  const model = await withTimeout(tfl.loadLayersModel(fileSystem(dir)), 'load');
  try {
    tf.tidy(() => {
      const y = model.predict(input) as tf.Tensor;
      // A loaded model must compute (values may be anything a flipped bit makes them).
      y.dataSync();
    });
  } finally {
    model.dispose();
  }
  return 'loaded';
}

describe('loader fuzzing', () => {
  let original: ModelFiles;
  const folders: string[] = [];

  beforeAll(async () => {
    await tf.setBackend('cpu');
    const dir = await savedFixture();
    folders.push(dir);
    original = {
      modelJson: fs.readFileSync(path.join(dir, 'model.json'), 'utf8'),
      shard: fs.readFileSync(path.join(dir, SHARD)),
    };
  });

  afterAll(() => folders.forEach(removeFolder));

  it(`loads or refuses clearly ${MAX_CASES} mutated folders (seed ${SEED})`, async () => {
    const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();
    const tensorsBefore = tf.memory().numTensors;
    const input = fixtureInput();
    const counts: Record<Outcome, number> = {
      loaded: 0,
      'refused by the handler': 0,
      'refused by the layers': 0,
    };
    const failures: string[] = [];
    // Files the handler passed but tfjs refused: clear, but worth knowing about.
    const laterRefusals: string[] = [];
    const deadline = Date.now() + TIME_BUDGET_MS;
    let cases = 0;
    for (; cases < MAX_CASES && Date.now() < deadline; cases++) {
      const { files, what } = mutate(seededRandom(SEED + cases), original);
      const dir = temporaryFolder('hadamrnn-fuzz-');
      folders.push(dir);
      fs.writeFileSync(path.join(dir, 'model.json'), files.modelJson);
      fs.writeFileSync(path.join(dir, SHARD), files.shard);
      const t0 = tf.memory().numTensors;
      try {
        counts[await tryLoad(dir, input)]++;
      } catch (e) {
        const problem = unclear(e);
        if (problem !== null) {
          failures.push(`seed ${SEED + cases} [${what.join('; ')}]: ${problem}`);
        } else {
          const byHandler = (e as Error).message.startsWith('fileSystem:');
          counts[byHandler ? 'refused by the handler' : 'refused by the layers']++;
          if (!byHandler) {
            laterRefusals.push(
              `seed ${SEED + cases} [${what.join('; ')}]: ${(e as Error).message}`,
            );
          }
        }
      }
      if (tf.memory().numTensors !== t0) {
        failures.push(
          `seed ${SEED + cases} [${what.join('; ')}]: leaked ${tf.memory().numTensors - t0} tensors`,
        );
      }
      removeFolder(dir);
    }
    input.dispose();
    console.log(
      `loader fuzz: ${cases} cases, ${JSON.stringify(counts)}\n${laterRefusals.join('\n')}`,
    );
    expect(failures).toEqual([]);
    expect(cases).toBeGreaterThanOrEqual(Math.min(100, MAX_CASES));
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
  });
});
