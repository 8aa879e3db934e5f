/**
 * A `fit` callback that stops training at the first batch whose loss, or any weight after its
 * update, is NaN or ±Infinity: Keras's `TerminateOnNaN`, plus the weight check, since one
 * non-finite example in a batch can turn every weight into NaN while that batch's loss is finite.
 */
import { all, isFinite, reshape, stack, tidy, type Tensor } from '@tensorflow/tfjs-core';
import { Callback, type Logs } from '@tensorflow/tfjs-layers';
import { countNonFinite } from '../io/finite';

/** Where and why {@link TerminateOnNaN} stopped a `fit`. */
export interface NonFiniteStop {
  /** Epoch of the batch, from 0. */
  epoch: number;
  /** Batch within the epoch, from 0. */
  batch: number;
  /** `loss is NaN`, or `weight 'rnn/kernel' holds 3 NaN among its 24 values`. */
  reason: string;
}

/** Options of {@link terminateOnNaN}. */
export interface TerminateOnNaNArgs {
  /** Also check every weight after every batch (one reduction per weight). Default true. */
  checkWeights?: boolean;
  /** Called once when training is stopped, e.g. to log it. Default: `console.warn`. */
  onStop?: (stop: NonFiniteStop) => void;
}

/**
 * Stops `model.fit` (sets `model.stopTraining`) at the end of the first batch whose loss or, with
 * `checkWeights`, any weight is non-finite; `stopped` then says where and why. As in Keras, the
 * weights keep that batch's update: the model is not restored, so do not save it (the
 * `fileSystem` handler refuses to save non-finite weights anyway) and reload the last good save.
 */
export class TerminateOnNaN extends Callback {
  /** Where training was stopped, or null while every loss and weight was finite. */
  stopped: NonFiniteStop | null = null;
  private readonly checkWeights: boolean;
  private readonly onStop: (stop: NonFiniteStop) => void;
  private epoch = 0;

  constructor(args: TerminateOnNaNArgs = {}) {
    super();
    if (args.checkWeights !== undefined && typeof args.checkWeights !== 'boolean') {
      throw new Error(
        `terminateOnNaN: checkWeights must be a boolean, got ${String(args.checkWeights)}`,
      );
    }
    this.checkWeights = args.checkWeights ?? true;
    this.onStop =
      args.onStop ??
      ((stop) =>
        console.warn(
          `terminateOnNaN: training stopped at epoch ${stop.epoch + 1}, batch ${stop.batch + 1}: ${stop.reason}`,
        ));
  }

  /** Clears `stopped` for a new `fit`. */
  override async onTrainBegin(): Promise<void> {
    this.stopped = null;
  }

  /** Records the epoch, for `stopped`. */
  override async onEpochBegin(epoch: number): Promise<void> {
    this.epoch = epoch;
  }

  /** Checks the batch's loss and, with `checkWeights`, every weight; stops training at the first
   * non-finite one. */
  override async onBatchEnd(batch: number, logs?: Logs): Promise<void> {
    if (this.stopped !== null) {
      return;
    }
    const reason = (await this.lossProblem(logs)) ?? this.weightProblem();
    if (reason !== null) {
      this.stopped = { epoch: this.epoch, batch, reason };
      this.model.stopTraining = true;
      this.onStop(this.stopped);
    }
  }

  private async lossProblem(logs?: Logs): Promise<string | null> {
    const raw = logs?.loss as number | Tensor | undefined;
    if (raw === undefined) {
      return null;
    }
    const loss = typeof raw === 'number' ? raw : (await raw.data())[0];
    return Number.isFinite(loss) ? null : `loss is ${loss}`;
  }

  private weightProblem(): string | null {
    if (!this.checkWeights || this.model.weights.length === 0) {
      return null;
    }
    const weights = this.model.weights;
    const finite = tidy(() =>
      stack(weights.map((w) => all(isFinite(reshape(w.read(), [-1]))))).dataSync(),
    );
    const bad = finite.findIndex((ok) => !ok);
    if (bad < 0) {
      return null;
    }
    const values = weights[bad].read().dataSync();
    return `weight '${weights[bad].originalName}' holds ${countNonFinite(values)} among its ${values.length} values`;
  }
}

/**
 * A {@link TerminateOnNaN} callback for `model.fit`:
 *
 * ```js
 * const stop = terminateOnNaN();
 * await model.fit(x, y, { epochs: 10, callbacks: [stop] });
 * if (stop.stopped === null) await model.save('file:///tmp/model');
 * ```
 * @param args `checkWeights` (default true), `onStop` (default: a `console.warn` line).
 */
export function terminateOnNaN(args: TerminateOnNaNArgs = {}): TerminateOnNaN {
  return new TerminateOnNaN(args);
}
