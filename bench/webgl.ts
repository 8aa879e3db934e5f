/**
 * webgl backend, in headless Chromium: `hadamardTransform` against `tf.matMul` with the dense
 * Sylvester matrix, at every maximum radix of the butterfly passes, measured by bench/webgl_page.ts
 * in a page that bench/chromium_page.ts serves on the loopback interface.
 */
import { resolve } from 'node:path';
import { isSoftwareRenderer } from '../test/browser/page/webgl_info';
import { runBenchPage } from './chromium_page';
import { formatNs, formatRatio, nsPerElement, type BenchSection } from './harness';
import type { WebGLBench, WebGLBenchPlan, WebGLBenchRow } from './webgl_page';

/** The target of issue 5, checked at n = 512, batch 64 over more rounds than the other sizes. */
const TARGET = { n: 512, batch: 64, minSpeedup: 10, rounds: 25 };

const PLAN: WebGLBenchPlan = {
  sizes: [64, 128, 256, 512, 1024, 2048, 4096],
  batches: [1, 64],
  radixLogs: [2, 3, 4, 6],
  extraRounds: [TARGET],
};

export async function run(): Promise<BenchSection> {
  const result = await runBenchPage<WebGLBenchPlan, WebGLBench>(
    resolve(__dirname, 'webgl_page.ts'),
    PLAN,
  );
  const software = isSoftwareRenderer(result.renderer);
  const label = software ? 'software rendering (SwiftShader)' : 'GPU';
  const rows: string[][] = [];
  let atTarget: WebGLBenchRow | undefined;
  for (const row of result.rows) {
    const elements = row.batch * row.n;
    const op = nsPerElement(row.opNs, elements);
    const matMul = nsPerElement(row.matMulNs, elements);
    rows.push([
      String(row.n),
      String(row.batch),
      formatNs(op),
      formatNs(matMul),
      formatRatio(row.speedup, 1),
      ...PLAN.radixLogs.map((r) => formatNs(nsPerElement(row.radixNs[r], elements))),
      String(row.rounds),
    ]);
    if (row.n === TARGET.n && row.batch === TARGET.batch) {
      atTarget = row;
    }
    console.log(`  n=${row.n} batch=${row.batch}: ${rows[rows.length - 1].join('  ')}`);
  }
  const met = atTarget != null && atTarget.speedup >= TARGET.minSpeedup;
  return {
    title: `webgl, ${label}: hadamardTransform vs dense matMul`,
    intro: [
      `Backend \`webgl\` (tfjs-backend-webgl 4.22, WebGL ${result.webglVersion}) in headless ` +
        `Chromium ${result.chromium}; renderer \`${result.renderer}\`` +
        (software
          ? ': **software rendering** — SwiftShader runs the shaders on the CPU, so these ' +
            'numbers say nothing about a real GPU, only about the relative cost of the two paths.'
          : '.'),
      '`op` is `hadamardTransform(x)` (normalized, blockSize = n) on x of shape [batch, n] with ' +
        `the default maximum radix 2^${result.defaultRadixLog} per pass; \`matMul\` is ` +
        '`tf.matMul(x, S)` with `S = sylvester(n, {normalize: true})`. Each timed call chains 4 ' +
        'transforms (1 for n ≥ 2048) and reads one value back, so the time includes waiting for ' +
        'the GPU; a sample repeats the call until it lasts 30 ms. ns/el is per transform and ' +
        'element, the median of `rounds` interleaved rounds; **speedup** is the median of the ' +
        "rounds' ratios matMul / op (each round times both within a second).",
      "Design: the op works on tfjs's packed textures, where a texel holds a 2 × 2 block of " +
        'the [rows, n] matrix (two values of each of two rows). Under SwiftShader a pass costs ' +
        'about one fragment per four outputs plus one texture fetch per texel read, so a pass ' +
        'does nothing per read but the fetch: the first pass applies the stage inside the ' +
        'texels once, to its sum, and on WebGL2 the butterfly digit and signs come from shifts ' +
        'and masks, not integer divisions (which run lane by lane on the CPU). An input already ' +
        'packed with n as its last axis (a previous transform, a matMul) is read in place; a ' +
        'fresh input costs tfjs one pack pass, as it does for matMul. Blocks narrower than n use ' +
        'the same [rows, n] view, so no reshape pass either.',
      'The `radix 2^k` columns time the op with `HADAMRNN_WEBGL_MAX_RADIX_LOG = k`: after the ' +
        'in-texel stage, k stages per pass, so max(1, ceil((log2(n) - 1) / k)) passes of 2^k ' +
        'texel fetches per four outputs (a whole block in one pass when k ≥ log2(n) - 1). ' +
        'Radix 2^2 reads the fewest texels, radix 2^3 runs fewer passes; they cost about the ' +
        'same.',
    ],
    headers: [
      'n',
      'batch',
      'op ns/el',
      'matMul ns/el',
      'speedup',
      ...PLAN.radixLogs.map((r) => `radix 2^${r} ns/el`),
      'rounds',
    ],
    rows,
    notes: [
      `Target (issue 5): op ≥ ${TARGET.minSpeedup}× faster than matMul at n = ${TARGET.n}, ` +
        `batch ${TARGET.batch}: ${
          atTarget == null
            ? 'not measured'
            : `${atTarget.speedup.toFixed(1)}× (median of ${atTarget.rounds} rounds; ` +
              `${atTarget.speedupRange[0].toFixed(1)}× to ${atTarget.speedupRange[1].toFixed(1)}×)`
        } — ${met ? 'met' : 'NOT met'}.`,
    ],
  };
}
