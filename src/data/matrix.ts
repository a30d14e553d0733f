// The shapes the data helpers take and return: any deltaflow input in, `{ data, shape }` out.

import { Tensor, toMatrix, type Input, type Matrix } from '../tensor.js';

/** Row-major values with their shape: `[rows]` or `[rows, cols]`. Every model entry point accepts it. */
export interface Shaped {
  /** The values, row-major. */
  data: Float32Array;
  /** `[rows]` or `[rows, cols]`. */
  shape: number[];
}

/** A 2-D `Shaped`. */
export interface Shaped2D extends Shaped {
  /** `[rows, cols]`. */
  shape: [number, number];
}

/** Reads any deltaflow input as rows, remembering whether it was 1-D (so outputs keep its rank). */
export function readRows(input: Input, what: string): { m: Matrix; rank: 1 | 2 } {
  const m = toMatrix(input, what);
  return { m, rank: rankOf(input) };
}

function rankOf(input: unknown): 1 | 2 {
  if (input instanceof Tensor) return input.rank === 1 ? 1 : 2;
  if (typeof input === 'object' && input !== null && 'shape' in input && Array.isArray((input as { shape: unknown }).shape)) {
    return (input as { shape: unknown[] }).shape.length === 1 ? 1 : 2;
  }
  if (ArrayBuffer.isView(input)) return 1;
  const first = (input as ArrayLike<unknown>)[0];
  return Array.isArray(first) || ArrayBuffer.isView(first) ? 2 : 1;
}

/** Wraps values as `{ data, shape }` of the given rank. */
export function shaped(data: Float32Array, rows: number, cols: number, rank: 1 | 2): Shaped {
  return { data, shape: rank === 1 && cols === 1 ? [rows] : [rows, cols] };
}

/** The rows of `m` at `indices`, in that order. */
export function gather(m: Matrix, indices: ArrayLike<number>): Float32Array {
  const { cols } = m;
  const out = new Float32Array(indices.length * cols);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i];
    out.set(m.data.subarray(r * cols, (r + 1) * cols), i * cols);
  }
  return out;
}

/** The rows of `x` at `indices` (e.g. a fold from kFold), keeping x's rank. */
export function take(x: Input, indices: ArrayLike<number>): Shaped {
  const { m, rank } = readRows(x, 'take: x');
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i];
    if (!Number.isInteger(r) || r < 0 || r >= m.rows) throw new Error(`take: index ${String(r)} at position ${i} is not a row of x (it has ${m.rows} rows)`);
  }
  return shaped(gather(m, indices), indices.length, m.cols, rank);
}

/**
 * One label per row: a 1-D array or one column as is, several columns (one-hot or probabilities) by
 * their arg-max. Used by stratification and the confusion matrix.
 */
export function labelsOf(y: Input, what: string): Float32Array {
  const m = toMatrix(y, what);
  if (m.cols === 1) return m.data;
  const out = new Float32Array(m.rows);
  for (let r = 0; r < m.rows; r++) {
    let best = 0;
    for (let c = 1; c < m.cols; c++) if (m.data[r * m.cols + c] > m.data[r * m.cols + best]) best = c;
    out[r] = best;
  }
  return out;
}
