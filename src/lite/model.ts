/** The lite runtime's model: HadamRNN, then an optional quantized read-out, on plain arrays. */
import { activate } from './activations';
import { fwhtBlocks } from './butterfly';
import {
  FLAG_GO_BACKWARDS,
  FLAG_READOUT,
  FLAG_RETURN_SEQUENCES,
  type ActivationName,
} from './format';
import { packedAffine, type PackedMatrix } from './packed_affine';
import { readBitsFile, type BitsFile } from './read_bits';

/**
 * A HadamRNN model read from a `bits` file, run in float64 without tfjs:
 * `h_t = s ⊙ FWHT_b(h_{t-1}) / sqrt(b) + x_t · Q(U) + b_U`, `y_t = act(h_t)`, then with a read-out
 * `act_V(y_t · Q(V) + b_V)`. Q(U) and Q(V) are applied from their packed codes.
 */
export class LiteModel {
  /** Size of each input step. */
  readonly inputDim: number;
  /** Size of each output: the read-out's units, or the HadamRNN's without a read-out. */
  readonly outputDim: number;
  /** Size n of the state. */
  readonly units: number;
  /** Block size b of the recurrent matrix. */
  readonly blockSize: number;
  /** Whether `predict` returns every step's output (else the last step's). */
  readonly returnSequences: boolean;
  /** Whether `predict` reads the sequence from its last step to its first. */
  readonly goBackwards: boolean;
  private readonly signs: Float64Array;
  private readonly u: PackedMatrix;
  private readonly biasU: Float32Array | null;
  private readonly v: PackedMatrix | null;
  private readonly biasV: Float32Array | null;
  private readonly rnnActivation: ActivationName;
  private readonly readoutActivation: ActivationName;
  /** The streaming state h of `step`. */
  private readonly state: Float64Array;
  private readonly scratch: Float64Array;

  constructor(file: BitsFile) {
    const n = file.units;
    this.inputDim = file.inputDim;
    this.units = n;
    this.blockSize = file.blockSize;
    this.outputDim = file.flags & FLAG_READOUT ? file.outputDim : n;
    this.returnSequences = (file.flags & FLAG_RETURN_SEQUENCES) !== 0;
    this.goBackwards = (file.flags & FLAG_GO_BACKWARDS) !== 0;
    // s / sqrt(b) folded into one vector: W h = (s / sqrt(b)) ⊙ S_b h.
    const norm = 1 / Math.sqrt(file.blockSize);
    this.signs = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      this.signs[i] = (file.signs[i >>> 3] >>> (i & 7)) & 1 ? norm : -norm;
    }
    this.u = {
      codes: file.codesU,
      rows: file.inputDim,
      cols: n,
      bits: file.bitsU,
      scale: file.scaleU,
    };
    this.biasU = file.biasU;
    this.v =
      file.codesV == null
        ? null
        : {
            codes: file.codesV,
            rows: n,
            cols: file.outputDim,
            bits: file.bitsV,
            scale: file.scaleV,
          };
    this.biasV = file.biasV;
    this.rnnActivation = file.rnnActivation;
    this.readoutActivation = file.readoutActivation;
    this.state = new Float64Array(n);
    this.scratch = new Float64Array(n);
  }

  /**
   * Runs one sequence from a zero state. `x` holds `steps` rows of `inputDim` values. Returns
   * `[steps, outputDim]` (every step, in processing order) when the source model returned
   * sequences, else `[outputDim]` for the last step. The streaming state is left untouched.
   */
  predict(x: ArrayLike<number>, steps: number): Float32Array {
    if (!(Number.isInteger(steps) && steps >= 1)) {
      throw new Error(`LiteModel.predict: steps must be a positive integer, got ${steps}`);
    }
    checkInput('LiteModel.predict', x, steps * this.inputDim, `steps (${steps}) × inputDim`);
    const d = this.inputDim;
    const h = new Float64Array(this.units);
    const out = new Float32Array((this.returnSequences ? steps : 1) * this.outputDim);
    for (let k = 0; k < steps; k++) {
      const t = this.goBackwards ? steps - 1 - k : k;
      const row = ArrayBuffer.isView(x)
        ? (x as Float32Array).subarray(t * d, (t + 1) * d)
        : Array.prototype.slice.call(x, t * d, (t + 1) * d);
      // Without returnSequences only the last step's output is computed.
      const y = this.advance(h, row, this.returnSequences || k === steps - 1);
      if (y != null) {
        out.set(y, this.returnSequences ? k * this.outputDim : 0);
      }
    }
    return out;
  }

  /**
   * Feeds one time step `x_t` [inputDim] to the streaming state and returns this step's output
   * [outputDim], as the source model would output it at this step. Start over with `reset`.
   */
  step(x: ArrayLike<number>): Float32Array {
    if (this.goBackwards) {
      throw new Error(
        'LiteModel.step: the model reads its sequences backwards (goBackwards); use predict',
      );
    }
    checkInput('LiteModel.step', x, this.inputDim, 'inputDim');
    return Float32Array.from(this.advance(this.state, x, true)!);
  }

  /** Sets the streaming state of `step` back to zeros. */
  reset(): void {
    this.state.fill(0);
  }

  /** One step of the recurrence on `h` (in place); returns the step's output when `output`. */
  private advance(h: Float64Array, x: ArrayLike<number>, output: boolean): Float64Array | null {
    const z = this.scratch;
    packedAffine(x, this.u, this.biasU, z);
    fwhtBlocks(h, this.blockSize);
    for (let i = 0; i < h.length; i++) h[i] = this.signs[i] * h[i] + z[i];
    if (!output) return null;
    const y = Float64Array.from(h);
    activate(this.rnnActivation, y);
    if (this.v == null) {
      return y;
    }
    const out = new Float64Array(this.outputDim);
    packedAffine(y, this.v, this.biasV, out);
    activate(this.readoutActivation, out);
    return out;
  }
}

function checkInput(api: string, x: ArrayLike<number>, length: number, rule: string): void {
  if (x == null || typeof x.length !== 'number') {
    throw new Error(`${api}: x must be a Float32Array or an array of numbers, got ${String(x)}`);
  }
  if (x.length !== length) {
    throw new Error(`${api}: x must hold ${rule} = ${length} values, got ${x.length}`);
  }
}

/**
 * Reads a HadamRNN `bits` file (written by `exportModel(model, dir, {format: 'bits'})` or
 * `tfjs-hadamrnn export --format bits`) and returns a model that runs it, with no dependency.
 * Malformed files (wrong magic, version or checksum, truncated, inconsistent sizes, non-finite
 * biases) are refused with an Error naming the problem.
 *
 * ```js
 * import { loadModel } from 'tfjs-hadamrnn/lite';
 * const model = loadModel(new Uint8Array(await (await fetch('model.hrnn')).arrayBuffer()));
 * const y = model.predict(x, steps);        // or model.step(x_t) per step, model.reset()
 * ```
 */
export function loadModel(bytes: Uint8Array | ArrayBuffer): LiteModel {
  return new LiteModel(readBitsFile(bytes));
}
