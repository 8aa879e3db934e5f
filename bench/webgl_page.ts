/**
 * The page side of bench/webgl.ts, bundled for Chromium: times `hadamardTransform` against
 * `tf.matMul` with the dense Sylvester matrix on the webgl backend, the way a model runs them.
 *
 * A sample is one chained call: `chain` applications y = f(y) from an input already on the GPU, as a
 * dense layer leaves it, then ONE one-element read, which waits
 * for the GPU. Both cases are sampled alike, in interleaved rounds (op, matMul, op, matMul, ...)
 * after two warm-up calls each (shader compilation, texture allocation). Each sample records its
 * wall time and the CPU time the browser used meanwhile (`hadamrnnCpuNs`, from the Node side), so
 * the report can tell the cost of the work from the time lost to other processes on the machine.
 */
import '@tensorflow/tfjs-backend-webgl';
import * as tf from '@tensorflow/tfjs-core';
import { hadamardTransform, sylvester } from '../src';
import { MAX_RADIX_LOG_FLAG } from '../src/kernels/webgl/butterfly_passes';
import { webglRenderer } from '../test/browser/page/webgl_info';

/** Median per transform (one op or one product) of one case, wall and CPU. */
export interface CaseTiming {
  wallNs: number;
  cpuNs: number;
}

/** One size. */
export interface WebGLBenchRow {
  n: number;
  batch: number;
  /** Transforms per sample (calls chained before the one read). */
  chain: number;
  /** The op at the default radix. */
  op: CaseTiming;
  matMul: CaseTiming;
  /** Median over rounds of the ratio matMul / op of wall times, and its extremes. */
  wallSpeedup: number;
  wallSpeedupRange: [number, number];
  /** Ratio of the median CPU times, matMul / op. */
  cpuSpeedup: number;
  /** The op with HADAMRNN_WEBGL_MAX_RADIX_LOG set to each key (only where the plan asks). */
  radix: Record<number, CaseTiming>;
  /**
   * `tf.neg(y)` chained alike (where the plan asks): one packed program of one fetch per texel,
   * the least any op running a program per call costs here.
   */
  onePass: CaseTiming | null;
  rounds: number;
}

/** The page's answer. */
export interface WebGLBench {
  renderer: string;
  webglVersion: number;
  defaultRadixLog: number;
  rows: WebGLBenchRow[];
}

/** What to measure (plain JSON: it is passed to the page). */
export interface WebGLBenchPlan {
  sizes: number[];
  batches: number[];
  /** Calls chained per sample, by n (fewer where a dense product takes long). */
  chain: Record<number, number>;
  /** Rounds, by `${n}x${batch}`. */
  rounds: Record<string, number>;
  /** Maximum radices also timed (as extra cases in the same rounds) at the sizes `radixAt`. */
  radixLogs: number[];
  radixAt: Array<{ n: number; batch: number }>;
}

declare global {
  interface Window {
    /** CPU nanoseconds used so far by the browser's processes (exposed by bench/webgl.ts). */
    hadamrnnCpuNs: () => Promise<number>;
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** One sample: `chain` applications of `f` from `x`, then one value read back. */
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

/**
 * x of shape [batch, n] as a dense layer leaves it: tfjs's matMul output, packed (except for one
 * row and n >= 1024, where tfjs multiplies and sums unpacked).
 */
function layerOutput(batch: number, n: number): tf.Tensor2D {
  return tf.tidy(() => tf.matMul(tf.randomNormal([batch, n]), tf.eye(n)));
}

async function sample(f: () => void, chain: number): Promise<CaseTiming> {
  const cpuBefore = await window.hadamrnnCpuNs();
  const start = performance.now();
  f();
  const wallNs = (performance.now() - start) * 1e6;
  const cpuNs = (await window.hadamrnnCpuNs()) - cpuBefore;
  return { wallNs: wallNs / chain, cpuNs: cpuNs / chain };
}

async function run(plan: WebGLBenchPlan): Promise<WebGLBench> {
  await tf.setBackend('webgl');
  await tf.ready();
  const defaultRadixLog = tf.env().getNumber(MAX_RADIX_LOG_FLAG);
  const rows: WebGLBenchRow[] = [];
  for (const n of plan.sizes) {
    const dense = sylvester(n, { normalize: true }) as tf.Tensor2D;
    for (const batch of plan.batches) {
      const x = layerOutput(batch, n);
      const chain = plan.chain[n];
      const atRadix = (radixLog: number) => (y: tf.Tensor2D) => {
        tf.env().set(MAX_RADIX_LOG_FLAG, radixLog);
        return hadamardTransform(y);
      };
      const cases: Record<string, () => void> = {
        op: chained(x, atRadix(defaultRadixLog), chain),
        matMul: chained(x, (y) => tf.matMul(y, dense), chain),
      };
      const radixLogs = plan.radixAt.some((s) => s.n === n && s.batch === batch)
        ? plan.radixLogs
        : [];
      for (const radixLog of radixLogs) {
        cases[`radix${radixLog}`] = chained(x, atRadix(radixLog), chain);
      }
      if (radixLogs.length > 0) {
        cases.onePass = chained(x, (y) => tf.neg(y), chain);
      }
      for (const f of Object.values(cases)) {
        f();
        f();
      }
      const samples: Record<string, CaseTiming[]> = Object.fromEntries(
        Object.keys(cases).map((name) => [name, []]),
      );
      const rounds = plan.rounds[`${n}x${batch}`];
      for (let r = 0; r < rounds; r++) {
        for (const [name, f] of Object.entries(cases)) {
          samples[name].push(await sample(f, chain));
        }
      }
      tf.env().set(MAX_RADIX_LOG_FLAG, defaultRadixLog);
      const summary = (name: string): CaseTiming => ({
        wallNs: median(samples[name].map((s) => s.wallNs)),
        cpuNs: median(samples[name].map((s) => s.cpuNs)),
      });
      const ratios = samples.matMul.map((m, r) => m.wallNs / samples.op[r].wallNs);
      const [op, matMul] = [summary('op'), summary('matMul')];
      rows.push({
        n,
        batch,
        chain,
        op,
        matMul,
        wallSpeedup: median(ratios),
        wallSpeedupRange: [Math.min(...ratios), Math.max(...ratios)],
        cpuSpeedup: matMul.cpuNs / op.cpuNs,
        radix: Object.fromEntries(radixLogs.map((r) => [r, summary(`radix${r}`)])),
        onePass: 'onePass' in cases ? summary('onePass') : null,
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
