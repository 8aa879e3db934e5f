/**
 * One halving pass of a sum over rows: out[r, c] = x[r, c] + x[r + half, c] (when that row exists),
 * for r < half = ceil(rows / 2). log2(rows) passes of the one shader reduce [rows, units] to [units];
 * the row count is a uniform, so a new batch size compiles nothing.
 */
import { FlatProgram, flatMain, intUniforms } from './flat_program';

/** Flat [rows, units] in, flat [ceil(rows / 2), units] out. */
export class RowSumProgram extends FlatProgram {
  readonly variableNames = ['x'];
  readonly customUniforms = intUniforms('units', 'rows', 'halfRows');
  readonly userCode = flatMain(`
      int row = i / units;
      float value = getX(i);
      if (row + halfRows < rows) {
        value += getX(i + halfRows * units);
      }
      setOutput(value);`);

  constructor(half: number, units: number) {
    super(half * units);
  }

  static uniformValues(units: number, rows: number, half: number): number[][] {
    return [[units], [rows], [half]];
  }
}
