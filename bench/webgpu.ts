/**
 * webgpu backend, in headless Chromium: `hadamardTransform` against `tf.matMul` with the dense
 * Sylvester matrix (n = 512, batch 64, 10 chained calls then one value read back), and the
 * HadamRNN layer against tf.layers.simpleRNN for `predict` and one training step, measured by
 * bench/webgpu_page.ts. Without a GPU, Chromium's WebGPU adapter is SwiftShader: CPU-emulated
 * figures, labelled so.
 */
import { resolve } from 'node:path';
import { runBenchPage } from './chromium_page';
import { formatRatio, type BenchSection } from './harness';
import type { WebGPUBench, WebGPUBenchPlan } from './webgpu_page';

/** Issue 17's targets. */
const TARGETS = { op: 10, predict: 20, trainStep: 20 };

const PLAN: WebGPUBenchPlan = {
  transform: { n: 512, batch: 64, chain: 10, rounds: 15 },
  // T = 200 rather than 1000: simpleRNN runs several dispatches per step, which CPU emulation
  // makes too slow to repeat; HadamRNN's time hardly depends on how the steps are dispatched.
  layers: { units: 128, steps: 200, batch: 32, inputs: 10, predictRounds: 7, trainRounds: 5 },
};

export async function run(): Promise<BenchSection> {
  const result = await runBenchPage<WebGPUBenchPlan, WebGPUBench>(
    resolve(__dirname, 'webgpu_page.ts'),
    PLAN,
  );
  const software = /swiftshader/i.test(result.adapter);
  const label = software ? 'CPU-emulated (SwiftShader)' : 'GPU';
  const ms = (v: number) => v.toFixed(1);
  const { op, matMul } = result.transformMs;
  const speedups = {
    op: matMul / op,
    predict: result.predictMs.simpleRNN / result.predictMs.HadamRNN,
    trainStep: result.trainStepMs.simpleRNN / result.trainStepMs.HadamRNN,
  };
  const verdict = (what: string, ratio: number, target: number) =>
    `${what}: ${ratio.toFixed(1)}× (target ≥ ${target}×: ${ratio >= target ? 'met' : 'not met'}` +
    `${software ? ', CPU-emulated' : ''}).`;
  const { units, steps, batch, inputs } = PLAN.layers;
  return {
    title: `webgpu, ${label}: hadamardTransform vs dense matMul; HadamRNN vs simpleRNN`,
    intro: [
      `Backend \`webgpu\` (tfjs-backend-webgpu 4.22) in headless Chromium ${result.chromium}; ` +
        `adapter \`${result.adapter}\`` +
        (software
          ? ': **CPU emulation** — SwiftShader runs the compute shaders on this machine’s CPU, ' +
            'so these figures say nothing of a real GPU, only of the relative cost of the paths.'
          : '.'),
      `**transform**: ${PLAN.transform.chain} chained calls y = f(y) on x [${PLAN.transform.batch}, ` +
        `${PLAN.transform.n}], then one value read back; \`op\` is \`hadamardTransform\` ` +
        '(normalized), `matMul` is `tf.matMul` with the normalized dense Sylvester matrix. ' +
        `**layers**: \`inputLayer → layer\`, ${units} units, T = ${steps}, batch ${batch}, ` +
        `${inputs} inputs, \`returnSequences: true\`; predict and one Adam training step of the ` +
        'mean squared error, each ending with one value read back. Medians in ms of interleaved ' +
        `rounds (${PLAN.transform.rounds} for the transform, ${PLAN.layers.predictRounds} for ` +
        `predict, ${PLAN.layers.trainRounds} for the training step) after one untimed call.`,
    ],
    headers: ['case', 'HadamRNN / op ms', 'baseline ms', 'speedup'],
    rows: [
      ['transform (op vs matMul)', ms(op), ms(matMul), formatRatio(matMul, op)],
      [
        'layer predict (vs simpleRNN)',
        ms(result.predictMs.HadamRNN),
        ms(result.predictMs.simpleRNN),
        formatRatio(result.predictMs.simpleRNN, result.predictMs.HadamRNN),
      ],
      [
        'layer training step (vs simpleRNN)',
        ms(result.trainStepMs.HadamRNN),
        ms(result.trainStepMs.simpleRNN),
        formatRatio(result.trainStepMs.simpleRNN, result.trainStepMs.HadamRNN),
      ],
    ],
    notes: [
      'Where a HadamRNN training step goes, each part timed alone on its shapes (median ms): ' +
        Object.entries(result.partsMs)
          .map(([part, value]) => `${part} ${ms(value)}`)
          .join(', ') +
        '. In training the layer computes its states as one HadamRNNSequence dispatch ' +
        "(projection and recurrence, 'linear', its ReLU apart), and their gradient as one " +
        'reverse sweep and one AffineWeightGrads pass: no tfjs matMul, since the gradient of ' +
        "the model's input, which needs none, is never computed; the rest of the step is the " +
        'quantizers, the ReLU, the loss and Adam. Predict runs projection, recurrence and ReLU ' +
        'as one HadamRNNSequence dispatch.',
      verdict('Transform, op vs dense matMul', speedups.op, TARGETS.op),
      verdict('Layer predict vs simpleRNN', speedups.predict, TARGETS.predict),
      verdict('Layer training step vs simpleRNN', speedups.trainStep, TARGETS.trainStep),
    ],
  };
}
