/**
 * The affine map `x -> x · Q(U) + b` with a quantized kernel: HadamRNN's input projection and
 * QuantizedDense's read-out V are both this, so its arguments, weights and config live here once.
 */
import {
  customGrad,
  fused,
  matMul,
  reshape,
  serialization,
  transpose,
  zeros,
  type GradSaveFunc,
  type Tensor,
  type Tensor2D,
} from '@tensorflow/tfjs-core';
import type { LayerVariable, layers } from '@tensorflow/tfjs-layers';
import { getQuantizer, type Quantizer, type QuantizerIdentifier } from '../quantizers/quantizer';
import { UniformSte } from '../quantizers/uniform_ste';
import { affineWeightGrads } from '../ops/affine_weight_grads';
import { checkBoolean } from '../common/validate';
import { serializeObject, type ObjectIdentifier } from '../common/resolve';
import type { Constraint, Initializer, Regularizer } from '../common/tfjs_bases';
import { resolveConstraint, resolveInitializer, resolveRegularizer } from './resolve';
import { addLayerWeight } from './weights';

/** Arguments of a quantized kernel and its bias, shared by HadamRNN and QuantizedDense. */
export interface QuantizedProjectionArgs {
  /** Whether to add a bias vector. Default true. */
  useBias?: boolean;
  /** Initializer of the latent kernel. Default 'glorotUniform'. */
  kernelInitializer?: ObjectIdentifier<Initializer>;
  /** Initializer of the bias. Default 'zeros'. */
  biasInitializer?: ObjectIdentifier<Initializer>;
  /** Regularizer of the latent kernel. Default none. */
  kernelRegularizer?: ObjectIdentifier<Regularizer> | null;
  /** Regularizer of the bias. Default none. */
  biasRegularizer?: ObjectIdentifier<Regularizer> | null;
  /** Constraint on the latent kernel, applied after every optimizer step. Default none. */
  kernelConstraint?: ObjectIdentifier<Constraint> | null;
  /** Constraint on the bias, applied after every optimizer step. Default none. */
  biasConstraint?: ObjectIdentifier<Constraint> | null;
  /** Quantizer of the kernel in the forward pass. Default `uniformSte` with 4 bits; null keeps
   * full precision. */
  kernelQuantizer?: QuantizerIdentifier | null;
}

/**
 * `x · kernel + bias` along the last axis of x (any rank >= 2) as one fused matMul over the rows
 * of all leading axes, with a gradient that avoids tfjs-wasm's slow paths: its matMul runs
 * `transposeA`/`transposeB` products (the default gradients) on a slower path than a transpose
 * followed by a plain product, and prepares its right operand once per tensor, so a new dy at every step
 * pays that again: at dy [32000, 128] (HadamRNN at batch 32, T = 1000) `matMul(transpose(x), dy)`
 * and `sum(dy, 0)` take 8-9x as long as `affineWeightGrads`, which gives the kernel and bias
 * gradients here (`npm run bench -- wasm_affine_grads`). The reshapes run inside, off the tape:
 * on wasm every tensor the tape saves for a gradient is a copy.
 */
const affine = customGrad((...args: (Tensor | GradSaveFunc)[]) => {
  const [x, kernel, bias, save] = args as [Tensor, Tensor2D, Tensor, GradSaveFunc];
  const [inputDim, units] = kernel.shape;
  const rows = reshape(x, [-1, inputDim]) as Tensor2D;
  save([rows, kernel]);
  const y = fused.matMul({ a: rows, b: kernel, bias });
  return {
    value: reshape(y, [...x.shape.slice(0, -1), units]),
    gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
      const [savedRows, w] = saved as [Tensor2D, Tensor2D];
      const g = reshape(dy as Tensor, [-1, units]) as Tensor2D;
      return [reshape(matMul(g, transpose(w)), x.shape), ...affineWeightGrads(savedRows, g)];
    },
  };
});

/** Config keys of these arguments, in getConfig order. */
export const QUANTIZED_PROJECTION_KEYS = [
  'useBias',
  'kernelInitializer',
  'biasInitializer',
  'kernelRegularizer',
  'biasRegularizer',
  'kernelConstraint',
  'biasConstraint',
  'kernelQuantizer',
] as const;

/** The resolved parts and weights of a quantized affine map. */
export class QuantizedProjection {
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  readonly kernelQuantizer: Quantizer | null;
  kernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;

  constructor(api: string, args: QuantizedProjectionArgs) {
    this.useBias = checkBoolean(api, 'useBias', args.useBias ?? true);
    this.kernelInitializer = resolveInitializer(
      api,
      'kernelInitializer',
      args.kernelInitializer ?? 'glorotUniform',
    );
    this.biasInitializer = resolveInitializer(
      api,
      'biasInitializer',
      args.biasInitializer ?? 'zeros',
    );
    this.kernelRegularizer = resolveRegularizer(api, 'kernelRegularizer', args.kernelRegularizer);
    this.biasRegularizer = resolveRegularizer(api, 'biasRegularizer', args.biasRegularizer);
    this.kernelConstraint = resolveConstraint(api, 'kernelConstraint', args.kernelConstraint);
    this.biasConstraint = resolveConstraint(api, 'biasConstraint', args.biasConstraint);
    this.kernelQuantizer =
      args.kernelQuantizer === undefined
        ? new UniformSte()
        : getQuantizer(args.kernelQuantizer, api, 'kernelQuantizer');
  }

  /** Adds the latent kernel [inputDim, units] to `layer`. */
  addKernel(layer: layers.Layer, inputDim: number, units: number): void {
    this.kernel = addLayerWeight(layer, {
      name: 'kernel',
      shape: [inputDim, units],
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
  }

  /** Adds the bias [units] to `layer` when `useBias`. */
  addBias(layer: layers.Layer, units: number): void {
    if (this.useBias) {
      this.bias = addLayerWeight(layer, {
        name: 'bias',
        shape: [units],
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    }
  }

  /** The kernel as used in the forward pass: quantized unless the quantizer is null. */
  effectiveKernel(): Tensor {
    const latent = this.kernel!.read();
    return this.kernelQuantizer == null ? latent : this.kernelQuantizer.call(latent);
  }

  /** `x · Q(U) + b` along the last axis of `x` (any rank >= 2), one matMul for all leading axes. */
  apply(x: Tensor): Tensor {
    const units = this.kernel!.shape[1] as number;
    const bias = this.bias?.read() ?? zeros([units]);
    return affine(x, this.effectiveKernel(), bias);
  }

  /** The config fields of these arguments, in declaration order. */
  getConfig(): serialization.ConfigDict {
    return {
      useBias: this.useBias,
      kernelInitializer: serializeObject(this.kernelInitializer),
      biasInitializer: serializeObject(this.biasInitializer),
      kernelRegularizer: serializeObject(this.kernelRegularizer),
      biasRegularizer: serializeObject(this.biasRegularizer),
      kernelConstraint: serializeObject(this.kernelConstraint),
      biasConstraint: serializeObject(this.biasConstraint),
      kernelQuantizer: serializeObject(this.kernelQuantizer),
    };
  }
}
