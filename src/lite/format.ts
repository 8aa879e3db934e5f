/**
 * The `bits` file of a HadamRNN model: the paper's size count made real. Layout constants, the
 * section sizes and the checksum live here once, for the exporter that writes the file and the
 * lite runtime that reads it. docs/publishing.md draws the byte layout.
 *
 * All numbers are little-endian. Header (36 bytes), then the sections, then a CRC-32 of every
 * byte before it:
 *
 * | offset | type    | field                                                        |
 * | ------ | ------- | ------------------------------------------------------------ |
 * | 0      | 4 bytes | magic `HRNN`                                                 |
 * | 4      | u8      | version (1)                                                  |
 * | 5      | u8      | flags (FLAG_*)                                               |
 * | 6      | u8      | activation of the HadamRNN outputs (ACTIVATIONS index)       |
 * | 7      | u8      | activation of the read-out (0 without one)                   |
 * | 8      | u32     | units n                                                      |
 * | 12     | u32     | block size b                                                 |
 * | 16     | u32     | input dim d                                                  |
 * | 20     | u32     | output dim o of the read-out (0 without one)                 |
 * | 24     | u8      | bits of U                                                    |
 * | 25     | u8      | bits of V (0 without a read-out)                             |
 * | 26     | u16     | reserved, 0                                                  |
 * | 28     | f32     | scale of U (its quantization step alpha / 2^(p-1))          |
 * | 32     | f32     | scale of V (0 without a read-out)                            |
 *
 * Sections: signs of u (1 bit per unit, 1 = +1), U codes ([d, n] row-major, p bits each),
 * U's bias (n f32, with FLAG_RNN_BIAS), V codes ([n, o], with FLAG_READOUT), V's bias (o f32, with
 * FLAG_READOUT_BIAS). Packed sections are padded to a whole byte. Value k of a packed section sits
 * at bits [k·p, (k+1)·p), least significant bit first; a code c stands for (c - 2^(p-1)) · scale.
 */

/** `HRNN` in ASCII. */
export const MAGIC = [0x48, 0x52, 0x4e, 0x4e] as const;
/** The format version this code writes and reads. */
export const VERSION = 1;
/** Bytes of the fixed header. */
export const HEADER_BYTES = 36;
/** Bytes of the trailing checksum. */
export const CHECKSUM_BYTES = 4;

/** The HadamRNN reads its sequence from the last step to the first. */
export const FLAG_GO_BACKWARDS = 1;
/** The model returns an output at every step, not only the last. */
export const FLAG_RETURN_SEQUENCES = 2;
/** The HadamRNN has a bias. */
export const FLAG_RNN_BIAS = 4;
/** A quantized read-out V follows the HadamRNN. */
export const FLAG_READOUT = 8;
/** The read-out has a bias. */
export const FLAG_READOUT_BIAS = 16;
/** Every flag this version knows. */
export const KNOWN_FLAGS = 31;

/** Activations a bits file can name, by their index. */
export const ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax'] as const;
/** One of {@link ACTIVATIONS}. */
export type ActivationName = (typeof ACTIVATIONS)[number];

/** Largest units, input or output dim accepted: 2^24, as the layers. */
export const MAX_DIM = 2 ** 24;
/** Largest bits per code. */
export const MAX_BITS = 16;

/** What the header says. */
export interface BitsHeader {
  flags: number;
  rnnActivation: ActivationName;
  readoutActivation: ActivationName;
  units: number;
  blockSize: number;
  inputDim: number;
  /** Outputs of the read-out; 0 without one. */
  outputDim: number;
  bitsU: number;
  /** 0 without a read-out. */
  bitsV: number;
  scaleU: number;
  scaleV: number;
}

/** Byte offsets of the sections of a file with this header, and its total length. */
export interface BitsLayout {
  signs: number;
  codesU: number;
  biasU: number;
  codesV: number;
  biasV: number;
  checksum: number;
  total: number;
}

/** Bytes of `count` values of `bits` bits, packed and padded to a whole byte. */
export function packedBytes(count: number, bits: number): number {
  return Math.ceil((count * bits) / 8);
}

/** Where each section of a file with `header` starts, and its length in bytes. */
export function bitsLayout(header: BitsHeader): BitsLayout {
  const { units: n, inputDim: d, outputDim: o, flags } = header;
  const signs = HEADER_BYTES;
  const codesU = signs + packedBytes(n, 1);
  const biasU = codesU + packedBytes(d * n, header.bitsU);
  const codesV = biasU + (flags & FLAG_RNN_BIAS ? 4 * n : 0);
  const biasV = codesV + (flags & FLAG_READOUT ? packedBytes(n * o, header.bitsV) : 0);
  const checksum = biasV + (flags & FLAG_READOUT_BIAS ? 4 * o : 0);
  return { signs, codesU, biasU, codesV, biasV, checksum, total: checksum + CHECKSUM_BYTES };
}

let crcTable: Uint32Array | null = null;

/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) of `bytes`, as zlib computes it. */
export function crc32(bytes: Uint8Array): number {
  if (crcTable == null) {
    crcTable = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) {
        c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      }
      crcTable[i] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) {
    crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Code k of a packed section (`bits` bits each, least significant bit first). */
export function codeAt(packed: Uint8Array, k: number, bits: number): number {
  const bit = k * bits;
  const i = bit >>> 3;
  // Three bytes hold any code of up to 16 bits; reads past the end give undefined, which | makes 0.
  const word = packed[i] | (packed[i + 1] << 8) | (packed[i + 2] << 16);
  return (word >>> (bit & 7)) & ((1 << bits) - 1);
}
