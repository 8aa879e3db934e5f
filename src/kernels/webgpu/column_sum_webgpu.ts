import { int32Uniforms } from './chunk_program';
import { ValueProgram } from './value_program';

/** Sums `rows` rows of `units` values, starting at float `offset` of a flat input: one invocation
 * per unit. */
export class ColumnSumProgram extends ValueProgram {
  variableNames = ['x'];
  uniforms = 'offset : i32, rows : i32,';

  constructor(units: number) {
    super('hadamardColumnSum', [units]);
  }

  /** The uniforms' values for rows starting at `offset`. */
  static uniformValues(offset: number, rows: number) {
    return int32Uniforms(offset, rows);
  }

  getUserCode(): string {
    return `
    fn main(index : i32) {
      if (index < uniforms.size) {
        var sum = 0.0;
        for (var r = 0; r < uniforms.rows; r = r + 1) {
          sum = sum + f32(x[uniforms.offset + r * uniforms.size + index]);
        }
        setOutputAtIndex(index, sum);
      }
    }`;
  }
}
