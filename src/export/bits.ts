/**
 * The `bits` format (layout in src/lite/format.ts): a HadamRNN, optionally followed by one
 * QuantizedDense, at the size the paper counts (u 1 bit per unit, U and V p bits, biases float32),
 * behind a 36-byte header and a CRC-32.
 */
import type { LayersModel, layers } from '@tensorflow/tfjs-layers';
import { HadamRNN } from '../layers/hadam_rnn';
import { QuantizedDense } from '../layers/quantized_dense';
import { SignSte } from '../quantizers/sign_ste';
import {
  ACTIVATIONS,
  FLAG_GO_BACKWARDS,
  FLAG_READOUT,
  FLAG_READOUT_BIAS,
  FLAG_RETURN_SEQUENCES,
  FLAG_RNN_BIAS,
  MAGIC,
  VERSION,
  bitsLayout,
  crc32,
  type ActivationName,
  type BitsHeader,
} from '../lite/format';
import { exportableLayers } from './layer_roles';
import { clippedSteps, signsOf, uniformKernel, type UniformKernel } from './quantized_weights';
import { checkFiniteWeight } from './weight_encoding';

const API = "exportModel (format 'bits')";

function activationOf(layer: HadamRNN | QuantizedDense): ActivationName {
  const name = (layer instanceof HadamRNN ? layer.cell.activation : layer.activation).identifier;
  if (!(ACTIVATIONS as readonly string[]).includes(name)) {
    throw new Error(
      `${API}: layer '${layer.name}' has activation '${name}'; the bits format knows ${ACTIVATIONS.join(', ')}`,
    );
  }
  return name as ActivationName;
}

/** The HadamRNN and the optional read-out, after refusing any other model shape. */
function bitsLayers(model: LayersModel): [HadamRNN, QuantizedDense | null] {
  const found = exportableLayers(API, model).filter((l) => l.getClassName() !== 'InputLayer');
  const [rnn, readout, ...rest] = found;
  const shape = found.map((l) => l.getClassName()).join(' → ');
  if (
    !(rnn instanceof HadamRNN) ||
    !(readout == null || readout instanceof QuantizedDense) ||
    rest.length > 0 ||
    model.inputs.length !== 1 ||
    model.outputs.length !== 1
  ) {
    throw new Error(
      `${API}: the bits format holds one HadamRNN optionally followed by one HadamQuantizedDense; the model is ${shape}`,
    );
  }
  if (rnn.stateful || rnn.returnState) {
    throw new Error(
      `${API}: HadamRNN '${rnn.name}' is stateful or returns its state; lite runs neither`,
    );
  }
  if (!(rnn.cell.recurrentQuantizer instanceof SignSte)) {
    throw new Error(
      `${API}: HadamRNN '${rnn.name}' has no sign quantizer for u; the bits format needs one`,
    );
  }
  return [rnn, readout ?? null];
}

function kernelOf(layer: HadamRNN | QuantizedDense): UniformKernel {
  const projection = layer instanceof HadamRNN ? layer.cell.projection : layer.projection;
  const kernel = uniformKernel(API, `${layer.name}/kernel`, projection);
  if (kernel == null) {
    throw new Error(
      `${API}: layer '${layer.name}' has no uniformSte kernel quantizer; the bits format stores p-bit codes (use 'quantized' or 'stock')`,
    );
  }
  return kernel;
}

/** Packs `codes` at `bits` bits each into `out` from byte `offset`, least significant bit first. */
function pack(out: Uint8Array, offset: number, codes: ArrayLike<number>, bits: number): void {
  for (let k = 0; k < codes.length; k++) {
    for (let b = 0; b < bits; b++) {
      if ((codes[k] >>> b) & 1) {
        const bit = k * bits + b;
        out[offset + (bit >>> 3)] |= 1 << (bit & 7);
      }
    }
  }
}

function biasValues(
  layer: layers.Layer,
  bias: { read(): { dataSync(): ArrayLike<number> } } | null,
): Float32Array | null {
  if (bias == null) return null;
  const values = Float32Array.from(bias.read().dataSync());
  checkFiniteWeight(API, `${layer.name}/bias`, values);
  return values;
}

/** The bytes of `model` in the `bits` format. */
export function exportBits(model: LayersModel): Uint8Array {
  const [rnn, readout] = bitsLayers(model);
  const u = kernelOf(rnn);
  const v = readout == null ? null : kernelOf(readout);
  const biasU = biasValues(rnn, rnn.cell.projection.bias);
  const biasV = readout == null ? null : biasValues(readout, readout.projection.bias);
  const flags =
    (rnn.goBackwards ? FLAG_GO_BACKWARDS : 0) |
    (rnn.returnSequences ? FLAG_RETURN_SEQUENCES : 0) |
    (biasU != null ? FLAG_RNN_BIAS : 0) |
    (readout != null ? FLAG_READOUT : 0) |
    (biasV != null ? FLAG_READOUT_BIAS : 0);
  const header: BitsHeader = {
    flags,
    rnnActivation: activationOf(rnn),
    readoutActivation: readout == null ? 'linear' : activationOf(readout),
    units: rnn.cell.units,
    blockSize: rnn.cell.blockSize,
    inputDim: u.shape[0],
    outputDim: readout?.units ?? 0,
    bitsU: u.bits,
    bitsV: v?.bits ?? 0,
    scaleU: u.delta,
    scaleV: v?.delta ?? 0,
  };
  const layout = bitsLayout(header);
  const bytes = new Uint8Array(layout.total);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  view.setUint8(4, VERSION);
  view.setUint8(5, flags);
  view.setUint8(6, ACTIVATIONS.indexOf(header.rnnActivation));
  view.setUint8(7, ACTIVATIONS.indexOf(header.readoutActivation));
  view.setUint32(8, header.units, true);
  view.setUint32(12, header.blockSize, true);
  view.setUint32(16, header.inputDim, true);
  view.setUint32(20, header.outputDim, true);
  view.setUint8(24, header.bitsU);
  view.setUint8(25, header.bitsV);
  view.setFloat32(28, header.scaleU, true);
  view.setFloat32(32, header.scaleV, true);
  const signs = signsOf(API, `${rnn.name}/recurrent_kernel`, rnn.cell.recurrentKernel!.read());
  pack(bytes, layout.signs, signs.map(Number), 1);
  pack(
    bytes,
    layout.codesU,
    clippedSteps(u).map((s) => s + u.levels),
    u.bits,
  );
  biasU?.forEach((b, i) => view.setFloat32(layout.biasU + 4 * i, b, true));
  if (v != null)
    pack(
      bytes,
      layout.codesV,
      clippedSteps(v).map((s) => s + v.levels),
      v.bits,
    );
  biasV?.forEach((b, i) => view.setFloat32(layout.biasV + 4 * i, b, true));
  view.setUint32(layout.checksum, crc32(bytes.subarray(0, layout.checksum)), true);
  return bytes;
}
