// One-hot encoding of integer class labels.

import type { Input } from '../tensor.js';
import type { Shaped2D } from './matrix.js';
import { toMatrix } from '../tensor.js';

/**
 * Integer labels 0 … k − 1 as one 0/1 row each: `{ data, shape: [n, k] }`. `numClasses` defaults to
 * the largest label + 1. Labels may be a 1-D array, a column, a Tensor or `{ data, shape }`.
 */
export function oneHot(labels: Input, numClasses?: number): Shaped2D {
  let values: ArrayLike<number>;
  if (labels instanceof Float64Array) {
    values = labels;
  } else {
    const m = toMatrix(labels, 'oneHot labels');
    if (m.cols !== 1) throw new Error(`oneHot labels must be one label per row, got ${m.cols} columns`);
    values = m.data;
  }
  const n = values.length;
  if (n === 0) throw new Error('oneHot labels are empty');
  let max = -1;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0) throw new Error(`oneHot: label ${v} at position ${i} is not a non-negative integer`);
    if (v > max) max = v;
  }
  const k = numClasses ?? max + 1;
  if (!Number.isInteger(k) || k < 1) throw new Error(`oneHot: numClasses must be a positive integer, got ${String(numClasses)}`);
  const data = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v >= k) throw new Error(`oneHot: label ${v} at position ${i} is not below numClasses = ${k}`);
    data[i * k + v] = 1;
  }
  return { data, shape: [n, k] };
}
