/**
 * A small SVG line-chart writer for learning curves: panels of polylines with axes, "nice" ticks,
 * an optional log-scale y axis and a legend. No plotting library; the output is plain SVG 1.1
 * that GitHub renders inline.
 */

/** One curve. */
export interface Series {
  label: string;
  color: string;
  points: [number, number][];
  dashed?: boolean;
}

/** One chart. */
export interface Panel {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** Log10 y axis (points with y <= 0 are dropped). Default false. */
  logY?: boolean;
  /** Fixed y range (linear axes only). Default: the data's range. */
  yRange?: [number, number];
}

const WIDTH = 460;
const HEIGHT = 300;
const MARGIN = { left: 62, right: 16, top: 28, bottom: 44 };

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** About `count` round tick values covering [low, high] (steps of 1, 2 or 5 × 10^k). */
export function niceTicks(low: number, high: number, count = 5): number[] {
  if (!(high > low)) {
    return [low];
  }
  const raw = (high - low) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let t = Math.ceil(low / step) * step; t <= high + step * 1e-9; t += step) {
    ticks.push(Number(t.toPrecision(12)));
  }
  return ticks;
}

function formatTick(value: number, log: boolean): string {
  if (log) {
    return `1e${value}`;
  }
  const abs = Math.abs(value);
  return abs !== 0 && (abs >= 1e5 || abs < 1e-3) ? value.toExponential(0) : String(value);
}

/** One panel as an SVG group, translated by (dx, 0). */
function panelSvg(panel: Panel, dx: number): string {
  const log = panel.logY ?? false;
  const series = panel.series.map((s) => ({
    ...s,
    points: s.points
      .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!log || y > 0))
      .map(([x, y]): [number, number] => [x, log ? Math.log10(y) : y]),
  }));
  const all = series.flatMap((s) => s.points);
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  let [x0, x1] = xs.length > 0 ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  let [y0, y1] = ys.length > 0 ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
  if (x1 === x0) [x0, x1] = [x0 - 1, x1 + 1];
  if (y1 === y0) [y0, y1] = [y0 - 1, y1 + 1];
  if (log) [y0, y1] = [Math.floor(y0), Math.ceil(y1)];
  else if (panel.yRange != null) [y0, y1] = panel.yRange;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const sx = (x: number) => MARGIN.left + ((x - x0) / (x1 - x0)) * plotW;
  const sy = (y: number) => MARGIN.top + (1 - (y - y0) / (y1 - y0)) * plotH;
  const out: string[] = [`<g transform="translate(${dx},0)">`];
  out.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
    `<text x="${WIDTH / 2}" y="18" text-anchor="middle" font-weight="bold">${escapeXml(panel.title)}</text>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 8}" text-anchor="middle">${escapeXml(panel.xLabel)}</text>`,
    `<text transform="translate(14,${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(panel.yLabel)}</text>`,
  );
  for (const t of niceTicks(x0, x1)) {
    out.push(
      `<line x1="${sx(t)}" y1="${MARGIN.top + plotH}" x2="${sx(t)}" y2="${MARGIN.top + plotH + 4}" stroke="#999"/>`,
      `<text x="${sx(t)}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${formatTick(t, false)}</text>`,
    );
  }
  const yTicks = log
    ? niceTicks(y0, y1, Math.min(6, y1 - y0)).filter(Number.isInteger)
    : niceTicks(y0, y1);
  for (const t of yTicks) {
    out.push(
      `<line x1="${MARGIN.left}" y1="${sy(t)}" x2="${MARGIN.left + plotW}" y2="${sy(t)}" stroke="#eee"/>`,
      `<text x="${MARGIN.left - 4}" y="${sy(t) + 4}" text-anchor="end">${formatTick(t, log)}</text>`,
    );
  }
  series.forEach((s, i) => {
    if (s.points.length > 0) {
      const path = s.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
      const dash = s.dashed ? ' stroke-dasharray="6,4"' : '';
      const marker =
        s.points.length === 1
          ? `<circle cx="${sx(s.points[0][0])}" cy="${sy(s.points[0][1])}" r="3" fill="${s.color}"/>`
          : '';
      out.push(
        `<polyline points="${path}" fill="none" stroke="${s.color}" stroke-width="1.5"${dash}/>${marker}`,
      );
    }
    const ly = MARGIN.top + 14 + 15 * i;
    out.push(
      `<line x1="${MARGIN.left + plotW - 150}" y1="${ly - 4}" x2="${MARGIN.left + plotW - 130}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6,4"' : ''}/>`,
      `<text x="${MARGIN.left + plotW - 125}" y="${ly}">${escapeXml(s.label)}</text>`,
    );
  });
  out.push('</g>');
  return out.join('\n');
}

/** An SVG document with the panels side by side. */
export function svgChart(title: string, panels: Panel[]): string {
  const width = WIDTH * panels.length;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${HEIGHT + 20}" viewBox="0 0 ${width} ${HEIGHT + 20}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="8" y="${HEIGHT + 14}" fill="#555">${escapeXml(title)}</text>`,
    ...panels.map((panel, i) => panelSvg(panel, i * WIDTH)),
    '</svg>',
    '',
  ].join('\n');
}

/** The mean of each window of `size` consecutive points (x: the window's last x). */
export function smooth(points: [number, number][], size: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < points.length; i += size) {
    const window = points.slice(i, i + size);
    const mean = window.reduce((sum, p) => sum + p[1], 0) / window.length;
    out.push([window[window.length - 1][0], mean]);
  }
  return out;
}
