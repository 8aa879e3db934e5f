/**
 * Reads a `bits` file (format.ts) as untrusted bytes: every field is checked before it is used,
 * and anything malformed is refused with one line naming the field, the value and the rule.
 */
import {
  ACTIVATIONS,
  CHECKSUM_BYTES,
  FLAG_READOUT,
  FLAG_READOUT_BIAS,
  FLAG_RNN_BIAS,
  HEADER_BYTES,
  KNOWN_FLAGS,
  MAGIC,
  MAX_BITS,
  MAX_DIM,
  VERSION,
  bitsLayout,
  crc32,
  type ActivationName,
  type BitsHeader,
} from './format';

const API = 'loadModel';
/** Largest file accepted, 1 GiB: far above any HadamRNN, and below every typed-array limit. */
const MAX_FILE_BYTES = 2 ** 30;

/** A checked bits file: its header and views of its sections (no copies). */
export interface BitsFile extends BitsHeader {
  signs: Uint8Array;
  codesU: Uint8Array;
  biasU: Float32Array | null;
  codesV: Uint8Array | null;
  biasV: Float32Array | null;
}

function fail(message: string): never {
  throw new Error(`${API}: ${message}`);
}

function activationAt(view: DataView, offset: number, field: string): ActivationName {
  const index = view.getUint8(offset);
  if (index >= ACTIVATIONS.length) {
    fail(`${field} activation code ${index} is unknown; codes 0-${ACTIVATIONS.length - 1} exist`);
  }
  return ACTIVATIONS[index];
}

function dimAt(view: DataView, offset: number, field: string, min: number): number {
  const value = view.getUint32(offset, true);
  if (value < min || value > MAX_DIM) {
    fail(`${field} must be from ${min} to ${MAX_DIM}, got ${value}`);
  }
  return value;
}

function bitsAt(view: DataView, offset: number, field: string): number {
  const value = view.getUint8(offset);
  if (value < 1 || value > MAX_BITS) {
    fail(`${field} must be from 1 to ${MAX_BITS}, got ${value}`);
  }
  return value;
}

function scaleAt(view: DataView, offset: number, field: string): number {
  const value = view.getFloat32(offset, true);
  if (!(Number.isFinite(value) && value >= 0)) {
    fail(`${field} must be a finite number >= 0, got ${value}`);
  }
  return value;
}

const isPowerOfTwo = (x: number) => x > 0 && (x & (x - 1)) === 0;

function readHeader(view: DataView): BitsHeader {
  const version = view.getUint8(4);
  if (version !== VERSION) {
    fail(`unsupported version ${version}; this runtime reads version ${VERSION}`);
  }
  const flags = view.getUint8(5);
  if ((flags & ~KNOWN_FLAGS) !== 0) {
    fail(
      `unknown flags 0x${flags.toString(16)}; version ${VERSION} knows 0x${KNOWN_FLAGS.toString(16)}`,
    );
  }
  if (view.getUint16(26, true) !== 0) {
    fail(`reserved header bytes 26-27 must be 0, got ${view.getUint16(26, true)}`);
  }
  const readout = (flags & FLAG_READOUT) !== 0;
  const units = dimAt(view, 8, 'units', 1);
  const blockSize = dimAt(view, 12, 'blockSize', 1);
  if (!isPowerOfTwo(units) || !isPowerOfTwo(blockSize) || blockSize > units) {
    fail(`units (${units}) and blockSize (${blockSize}) must be powers of two, blockSize <= units`);
  }
  const header: BitsHeader = {
    flags,
    rnnActivation: activationAt(view, 6, 'HadamRNN'),
    readoutActivation: activationAt(view, 7, 'read-out'),
    units,
    blockSize,
    inputDim: dimAt(view, 16, 'inputDim', 1),
    outputDim: readout ? dimAt(view, 20, 'outputDim', 1) : view.getUint32(20, true),
    bitsU: bitsAt(view, 24, 'bits of U'),
    bitsV: readout ? bitsAt(view, 25, 'bits of V') : view.getUint8(25),
    scaleU: scaleAt(view, 28, 'scale of U'),
    scaleV: scaleAt(view, 32, 'scale of V'),
  };
  if (!readout && (header.outputDim !== 0 || header.bitsV !== 0 || header.scaleV !== 0)) {
    fail('outputDim, bits and scale of V must be 0 in a file without a read-out');
  }
  if (!readout && (flags & FLAG_READOUT_BIAS) !== 0) {
    fail('the read-out bias flag is set in a file without a read-out');
  }
  return header;
}

function checkFinite(values: Float32Array, field: string): Float32Array {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      fail(`${field}[${i}] is ${values[i]}; weights must be finite`);
    }
  }
  return values;
}

/** Reads `count` little-endian float32 values from `offset` (the section may be unaligned). */
function floats(bytes: Uint8Array, offset: number, count: number, field: string): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, 4 * count);
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = view.getFloat32(4 * i, true);
  return checkFinite(values, field);
}

/** Checks `input` as a bits file and returns its header and sections. */
export function readBitsFile(input: Uint8Array | ArrayBuffer): BitsFile {
  // By tag, not instanceof: bytes may come from another realm (a VM context, an iframe).
  const tag = Object.prototype.toString.call(input);
  if (tag !== '[object Uint8Array]' && tag !== '[object ArrayBuffer]') {
    fail(`bytes must be a Uint8Array or an ArrayBuffer, got ${tag}`);
  }
  const bytes =
    tag === '[object Uint8Array]' ? (input as Uint8Array) : new Uint8Array(input as ArrayBuffer);
  const minimum = HEADER_BYTES + CHECKSUM_BYTES;
  if (bytes.length < minimum) {
    fail(`truncated file: ${bytes.length} bytes, a bits file has at least ${minimum}`);
  }
  if (bytes.length > MAX_FILE_BYTES) {
    fail(`file of ${bytes.length} bytes exceeds the largest accepted, ${MAX_FILE_BYTES}`);
  }
  if (MAGIC.some((b, i) => bytes[i] !== b)) {
    const got = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    fail(`not a HadamRNN bits file: magic bytes ${got}, expected 48 52 4e 4e ('HRNN')`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = readHeader(view);
  const layout = bitsLayout(header);
  if (layout.total !== bytes.length) {
    const what = bytes.length < layout.total ? 'truncated file' : 'sizes disagree';
    fail(`${what}: the header describes ${layout.total} bytes, the file has ${bytes.length}`);
  }
  const stored = view.getUint32(layout.checksum, true);
  const computed = crc32(bytes.subarray(0, layout.checksum));
  if (stored !== computed) {
    fail(`checksum mismatch: stored 0x${stored.toString(16)}, computed 0x${computed.toString(16)}`);
  }
  const { flags, units: n, outputDim: o } = header;
  return {
    ...header,
    signs: bytes.subarray(layout.signs, layout.codesU),
    codesU: bytes.subarray(layout.codesU, layout.biasU),
    biasU: flags & FLAG_RNN_BIAS ? floats(bytes, layout.biasU, n, 'bias of U') : null,
    codesV: flags & FLAG_READOUT ? bytes.subarray(layout.codesV, layout.biasV) : null,
    biasV: flags & FLAG_READOUT_BIAS ? floats(bytes, layout.biasV, o, 'bias of V') : null,
  };
}
