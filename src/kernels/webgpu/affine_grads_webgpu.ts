import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { int32Uniforms } from './chunk_program';

/**
 * `xᵀ · dy` for x [rows, inDim] and dy [rows, n]: one invocation per output value, each summing
 * over the rows, no workgroup memory and no barrier (tfjs's tiled matMul pays for both, which CPU
 * emulation makes dear when the summed axis is long and the output small).
 */
export class AffineKernelGradProgram implements WebGPUProgram {
  variableNames = ['x', 'dy'];
  uniforms = 'rows : i32, inDim : i32,';
  size = true;
  outputShape: number[];
  shaderKey = 'hadamardAffineKernelGrad';
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [64, 1, 1];

  constructor(inDim: number, n: number) {
    this.outputShape = [inDim, n];
    this.dispatchLayout = { x: [0, 1] };
    this.dispatch = [Math.ceil((inDim * n) / 64), 1, 1];
  }

  /** The uniforms' values for `rows` rows of `inDim` inputs. */
  static uniformValues(rows: number, inDim: number) {
    return int32Uniforms(rows, inDim);
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
