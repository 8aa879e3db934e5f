/**
 * The Walsh-Hadamard butterfly written once in GLSL (`butterflySum`, shared with the packed program
 * of butterfly_packed_gpu.ts), and its unpacked pass: one pass applies `radixLog` consecutive
 * stages (a radix-2^radixLog pass) at a stride given as a uniform, so one compiled shader serves
 * every pass of every block size, batch size and sequence length. This program serves the
 * recurrence kernels, whose epilogues address single values; `HadamardTransform` uses the packed
 * program, which fetches four values per read.
 *
 * Every value is flat-indexed ([rows, units] row-major; sequences [rows, steps, units]) and every
 * size is a uniform, so the program never bakes a shape into its source. Each output texel at column
 * c computes its own row of the radix-R Sylvester block: with d the digit (c / stride) mod R and
 * v_j = x[c - d * stride + j * stride], out = sum_j (-1)^popcount(d & j) v_j, evaluated in the
 * factored form (v_0 ± v_1) ± (v_2 ± v_3) ... with one sign per bit of d (R - 1 additions).
 *
 * A pass may fold a prologue into its reads (multiply by the signs s) and an epilogue into its
 * write (scale, or one step of the recurrence or of its adjoint), so that a step costs no extra
 * elementwise passes.
 */
import { FlatProgram, flatMain, type ProgramUniform } from './flat_program';

/** Applied to each value as it is read. `sign`: multiply by s[column] (input `s`). */
export type ButterflyPrologue = 'none' | 'sign';

/**
 * Applied to the sum before it is written (sum = the butterfly of the reads):
 * - `scale`: scale * sum.
 * - `step` (recurrence forward): mask == 0 ? prev : s * scale * sum + z[t]
 *   (inputs `s`, `mask`, `z`, `prev`).
 * - `carry` (adjoint of a step): (mask == 0 ? prev : scale * sum) + (nextK >= 0 ? dy[nextK] : 0)
 *   (inputs `mask`, `prev`, `dy`).
 * - `ds` (sign gradient, per row): acc + (mask == 0 ? 0 : g * scale * sum) (inputs `mask`, `acc`, `g`).
 */
export type ButterflyEpilogue = 'scale' | 'step' | 'carry' | 'ds';

/** Compile-time choices of a butterfly pass; everything else is a uniform. */
export interface ButterflyVariant {
  /** log2 of the radix: the number of stages this pass applies (0 copies and scales). */
  radixLog: number;
  prologue: ButterflyPrologue;
  epilogue: ButterflyEpilogue;
}

/** Values of the custom uniforms, by name; each variant declares only those it reads. */
export interface ButterflyUniforms {
  /** Values per row (the row length of x, of the output and of every per-row input). */
  units: number;
  /** Distance between the values combined by this pass: the product of earlier passes' radices. */
  stride: number;
  scale: number;
  /** Steps per row of x and the step read (1 and 0 when x is a plain [rows, units] value). */
  xSteps: number;
  xStep: number;
  /** Steps per row of `z`, `dy` and `mask`; the time step `stepT` selects z and mask. */
  steps: number;
  stepT: number;
  /** Processing step of dy added by the `carry` epilogue; negative adds nothing. */
  nextK: number;
}

type UniformName = keyof ButterflyUniforms;

/** Inputs and uniforms each epilogue adds to those of the butterfly itself. */
const EPILOGUES: Record<
  ButterflyEpilogue,
  { inputs: string[]; uniforms: UniformName[]; body: string }
> = {
  scale: { inputs: [], uniforms: [], body: 'setOutput(scale * sum);' },
  step: {
    inputs: ['mask', 'z', 'prev'],
    uniforms: ['steps', 'stepT'],
    body: `
      int zRow = row * steps + stepT;
      if (getMask(zRow) == 0.0) {
        setOutput(getPrev(i));
      } else {
        setOutput(getS(col) * scale * sum + getZ(zRow * units + col));
      }`,
  },
  carry: {
    inputs: ['mask', 'prev', 'dy'],
    uniforms: ['steps', 'stepT', 'nextK'],
    body: `
      float value = getMask(row * steps + stepT) == 0.0 ? getPrev(i) : scale * sum;
      if (nextK >= 0) {
        value += getDy((row * steps + nextK) * units + col);
      }
      setOutput(value);`,
  },
  ds: {
    inputs: ['mask', 'acc', 'g'],
    uniforms: ['steps', 'stepT'],
    body: `
      float term = getMask(row * steps + stepT) == 0.0 ? 0.0 : getG(i) * scale * sum;
      setOutput(getAcc(i) + term);`,
  },
};

/** One radix-2^radixLog pass of the butterfly over a flat output of `size` values. */
export class ButterflyProgram extends FlatProgram {
  readonly variableNames: string[];
  readonly userCode: string;
  readonly customUniforms: Array<ProgramUniform<UniformName>>;

  constructor(size: number, variant: ButterflyVariant) {
    super(size);
    const { radixLog, prologue, epilogue } = variant;
    const extra = EPILOGUES[epilogue];
    const needsS = prologue === 'sign' || epilogue === 'step';
    this.variableNames = ['x', ...(needsS ? ['s'] : []), ...extra.inputs];
    const names: UniformName[] = ['units', 'stride', 'scale', 'xSteps', 'xStep', ...extra.uniforms];
    this.customUniforms = names.map((name) => ({
      name,
      type: name === 'scale' ? 'float' : 'int',
    }));
    const radix = 2 ** radixLog;
    const read = (j: number) => {
      const index = `base + ${j} * stride`;
      return prologue === 'sign'
        ? `getX(${index}) * getS(colBase + ${j} * stride)`
        : `getX(${index})`;
    };
    this.userCode = flatMain(`
        int row = i / units;
        int col = i - row * units;
        int digit = imod(col / stride, ${radix});
        int colBase = col - digit * stride;
        int base = (row * xSteps + xStep) * units + colBase;
        ${butterflySum(radixLog, read)}
        ${extra.body}`);
  }

  /** The uniform values in this variant's declaration order, as `runWebGLProgram` takes them. */
  uniformValues(values: ButterflyUniforms): number[][] {
    return this.customUniforms.map(({ name }) => [values[name]]);
  }
}

/** How `butterflySum` writes its values and signs. */
export interface ButterflySumOptions {
  /** GLSL type of the values: `vec4` runs four lanes that share one digit. Default `float`. */
  type?: 'float' | 'vec4';
  /**
   * Read the digit's bits with shifts and masks (GLSL ES 3.00, WebGL2) instead of integer
   * divisions, which software renderers such as SwiftShader run lane by lane. Default false.
   */
  bitwise?: boolean;
}

/**
 * GLSL computing `sum`, row `digit` of the Sylvester matrix of order 2^radixLog times the values
 * `read(0..R-1)`: level l combines pairs as a + sign_l * b, sign_l = (-1)^(bit l of digit).
 */
export function butterflySum(
  radixLog: number,
  read: (j: number) => string,
  { type = 'float', bitwise = false }: ButterflySumOptions = {},
): string {
  const lines: string[] = [];
  let level = Array.from({ length: 2 ** radixLog }, (_, j) => {
    lines.push(`${type} v0_${j} = ${read(j)};`);
    return `v0_${j}`;
  });
  for (let l = 0; l < radixLog; l++) {
    lines.push(
      bitwise
        ? `float sign${l} = float(1 - 2 * ((digit >> ${l}) & 1));`
        : `float sign${l} = imod(digit / ${2 ** l}, 2) == 0 ? 1.0 : -1.0;`,
    );
    const next: string[] = [];
    for (let k = 0; k < level.length / 2; k++) {
      const name = `v${l + 1}_${k}`;
      lines.push(`${type} ${name} = ${level[2 * k]} + sign${l} * ${level[2 * k + 1]};`);
      next.push(name);
    }
    level = next;
  }
  lines.push(`${type} sum = ${level[0]};`);
  return lines.join('\n        ');
}
