/**
 * One halving pass of a sum over rows: out[r, c] = x[r, c] + x[r + half, c] (when that row exists),
 * for r < half = ceil(rows / 2). log2(rows) passes of the one shader reduce [rows, units] to [units];
 * the row count is a uniform, so a new batch size compiles nothing.
 */
import type { GPGPUProgram } from '@tensorflow/tfjs-backend-webgl';

/** Flat [rows, units] in, flat [ceil(rows / 2), units] out. */
export class RowSumProgram implements GPGPUProgram {
  readonly variableNames = ['x'];
  readonly outputShape: number[];
  readonly customUniforms = [
    { name: 'units', type: 'int' as const },
    { name: 'rows', type: 'int' as const },
    { name: 'halfRows', type: 'int' as const },
  ];
  readonly enableShapeUniforms = true;
  readonly packedInputs = false;
  readonly packedOutput = false;
  readonly userCode = `
    void main() {
      int i = getOutputCoords();
      int row = i / units;
      float value = getX(i);
      if (row + halfRows < rows) {
        value += getX(i + halfRows * units);
      }
      setOutput(value);
    }
  `;

  constructor(half: number, units: number) {
    this.outputShape = [half * units];
  }

  static uniformValues(units: number, rows: number, half: number): number[][] {
    return [[units], [rows], [half]];
  }
}
