import { orthogonalMatrix } from '../../../src/training/models/orthogonal_init';

/** Gram matrix of the rows (byRows) or columns of a row-major [rows, cols] matrix. */
function gram(m: Float32Array, rows: number, cols: number, byRows: boolean): number[] {
  const n = byRows ? rows : cols;
  const len = byRows ? cols : rows;
  const at = (k: number, i: number) => (byRows ? m[k * cols + i] : m[i * cols + k]);
  const out: number[] = [];
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      let dot = 0;
      for (let i = 0; i < len; i++) dot += at(a, i) * at(b, i);
      out.push(dot);
    }
  }
  return out;
}

describe('orthogonalMatrix', () => {
  it.each([
    [4, 16, true],
    [16, 4, false],
    [8, 8, true],
  ])('[%i, %i] has orthonormal %s', (rows, cols, byRows) => {
    const m = orthogonalMatrix(rows, cols, 3);
    const n = Math.min(rows, cols);
    gram(m, rows, cols, byRows).forEach((v, k) => {
      expect(Math.abs(v - (Math.floor(k / n) === k % n ? 1 : 0))).toBeLessThan(1e-5);
    });
  });

  it('is reproducible per seed', () => {
    expect(orthogonalMatrix(6, 12, 1)).toEqual(orthogonalMatrix(6, 12, 1));
    expect(orthogonalMatrix(6, 12, 1)).not.toEqual(orthogonalMatrix(6, 12, 2));
  });
});
