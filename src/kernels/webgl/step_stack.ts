/**
 * Collects the per-step [rows, units] results of a sequential sweep into one [rows, T, units]
 * texture without keeping T textures alive and without copying the whole output every step.
 *
 * Steps are merged like the digits of a base-8 counter: every 8 runs of equal length become one
 * run (one `ConcatStepsProgram` pass), so at most 7 runs per level stay alive (O(8 log8 T)
 * textures) and each value is copied about log8(T) + 1 times. `finish` merges what is left.
 */
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { ConcatStepsProgram, MAX_CONCAT_INPUTS } from './concat_steps_gpu';

/** A texture holding `steps` consecutive steps (in time order) of every row. */
interface Run {
  info: TensorInfo;
  steps: number;
}

/** Stacks pushed steps; `timeReversed` when they are pushed from the last time step down. */
export class StepStack {
  private readonly levels: Run[][] = [];

  constructor(
    private readonly backend: MathBackendWebGL,
    private readonly rows: number,
    private readonly units: number,
    private readonly timeReversed: boolean,
  ) {}

  /** Takes ownership of `step`, a flat [rows, units] texture. */
  push(step: TensorInfo): void {
    let run: Run = { info: step, steps: 1 };
    for (let level = 0; ; level++) {
      const runs = (this.levels[level] ??= []);
      runs.push(run);
      if (runs.length < MAX_CONCAT_INPUTS) {
        return;
      }
      this.levels[level] = [];
      run = this.concat(runs);
    }
  }

  /** The flat [rows, T, units] result in time order; the stack is empty afterwards. */
  finish(): TensorInfo {
    // Higher levels hold earlier pushes: merge each level, then fold them in push order.
    const merged: Run[] = [];
    for (let level = this.levels.length - 1; level >= 0; level--) {
      const runs = this.levels[level];
      if (runs.length > 0) {
        merged.push(runs.length === 1 ? runs[0] : this.concat(runs));
      }
    }
    this.levels.length = 0;
    if (merged.length === 0) {
      throw new Error('webgl StepStack: finish() called before any step was pushed');
    }
    return merged.reduce((acc, run) => this.concat([acc, run])).info;
  }

  /** One pass concatenating `runs` (in push order; all but the latest of equal length). */
  private concat(runs: Run[]): Run {
    const ordered = this.timeReversed ? [...runs].reverse() : runs;
    const total = runs.reduce((sum, run) => sum + run.steps, 0);
    const [inputs, uniforms] = ConcatStepsProgram.runArguments(
      ordered.map((run) => run.info),
      this.units,
      ordered[0].steps,
      total,
    );
    const info = this.backend.runWebGLProgram(
      new ConcatStepsProgram(this.rows * total * this.units),
      inputs,
      'float32',
      uniforms,
    );
    for (const run of runs) {
      this.backend.disposeIntermediateTensorInfo(run.info);
    }
    return { info, steps: total };
  }
}
