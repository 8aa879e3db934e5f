/**
 * Timing and reporting helpers shared by every bench module: interleaved sampling with warm-up,
 * medians, ns per element, ratios, markdown tables and the machine line.
 */
import { readFileSync } from 'node:fs';
import * as os from 'node:os';

/** What a bench module returns: one section of docs/benchmarks.md. */
export interface BenchSection {
  /** Section heading, e.g. 'cpu: hadamardTransform vs dense matMul'. */
  title: string;
  /** Paragraphs printed above the table: what is compared and how. */
  intro: string[];
  /** Column headings of the table. */
  headers: string[];
  /** Table rows, already formatted (see `formatNs`, `formatRatio`). */
  rows: string[][];
  /** Paragraphs printed below the table: targets met or not, caveats. */
  notes: string[];
}

/** A bench module as listed in bench/index.ts. */
export interface BenchModule {
  /** Short id, matched by the `npm run bench -- <filter>` argument and used as the section marker. */
  name: string;
  run: () => Promise<BenchSection>;
}

/** Sampling budget of one `measure` call. */
export interface SampleOptions {
  /** Time spent calling each case before any sample counts (JIT warm-up). Default 100 ms. */
  warmupMs?: number;
  /**
   * Target duration of one sample; fast cases repeat within a sample to reach it. Default 1 ms:
   * short enough that, on a busy machine, most samples run without the process being descheduled.
   */
  sampleMs?: number;
  /** Rounds at least (each case takes one or more samples per round). Default 5. */
  minSamples?: number;
  /** Wall-clock budget for all cases together, once minSamples are taken. Default 1500 ms. */
  budgetMs?: number;
}

/** Timing of one case: nanoseconds per call over the samples. */
export interface Timing {
  medianNs: number;
  minNs: number;
  samples: number;
}

/**
 * Times every case of `cases` in the same run, interleaving them round by round (a, b, c, a, b,
 * c, ...) so that load from other processes affects each case alike and their ratio stays
 * meaningful. Each case is first warmed up, then calibrated so that one sample lasts about
 * `sampleMs`; in each round a case takes as many samples as fill the slowest case's sample (at
 * most 100), so a fast kernel compared with a slow dense product still gets many samples.
 */
export function measure(
  cases: Record<string, () => void>,
  options: SampleOptions = {},
): Record<string, Timing> {
  const { warmupMs = 100, sampleMs = 1, minSamples = 5, budgetMs = 1500 } = options;
  const names = Object.keys(cases);
  const plans = names.map((name) => ({ name, ...calibrate(cases[name], warmupMs, sampleMs) }));
  const roundNs = Math.max(...plans.map((p) => p.repeats * p.nsPerCall));
  const samples: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  const start = performance.now();
  for (let round = 0; round < minSamples || performance.now() - start < budgetMs; round++) {
    for (const { name, repeats, nsPerCall } of plans) {
      const perRound = Math.min(100, Math.max(1, Math.round(roundNs / (repeats * nsPerCall))));
      for (let s = 0; s < perRound; s++) {
        samples[name].push(timeCalls(cases[name], repeats) / repeats);
      }
    }
  }
  const timings: Record<string, Timing> = {};
  for (const name of names) {
    const sorted = samples[name].sort((a, b) => a - b);
    timings[name] = { medianNs: median(sorted), minNs: sorted[0], samples: sorted.length };
  }
  return timings;
}

/**
 * Calls `fn` for about `warmupMs`; returns how many calls fill about `sampleMs` and the fastest
 * call's duration (so slow cases, seconds per call, cost no extra call).
 */
function calibrate(
  fn: () => void,
  warmupMs: number,
  sampleMs: number,
): { repeats: number; nsPerCall: number } {
  let nsPerCall = Infinity;
  const start = performance.now();
  do {
    nsPerCall = Math.min(nsPerCall, timeCalls(fn, 1));
  } while (performance.now() - start < warmupMs);
  return { repeats: Math.max(1, Math.round((sampleMs * 1e6) / nsPerCall)), nsPerCall };
}

/** Nanoseconds taken by `repeats` calls of `fn`. */
function timeCalls(fn: () => void, repeats: number): number {
  const start = process.hrtime.bigint();
  for (let r = 0; r < repeats; r++) {
    fn();
  }
  return Number(process.hrtime.bigint() - start);
}

/** The sizes and batches at which the op is compared with the dense matMul on every backend. */
export const DENSE_COMPARISON = { sizes: [64, 128, 256, 512, 1024, 2048, 4096], batches: [1, 64] };

/**
 * Sampling for a dense [batch, n] × [n, n] product: those of 64 × 4096 × 4096 and up take seconds
 * per call here, so they get a few samples instead of a time budget.
 */
export function denseSampling(n: number, batch: number, budgetMs: number): SampleOptions {
  return n * n * batch >= 2 ** 28 ? { minSamples: 3, budgetMs: 0 } : { budgetMs };
}

/** Median of an ascending array. */
export function median(sorted: number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** ns per call divided by the number of elements transformed per call. */
export function nsPerElement(nsPerCall: number, elements: number): number {
  return nsPerCall / elements;
}

/** A duration in ns with three significant digits (`3.41`, `27.6`, `1,520`). */
export function formatNs(ns: number): string {
  if (ns >= 1000) {
    return Math.round(ns).toLocaleString('en-US');
  }
  return ns.toPrecision(3);
}

/** How many times faster `candidate` is than `baseline` (`12.3×`). */
export function formatRatio(baselineNs: number, candidateNs: number): string {
  const ratio = baselineNs / candidateNs;
  return `${ratio >= 100 ? Math.round(ratio) : ratio.toPrecision(3)}×`;
}

/** A GitHub-flavoured markdown table, numeric-looking columns right-aligned. */
export function markdownTable(headers: string[], rows: string[][]): string {
  const numeric = headers.map((_, c) => rows.every((row) => /^([\d.,×-]+|–)$/.test(row[c])));
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const rule = numeric.map((right) => (right ? '---:' : ':---'));
  return [line(headers), line(rule), ...rows.map(line)].join('\n');
}

/** One line naming the machine: CPU model, logical cores, Node and V8 versions, date. */
export function machineDescription(): string {
  const cores = os.cpus().length;
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  return (
    `${cpuModel()}, ${cores} logical cores, ${os.platform()} ${os.arch()}, ` +
    `Node ${process.versions.node} (V8 ${process.versions.v8}), ${date} UTC`
  );
}

/** The CPU model from /proc/cpuinfo (Linux) or os.cpus(), and its clock when reported. */
function cpuModel(): string {
  let model = os.cpus()[0]?.model ?? 'unknown CPU';
  try {
    const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
    model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1].trim() ?? model;
    const mhz = /^cpu MHz\s*:\s*([\d.]+)$/m.exec(cpuinfo)?.[1];
    if (mhz !== undefined && !/Hz/.test(model)) {
      model += ` @ ${(Number(mhz) / 1000).toFixed(2)} GHz`;
    }
  } catch {
    // Not Linux: os.cpus() already named the model.
  }
  return model;
}
