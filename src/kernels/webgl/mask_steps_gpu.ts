/**
 * Zeroes the masked steps of a [rows, steps, units] sequence (flat): out = mask[row, step] == 0 ?
 * 0 : x. A select, not a product, so that a carried NaN or Inf still yields an exact 0.
 */
import { FlatProgram, flatMain, intUniforms } from './flat_program';

/** Inputs `x` (flat [rows, steps, units]) and `mask` (flat [rows, steps]). */
export class MaskStepsProgram extends FlatProgram {
  readonly variableNames = ['x', 'mask'];
  readonly customUniforms = intUniforms('units');
  readonly userCode = flatMain(`
      int rowStep = i / units;
      setOutput(getMask(rowStep) == 0.0 ? 0.0 : getX(i));`);

  static uniformValues(units: number): number[][] {
    return [[units]];
  }
}
