/**
 * webgl backend, in headless Chromium: the HadamRNN layer against tf.layers.simpleRNN and
 * tf.layers.lstm of the same width (128 units, batch 32, 10 inputs), `predict` and one training
 * step. Runs bench/webgl_layers_page.ts through bench/chromium_page.ts.
 *
 * Under SwiftShader (software WebGL) every shader pass runs on the CPU and the baselines' training
 * step takes seconds, so T is kept at 100 and each case is timed a few times: the module takes
 * about two minutes.
 */
import { resolve } from 'node:path';
import { isSoftwareRenderer } from '../test/browser/page/webgl_info';
import { runBenchPage } from './chromium_page';
import { formatNs, formatRatio, type BenchSection } from './harness';
import type { WebGLLayersBench, WebGLLayersPlan } from './webgl_layers_page';

const PLAN: WebGLLayersPlan = {
  units: 128,
  steps: 100,
  batch: 32,
  inputs: 10,
  predictRounds: 5,
  trainRounds: 3,
};

export async function run(): Promise<BenchSection> {
  const result = await runBenchPage<WebGLLayersPlan, WebGLLayersBench>(
    resolve(__dirname, 'webgl_layers_page.ts'),
    PLAN,
  );
  const software = isSoftwareRenderer(result.renderer);
  const { predictMs, trainStepMs } = result;
  const rows = Object.keys(predictMs).map((name) => [
    name,
    formatNs(predictMs[name]),
    formatRatio(predictMs[name], predictMs.HadamRNN),
    formatNs(trainStepMs[name]),
    formatRatio(trainStepMs[name], trainStepMs.HadamRNN),
  ]);
  rows.forEach((row) => console.log(`  ${row.join('  ')}`));
  const { units, steps, batch, inputs } = PLAN;
  const versus = (ms: Record<string, number>) => {
    const ratio = ms.simpleRNN / ms.HadamRNN;
    return ratio >= 1 ? `${ratio.toFixed(2)}× faster` : `${(1 / ratio).toFixed(2)}× slower`;
  };
  return {
    title:
      `webgl, ${software ? 'software rendering (SwiftShader)' : 'GPU'}: HadamRNN layer vs tfjs ` +
      `recurrent layers (${units} units, T = ${steps}, batch ${batch}, ${inputs} inputs)`,
    intro: [
      `Backend \`webgl\` (tfjs-backend-webgl 4.22, WebGL ${result.webglVersion}) in headless ` +
        `Chromium ${result.chromium}; renderer \`${result.renderer}\`` +
        (software
          ? ': **software rendering** — SwiftShader runs the shaders on the CPU, so these ' +
            'numbers say nothing about a real GPU, only about the relative cost of the layers ' +
            'when every shader pass costs CPU time.'
          : '.'),
      'Each model is `inputLayer → recurrent layer (returnSequences) → dense(9, softmax)`. ' +
        '**predict** is `model.predict(x)`; **train step** is one `optimizer.minimize` of the ' +
        'softmax cross-entropy over every step (forward, backward, Adam update: what `fit` does ' +
        'per batch). Each timed call ends by reading one value back, so it includes waiting for ' +
        `the GPU. Times are medians in milliseconds of ${PLAN.predictRounds} (predict) and ` +
        `${PLAN.trainRounds} (train step) interleaved rounds after one untimed call; **×** is how ` +
        'many times slower than HadamRNN. The baselines start from Glorot-uniform recurrent ' +
        "kernels instead of tfjs's orthogonal ones (whose QR decomposition compiles shaders for " +
        'minutes on webgl); the values do not change the time of a step.',
    ],
    headers: ['layer', 'predict ms', 'predict ×', 'train step ms', 'train step ×'],
    rows,
    notes: [
      `HadamRNN against simpleRNN on this renderer: predict ${versus(predictMs)}, one training ` +
        `step ${versus(trainStepMs)}.`,
    ],
  };
}
