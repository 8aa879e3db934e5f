import {
  barrierWgsl,
  butterflyWgsl,
  GROUP_INDEX_WGSL,
  ownValuesWgsl,
  workBufferWgsl,
  type WorkAccess,
} from './butterfly_wgsl';
import type { ChunkPlan } from './chunk_plan';
import { ChunkProgram } from './chunk_program';

/**
 * The scaled FWHT of every block of a flat `x`, one chunk of whole blocks per workgroup: load,
 * log2(b) barrier-separated butterfly stages, scaled store. Uniforms: the number of chunks and the
 * scale.
 */
export class TransformProgram extends ChunkProgram {
  variableNames = ['x'];
  uniforms = 'numGroups : i32, scale : f32,';

  constructor(size: number, blockSize: number, plan: ChunkPlan) {
    super('hadamardTransform', [size], size / plan.chunk, blockSize, plan);
  }

  /** The uniforms' values for `size` values scaled by `scale`. */
  static uniformValues(size: number, plan: ChunkPlan, scale: number) {
    return [
      { type: 'int32', data: [size / plan.chunk] },
      { type: 'float32', data: [scale] },
    ];
  }

  getUserCode(): string {
    const { plan } = this;
    // Out of workgroup memory, the chunk is transformed in place in the output.
    const work: WorkAccess = plan.shared ? (i) => `work[${i}]` : (i) => `result[base + ${i}]`;
    return `
    ${workBufferWgsl('work', plan)}
    ${GROUP_INDEX_WGSL}
    fn main(index : i32) {
      let group = uniformGroupIndex();
      if (group >= uniforms.numGroups) {
        return;
      }
      let base = group * ${plan.chunk};
      ${ownValuesWgsl(plan, `${work('i')} = f32(x[base + i]);`)}
      ${barrierWgsl(plan)}
      ${butterflyWgsl(work, this.blockSize, plan)}
      ${ownValuesWgsl(plan, `result[base + i] = ${work('i')} * uniforms.scale;`)}
    }`;
  }
}
