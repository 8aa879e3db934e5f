import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { int32Uniforms } from './chunk_program';

/** Sums `rows` rows of `units` values, starting at float `offset` of a flat input: one invocation
 * per unit. */
export class ColumnSumProgram implements WebGPUProgram {
  variableNames = ['x'];
  uniforms = 'offset : i32, rows : i32,';
  size = true;
  outputShape: number[];
  shaderKey = 'hadamardColumnSum';
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [64, 1, 1];

  constructor(units: number) {
    this.outputShape = [units];
    this.dispatchLayout = { x: [0] };
    this.dispatch = [Math.ceil(units / 64), 1, 1];
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
