import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import type { ChunkPlan } from './chunk_plan';

/** tfjs uniform entries for int32 scalars, one entry each: tfjs aligns an entry of several values
 * as a vector. */
export function int32Uniforms(...values: number[]) {
  return values.map((value) => ({ type: 'int32', data: [value] }));
}

/**
 * A program whose workgroups each take one chunk of whole blocks, `groups` in all, one workgroup
 * of `plan.threads` invocations per chunk, its shader key naming the plan it compiles in.
 */
export abstract class ChunkProgram implements WebGPUProgram {
  abstract variableNames: string[];
  abstract uniforms: string;
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];

  constructor(
    name: string,
    outputShape: number[],
    groups: number,
    protected readonly blockSize: number,
    protected readonly plan: ChunkPlan,
  ) {
    this.outputShape = outputShape;
    this.dispatchLayout = { x: outputShape.map((_, i) => i) };
    this.dispatch = [groups, 1, 1];
    this.workgroupSize = [plan.threads, 1, 1];
    this.shaderKey = `${name}_${blockSize}_${plan.chunk}_${plan.threads}_${plan.shared}`;
  }

  abstract getUserCode(): string;
}
