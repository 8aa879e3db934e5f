import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

/** Invocations per workgroup of a ValueProgram: no barrier, so only the dispatch's shape. */
const WORKGROUP = 64;

/**
 * A program of one invocation per output value (`index` < `uniforms.size`), each looping over
 * what it sums on its own: no workgroup memory and no barrier, which CPU emulation makes dear.
 */
export abstract class ValueProgram implements WebGPUProgram {
  abstract variableNames: string[];
  abstract uniforms: string;
  size = true;
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];

  constructor(shaderKey: string, outputShape: number[]) {
    this.shaderKey = shaderKey;
    this.outputShape = outputShape;
    this.dispatchLayout = { x: outputShape.map((_, i) => i) };
    const size = outputShape.reduce((a, b) => a * b, 1);
    this.dispatch = [Math.ceil(size / WORKGROUP), 1, 1];
  }

  abstract getUserCode(): string;
}
