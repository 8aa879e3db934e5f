/**
 * The quantizer base class and its resolver. A quantizer maps a latent float weight to its
 * quantized value in the forward pass and passes gradients straight through (STE), as in larq.
 */
import { serialization, type Tensor } from '@tensorflow/tfjs-core';
import { resolveOptional, type ObjectIdentifier } from '../common/resolve';

/** A serializable quantizer: `call` returns the quantized weight, differentiable by an STE. */
export abstract class Quantizer extends serialization.Serializable {
  /** Bits per quantized value (1 for a sign, p for a p-bit uniform quantizer). */
  abstract readonly precision: number;
  /** The quantized value of `x`; gradients pass straight through. */
  abstract call(x: Tensor): Tensor;
}

/** A quantizer, its identifier ('signSte', 'uniformSte') or its serialized {className, config}. */
export type QuantizerIdentifier = ObjectIdentifier<Quantizer>;

/**
 * Resolves a quantizer identifier; null and undefined give null (no quantization). `api` and
 * `argName` name the caller in error messages.
 *
 * ```js
 * getQuantizer('uniformSte');                                            // 4 bits
 * getQuantizer({className: 'HadamUniformSte', config: {bits: 2}});
 * ```
 */
export function getQuantizer(
  identifier: QuantizerIdentifier | null | undefined,
  api = 'getQuantizer',
  argName = 'quantizer',
): Quantizer | null {
  return resolveOptional(api, argName, identifier, Quantizer);
}
