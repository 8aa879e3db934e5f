/**
 * The sequence panel: input, expected and predicted symbols of one copy sequence, step by step,
 * with every wrong prediction highlighted.
 */
import { COPY_SYMBOLS, MARKER, type CopyExample } from './copy_data';

/** How a code is shown: blank as a dot, the marker as an arrow, symbols as their digit. */
function glyph(code: number): string {
  return code === 0 ? '·' : code === MARKER ? '▸' : String(code);
}

function row(label: string, codes: ArrayLike<number>, cellClass: (t: number) => string): string {
  const cells = Array.from(codes, (code, t) => `<td class="${cellClass(t)}">${glyph(code)}</td>`);
  return `<tr data-row="${label}" data-codes="${Array.from(codes).join(',')}"><th>${label}</th>${cells.join('')}</tr>`;
}

/** Counts of correct outputs: over the recalled symbols (last K steps) and over all steps. */
export interface CopyScore {
  symbols: number;
  steps: number;
}

/** Compares predicted with expected codes. */
export function scoreCopy(expected: Int32Array, predicted: Int32Array): CopyScore {
  let steps = 0;
  let symbols = 0;
  for (let t = 0; t < expected.length; t++) {
    if (expected[t] === predicted[t]) {
      steps++;
      symbols += t >= expected.length - COPY_SYMBOLS ? 1 : 0;
    }
  }
  return { symbols, steps };
}

/**
 * Renders `example` and, when given, the `predicted` codes into `table` (one column per step; the
 * recall steps are marked), and returns the score of the prediction.
 */
export function renderSequence(
  table: HTMLTableElement,
  example: CopyExample,
  predicted?: Int32Array,
): CopyScore | undefined {
  const T = example.labels.length;
  const recall = (t: number) => (t >= T - COPY_SYMBOLS ? 'recall' : '');
  const rows = [row('input', example.inputs, recall), row('expected', example.labels, recall)];
  if (predicted) {
    const verdict = (t: number) =>
      `${recall(t)} ${predicted[t] === example.labels[t] ? 'ok' : 'wrong'}`;
    rows.push(row('predicted', predicted, verdict));
  }
  table.innerHTML = `<tbody>${rows.join('')}</tbody>`;
  return predicted && scoreCopy(example.labels, predicted);
}
