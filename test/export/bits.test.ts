/**
 * The `bits` file, read back field by field with an independent decoder written from the layout
 * in docs/publishing.md: header, signs, codes, biases, checksum (zlib's CRC-32), and its size
 * against the paper's count.
 */
import { crc32 as zlibCrc32 } from 'zlib';
import * as tfl from '@tensorflow/tfjs-layers';
import { exportBits, hadamRNN, quantizedDense } from '../../src/index';
import { modelSize } from '../../src/training/models/model_size';
import { referenceSign, referenceUniform } from '../reference/quantize';
import { BASE, fixtureModel, type Fixture } from './fixtures';

/** Value k of a packed section at `bits` bits each, least significant bit first (bit by bit). */
function unpack(bytes: Uint8Array, offset: number, k: number, bits: number): number {
  let code = 0;
  for (let b = 0; b < bits; b++) {
    const bit = k * bits + b;
    code |= ((bytes[offset + Math.floor(bit / 8)] >> (bit % 8)) & 1) << b;
  }
  return code;
}

describe("exportModel format 'bits'", () => {
  it.each<[string, Partial<Fixture>]>([
    ['4-bit U and V', {}],
    [
      '3-bit U, 6-bit V, read backwards, last step',
      { bitsU: 3, bitsV: 6, goBackwards: true, returnSequences: false },
    ],
    ['HadamRNN alone', { outputs: null, units: 8, blockSize: 8 }],
  ])(
    '%s: every field decodes to the model, and the size is the paper count + header',
    (_n, options) => {
      const f = { ...BASE, ...options };
      const model = fixtureModel(f);
      const bytes = exportBits(model);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const { units: n, inputDim: d } = f;
      const o = f.outputs ?? 0;
      expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('HRNN');
      expect(view.getUint8(4)).toBe(1);
      const flags = view.getUint8(5);
      expect(flags).toBe(
        (f.goBackwards ? 1 : 0) |
          (f.returnSequences ? 2 : 0) |
          4 |
          (f.outputs != null ? 8 | 16 : 0),
      );
      expect([
        view.getUint32(8, true),
        view.getUint32(12, true),
        view.getUint32(16, true),
        view.getUint32(20, true),
      ]).toEqual([n, f.blockSize, d, o]);
      expect([view.getUint8(24), view.getUint8(25)]).toEqual([
        f.bitsU,
        f.outputs == null ? 0 : f.bitsV,
      ]);
      const weights = model.getWeights().map((w) => w.dataSync());
      // Signs: 1 bit per unit after the 36-byte header.
      const signs = referenceSign(weights[1]);
      let offset = 36;
      for (let i = 0; i < n; i++) expect(unpack(bytes, offset, i, 1) === 1 ? 1 : -1).toBe(signs[i]);
      offset += Math.ceil(n / 8);
      // U: (code - L) · scale is the paper's Q_p(U).
      const checkCodes = (
        latent: ArrayLike<number>,
        bits: number,
        scaleOffset: number,
        count: number,
      ) => {
        const q = referenceUniform(latent, bits);
        const scale = view.getFloat32(scaleOffset, true);
        for (let k = 0; k < count; k++) {
          expect(
            Math.abs((unpack(bytes, offset, k, bits) - 2 ** (bits - 1)) * scale - q[k]),
          ).toBeLessThan(1e-6);
        }
        offset += Math.ceil((count * bits) / 8);
      };
      checkCodes(weights[0], f.bitsU, 28, d * n);
      for (let j = 0; j < n; j++) expect(view.getFloat32(offset + 4 * j, true)).toBe(weights[2][j]);
      offset += 4 * n;
      if (f.outputs != null) {
        checkCodes(weights[3], f.bitsV, 32, n * o);
        for (let j = 0; j < o; j++)
          expect(view.getFloat32(offset + 4 * j, true)).toBe(weights[4][j]);
        offset += 4 * o;
      }
      expect(view.getUint32(offset, true)).toBe(zlibCrc32(bytes.subarray(0, offset)));
      expect(bytes.length).toBe(offset + 4);
      const paperBytes = modelSize(model).paperBits / 8;
      expect(bytes.length - paperBytes).toBeGreaterThanOrEqual(40);
      expect(bytes.length - paperBytes).toBeLessThanOrEqual(64);
      model.dispose();
    },
  );

  it.each<[string, () => tfl.LayersModel, RegExp]>([
    [
      'a Dense read-out',
      () =>
        tfl.sequential({
          layers: [hadamRNN({ units: 4, inputShape: [3, 2] }), tfl.layers.dense({ units: 2 })],
        }),
      /one HadamRNN optionally followed by one HadamQuantizedDense; the model is HadamRNN → Dense/,
    ],
    [
      'a full-precision kernel',
      () =>
        tfl.sequential({
          layers: [hadamRNN({ name: 'r', units: 4, kernelQuantizer: null, inputShape: [3, 2] })],
        }),
      /layer 'r' has no uniformSte kernel quantizer/,
    ],
    [
      'an activation lite lacks',
      () =>
        tfl.sequential({
          layers: [
            hadamRNN({ units: 4, inputShape: [3, 2] }),
            quantizedDense({ name: 'q', units: 2, activation: 'elu' }),
          ],
        }),
      /layer 'q' has activation 'elu'; the bits format knows linear, relu, sigmoid, tanh, softmax/,
    ],
  ])('refuses %s clearly', (_n, build, message) => {
    const model = build();
    expect(() => exportBits(model)).toThrow(message);
    model.dispose();
  });
});
