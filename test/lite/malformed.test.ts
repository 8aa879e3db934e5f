/**
 * lite's loader treats a bits file as untrusted: named malformations are refused with the message
 * that says what is wrong, and seeded random mutations (fast-check) either load a model that runs
 * or are refused with a clear one-line Error, never a TypeError or RangeError from inside.
 */
import fc from 'fast-check';
import { exportBits } from '../../src/index';
import { crc32 } from '../../src/lite/format';
import { loadModel } from '../../src/lite';
import { BASE, fixtureModel } from '../export/fixtures';

// Longer runs: FUZZ_RUNS=20000 npx jest test/lite/malformed.test.ts
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);

const good: Uint8Array = (() => {
  const model = fixtureModel(BASE);
  const bytes = exportBits(model);
  model.dispose();
  return bytes;
})();

/** A copy of the good file changed by `edit`, with its checksum recomputed when `reseal`. */
function edited(edit: (bytes: Uint8Array, view: DataView) => void, reseal = false): Uint8Array {
  const bytes = good.slice();
  const view = new DataView(bytes.buffer);
  edit(bytes, view);
  if (reseal) view.setUint32(bytes.length - 4, crc32(bytes.subarray(0, bytes.length - 4)), true);
  return bytes;
}

describe('lite loadModel refuses malformed files', () => {
  it.each<[string, () => unknown, string | RegExp]>([
    [
      'a wrong magic',
      () => edited((b) => (b[0] = 0)),
      "loadModel: not a HadamRNN bits file: magic bytes 00 52 4e 4e, expected 48 52 4e 4e ('HRNN')",
    ],
    [
      'a newer version',
      () => edited((b) => (b[4] = 2)),
      'loadModel: unsupported version 2; this runtime reads version 1',
    ],
    [
      'a flipped code bit',
      () => edited((b) => (b[50] ^= 4)),
      /^loadModel: checksum mismatch: stored 0x[0-9a-f]+, computed 0x[0-9a-f]+$/,
    ],
    [
      'an empty file',
      () => new Uint8Array(0),
      'loadModel: truncated file: 0 bytes, a bits file has at least 40',
    ],
    [
      'a file cut short',
      () => good.subarray(0, good.length - 1),
      `loadModel: truncated file: the header describes ${good.length} bytes, the file has ${good.length - 1}`,
    ],
    [
      'a byte too many',
      () => Uint8Array.from([...good, 0]),
      /^loadModel: sizes disagree: the header describes \d+ bytes, the file has \d+$/,
    ],
    [
      'units that disagree with the sections',
      () => edited((_, v) => v.setUint32(8, 32, true)),
      /^loadModel: truncated file: the header describes \d+ bytes/,
    ],
    [
      'units not a power of two',
      () => edited((_, v) => v.setUint32(8, 12, true)),
      'loadModel: units (12) and blockSize (8) must be powers of two, blockSize <= units',
    ],
    [
      '0 bits',
      () => edited((b) => (b[24] = 0)),
      'loadModel: bits of U must be from 1 to 16, got 0',
    ],
    [
      'an unknown activation',
      () => edited((b) => (b[7] = 9)),
      'loadModel: read-out activation code 9 is unknown; codes 0-4 exist',
    ],
    [
      'unknown flags',
      () => edited((b) => (b[5] |= 64)),
      /^loadModel: unknown flags 0x[0-9a-f]+; version 1 knows 0x1f$/,
    ],
    [
      'a NaN scale',
      () => edited((_, v) => v.setFloat32(28, NaN, true)),
      'loadModel: scale of U must be a finite number >= 0, got NaN',
    ],
    [
      'a NaN bias, checksum valid',
      () => edited((_, v) => v.setFloat32(good.length - 8, NaN, true), true),
      'loadModel: bias of V[3] is NaN; weights must be finite',
    ],
    [
      'a string',
      () => 'HRNN',
      'loadModel: bytes must be a Uint8Array or an ArrayBuffer, got [object String]',
    ],
  ])('%s', (_name, bytes, message) => {
    expect(() => loadModel(bytes() as Uint8Array)).toThrow(message);
  });

  it('accepts an ArrayBuffer and a Uint8Array at an offset in a larger buffer', () => {
    const padded = new Uint8Array(good.length + 3);
    padded.set(good, 3);
    expect(loadModel(padded.subarray(3)).units).toBe(BASE.units);
    expect(loadModel(good.slice().buffer).units).toBe(BASE.units);
  });
});

type Mutation =
  | { kind: 'set'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'append'; count: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    at: fc.nat(),
    value: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('append' as const), count: fc.integer({ min: 1, max: 8 }) }),
);

function apply(bytes: Uint8Array, m: Mutation): Uint8Array {
  if (m.kind === 'set') {
    const copy = bytes.slice();
    // Header bytes are the interesting ones: aim there half of the time.
    const at = m.at % 2 === 0 ? (m.at >> 1) % 36 : m.at % Math.max(copy.length, 1);
    if (copy.length > 0) copy[at % copy.length] = m.value;
    return copy;
  }
  if (m.kind === 'truncate') return bytes.subarray(0, m.at % (bytes.length + 1));
  return Uint8Array.from([...bytes, ...new Array<number>(m.count).fill(0)]);
}

/** Why `error` is not a clear refusal, or null when it is. */
function unclear(error: unknown): string | null {
  if (!(error instanceof Error) || error.constructor !== Error) return `threw ${String(error)}`;
  if (!error.message.startsWith('loadModel: ') || error.message.includes('\n'))
    return `unclear message ${error.message}`;
  return null;
}

describe('lite loadModel fuzzing', () => {
  it(`loads or refuses clearly ${RUNS} mutated files (fast-check seed 15)`, () => {
    const outcomes = { loaded: 0, refused: 0 };
    fc.assert(
      fc.property(
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (mutations, reseal) => {
          let bytes = mutations.reduce(apply, good);
          if (reseal && bytes.length >= 4) {
            bytes = bytes.slice();
            new DataView(bytes.buffer).setUint32(
              bytes.length - 4,
              crc32(bytes.subarray(0, bytes.length - 4)),
              true,
            );
          }
          let model;
          try {
            model = loadModel(bytes);
          } catch (error) {
            const problem = unclear(error);
            if (problem != null) throw new Error(problem);
            outcomes.refused++;
            return;
          }
          // A file that loads must run: a sequence and a step of the sizes it declares.
          const y = model.predict(new Float32Array(3 * model.inputDim).fill(0.5), 3);
          expect(y.length).toBe((model.returnSequences ? 3 : 1) * model.outputDim);
          if (!model.goBackwards)
            expect(model.step(new Float32Array(model.inputDim)).length).toBe(model.outputDim);
          outcomes.loaded++;
        },
      ),
      { seed: 15, numRuns: RUNS, interruptAfterTimeLimit: 20_000 },
    );
    expect(outcomes.refused).toBeGreaterThan(RUNS / 2);
    // Resealed mutations of biases and codes load: a checksum only proves the bytes are the writer's.
    expect(outcomes.loaded).toBeGreaterThan(0);
  });
});
