/**
 * What the unpacked programs of this backend share: one float per texel, values addressed by their
 * flat index (`int i = getOutputCoords();`), and every size a uniform (tfjs's shape uniforms and
 * our int uniforms), so that one compiled shader serves every batch size, sequence length and unit
 * count.
 */
import type { GPGPUProgram } from '@tensorflow/tfjs-backend-webgl';

/** A custom uniform as tfjs's `GPGPUProgram.customUniforms` lists it. */
export interface ProgramUniform<Name extends string = string> {
  name: Name;
  type: 'int' | 'float';
}

/** Base of the unpacked programs over a flat output of `size` values. */
export abstract class FlatProgram implements GPGPUProgram {
  abstract readonly variableNames: string[];
  abstract readonly userCode: string;
  abstract readonly customUniforms: ProgramUniform[];
  readonly outputShape: number[];
  readonly enableShapeUniforms = true;
  readonly packedInputs = false;
  readonly packedOutput = false;

  constructor(size: number) {
    this.outputShape = [size];
  }
}

/** Declarations of int uniforms named `names`. */
export function intUniforms<Name extends string>(...names: Name[]): Array<ProgramUniform<Name>> {
  return names.map((name) => ({ name, type: 'int' }));
}

/** A `main` that sets `i`, the flat index of the value written, then runs `body`. */
export function flatMain(body: string): string {
  return `
    void main() {
      int i = getOutputCoords();
      ${body}
    }
  `;
}
