import { describe, expect, it } from 'vitest';
import { Tensor, scalar, tensor, tensor1d, tensor2d, tensor3d, toMatrix, type Tensor2D } from '../src/tensor.js';

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

  it('scalar, tensor1d and the ranked factories check their rank and type arraySync by it', () => {
    const s = scalar(2.5);
    expect([s.shape, s.rank, s.size, s.dtype, s.arraySync()]).toEqual([[], 0, 1, 'float32', 2.5]);
    expect(() => scalar('1' as unknown as number)).toThrow(/scalar: expected a number, got the string "1"/);
    const v = tensor1d(new Float32Array([1, 2, 3]));
    expect([v.shape, v.arraySync()[2]]).toEqual([[3], 3]);
    expect(() => tensor1d([[1, 2]] as unknown as number[])).toThrow(/tensor1d: expected a 1-D shape, got \[1, 2\]/);
    expect(() => tensor3d([1, 2], [1, 2] as unknown as [number, number, number])).toThrow(/tensor3d: expected a 3-D shape, got \[1, 2\]/);
    const m: Tensor2D = tensor2d([[1, 2], [3, 4]]);
    const row: number[] = m.arraySync()[1];
    expect(row).toEqual([3, 4]);
  });

  it('tensor(nested, shape) checks the shape against the values', () => {
    expect(tensor([[1, 2], [3, 4]], [2, 2]).arraySync()).toEqual([[1, 2], [3, 4]]);
    expect(() => tensor([[1, 2], [3, 4]], [4, 1])).toThrow(/tensor: the values have shape \[2, 2\] but the shape given is \[4, 1\]/);
  });

  it('reshape infers one -1 axis, shares the values and names both shapes when they do not fit', () => {
    const t = tensor2d([[1, 2, 3], [4, 5, 6]]);
    expect(t.reshape([-1]).shape).toEqual([6]);
    expect(t.reshape([3, -1]).arraySync()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(t.reshape([1, 1, 6]).shape).toEqual([1, 1, 6]);
    expect(t.shape).toEqual([2, 3]);
    expect(() => t.reshape([5, -1])).toThrow(/reshape: cannot reshape \[2, 3\] \(6 values\) to \[5, -1\]: 6 is not a multiple of 5/);
    expect(() => t.reshape([0, -1])).toThrow(/0 is not a multiple|cannot be inferred/);
    expect(() => t.reshape([2, 2])).toThrow(/to \[2, 2\]: that shape holds 4 values/);
    expect(() => t.reshape([-2, 3])).toThrow(/every dimension must be an integer ≥ 0, or -1/);
    expect(() => t.reshape([-1, -1])).toThrow(/at most one axis may be -1/);
  });

  it('print logs toString, the tfjs layout; verbose adds dtype, rank and shape', () => {
    const lines: string[] = [];
    const log = console.log;
    console.log = (s: string) => void lines.push(s);
    try {
      tensor2d([[1, 2], [3, 4]]).print();
      scalar(7).print(true);
    } finally {
      console.log = log;
    }
    expect(lines).toEqual(['Tensor\n    [[1, 2],\n     [3, 4]]', 'Tensor\n  dtype: float32\n  rank: 0\n  shape: []\n  values:\n    7']);
  });

  it('reads anything shaped like a TensorFlow.js tensor through dataSync() and shape', () => {
    const like = (values: ArrayLike<number>, shape: number[], dtype: string) => ({ shape, dtype, dataSync: () => values });
    expect(toMatrix(like(new Float32Array([1, 2, 3, 4]), [2, 2], 'float32'), 'x')).toMatchObject({ rows: 2, cols: 2, dims: [2, 2] });
    expect(Array.from(toMatrix(like(new Int32Array([5, 6]), [2, 1], 'int32'), 'x').data)).toEqual([5, 6]);
    expect(Array.from(toMatrix(like(new Uint8Array([1, 0]), [1, 2], 'bool'), 'x').data)).toEqual([1, 0]);
    expect(() => toMatrix(like(new Float32Array(3), [2, 2], 'float32'), 'x')).toThrow(/x has 3 values but shape \[2, 2\] needs 4/);
    expect(() => toMatrix(like([], [1], 'string'), 'x')).toThrow(/x is a TensorFlow.js tensor of dtype 'string': only float32, int32 and bool/);
    expect(() => toMatrix(like(new Float32Array([NaN]), [1, 1], 'float32'), 'x')).toThrow(/x\[0\]\[0\] is NaN/);
    expect(tensor(like(new Int32Array([1, 2]), [2], 'int32')).dataSync()).toEqual(new Float32Array([1, 2]));
  });
});
