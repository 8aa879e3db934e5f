import {
  barrierWgsl,
  butterflyWgsl,
  GROUP_INDEX_WGSL,
  ownValuesWgsl,
  STEP_MASK_WGSL,
  workBufferWgsl,
  type WorkAccess,
} from './butterfly_wgsl';
import type { ChunkPlan } from './chunk_plan';
import { ChunkProgram, int32Uniforms } from './chunk_program';

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
  return [
    ...int32Uniforms((batch * units) / plan.chunk, batch, steps, units, goBackwards ? 1 : 0),
    { type: 'float32', data: [1 / Math.sqrt(blockSize)] },
  ];
}

/**
 * A recurrence program's whole shader: its work buffers in workgroup memory (when the plan keeps
 * them there), `declarations`, and a `main` whose `body` runs after the sizes every recurrence
 * program derives from its group: row, first unit u0, n and steps (a group past the last returns).
 * `uniformStepMask` reads the mask.
 */
export function recurrenceShaderWgsl(
  plan: ChunkPlan,
  workBuffers: string[],
  declarations: string,
  body: string,
): string {
  return `
    ${workBuffers.map((name) => workBufferWgsl(name, plan)).join('\n')}
    ${GROUP_INDEX_WGSL}
    ${STEP_MASK_WGSL}
    ${declarations}
    fn main(index : i32) {
      let group = uniformGroupIndex();
      if (group >= uniforms.numGroups) {
        return;
      }
      let n = uniforms.units;
      let steps = uniforms.steps;
      let row = group / (n / ${plan.chunk});
      let u0 = (group % (n / ${plan.chunk})) * ${plan.chunk};
      ${body}
    }`;
}

/**
 * Where the forward program takes each step's input from: `z` [batch, T, n] (HadamardRecurrence),
 * or, for HadamRNNSequence, the projection `x_t · kernel + bias` computed in place from x
 * [batch, T, inDim], with the outputs activated (ReLU) while the carried state stays linear.
 */
export type RecurrenceInput = { kind: 'z' } | { kind: 'projection'; inDim: number; relu: boolean };

/**
 * The whole forward recurrence in one dispatch: each workgroup carries one chunk of one batch row
 * through every step, `h = mask ? s * FWHT(h) / sqrt(b) + z_t : h`, and writes each state. The
 * state stays in workgroup memory between steps when the plan allows; otherwise each step copies
 * its predecessor into its own output row and transforms it there (and a projection's ReLU runs
 * over the chunk's output rows after the last step).
 */
export class RecurrenceProgram extends ChunkProgram {
  variableNames: string[];
  uniforms = RECURRENCE_UNIFORMS;

  constructor(
    outputShape: number[],
    blockSize: number,
    plan: ChunkPlan,
    private readonly input: RecurrenceInput = { kind: 'z' },
  ) {
    const [batch, , units] = outputShape;
    const name =
      input.kind === 'z'
        ? 'hadamardRecurrence'
        : `hadamardRecurrenceProjected_${input.inDim}_${input.relu}`;
    super(name, outputShape, (batch * units) / plan.chunk, blockSize, plan);
    this.variableNames =
      input.kind === 'z'
        ? ['z', 's', 'h0', 'mask']
        : ['x', 'projKernel', 'projBias', 's', 'h0', 'mask'];
  }

  getUserCode(): string {
    const { plan, input } = this;
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
    const relu = input.kind === 'projection' && input.relu;
    const stored = relu ? 'max(state[i], 0.0)' : 'state[i]';
    const store = plan.shared ? ownValuesWgsl(plan, `result[outBase + i] = ${stored};`) : '';
    // Storage mode: the states were the carry; activate them once every step is done.
    const activateAfter =
      relu && !plan.shared
        ? `${barrierWgsl(plan)}
      for (var k = 0; k < steps; k = k + 1) {
        let outBase = (row * steps + k) * n + u0;
        ${ownValuesWgsl(plan, `result[outBase + i] = max(result[outBase + i], 0.0);`)}
      }`
        : '';
    const stepInput =
      input.kind === 'z'
        ? (i: string) => `f32(z[(row * steps + t) * n + u0 + ${i}])`
        : (i: string) => `projectedInput((row * steps + t) * ${input.inDim}, u0 + ${i})`;
    const projection =
      input.kind === 'z'
        ? ''
        : `fn projectedInput(xBase : i32, u : i32) -> f32 {
      var sum = f32(projBias[u]);
      for (var c = 0; c < ${input.inDim}; c = c + 1) {
        sum = sum + f32(x[xBase + c]) * f32(projKernel[c * uniforms.units + u]);
      }
      return sum;
    }`;
    return recurrenceShaderWgsl(
      plan,
      ['state'],
      projection,
      `
      ${load}
      for (var k = 0; k < steps; k = k + 1) {
        let t = select(k, steps - 1 - k, uniforms.goBackwards != 0);
        let m = uniformStepMask(k, row * steps + t);
        let outBase = (row * steps + k) * n + u0;
        ${carry}
        if (m != 0.0) {
          ${barrierWgsl(plan)}
          ${butterflyWgsl(work, this.blockSize, plan)}
          ${ownValuesWgsl(
            plan,
            `${work('i')} = f32(s[u0 + i]) * ${work('i')} * uniforms.scale + ${stepInput('i')};`,
          )}
        }
        ${store}
      }
      ${activateAfter}`,
    );
  }
}
