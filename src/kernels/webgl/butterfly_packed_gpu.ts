/**
 * The butterfly over tfjs's packed layout: a texel holds a 2 x 2 block of a [rows, n] matrix
 * ([r, c], [r, c + 1], [r + 1, c], [r + 1, c + 1], c even), so one fetch brings four values, two
 * per row. The first stage (pairs c, c + 1) stays inside each texel; every later stage pairs texel
 * columns, so a radix-2^radixLog pass fetches 2^radixLog texels per four outputs, a quarter of the
 * unpacked program's reads. Same factored butterfly (`butterflySum`) on vec4 lanes; the stride (in
 * texel columns), the scale and whether this pass applies the in-texel stage are uniforms.
 */
import type { GPGPUProgram } from '@tensorflow/tfjs-backend-webgl';
import { butterflySum } from './butterfly_gpu';

/** One pass over packed [rows, n] (n even; blocks of at least 2 columns). */
export class PackedButterflyProgram implements GPGPUProgram {
  readonly variableNames = ['x'];
  readonly outputShape: number[];
  readonly userCode: string;
  readonly customUniforms = [
    { name: 'stride', type: 'int' as const },
    { name: 'scale', type: 'float' as const },
    { name: 'inTexel', type: 'int' as const },
  ];
  readonly enableShapeUniforms = true;
  readonly packedInputs = true;
  readonly packedOutput = true;

  constructor(rows: number, units: number, radixLog: number) {
    this.outputShape = [rows, units];
    const read = (j: number) => `inTexelStage(getX(row, colBase + ${2 * j} * stride))`;
    this.userCode = `
      vec4 inTexelStage(vec4 a) {
        return inTexel == 1 ? vec4(a.x + a.y, a.x - a.y, a.z + a.w, a.z - a.w) : a;
      }

      void main() {
        ivec2 rc = getOutputCoords();
        int row = rc.x;
        int texelCol = rc.y / 2;
        int digit = imod(texelCol / stride, ${2 ** radixLog});
        int colBase = (texelCol - digit * stride) * 2;
        ${butterflySum(radixLog, read, 'vec4')}
        setOutput(scale * sum);
      }
    `;
  }

  /** Uniform values in declaration order. */
  static uniformValues(stride: number, scale: number, inTexel: boolean): number[][] {
    return [[stride], [scale], [inTexel ? 1 : 0]];
  }
}
