/**
 * The built package as users load it: `npm run build`'s dist/, required as CommonJS and imported as
 * an ES module by its own name next to @tensorflow/tfjs, each in a fresh Node process, checked
 * against the dense Sylvester product, with a gradient and an error.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';

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

  describe('tree shaking (esbuild, tfjs external)', () => {
    let app = '';
    beforeAll(() => {
      app = mkdtempSync(path.join(tmpdir(), 'hadamrnn-treeshake-'));
      mkdirSync(path.join(app, 'node_modules'));
      symlinkSync(ROOT, path.join(app, 'node_modules', 'tfjs-hadamrnn'), 'dir');
    });
    afterAll(() => rmSync(app, { recursive: true, force: true }));

    /** The bundle of an app made of `source`, and the files it took from the package. */
    async function bundle(source: string): Promise<{ code: string; files: string[] }> {
      writeFileSync(path.join(app, 'app.mjs'), source);
      const result = await build({
        entryPoints: [path.join(app, 'app.mjs')],
        bundle: true,
        format: 'esm',
        platform: 'browser',
        external: ['@tensorflow/*'],
        write: false,
        metafile: true,
        logLevel: 'silent',
      });
      return {
        code: result.outputFiles[0].text,
        files: Object.keys(result.metafile.inputs).filter((f) => f.includes('dist/esm')),
      };
    }

    it('leaves out the layers and the Node IO from an app importing only the op', async () => {
      const { code, files } = await bundle(
        "import { hadamardTransform } from 'tfjs-hadamrnn/ops';\nexport const f = hadamardTransform;\n",
      );
      expect(files.some((f) => f.endsWith('dist/esm/ops.js'))).toBe(true);
      expect(files.some((f) => f.endsWith('dist/esm/index.js'))).toBe(false);
      expect(code).toContain("'HadamardTransform'".replace(/'/g, '"'));
      for (const marker of [
        '"HadamRNN"', // the layer's class name (the kernel HadamRNNSequence is an op's)
        'HadamQuantizedDense',
        'file://',
        'from "@tensorflow/tfjs-layers"',
      ]) {
        expect(code).not.toContain(marker);
      }
    });

    it('keeps every registration when the app imports the package itself', async () => {
      const { code } = await bundle(
        "import { hadamardTransform } from 'tfjs-hadamrnn';\nexport const f = hadamardTransform;\n",
      );
      for (const marker of [
        '"HadamRNN"', // the layer's class name (the kernel HadamRNNSequence is an op's)
        'HadamQuantizedDense',
        'file://',
        'from "@tensorflow/tfjs-layers"',
      ]) {
        expect(code).toContain(marker);
      }
    });
  });
});
