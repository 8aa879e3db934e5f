/**
 * The training progress display on stderr: on a terminal, one bar redrawn in place; otherwise
 * (CI, nohup logs) one line every `logEvery` steps and at the end of each epoch.
 */

/** Where progress goes: stderr's `write` and whether it is a terminal. */
export interface ProgressSink {
  write(text: string): void;
  isTTY: boolean;
}

/** The figures shown with the bar. */
export interface ProgressFigures {
  epoch: number;
  epochs: number;
  /** Step within the epoch (1-based) and steps per epoch. */
  step: number;
  stepsPerEpoch: number;
  /** Running mean loss and accuracy over the epoch so far. */
  loss: number;
  accuracy: number;
  /** Mean seconds per step over this session. */
  secondsPerStep: number;
  /** Steps left until the last epoch ends. */
  stepsLeft: number;
}

const BAR_WIDTH = 24;

/** `1h02m`, `3m04s` or `12s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) {
    return '?';
  }
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h > 0) {
    return `${h}h${pad(m)}m`;
  }
  return m > 0 ? `${m}m${pad(s % 60)}s` : `${s % 60}s`;
}

/** One line of progress: bar, step, running loss and accuracy, speed and ETA. */
export function formatProgress(f: ProgressFigures): string {
  const filled = Math.round((BAR_WIDTH * f.step) / f.stepsPerEpoch);
  const bar = '#'.repeat(filled) + '.'.repeat(BAR_WIDTH - filled);
  return (
    `epoch ${f.epoch}/${f.epochs} [${bar}] ${f.step}/${f.stepsPerEpoch}` +
    ` loss ${f.loss.toPrecision(4)} acc ${(100 * f.accuracy).toFixed(1)}%` +
    ` ${f.secondsPerStep.toFixed(2)} s/step` +
    ` ETA epoch ${formatDuration(f.secondsPerStep * (f.stepsPerEpoch - f.step))}` +
    ` run ${formatDuration(f.secondsPerStep * f.stepsLeft)}`
  );
}

/** Draws progress to a sink (a terminal gets a redrawn bar, anything else periodic lines). */
export class ProgressBar {
  constructor(
    private readonly sink: ProgressSink,
    private readonly logEvery: number,
  ) {}

  /** Shows the figures after a step. */
  update(f: ProgressFigures): void {
    if (this.sink.isTTY) {
      this.sink.write(`\r${formatProgress(f)}\x1b[K`);
    } else if (f.step % this.logEvery === 0 || f.step === f.stepsPerEpoch) {
      this.sink.write(`${formatProgress(f)}\n`);
    }
  }

  /** Prints a line of its own (ends the bar's line on a terminal). */
  log(line: string): void {
    this.sink.write(this.sink.isTTY ? `\r${line}\x1b[K\n` : `${line}\n`);
  }
}
