/**
 * The built package as users load it: `npm run build`'s dist/, required as CommonJS and imported as
 * an ES module by its own name next to @tensorflow/tfjs, each in a fresh Node process, checked
 * against the dense Sylvester product, with a gradient and an error.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** Prints, as JSON: S_4 · [1, 2, 3, 4] (unnormalized), the gradient of sum(w ⊙ H x), an error. */
const PROGRAM = (load: string) => `
${load}
const x = tf.tensor2d([[1, 2, 3, 4]]);
const y = hadamardTransform(x, { normalize: false });
const w = tf.tensor2d([[1, 0, 0, 0]]);
const g = tf.grad((v) => tf.sum(tf.mul(hadamardTransform(v), w)))(x);
let error = '';
try { hadamardTransform(tf.zeros([2, 12])); } catch (e) { error = e.message; }
const layer = hadamRNN({ units: 8 });
console.log(JSON.stringify({ y: Array.from(y.dataSync()), g: Array.from(g.dataSync()), error, layer: layer.getClassName() }));
`;

const EXPECTED = {
  y: [10, -2, -4, 0],
  g: [0.5, 0.5, 0.5, 0.5],
  error: 'hadamardTransform: last dimension 12 is not a power of two',
  layer: 'HadamRNN',
};

function runNode(args: string[]): unknown {
  const out = execFileSync('node', args, {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe('the built package', () => {
  beforeAll(() => {
    execFileSync('node', ['scripts/build.mjs'], { cwd: ROOT, stdio: 'ignore' });
  }, 180_000);

  it('works through require() (CommonJS) alongside @tensorflow/tfjs', () => {
    const load = `const tf = require('@tensorflow/tfjs');
const { hadamardTransform, hadamRNN } = require('tfjs-hadamrnn');`;
    expect(runNode(['-e', PROGRAM(load)])).toEqual(EXPECTED);
  });

  it('works through import (ES module) alongside @tensorflow/tfjs', () => {
    const load = `import * as tf from '@tensorflow/tfjs';
import { hadamardTransform, hadamRNN } from 'tfjs-hadamrnn';`;
    expect(runNode(['--input-type=module', '-e', PROGRAM(load)])).toEqual(EXPECTED);
  });

  it('exposes tfjs-hadamrnn/lite through require() and import, without tfjs', () => {
    const program = `const error = (() => { try { loadModel(new Uint8Array(0)); } catch (e) { return e.message; } })();
console.log(JSON.stringify({ error, tf: Object.keys(globalThis.require?.cache ?? {}).some((m) => m.includes('@tensorflow')) }));`;
    const expected = {
      error: 'loadModel: truncated file: 0 bytes, a bits file has at least 40',
      tf: false,
    };
    const cjs = `const { loadModel } = require('tfjs-hadamrnn/lite');\n${program}`;
    expect(runNode(['-e', cjs])).toEqual(expected);
    const esm = `import { loadModel } from 'tfjs-hadamrnn/lite';\n${program}`;
    expect(runNode(['--input-type=module', '-e', esm])).toEqual(expected);
  });
});
