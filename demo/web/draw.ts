/**
 * The page's pictures, drawn on canvases: the sign pattern s, the effective recurrent matrix W, and
 * the training loss curve.
 */

/** Cell colours of the pictures; index.html's legend uses the same three. */
export const SIGN_COLOURS = { plus: '#1d4ed8', minus: '#f97316', zero: '#e5e7eb' } as const;

function colourOf(value: number): string {
  return value > 0 ? SIGN_COLOURS.plus : value < 0 ? SIGN_COLOURS.minus : SIGN_COLOURS.zero;
}

/** Sizes `canvas` for `width` × `height` CSS pixels at the screen's pixel ratio; returns its 2D context. */
function prepare(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
): CanvasRenderingContext2D {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const context = canvas.getContext('2d')!;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  return context;
}

/** Shape of the grid drawn by {@link drawSignGrid}. */
export interface GridShape {
  rows: number;
  cols: number;
  /** Cell width in CSS pixels. */
  cellWidth: number;
  /** Cell height in CSS pixels. */
  cellHeight: number;
}

/**
 * Draws a grid of values as coloured cells: +, − and 0 in {@link SIGN_COLOURS}.
 *
 * @param values Row-major, rows · cols values; only their signs matter.
 */
export function drawSignGrid(
  canvas: HTMLCanvasElement,
  values: ArrayLike<number>,
  shape: GridShape,
): void {
  const { rows, cols, cellWidth, cellHeight } = shape;
  const context = prepare(canvas, cols * cellWidth, rows * cellHeight);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      context.fillStyle = colourOf(values[r * cols + c]);
      context.fillRect(c * cellWidth, r * cellHeight, cellWidth, cellHeight);
    }
  }
}

/** Options of {@link drawLossCurve}. */
export interface LossCurveOptions {
  /** Total steps planned: the x axis spans 0..steps. */
  steps: number;
  /** A reference level drawn dashed (the copy task's baseline 10·ln(8)/T). */
  baseline: number;
  width?: number;
  height?: number;
}

/**
 * Draws the loss of each step so far as a line, with the baseline dashed; the y axis spans 0 to
 * the largest loss seen (at least 1.5 × baseline).
 */
export function drawLossCurve(
  canvas: HTMLCanvasElement,
  losses: number[],
  options: LossCurveOptions,
): void {
  const { steps, baseline, width = 480, height = 200 } = options;
  const context = prepare(canvas, width, height);
  const pad = { left: 36, right: 8, top: 8, bottom: 20 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const top = Math.max(1.5 * baseline, ...losses.filter(Number.isFinite));
  const x = (step: number) => pad.left + (plotW * step) / Math.max(1, steps);
  const y = (loss: number) => pad.top + plotH * (1 - Math.min(loss, top) / top);

  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  context.strokeStyle = '#9ca3af';
  context.lineWidth = 1;
  context.strokeRect(pad.left, pad.top, plotW, plotH);
  context.fillStyle = '#374151';
  context.font = '11px sans-serif';
  context.fillText(top.toFixed(1), 4, pad.top + 10);
  context.fillText('0', 4, pad.top + plotH);
  context.fillText(`step ${steps}`, width - pad.right - 52, height - 5);

  context.setLineDash([4, 4]);
  context.strokeStyle = '#6b7280';
  context.beginPath();
  context.moveTo(pad.left, y(baseline));
  context.lineTo(pad.left + plotW, y(baseline));
  context.stroke();
  context.fillText('baseline', pad.left + 4, y(baseline) - 4);
  context.setLineDash([]);

  context.strokeStyle = SIGN_COLOURS.plus;
  context.lineWidth = 1.5;
  context.beginPath();
  losses.forEach((loss, i) =>
    i === 0 ? context.moveTo(x(1), y(loss)) : context.lineTo(x(i + 1), y(loss)),
  );
  context.stroke();
}
