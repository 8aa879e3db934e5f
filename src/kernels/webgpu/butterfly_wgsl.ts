/**
 * WGSL shared by this package's webgpu programs. Each program gives one workgroup a chunk of whole
 * blocks (chunk_plan.ts); its invocations own the chunk's values i = localIndex + j * threads for
 * elementwise work, and split each butterfly stage's pairs among them, a barrier after each stage.
 */
import type { ChunkPlan } from './chunk_plan';

/** Names element `i` (a WGSL expression) of a work buffer. */
export type WorkAccess = (i: string) => string;

/**
 * Declares `uniformGroupIndex()`, this workgroup's flat index (the dispatch may be reshaped into 2
 * or 3 dimensions) as a value WGSL's uniformity analysis accepts before barriers.
 */
export const GROUP_INDEX_WGSL = `
  var<workgroup> groupSlot : i32;
  fn uniformGroupIndex() -> i32 {
    if (localIndex == 0u) {
      groupSlot = i32((workgroupId.z * numWorkgroups.y + workgroupId.y) * numWorkgroups.x +
          workgroupId.x);
    }
    return workgroupUniformLoad(&groupSlot);
  }`;

/**
 * Declares `uniformStepMask(k, index)`: mask[index], read by one invocation and shared as a uniform
 * value, so that a masked step can skip its barriers. Two slots by the parity of step k: a slot is
 * rewritten only after every invocation has passed the next step's load.
 */
export const STEP_MASK_WGSL = `
  var<workgroup> stepMaskSlots : array<f32, 2>;
  fn uniformStepMask(k : i32, index : i32) -> f32 {
    if (localIndex == 0u) {
      stepMaskSlots[k % 2] = f32(mask[index]);
    }
    return workgroupUniformLoad(&stepMaskSlots[k % 2]);
  }`;

/** The barrier that orders the work buffers' accesses across the workgroup's invocations. */
export function barrierWgsl(plan: ChunkPlan): string {
  return plan.shared ? 'workgroupBarrier();' : 'storageBarrier();';
}

/** Runs `body` for every value `i` this invocation owns in the chunk. */
export function ownValuesWgsl(plan: ChunkPlan, body: string): string {
  return `for (var i = i32(localIndex); i < ${plan.chunk}; i = i + ${plan.threads}) {
      ${body}
    }`;
}

/**
 * The unnormalized FWHT of every block of `blockSize` values of the chunk, in place; ends with a
 * barrier, and must start after one (its pairs cross the invocations' values).
 */
export function butterflyWgsl(work: WorkAccess, blockSize: number, plan: ChunkPlan): string {
  if (blockSize === 1) {
    return '';
  }
  return `for (var h = 1; h < ${blockSize}; h = h * 2) {
      for (var p = i32(localIndex); p < ${plan.chunk / 2}; p = p + ${plan.threads}) {
        let lo = (p / h) * 2 * h + p % h;
        let a = ${work('lo')};
        let b = ${work('lo + h')};
        ${work('lo')} = a + b;
        ${work('lo + h')} = a - b;
      }
      ${barrierWgsl(plan)}
    }`;
}

/** Declares a work buffer of one chunk in workgroup memory when the plan keeps it there. */
export function workBufferWgsl(name: string, plan: ChunkPlan): string {
  return plan.shared ? `var<workgroup> ${name} : array<f32, ${plan.chunk}>;` : '';
}
