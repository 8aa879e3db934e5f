import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import {
  barrierWgsl,
  butterflyWgsl,
  chunkDispatch,
  GROUP_INDEX_WGSL,
  ownValuesWgsl,
  planKey,
  STEP_MASK_WGSL,
  workBufferWgsl,
  type WorkAccess,
} from './butterfly_wgsl';
import type { ChunkPlan } from './chunk_plan';

/** Uniforms of the recurrence programs, in the order of `uniforms`. */
export const RECURRENCE_UNIFORMS =
  'numGroups : i32, batch : i32, steps : i32, units : i32, goBackwards : i32, scale : f32,';

/** The uniforms' values, in the order of RECURRENCE_UNIFORMS. */
export function recurrenceUniformValues(
  shape: { batch: number; steps: number; units: number; goBackwards: boolean },
  plan: ChunkPlan,
  blockSize: number,
) {
  const { batch, steps, units, goBackwards } = shape;
  // One entry per scalar: tfjs aligns an entry of several values as a vector.
  const ints = [(batch * units) / plan.chunk, batch, steps, units, goBackwards ? 1 : 0];
  return [
    ...ints.map((value) => ({ type: 'int32', data: [value] })),
    { type: 'float32', data: [1 / Math.sqrt(blockSize)] },
  ];
}

/** WGSL of the sizes every recurrence program derives from its group: row, first unit, steps. */
export function recurrenceGroupWgsl(plan: ChunkPlan): string {
  return `let group = uniformGroupIndex();
      if (group >= uniforms.numGroups) {
        return;
      }
      let n = uniforms.units;
      let steps = uniforms.steps;
      let row = group / (n / ${plan.chunk});
      let u0 = (group % (n / ${plan.chunk})) * ${plan.chunk};`;
}

/**
 * The whole forward recurrence in one dispatch: each workgroup carries one chunk of one batch row
 * through every step, `h = mask ? s * FWHT(h) / sqrt(b) + z_t : h`, and writes each state. The
 * state stays in workgroup memory between steps when the plan allows; otherwise each step copies
 * its predecessor into its own output row and transforms it there.
 */
export class RecurrenceProgram implements WebGPUProgram {
  variableNames = ['z', 's', 'h0', 'mask'];
  uniforms = RECURRENCE_UNIFORMS;
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];

  constructor(
    outputShape: number[],
    private readonly blockSize: number,
    private readonly plan: ChunkPlan,
  ) {
    const [batch, , units] = outputShape;
    const fields = chunkDispatch(plan, (batch * units) / plan.chunk, outputShape);
    this.outputShape = outputShape;
    this.dispatchLayout = fields.dispatchLayout;
    this.dispatch = fields.dispatch;
    this.workgroupSize = fields.workgroupSize;
    this.shaderKey = `hadamardRecurrence_${planKey(plan, blockSize)}`;
  }

  getUserCode(): string {
    const { plan } = this;
    const work: WorkAccess = plan.shared ? (i) => `state[${i}]` : (i) => `result[outBase + ${i}]`;
    const load = plan.shared ? ownValuesWgsl(plan, `state[i] = f32(h0[row * n + u0 + i]);`) : '';
    // Storage mode: this step's row starts as a copy of the previous state.
    const carry = plan.shared
      ? ''
      : ownValuesWgsl(
          plan,
          `if (k == 0) {
            result[outBase + i] = f32(h0[row * n + u0 + i]);
          } else {
            result[outBase + i] = result[outBase - n + i];
          }`,
        );
    const store = plan.shared ? ownValuesWgsl(plan, `result[outBase + i] = state[i];`) : '';
    return `
    ${workBufferWgsl('state', plan)}
    ${GROUP_INDEX_WGSL}
    ${STEP_MASK_WGSL}
    fn main(index : i32) {
      ${recurrenceGroupWgsl(plan)}
      ${load}
      for (var k = 0; k < steps; k = k + 1) {
        let t = select(k, steps - 1 - k, uniforms.goBackwards != 0);
        let m = uniformStepMask(k, row * steps + t);
        let outBase = (row * steps + k) * n + u0;
        ${carry}
        if (m != 0.0) {
          ${barrierWgsl(plan)}
          ${butterflyWgsl(work, this.blockSize, plan)}
          let zBase = (row * steps + t) * n + u0;
          ${ownValuesWgsl(
            plan,
            `${work('i')} = f32(s[u0 + i]) * ${work('i')} * uniforms.scale + f32(z[zBase + i]);`,
          )}
        }
        ${store}
      }
    }`;
  }
}
