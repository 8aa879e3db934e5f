import { barrierWgsl, butterflyWgsl, ownValuesWgsl, type WorkAccess } from './butterfly_wgsl';
import type { ChunkPlan } from './chunk_plan';
import { ChunkProgram } from './chunk_program';
import { RECURRENCE_UNIFORMS, recurrenceShaderWgsl } from './recurrence_webgpu';

/** Where each part of the gradient program's flat output starts, in floats. */
export function gradLayout(batch: number, steps: number, units: number, plan: ChunkPlan) {
  const dz = 0;
  const dsRows = batch * steps * units;
  const dh0 = dsRows + batch * units;
  // Storage mode only: the carried gradient and the work buffer, one row each per batch row.
  const scratch = dh0 + batch * units;
  const size = scratch + (plan.shared ? 0 : 2 * batch * units);
  return { dz, dsRows, dh0, scratch, size };
}

/**
 * The whole reverse sweep in one dispatch, each workgroup one chunk of one batch row, with g the
 * gradient flowing into h_k: g += dy_k; dz_t = mask ? g : 0; on a running step, ds rows += g *
 * FWHT(h_{k-1}) / sqrt(b) and g = FWHT(s * g) / sqrt(b); finally dh0 = g. Writes one flat output
 * laid out by gradLayout: dz [batch, T, n] in time order, ds per batch row [batch, n], dh0.
 */
export class RecurrenceGradProgram extends ChunkProgram {
  variableNames = ['dy', 'states', 's', 'h0', 'mask'];
  uniforms = RECURRENCE_UNIFORMS;

  constructor(batch: number, steps: number, units: number, blockSize: number, plan: ChunkPlan) {
    const { size } = gradLayout(batch, steps, units, plan);
    super('hadamardRecurrenceGrad', [size], (batch * units) / plan.chunk, blockSize, plan);
  }

  getUserCode(): string {
    const { plan, blockSize } = this;
    const carry: WorkAccess = plan.shared
      ? (i) => `carry[${i}]`
      : (i) => `result[carryBase + ${i}]`;
    const work: WorkAccess = plan.shared ? (i) => `work[${i}]` : (i) => `result[workBase + ${i}]`;
    return recurrenceShaderWgsl(
      plan,
      ['carry', 'work'],
      '',
      `
      let rowsSize = uniforms.batch * n;
      let dsBase = uniforms.batch * steps * n + row * n + u0;
      let dh0Base = dsBase + rowsSize;
      let carryBase = dh0Base + rowsSize;
      let workBase = carryBase + rowsSize;
      ${ownValuesWgsl(plan, `${carry('i')} = 0.0;\n      result[dsBase + i] = 0.0;`)}
      for (var k = steps - 1; k >= 0; k = k - 1) {
        let t = select(k, steps - 1 - k, uniforms.goBackwards != 0);
        let m = uniformStepMask(k, row * steps + t);
        let dyBase = (row * steps + k) * n + u0;
        let dzBase = (row * steps + t) * n + u0;
        ${ownValuesWgsl(
          plan,
          `${carry('i')} = ${carry('i')} + f32(dy[dyBase + i]);
          result[dzBase + i] = select(0.0, ${carry('i')}, m != 0.0);`,
        )}
        if (m != 0.0) {
          ${ownValuesWgsl(
            plan,
            `if (k > 0) {
              ${work('i')} = f32(states[dyBase - n + i]);
            } else {
              ${work('i')} = f32(h0[row * n + u0 + i]);
            }`,
          )}
          ${barrierWgsl(plan)}
          ${butterflyWgsl(work, blockSize, plan)}
          ${ownValuesWgsl(
            plan,
            `result[dsBase + i] = result[dsBase + i] + ${carry('i')} * ${work('i')} * uniforms.scale;
            ${carry('i')} = ${carry('i')} * f32(s[u0 + i]);`,
          )}
          ${barrierWgsl(plan)}
          ${butterflyWgsl(carry, blockSize, plan)}
          ${ownValuesWgsl(plan, `${carry('i')} = ${carry('i')} * uniforms.scale;`)}
        }
      }
      ${ownValuesWgsl(plan, `result[dh0Base + i] = ${carry('i')};`)}`,
    );
  }
}
