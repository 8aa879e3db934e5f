/**
 * The full-precision orthogonal RNN baseline ("oRNN"): the same architecture as HadamRNN (linear
 * state, ReLU outputs, one input matMul for all steps) with a dense orthogonal recurrent matrix
 * `W = expm(A)`, `A = X − Xᵀ` skew-symmetric, trained through the latent X. The exponential map
 * keeps W exactly orthogonal (up to float rounding) whatever X is, the parametrisation of
 * Lezcano-Casado & Martínez-Rubio (ICML 2019, expRNN), which the HadamRNN paper compares against.
 */
import {
  add,
  div,
  eye,
  matMul,
  relu,
  reshape,
  scalar,
  serialization,
  stack,
  sub,
  tidy,
  transpose,
  unstack,
  zeros,
  tensor2d,
  type Tensor,
  type Tensor2D,
} from '@tensorflow/tfjs-core';
import { initializers, layers, type LayerVariable } from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';
import { Random } from '../random';

/** Taylor terms of the scaled exponential; with ‖A/2^s‖_F ≤ 1/2 the truncation error is
 * below 0.5^13 / 13! ≈ 2e-14, far under float32 rounding. */
const TAYLOR_TERMS = 12;

/**
 * The matrix exponential of a square matrix by scaling and squaring: `expm(A) = E(A/2^s)^(2^s)`,
 * with E the degree-12 Taylor polynomial (Horner form) and s chosen from ‖A‖_F. Differentiable
 * with tfjs's own gradients (only matMul, add and div). Reads ‖A‖_F synchronously to pick s.
 */
export function expm(a: Tensor2D): Tensor2D {
  return tidy(() => {
    const n = a.shape[0];
    const values = a.dataSync();
    let norm = 0;
    for (let i = 0; i < values.length; i++) {
      norm += values[i] * values[i];
    }
    const squarings = Math.max(0, Math.ceil(Math.log2(Math.sqrt(norm) * 2)));
    const scaled = div(a, scalar(2 ** squarings)) as Tensor2D;
    const identity = eye(n);
    let result: Tensor2D = identity;
    for (let k = TAYLOR_TERMS; k >= 1; k--) {
      result = add(identity, div(matMul(scaled, result), scalar(k))) as Tensor2D;
    }
    for (let i = 0; i < squarings; i++) {
      result = matMul(result, result);
    }
    return result;
  });
}

/** Arguments of {@link OrthogonalRNN}. */
export interface OrthogonalRNNArgs extends LayerArgs {
  /** Size of the state, a positive even integer. Required. */
  units: number;
  /** Whether to output every step ([batch, T, units]) or only the last ([batch, units]).
   * Default false. */
  returnSequences?: boolean;
  /** Seed of the initial weights. Default 0. */
  seed?: number;
}

/**
 * `h_t = W h_{t−1} + U x_t + b` with W = expm(X − Xᵀ) orthogonal, outputs `relu(h_t)`.
 * Weights: `kernel` [inputDim, units] (U), `recurrent_kernel` [units, units] (latent X), `bias`.
 * X starts as Henaff et al.'s (2016) init: 2×2 rotation blocks with angles uniform in [−π, π].
 */
export class OrthogonalRNN extends layers.Layer {
  static readonly className = 'HadamCliOrthogonalRNN';
  readonly units: number;
  readonly returnSequences: boolean;
  readonly seed: number;
  private kernel: LayerVariable | null = null;
  private recurrentKernel: LayerVariable | null = null;
  private bias: LayerVariable | null = null;

  constructor(args: OrthogonalRNNArgs) {
    super(args);
    if (!(Number.isInteger(args.units) && args.units >= 2 && args.units % 2 === 0)) {
      throw new Error(`OrthogonalRNN: units must be a positive even integer, got ${args.units}`);
    }
    this.units = args.units;
    this.returnSequences = args.returnSequences ?? false;
    this.seed = args.seed ?? 0;
  }

  override build(inputShape: (number | null)[] | (number | null)[][]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as number[];
    const inputDim = shape[shape.length - 1];
    const n = this.units;
    this.kernel = this.addWeight(
      'kernel',
      [inputDim, n],
      'float32',
      initializers.glorotUniform({ seed: this.seed }),
    );
    this.recurrentKernel = this.addWeight(
      'recurrent_kernel',
      [n, n],
      'float32',
      initializers.zeros(),
    );
    this.bias = this.addWeight('bias', [n], 'float32', initializers.zeros());
    const angles = new Float32Array(n * n);
    const random = new Random(this.seed + 1);
    for (let i = 0; i < n; i += 2) {
      angles[i * n + i + 1] = (2 * random.next() - 1) * Math.PI;
    }
    this.recurrentKernel.write(tensor2d(angles, [n, n]));
    this.built = true;
  }

  /** The orthogonal recurrent matrix W = expm(X − Xᵀ). */
  recurrentMatrix(): Tensor2D {
    return tidy(() => {
      const x = this.recurrentKernel!.read() as Tensor2D;
      return expm(sub(x, transpose(x)));
    });
  }

  override computeOutputShape(inputShape: (number | null)[]): (number | null)[] {
    return this.returnSequences
      ? [inputShape[0], inputShape[1], this.units]
      : [inputShape[0], this.units];
  }

  override call(inputs: Tensor | Tensor[], _kwargs: Kwargs): Tensor {
    return tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const [batch, steps, inputDim] = x.shape;
      const z = reshape(
        add(matMul(reshape(x, [-1, inputDim]), this.kernel!.read()), this.bias!.read()),
        [batch, steps, this.units],
      );
      // Row-vector convention: h_t = h_{t-1} Wᵀ; Wᵀ is as orthogonal as W.
      const w = this.recurrentMatrix();
      const inputsPerStep = unstack(z, 1) as Tensor2D[];
      let h: Tensor2D = zeros([batch, this.units]);
      const outputs: Tensor[] = [];
      for (const zt of inputsPerStep) {
        h = add(matMul(h, w, false, true), zt);
        if (this.returnSequences) {
          outputs.push(relu(h));
        }
      }
      if (steps === 0) {
        return zeros(this.returnSequences ? [batch, 0, this.units] : [batch, this.units]);
      }
      return this.returnSequences ? stack(outputs, 1) : relu(h);
    });
  }

  override getConfig(): serialization.ConfigDict {
    return {
      ...super.getConfig(),
      units: this.units,
      returnSequences: this.returnSequences,
      seed: this.seed,
    };
  }
}
serialization.registerClass(OrthogonalRNN);
