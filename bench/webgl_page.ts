/**
 * The page side of bench/webgl.ts, bundled for Chromium: times `hadamardTransform` (at several
 * maximum radices) against `tf.matMul` with the dense Sylvester matrix on the webgl backend.
 *
 * A call chains `chain` transforms (or products), each reading the previous result, then reads one
 * value back: the read waits for the GPU, and the chain spreads that wait over several calls. A
 * sample repeats a case's call until it lasts about SAMPLE_NS, so a short op is not one scheduler
 * hiccup away from a wrong number. The cases of one size are timed in interleaved rounds (a, b, c,
 * a, b, c, ...); each time is the median over rounds, and the speedup the median of the rounds'
 * ratios matMul / op, each taken from samples a few milliseconds apart.
 */
import '@tensorflow/tfjs-backend-webgl';
import * as tf from '@tensorflow/tfjs-core';
import { hadamardTransform, sylvester } from '../src';
import { MAX_RADIX_LOG_FLAG } from '../src/kernels/webgl/butterfly_impl';
import { webglRenderer } from '../test/browser/page/webgl_info';

/** One size: median ns per transform (one op or one product) of each case. */
export interface WebGLBenchRow {
  n: number;
  batch: number;
  /** The op at the default radix. */
  opNs: number;
  matMulNs: number;
  /** Median over rounds of matMul / op, and the smallest and largest of those ratios. */
  speedup: number;
  speedupRange: [number, number];
  /** The op with HADAMRNN_WEBGL_MAX_RADIX_LOG set to each key. */
  radixNs: Record<number, number>;
  rounds: number;
}

/** The page's answer. */
export interface WebGLBench {
  renderer: string;
  webglVersion: number;
  defaultRadixLog: number;
  rows: WebGLBenchRow[];
}

/** What to measure. */
export interface WebGLBenchPlan {
  sizes: number[];
  batches: number[];
  radixLogs: number[];
  /** Sizes timed in `rounds` rounds instead of what the time budget allows (the target's). */
  extraRounds: Array<{ n: number; batch: number; rounds: number }>;
}

/** Time for the timed rounds of one size, all cases together (each case runs at least twice). */
const ROUNDS_BUDGET_NS = 3e9;

/** Least duration of one sample: calls of a case are repeated until they last this long. */
const SAMPLE_NS = 30e6;

/** Wall time of `f` in ns (performance.now, coarse, so every timed call lasts milliseconds). */
function timeNs(f: () => void): number {
  const start = performance.now();
  f();
  return (performance.now() - start) * 1e6;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** `chain` applications of `f` from `x`, then one value read back. */
function chained(x: tf.Tensor2D, f: (y: tf.Tensor2D) => tf.Tensor2D, chain: number): () => void {
  return () => {
    const last = tf.tidy(() => {
      let y = x;
      for (let c = 0; c < chain; c++) {
        y = f(y);
      }
      return tf.slice(y, [0, 0], [1, 1]);
    });
    last.dataSync();
    last.dispose();
  };
}

async function run(plan: WebGLBenchPlan): Promise<WebGLBench> {
  await tf.setBackend('webgl');
  await tf.ready();
  const defaultRadixLog = tf.env().getNumber(MAX_RADIX_LOG_FLAG);
  const rows: WebGLBenchRow[] = [];
  for (const n of plan.sizes) {
    const dense = sylvester(n, { normalize: true }) as tf.Tensor2D;
    for (const batch of plan.batches) {
      const x = tf.randomNormal([batch, n]) as tf.Tensor2D;
      // Dense products with n >= 2048 take seconds in software rendering: no chains, fewer rounds.
      const chain = n >= 2048 ? 1 : 4;
      const atRadix = (radixLog: number) => (y: tf.Tensor2D) => {
        tf.env().set(MAX_RADIX_LOG_FLAG, radixLog);
        return hadamardTransform(y);
      };
      const cases: Record<string, () => void> = {
        matMul: chained(x, (y) => tf.matMul(y, dense), chain),
      };
      for (const radixLog of plan.radixLogs) {
        cases[`radix${radixLog}`] = chained(x, atRadix(radixLog), chain);
      }
      const samples: Record<string, number[]> = {};
      const repeats: Record<string, number> = {};
      let roundNs = 0;
      for (const [name, f] of Object.entries(cases)) {
        f(); // compiles shaders, allocates textures
        const once = timeNs(f);
        repeats[name] = Math.max(1, Math.ceil(SAMPLE_NS / once));
        roundNs += once * repeats[name];
        samples[name] = [];
      }
      const extra = plan.extraRounds.find((e) => e.n === n && e.batch === batch);
      const rounds =
        extra?.rounds ?? Math.min(9, Math.max(2, Math.floor(ROUNDS_BUDGET_NS / roundNs)));
      for (let r = 0; r < rounds; r++) {
        for (const [name, f] of Object.entries(cases)) {
          const ns = timeNs(() => {
            for (let k = 0; k < repeats[name]; k++) {
              f();
            }
          });
          samples[name].push(ns / (repeats[name] * chain));
        }
      }
      tf.env().set(MAX_RADIX_LOG_FLAG, defaultRadixLog);
      const radixNs = Object.fromEntries(
        plan.radixLogs.map((radixLog) => [radixLog, median(samples[`radix${radixLog}`])]),
      );
      const op = samples[`radix${defaultRadixLog}`];
      const ratios = samples.matMul.map((matMulNs, r) => matMulNs / op[r]);
      rows.push({
        n,
        batch,
        opNs: radixNs[defaultRadixLog],
        matMulNs: median(samples.matMul),
        speedup: median(ratios),
        speedupRange: [Math.min(...ratios), Math.max(...ratios)],
        radixNs,
        rounds,
      });
      x.dispose();
    }
    dense.dispose();
  }
  return {
    renderer: webglRenderer(),
    webglVersion: tf.env().getNumber('WEBGL_VERSION'),
    defaultRadixLog,
    rows,
  };
}

Object.assign(window, { hadamrnnBench: { run } });
