import { describe, expect, it } from 'vitest';
import { formatTensor } from '../src/tensor-format.js';

const f = (values: number[], shape: number[], verbose = false) => formatTensor(Float32Array.from(values), shape, verbose);

describe('formatTensor (the tfjs print layout; compared with tfjs itself in test/api)', () => {
  it('rounds to 7 decimals and pads each column to its widest value', () => {
    expect(f([1.5, -20, 300, 4], [2, 2])).toBe('Tensor\n    [[1.5, -20],\n     [300, 4  ]]');
    expect(f([1 / 3, 2], [2])).toBe('Tensor\n    [0.3333333, 2]');
  });

  it('a scalar, a one-row matrix and rank-3 blocks separated by a blank line', () => {
    expect(f([0.25], [])).toBe('Tensor\n    0.25');
    // tfjs's own quirk for a single row, kept: one more space and a trailing comma.
    expect(f([1, 2], [1, 2])).toBe('Tensor\n     [[1, 2],]');
    expect(f([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2])).toBe('Tensor\n    [[[1, 2],\n      [3, 4]],\n\n     [[5, 6],\n      [7, 8]]]');
  });

  it('an axis longer than 20 shows its first and last 3 entries', () => {
    expect(f(Array.from({ length: 21 }, (_, i) => i), [21])).toBe('Tensor\n    [0, 1, 2, ..., 18, 19, 20]');
    const rows = f(Array.from({ length: 21 }, (_, i) => i), [21, 1]).split('\n');
    expect(rows).toEqual(['Tensor', '    [[0 ],', '     [1 ],', '     [2 ],', '     ...,', '     [18],', '     [19],', '     [20]]']);
  });

  it('verbose adds dtype, rank and shape', () => {
    expect(f([1, 2], [2], true)).toBe('Tensor\n  dtype: float32\n  rank: 1\n  shape: [2]\n  values:\n    [1, 2]');
  });
});
