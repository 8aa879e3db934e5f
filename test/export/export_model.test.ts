/**
 * exportModel's destinations and refusals, and the `tfjs-hadamrnn export` command.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { BITS_FILE, exportBits, exportModel, hadamRNN, quantizedDense } from '../../src/index';
import { main } from '../../src/cli/main';
import { parseExportArgs } from '../../src/cli/export_command';
import { loadModel } from '../../src/lite';
import { expectNoLeaks } from '../harness/expect';
import { randomValues } from '../harness/random';

/** The one shard a small model's save writes, named for its save. */
const SHARD = /^model\.[a-z0-9]+\.shard1of1\.bin$/;
import { removeFolder, temporaryFolder } from '../io/fixtures/saved';
import { BASE, fixtureInput, fixtureModel, predictOne } from './fixtures';

const ROOT = path.join(__dirname, '..', '..');

describe('exportModel', () => {
  let dir: string;
  beforeEach(() => (dir = temporaryFolder('hadamrnn-export-')));
  afterEach(() => removeFolder(dir));

  it.each(['quantized', 'stock', 'bits'] as const)(
    "writes '%s' to a folder, reports its files and bytes, and leaks nothing",
    async (format) => {
      const model = fixtureModel(BASE);
      const result = await expectNoLeaks(() => exportModel(model, dir, { format }));
      const names = fs.readdirSync(dir).sort();
      expect(names).toEqual(
        format === 'bits' ? [BITS_FILE] : ['model.json', expect.stringMatching(SHARD)],
      );
      expect(result.files.map((f) => path.basename(f)).sort()).toEqual(names);
      expect(result.bytes).toBe(
        names.reduce((sum, n) => sum + fs.statSync(path.join(dir, n)).size, 0),
      );
      model.dispose();
    },
  );

  it('replaces an earlier bits file whole, leaving no temporary file', async () => {
    const first = fixtureModel(BASE, 1);
    const second = fixtureModel(BASE, 2);
    await exportModel(first, dir, { format: 'bits' });
    await exportModel(second, `file://${dir}`, { format: 'bits' });
    expect(fs.readdirSync(dir)).toEqual([BITS_FILE]);
    expect(new Uint8Array(fs.readFileSync(path.join(dir, BITS_FILE)))).toEqual(exportBits(second));
    const x = fixtureInput(BASE);
    const lite = loadModel(fs.readFileSync(path.join(dir, BITS_FILE)));
    const expected = predictOne(second, x, BASE);
    lite
      .predict(x, BASE.steps)
      .forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-5));
    first.dispose();
    second.dispose();
  });

  it('saves through an IOHandler', async () => {
    const model = fixtureModel(BASE);
    let saved: tf.io.ModelArtifacts | undefined;
    const handler = tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    });
    const result = await exportModel(model, handler, { format: 'quantized' });
    expect(result.files).toEqual([]);
    expect(result.bytes).toBe(
      JSON.stringify(saved!.modelTopology).length + (saved!.weightData as ArrayBuffer).byteLength,
    );
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved!));
    const x = fixtureInput(BASE);
    expect(predictOne(loaded, x, BASE)).toEqual(predictOne(model, x, BASE));
    loaded.dispose();
    model.dispose();
  });

  it("exports a functional model in the 'quantized' format", async () => {
    const input = tfl.input({ shape: [4, 3] });
    const h = hadamRNN({ units: 8, blockSize: 4, returnSequences: true }).apply(
      input,
    ) as tfl.SymbolicTensor;
    const skip = tfl.layers.dense({ units: 8 }).apply(input) as tfl.SymbolicTensor;
    const y = quantizedDense({ units: 2 }).apply(
      tfl.layers.add().apply([h, skip]) as tfl.SymbolicTensor,
    );
    const model = tfl.model({ inputs: input, outputs: y as tfl.SymbolicTensor });
    const weights = model
      .getWeights()
      .map((w, i) => tf.tensor(randomValues(w.size, 30 + i), w.shape));
    model.setWeights(weights);
    tf.dispose(weights);
    await exportModel(model, dir, { format: 'quantized' });
    const loaded = await tfl.loadLayersModel(`file://${dir}/model.json`);
    const x = tf.tensor3d(randomValues(2 * 4 * 3, 8), [2, 4, 3]);
    const [a, b] = [model, loaded].map((m) => m.predict(x) as tf.Tensor);
    expect(b.dataSync()).toEqual(a.dataSync());
    tf.dispose([x, a, b]);
    loaded.dispose();
    model.dispose();
  });

  it('refuses an unknown format, and bits to an IOHandler', async () => {
    const model = fixtureModel(BASE);
    await expect(exportModel(model, dir, { format: 'onnx' as 'bits' })).rejects.toThrow(
      'exportModel: format must be one of quantized, stock, bits, got "onnx"',
    );
    const handler = tf.io.withSaveHandler(async () => ({
      modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' },
    }));
    await expect(exportModel(model, handler, { format: 'bits' })).rejects.toThrow(
      "exportModel: format 'bits' writes a file, so destination must be a folder path; use exportBits for the bytes",
    );
    expect(fs.readdirSync(dir)).toEqual([]);
    model.dispose();
  });

  it('refuses a HadamRNNCell inside a generic RNN, naming the layer', async () => {
    const { hadamRNNCell } = await import('../../src/index');
    const model = tfl.sequential({
      layers: [
        tfl.layers.rnn({ name: 'generic', cell: hadamRNNCell({ units: 4 }), inputShape: [3, 2] }),
      ],
    });
    for (const format of ['quantized', 'stock', 'bits'] as const) {
      await expect(exportModel(model, dir, { format })).rejects.toThrow(
        /layer 'generic' runs a HadamRNNCell in a generic RNN; only hadamRNN layers are exported/,
      );
    }
    model.dispose();
  });
});

describe('tfjs-hadamrnn export', () => {
  async function cli(...argv: string[]): Promise<{ code: number; output: string }> {
    let output = '';
    const code = await main(argv, { isTTY: false, write: (text) => void (output += text) });
    return { code, output };
  }

  it('exports the copy-task model in the bits format and reports the sizes', async () => {
    const dir = temporaryFolder('hadamrnn-cli-export-');
    try {
      const { code, output } = await cli(
        'export',
        path.join(ROOT, 'demo', 'model'),
        '--format',
        'bits',
        '--out',
        dir,
      );
      expect(code).toBe(0);
      expect(output).toBe(
        `tfjs-hadamrnn export: wrote bits (1820 bytes; the paper counts 1780 bytes): ${path.join(dir, BITS_FILE)}\n`,
      );
      expect(loadModel(fs.readFileSync(path.join(dir, BITS_FILE))).units).toBe(128);
    } finally {
      removeFolder(dir);
    }
  });

  it.each<[string[], string]>([
    [
      ['m', '--format', 'zip', '--out', 'o'],
      "tfjs-hadamrnn export: --format must be one of quantized, stock, bits, got 'zip'",
    ],
    [
      ['m', '--out', 'o'],
      'tfjs-hadamrnn export: --format must be one of quantized, stock, bits, got none',
    ],
    [['m', '--format', 'bits'], 'tfjs-hadamrnn export: --out <dir> is missing'],
    [
      ['--format', 'bits', '--out', 'o'],
      'tfjs-hadamrnn export: the model (model.json or its folder) is missing',
    ],
    [
      ['m', 'n', '--format', 'bits', '--out', 'o'],
      "tfjs-hadamrnn export: one model expected, got 'm' and 'n'",
    ],
    [
      ['m', '--shards', '2'],
      "tfjs-hadamrnn export: unknown flag '--shards'; flags: --format --out",
    ],
    [['m', '--out'], 'tfjs-hadamrnn export: --out needs a value'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseExportArgs(argv)).toThrow(message);
  });

  it('prints one line and exits 2 when the model cannot be read', async () => {
    const { code, output } = await cli(
      'export',
      '/nonexistent/model.json',
      '--format',
      'stock',
      '--out',
      '/tmp/x',
    );
    expect(code).toBe(2);
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(output).toMatch(/nonexistent/);
  });
});
