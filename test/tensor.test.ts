import { describe, expect, it } from 'vitest';
import { Tensor, tensor2d, toMatrix } from '../src/tensor.js';

describe('Tensor', () => {
  it('tensor2d from nested arrays and from flat values with a shape', () => {
    const a = tensor2d([[1, 2, 3], [4, 5, 6]]);
    expect(a.shape).toEqual([2, 3]);
    expect(a.arraySync()).toEqual([[1, 2, 3], [4, 5, 6]]);
    const b = tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
    expect(b.arraySync()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(() => tensor2d([1, 2, 3], [2, 2])).toThrow(/shape \[2, 2\] needs 4 values, got 3/);
  });

  it('dataSync returns a copy', () => {
    const t = new Tensor(new Float32Array([1, 2]), [2]);
    t.dataSync()[0] = 9;
    expect(t.dataSync()[0]).toBe(1);
  });

  it('toMatrix reads every input form and names the problem in bad ones', () => {
    expect(toMatrix([1, 2, 3], 'y')).toMatchObject({ rows: 3, cols: 1 });
    expect(toMatrix({ data: new Float32Array(6), shape: [2, 3] }, 'x')).toMatchObject({ rows: 2, cols: 3 });
    expect(toMatrix(tensor2d([[1], [2]]), 'x')).toMatchObject({ rows: 2, cols: 1 });
    expect(() => toMatrix([], 'x')).toThrow(/x is empty/);
    expect(() => toMatrix('abc', 'x')).toThrow(/x must be a Tensor, a number\[\]\[\] or \{ data, shape \}/);
    expect(() => toMatrix([[1, 2], [3]], 'x')).toThrow(/x is ragged: row 1 has 1 values, row 0 has 2/);
    expect(() => toMatrix([[1, 2], [3, null]], 'x')).toThrow(/x\[1\]\[1\] is null/);
    expect(() => toMatrix([[1e40]], 'x')).toThrow(/x\[0\]\[0\] is 1e\+40: values must be finite 32-bit floats/);
    expect(() => toMatrix({ data: [1, 2, 3], shape: [2, 2] }, 'x')).toThrow(/x has 3 values but shape \[2, 2\] needs 4/);
    expect(() => toMatrix({ data: [1, 2], shape: [1, 1, 1, 1, 1, 2] }, 'x')).toThrow(/x must have rank 1 to 5/);
    // Rank 3 and 4: rows of the trailing shape, nested or flat, the same values.
    const flat = toMatrix({ data: [1, 2, 3, 4, 5, 6, 7, 8], shape: [2, 2, 2, 1] }, 'x');
    expect([flat.rows, flat.cols, flat.shape, flat.dims]).toEqual([2, 4, [2, 2, 1], [2, 2, 2, 1]]);
    const nested = toMatrix([[[[1], [2]], [[3], [4]]], [[[5], [6]], [[7], [8]]]], 'x');
    expect([nested.rows, nested.cols, nested.shape, Array.from(nested.data)]).toEqual([2, 4, [2, 2, 1], [1, 2, 3, 4, 5, 6, 7, 8]]);
    expect(() => toMatrix([[[1], [2]], [[3]]], 'x')).toThrow(/x is ragged: row 1 has 1 values, row 0 has 2/);
    expect(() => toMatrix([[[1, 2]], [[3, 'a']]], 'x')).toThrow(/x\[1\]\[0\]\[1\] is the string "a"/);
  });
});
