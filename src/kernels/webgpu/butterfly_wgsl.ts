/**
 * WGSL shared by this package's webgpu programs. Each program gives one workgroup a chunk of whole
 * blocks (chunk_plan.ts); its invocations own the chunk's values i = localIndex + j * threads for
 * elementwise work, and split the butterfly stages' groups among them (see butterflyWgsl).
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

/** Butterfly stages one pass does in registers at most: groups of 2^3 values. */
const MAX_PASS_STAGES = 3;

/**
 * One pass of `stages` consecutive butterfly stages from stride h: each group of 2^stages values
 * lo + m * h (m < 2^stages) is loaded, transformed in registers and stored, the groups split
 * among the invocations.
 */
function passWgsl(work: WorkAccess, plan: ChunkPlan, h: number, stages: number): string {
  const size = 1 << stages;
  const log2h = Math.log2(h);
  const v = Array.from({ length: size }, (_, m) => `v${m}`);
  const lines = v.map((name, m) => `var ${name} = ${work(`lo + ${m * h}`)};`);
  for (let stage = 0; stage < stages; stage++) {
    const bit = 1 << stage;
    for (let m = 0; m < size; m++) {
      if ((m & bit) === 0) {
        lines.push(
          `{ let a = ${v[m]}; ${v[m]} = a + ${v[m + bit]}; ${v[m + bit]} = a - ${v[m + bit]}; }`,
        );
      }
    }
  }
  lines.push(...v.map((name, m) => `${work(`lo + ${m * h}`)} = ${name};`));
  return `for (var g = i32(localIndex); g < ${plan.chunk / size}; g = g + ${plan.threads}) {
        let lo = ((g >> ${log2h}u) << ${log2h + stages}u) | (g & ${h - 1});
        ${lines.join('\n        ')}
      }`;
}

/**
 * The unnormalized FWHT of every block of `blockSize` values of the chunk, in place; must start
 * after a barrier, and leaves each value readable by the invocation that owns it (ownValuesWgsl).
 * The stages commute, so they run in passes of up to MAX_PASS_STAGES stages in registers: first
 * those whose pairs cross the invocations' values (stride h not a multiple of the invocation
 * count), a barrier after each pass; then the others, whose pairs all lie within one invocation's
 * own values (i = localIndex mod threads), with no barrier at all.
 */
export function butterflyWgsl(work: WorkAccess, blockSize: number, plan: ChunkPlan): string {
  const strides: number[] = [];
  for (let h = 1; h < blockSize; h *= 2) {
    strides.push(h);
  }
  const own = (h: number) => h % plan.threads === 0;
  const code: string[] = [];
  for (const local of [false, true]) {
    const group = strides.filter((h) => own(h) === local);
    for (let k = 0; k < group.length; k += MAX_PASS_STAGES) {
      // Consecutive strides: the class of h is closed under doubling once h is a multiple.
      const stages = Math.min(MAX_PASS_STAGES, group.length - k);
      code.push(passWgsl(work, plan, group[k], stages));
      if (!local) {
        code.push(barrierWgsl(plan));
      }
    }
  }
  return code.join('\n      ');
}

/** Declares a work buffer of one chunk in workgroup memory when the plan keeps it there. */
export function workBufferWgsl(name: string, plan: ChunkPlan): string {
  return plan.shared ? `var<workgroup> ${name} : array<f32, ${plan.chunk}>;` : '';
}
