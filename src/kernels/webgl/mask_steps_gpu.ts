/**
 * Zeroes the masked steps of a [rows, steps, units] sequence (flat): out = mask[row, step] == 0 ?
 * 0 : x. A select, not a product, so that a carried NaN or Inf still yields an exact 0.
 */
import type { GPGPUProgram } from '@tensorflow/tfjs-backend-webgl';

/** Inputs `x` (flat [rows, steps, units]) and `mask` (flat [rows, steps]). */
export class MaskStepsProgram implements GPGPUProgram {
  readonly variableNames = ['x', 'mask'];
  readonly outputShape: number[];
  readonly customUniforms = [{ name: 'units', type: 'int' as const }];
  readonly enableShapeUniforms = true;
  readonly packedInputs = false;
  readonly packedOutput = false;
  readonly userCode = `
    void main() {
      int i = getOutputCoords();
      int rowStep = i / units;
      setOutput(getMask(rowStep) == 0.0 ? 0.0 : getX(i));
    }
  `;

  constructor(size: number) {
    this.outputShape = [size];
  }

  static uniformValues(units: number): number[][] {
    return [[units]];
  }
}
