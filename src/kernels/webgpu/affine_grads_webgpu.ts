import { ValueProgram } from './value_program';

/**
 * `xᵀ · dy` for x [rows, inDim] and dy [rows, n], each output value summed over the rows by one
 * invocation (tfjs's tiled matMul shares tiles through workgroup memory and barriers, which CPU
 * emulation makes dear when the summed axis is long and the output small).
 */
export class AffineKernelGradProgram extends ValueProgram {
  variableNames = ['x', 'dy'];
  /** Set with int32Uniforms(rows, inDim). */
  uniforms = 'rows : i32, inDim : i32,';

  constructor(inDim: number, n: number) {
    super('hadamardAffineKernelGrad', [inDim, n]);
  }

  getUserCode(): string {
    return `
    fn main(index : i32) {
      if (index < uniforms.size) {
        let n = uniforms.size / uniforms.inDim;
        let c = index / n;
        let j = index % n;
        var sum = 0.0;
        for (var r = 0; r < uniforms.rows; r = r + 1) {
          sum = sum + f32(x[r * uniforms.inDim + c]) * f32(dy[r * n + j]);
        }
        setOutputAtIndex(index, sum);
      }
    }`;
  }
}
