/**
 * Concatenates up to 8 runs of steps along the step axis: inputs [rows, steps_j, units] (flat),
 * output [rows, total, units] (flat). Every input but the last holds `size` steps and the last
 * (input `count - 1`) holds the rest. The input count and every size are uniforms and unused
 * inputs are bound to any texture (never read), so one shader serves every merge of every batch
 * size, sequence length and unit count.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { FlatProgram, flatMain, intUniforms } from './flat_program';

/** Texture units a fragment shader is guaranteed in WebGL1 (MAX_TEXTURE_IMAGE_UNITS >= 8). */
export const MAX_CONCAT_INPUTS = 8;

/** out[row, step, col] = x_j[row, step - j * size, col] with j = min(step / size, count - 1). */
export class ConcatStepsProgram extends FlatProgram {
  readonly variableNames = Array.from({ length: MAX_CONCAT_INPUTS }, (_, j) => `x${j}`);
  readonly customUniforms = intUniforms('units', 'size', 'total', 'count');
  readonly userCode = flatMain(`
      int perRow = total * units;
      int row = i / perRow;
      int rest = i - row * perRow;
      int stepIndex = rest / units;
      int col = rest - stepIndex * units;
      int which = stepIndex / size;
      if (which > count - 1) {
        which = count - 1;
      }
      int steps = which == count - 1 ? total - which * size : size;
      int index = (row * steps + stepIndex - which * size) * units + col;
      float value = 0.0;
      ${Array.from(
        { length: MAX_CONCAT_INPUTS },
        (_, j) => `if (which == ${j}) { value = getX${j}(index); }`,
      ).join('\n      ')}
      setOutput(value);`);

  /**
   * Arguments of `runWebGLProgram` for `inputs` (1 to 8, in output order): the inputs padded to
   * 8 with the first, and the uniform values.
   */
  static runArguments(
    inputs: TensorInfo[],
    units: number,
    size: number,
    total: number,
  ): [TensorInfo[], number[][]] {
    if (inputs.length < 1 || inputs.length > MAX_CONCAT_INPUTS) {
      throw new Error(
        `webgl ConcatStepsProgram: ${inputs.length} inputs; expected 1 to ${MAX_CONCAT_INPUTS}`,
      );
    }
    const padded = Array.from({ length: MAX_CONCAT_INPUTS }, (_, j) => inputs[j] ?? inputs[0]);
    return [padded, [[units], [size], [total], [inputs.length]]];
  }
}
