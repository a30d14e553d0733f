// The float64 QR step of the Orthogonal initializer: Q·R reproduces the matrix, R's diagonal is positive,
// a dependent column comes out zero, and wrong dimensions are refused.
import { describe, expect, it } from 'vitest';
import { orthonormalColumns } from '../../src/registry/orthonormal.js';

/** Column-major Q (m×c) → R = QᵀA (c×c), and the largest |Q·R − A|. */
function factor(a: number[], m: number, c: number): { r: number[][]; residual: number; lower: number } {
  const q = orthonormalColumns(a, m, c);
  const r = Array.from({ length: c }, (_, i) => Array.from({ length: c }, (_, j) => {
    let s = 0;
    for (let k = 0; k < m; k++) s += q[i * m + k] * a[k * c + j];
    return s;
  }));
  let residual = 0;
  let lower = 0;
  for (let k = 0; k < m; k++) {
    for (let j = 0; j < c; j++) {
      let s = 0;
      for (let i = 0; i < c; i++) s += q[i * m + k] * r[i][j];
      residual = Math.max(residual, Math.abs(s - a[k * c + j]));
    }
  }
  for (let i = 0; i < c; i++) for (let j = 0; j < i; j++) lower = Math.max(lower, Math.abs(r[i][j]));
  return { r, residual, lower };
}

describe('orthonormalColumns', () => {
  it('Q·R = A with R upper triangular and a positive diagonal (Keras sign convention)', () => {
    const m = 7;
    const c = 4;
    const a = Array.from({ length: m * c }, (_, i) => Math.sin(i * 2.7 + 1) * 3 - (i % 3));
    const { r, residual, lower } = factor(a, m, c);
    expect(residual).toBeLessThan(1e-12);
    expect(lower).toBeLessThan(1e-12);
    for (let i = 0; i < c; i++) expect(r[i][i]).toBeGreaterThan(0);
  });

  it('a column that repeats an earlier one comes out zero (sign(0) = 0 in Keras)', () => {
    // Columns: e, 2e, f.
    const a = [1, 2, 0, 1, 2, 1, 0, 0, 5];
    const q = orthonormalColumns(a, 3, 3);
    expect(Array.from(q.subarray(3, 6))).toEqual([0, 0, 0]);
    expect(Math.hypot(...q.subarray(0, 3))).toBeCloseTo(1, 14);
    expect(Math.hypot(...q.subarray(6, 9))).toBeCloseTo(1, 14);
  });

  it('refuses more columns than rows', () => {
    expect(() => orthonormalColumns([1, 2], 1, 2)).toThrow(/rows ≥ columns, got 1×2/);
  });
});
