/**
 * The butterfly over tfjs's packed layout: a texel holds a 2 x 2 block of a [rows, n] matrix
 * ([r, c], [r, c + 1], [r + 1, c], [r + 1, c + 1], c even), so one fetch brings four values, two
 * per row. The first stage (pairs c, c + 1) stays inside each texel; every later stage pairs texel
 * columns, so a radix-2^radixLog pass fetches 2^radixLog texels per four outputs, a quarter of the
 * unpacked program's reads. Same factored butterfly (`butterflySum`) on vec4 lanes.
 *
 * Texel fetches dominate the cost under software rendering (SwiftShader), so a pass does nothing
 * per read but the fetch: the in-texel stage, linear and lane-wise, is applied once to the sum of
 * the first pass rather than to each read, and on WebGL2 the digit is taken with shifts and masks
 * (integer division runs lane by lane there). Only the stride and the scale are uniforms.
 *
 * Row-pair textures: when input and output textures are both laid out as [ceil(rows / 2), n / 2]
 * texels (tfjs's layout for a 2-D [rows, n] that fits one texture, whatever the batch), the texels
 * a fragment reads lie on its own texture row, `stride` texels apart. Such a pass (WebGL2) reads at
 * its own texture coordinate shifted by multiples of one uniform step, instead of converting each
 * (row, column) to a coordinate as tfjs's sampler does: 15-20% less CPU per transform at n = 512,
 * batch 64 under SwiftShader (docs/benchmarks.md).
 */
import type { GPGPUProgram } from '@tensorflow/tfjs-backend-webgl';
import { butterflySum } from './butterfly_gpu';

/** Compile-time choices of a packed pass; the stride and the scale are uniforms. */
export interface PackedButterflyVariant {
  /** log2 of the radix: the texel-column stages of this pass (0: the in-texel stage only). */
  radixLog: number;
  /** Apply the in-texel stage (pairs c, c + 1): true on the first pass only. */
  inTexel: boolean;
  /** Index with shifts and masks (WebGL2) instead of integer division (WebGL1). */
  bitwise: boolean;
  /**
   * Read by texture coordinate steps (input and output are row-pair textures; WebGL2 only)
   * instead of tfjs's `getX(row, column)`. Default false.
   */
  rowPairs?: boolean;
}

/** One pass over packed [rows, n] (n even; blocks of at least 2 columns). */
export class PackedButterflyProgram implements GPGPUProgram {
  readonly variableNames = ['x'];
  readonly outputShape: number[];
  readonly userCode: string;
  /**
   * `strideLog` (bitwise) or `stride`: texel columns between the texels combined; `du` (row-pair
   * reads): that stride in texture coordinates; `scale`.
   */
  readonly customUniforms: Array<{ name: string; type: 'int' | 'float' }>;
  readonly enableShapeUniforms = true;
  readonly packedInputs = true;
  readonly packedOutput = true;
  private readonly bitwise: boolean;
  private readonly rowPairs: boolean;
  private readonly units: number;

  constructor(rows: number, units: number, variant: PackedButterflyVariant) {
    const { radixLog, inTexel, bitwise } = variant;
    const rowPairs = variant.rowPairs === true;
    if (rowPairs && !bitwise) {
      throw new Error('webgl PackedButterflyProgram: row-pair reads need WebGL2 (bitwise)');
    }
    this.outputShape = [rows, units];
    this.bitwise = bitwise;
    this.rowPairs = rowPairs;
    this.units = units;
    this.customUniforms = [
      { name: bitwise ? 'strideLog' : 'stride', type: 'int' },
      ...(rowPairs ? [{ name: 'du', type: 'float' as const }] : []),
      { name: 'scale', type: 'float' },
    ];
    const radix = 2 ** radixLog;
    let index: string;
    let read: (j: number) => string;
    if (rowPairs) {
      // resultUV is this fragment's texel centre in the output, and so in the input.
      index = `int digit = (int(gl_FragCoord.x) >> strideLog) & ${radix - 1};
        vec2 uv0 = vec2(resultUV.x - float(digit) * du, resultUV.y);`;
      read = (j) => (j === 0 ? 'texture(x, uv0)' : `texture(x, vec2(uv0.x + ${j}.0 * du, uv0.y))`);
    } else {
      index = bitwise
        ? `ivec2 rc = getOutputCoords();
        int texelCol = rc.y >> 1;
        int stride = 1 << strideLog;
        int digit = (texelCol >> strideLog) & ${radix - 1};
        int colBase = (texelCol - (digit << strideLog)) << 1;`
        : `ivec2 rc = getOutputCoords();
        int texelCol = rc.y / 2;
        int digit = imod(texelCol / stride, ${radix});
        int colBase = (texelCol - digit * stride) * 2;`;
      read = (j) => `getX(rc.x, colBase + ${2 * j} * stride)`;
    }
    // Lanes (x, y) and (z, w) are the pairs c, c + 1 of rows r and r + 1.
    const result = inTexel ? '(sum.xxzz + sum.yyww * vec4(1.0, -1.0, 1.0, -1.0))' : 'sum';
    this.userCode = `
      void main() {
        ${index}
        ${butterflySum(radixLog, read, { type: 'vec4', bitwise })}
        setOutput(scale * ${result});
      }
    `;
  }

  /**
   * Uniform values in declaration order.
   *
   * @param stride Texel columns between the texels this pass combines (a power of two).
   * @param scale Factor applied to the output (the normalization, on the last pass).
   */
  uniformValues(stride: number, scale: number): number[][] {
    return [
      [this.bitwise ? Math.log2(stride) : stride],
      ...(this.rowPairs ? [[stride / (this.units / 2)]] : []),
      [scale],
    ];
  }
}
