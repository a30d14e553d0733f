// Tensor: a plain JS value (row-major Float32Array plus shape) that users hold and never dispose.
import { firstNonFinite } from './wasm/check.js';
import { formatTensor } from './tensor-format.js';

// The values behind each Tensor, for the library's own readers (fit, predict, evaluate read them in
// place, as they read { data, shape }); users get copies from dataSync().
const valuesOf = new WeakMap<Tensor, Float32Array>();

/** tfjs's ranks, so that code typed Tensor<Rank.R2> ports as it is. */
export enum Rank {
  R0 = 'R0',
  R1 = 'R1',
  R2 = 'R2',
  R3 = 'R3',
  R4 = 'R4',
  R5 = 'R5',
  R6 = 'R6',
}

/** What arraySync() returns for each rank: t2d.arraySync()[0][0] is a number without a cast. */
export interface ArrayMap {
  [Rank.R0]: number;
  [Rank.R1]: number[];
  [Rank.R2]: number[][];
  [Rank.R3]: number[][][];
  [Rank.R4]: number[][][][];
  [Rank.R5]: number[][][][][];
  [Rank.R6]: number[][][][][][];
}

/** The nested arrays of a tensor of any rank. */
export type NestedArray = ArrayMap[Rank];

/** A deltaflow tensor: row-major float32 values and a shape, what `predict` returns and every entry point accepts; a plain object, collected like any other (nothing to dispose). */
export class Tensor<R extends Rank = Rank> {
  /** The size of each axis, e.g. [rows, cols]. */
  readonly shape: number[];
  /** The number of values: the product of the shape. */
  readonly size: number;
  /** Always 'float32': deltaflow computes in 32-bit floats (tfjs int32 and bool inputs are read as numbers). */
  readonly dtype = 'float32' as const;

  private readonly values: Float32Array;

  /** Wraps `values` (not a copy): they must not change while the tensor is in use. */
  constructor(values: Float32Array, shape: readonly number[]) {
    this.values = values;
    this.shape = [...shape];
    this.size = shape.reduce((a, b) => a * b, 1);
    if (this.size !== values.length) throw new Error(`tensor shape [${shape.join(', ')}] needs ${this.size} values, got ${values.length}`);
    valuesOf.set(this, values);
  }

  /** The number of axes. */
  get rank(): number {
    return this.shape.length;
  }

  /** A copy of the values, row-major. */
  dataSync(): Float32Array {
    return this.values.slice();
  }

  /** tfjs-compatible async form of dataSync(). */
  async data(): Promise<Float32Array> {
    return this.dataSync();
  }

  /** The values as nested arrays following the shape (a number for a scalar). */
  arraySync(): ArrayMap[R] {
    if (this.rank === 0) return this.values[0] as ArrayMap[R];
    return nest(this.values, this.shape) as ArrayMap[R];
  }

  /** tfjs-compatible async form of arraySync(). */
  async array(): Promise<ArrayMap[R]> {
    return this.arraySync();
  }

  /**
   * The same values in another shape; one axis may be -1 (inferred). The values are shared, not copied
   * (a Tensor never changes them).
   */
  reshape<S extends Rank = Rank>(shape: readonly number[]): Tensor<S> {
    return new Tensor<S>(this.values, inferShape(shape, this.size, this.shape));
  }

  /** Logs the values as tfjs's print() does; verbose adds dtype, rank and shape. */
  print(verbose = false): void {
    console.log(this.toString(verbose));
  }

  /** Present for code ported from tfjs: a Tensor owns no WASM memory, so there is nothing to free. */
  dispose(): void {}

  /** The text print() logs: 'Tensor' and the values in tfjs's layout. */
  toString(verbose = false): string {
    return formatTensor(this.values, this.shape, verbose);
  }
}

/** A rank-0 tensor, as tfjs types it. */
export type Scalar = Tensor<Rank.R0>;
/** A rank-1 tensor, as tfjs types it. */
export type Tensor1D = Tensor<Rank.R1>;
/** A rank-2 tensor ([rows, cols]), as tfjs types it. */
export type Tensor2D = Tensor<Rank.R2>;
/** A rank-3 tensor, as tfjs types it. */
export type Tensor3D = Tensor<Rank.R3>;
/** A rank-4 tensor ([batch, height, width, channels] for images), as tfjs types it. */
export type Tensor4D = Tensor<Rank.R4>;

function nest(values: Float32Array, shape: readonly number[]): NestedArray {
  if (shape.length === 1) return Array.from(values);
  const step = values.length / shape[0];
  const out = [];
  for (let i = 0; i < shape[0]; i++) out.push(nest(values.subarray(i * step, (i + 1) * step), shape.slice(1)));
  return out as NestedArray;
}

/** `shape` with its -1 axis (at most one) filled in so that it holds `size` values; an Error naming both shapes otherwise. */
function inferShape(shape: readonly number[], size: number, from: readonly number[]): number[] {
  const what = `reshape: cannot reshape [${from.join(', ')}] (${size} values) to [${Array.isArray(shape) ? shape.join(', ') : String(shape)}]`;
  if (!Array.isArray(shape)) throw new Error(`${what}: the shape must be an array of dimensions`);
  const free = shape.filter((d) => d === -1).length;
  if (free > 1) throw new Error(`${what}: at most one axis may be -1`);
  if (shape.some((d) => d !== -1 && (!Number.isInteger(d) || d < 0))) throw new Error(`${what}: every dimension must be an integer ≥ 0, or -1 for one inferred axis`);
  const known = shape.reduce((a, d) => (d === -1 ? a : a * d), 1);
  if (free === 0) {
    if (known !== size) throw new Error(`${what}: that shape holds ${known} values`);
    return [...shape];
  }
  if (known === 0 || size % known !== 0) throw new Error(`${what}: ${size} is not a multiple of ${known}, so the -1 axis cannot be inferred`);
  return shape.map((d) => (d === -1 ? size / known : d));
}

/** A TensorFlow.js tensor (or anything shaped like one): read through its dataSync() and shape, no tfjs import needed. */
export interface TfjsLike {
  /** The tensor's shape. */
  shape: number[];
  /** Its element type ('float32', 'int32', 'bool'): all are read as numbers. */
  dtype: string;
  /** Its values, row-major. */
  dataSync(): ArrayLike<number>;
}

function isTfjsTensor(x: unknown): x is TfjsLike {
  if (typeof x !== 'object' || x === null || x instanceof Tensor) return false;
  const t = x as Partial<TfjsLike>;
  return typeof t.dataSync === 'function' && Array.isArray(t.shape) && typeof t.dtype === 'string';
}

/** A tfjs tensor's values as float32 (int32 and bool read as numbers) and its shape; other dtypes are refused by name. */
function fromTfjs(t: TfjsLike, what: string): { data: Float32Array; shape: number[] } {
  if (t.dtype !== 'float32' && t.dtype !== 'int32' && t.dtype !== 'bool') {
    throw new Error(`${what} is a TensorFlow.js tensor of dtype '${t.dtype}': only float32, int32 and bool values can be read`);
  }
  const values = t.dataSync();
  return { data: values instanceof Float32Array ? values : Float32Array.from(values), shape: [...t.shape] };
}

/** The values `df.tensor` and its kin take: flat numbers, nested arrays or a typed array. */
export type Values = ArrayLike<number> | ArrayLike<unknown>;

/**
 * A tensor of any rank from nested arrays, from flat values with an explicit shape (a Float32Array is
 * wrapped, not copied), or from a TensorFlow.js tensor (its values copied).
 */
export function tensor(values: Values | TfjsLike | Tensor, shape?: readonly number[]): Tensor {
  if (isTfjsTensor(values)) {
    const t = fromTfjs(values, 'tensor values');
    return new Tensor(t.data, shape ?? t.shape);
  }
  if (values instanceof Tensor) return new Tensor(values.dataSync(), shape ?? values.shape);
  if (shape && isNestedInput(values)) {
    // Nested arrays with a shape, as tfjs allows: the shape must be theirs.
    const m = toMatrix(values, 'tensor values');
    if (m.dims.join() !== shape.join()) throw new Error(`tensor: the values have shape [${m.dims.join(', ')}] but the shape given is [${shape.join(', ')}]`);
    return new Tensor(m.data, m.dims);
  }
  if (shape) {
    const flat = values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
    return new Tensor(flat, shape);
  }
  const m = toMatrix(values, 'tensor values');
  return new Tensor(m.data === values ? m.data.slice() : m.data, m.dims);
}

/** A rank-0 tensor holding one number. */
export function scalar(value: number): Scalar {
  if (typeof value !== 'number') throw new Error(`scalar: expected a number, got ${describe(value)}`);
  return new Tensor<Rank.R0>(Float32Array.of(value), []);
}

/** A 1-D tensor from a list of numbers. */
export function tensor1d(values: ArrayLike<number>): Tensor1D {
  return ranked(tensor(values, isNestedInput(values) ? undefined : [values.length]), 1, 'tensor1d');
}

/** A 4-D tensor [batch, height, width, channels], as images are (Keras's channels_last). */
export function tensor4d(values: Values, shape?: [number, number, number, number]): Tensor4D {
  return ranked(tensor(values, shape), 4, 'tensor4d');
}

/** A 3-D tensor. */
export function tensor3d(values: Values, shape?: [number, number, number]): Tensor3D {
  return ranked(tensor(values, shape), 3, 'tensor3d');
}

/**
 * A 2-D tensor from nested arrays, or from flat values with an explicit [rows, cols] shape. A
 * Float32Array with a shape is wrapped, not copied (as TensorFlow.js's CPU backend does): a 300 MB
 * training set stays one 300 MB array through tensor2d and fit. Don't modify it while the tensor is in use.
 */
export function tensor2d(values: ArrayLike<number> | ArrayLike<ArrayLike<number>>, shape?: [number, number]): Tensor2D {
  if (shape) {
    const flat = values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
    return new Tensor<Rank.R2>(flat, shape);
  }
  const m = toMatrix(values, 'tensor2d values');
  // A Tensor owns its values: never share the caller's array.
  return new Tensor<Rank.R2>(m.data === values ? m.data.slice() : m.data, [m.rows, m.cols]);
}

/** `t` typed by its rank, or an Error naming the factory and the shape it got. */
function ranked<R extends Rank>(t: Tensor, rank: number, factory: string): Tensor<R> {
  if (t.rank !== rank) throw new Error(`${factory}: expected a ${rank}-D shape, got [${t.shape.join(', ')}]`);
  return t as Tensor<R>;
}

function isNestedInput(values: unknown): boolean {
  return isArrayLike(values) && values.length > 0 && isArrayLike(values[0]);
}

/** Row-major data as rows: what every model entry point works on. */
export interface Matrix {
  data: Float32Array;
  rows: number;
  /** Values per row. */
  cols: number;
  /** The shape of one row ([cols] for 2-D data, [h, w, c] for images). */
  shape: number[];
  /** The whole shape as given: [rows, …shape], or [rows] for 1-D data. */
  dims: number[];
}

/** What fit, predict and evaluate accept: a deltaflow or tfjs tensor, nested arrays, flat numbers, or `{ data, shape }`. */
export type Input = Tensor | TfjsLike | ArrayLike<number> | ArrayLike<ArrayLike<number>> | ArrayLike<unknown> | { data: ArrayLike<number>; shape: readonly number[] };

/**
 * Reads any accepted input form as a matrix, or throws an Error that names `what`, the row and the
 * problem: ragged rows, non-numbers, NaN or Infinity, wrong rank. A 1-D array becomes one column.
 */
export function toMatrix(input: unknown, what: string): Matrix {
  if (input instanceof Tensor) return fromFlat(valuesOf.get(input)!, input.shape, what);
  if (isTfjsTensor(input)) {
    const t = fromTfjs(input, what);
    return fromFlat(t.data, t.shape, what);
  }
  if (isShaped(input)) return fromFlat(input.data, input.shape, what);
  if (!isArrayLike(input)) throw new Error(`${what} must be a Tensor, a number[][] or { data, shape }, got ${describe(input)}`);
  const rows = input.length;
  if (rows === 0) throw new Error(`${what} is empty: it needs at least one row`);
  if (!isArrayLike(input[0])) return fromFlat(input as ArrayLike<number>, [rows], what);
  // Nested arrays of any rank: the shape is read down the first elements, every other element must match it.
  const dims: number[] = [];
  for (let a: unknown = input; isArrayLike(a); a = a[0]) {
    dims.push(a.length);
    if (a.length === 0) break;
  }
  if (dims.length > 5) throw new Error(`${what} has ${dims.length} nested levels; at most 5 ([batch, height, width, channels] plus one) are supported`);
  const cols = dims.slice(1).reduce((a, b) => a * b, 1);
  if (cols === 0) throw new Error(`${what} has rows of width 0`);
  const data = new Float32Array(rows * cols);
  let at = 0;
  const walk = (a: unknown, level: number, path: number[]): void => {
    if (level === dims.length) {
      const v = a;
      data[at] = v as number;
      // Checked after the f32 store, so values beyond f32 range are caught too.
      if (typeof v !== 'number' || !Number.isFinite(data[at])) {
        throw new Error(`${what}${path.map((i) => `[${i}]`).join('')} is ${describe(v)}: values must be finite 32-bit floats`);
      }
      at++;
      return;
    }
    if (!isArrayLike(a)) throw new Error(`${what}${path.map((i) => `[${i}]`).join('')} is ${describe(a)}, not an array`);
    if (a.length !== dims[level]) {
      const where = level === 1 ? `row ${path[0]}` : `${what}${path.map((i) => `[${i}]`).join('')}`;
      throw new Error(`${what} is ragged: ${where} has ${a.length} values, ${level === 1 ? 'row 0' : 'the first'} has ${dims[level]}`);
    }
    for (let i = 0; i < a.length; i++) walk(a[i], level + 1, [...path, i]);
  };
  for (let r = 0; r < rows; r++) {
    const row = input[r];
    if (!isArrayLike(row)) throw new Error(`${what} row ${r} is ${describe(row)}, not an array`);
    walk(row, 1, [r]);
  }
  return { data, rows, cols, shape: dims.slice(1), dims };
}

function fromFlat(values: ArrayLike<number>, shape: readonly number[], what: string): Matrix {
  if (shape.length < 1 || shape.length > 5) throw new Error(`${what} must have rank 1 to 5, got shape [${shape.join(', ')}]`);
  for (const d of shape) if (!Number.isInteger(d) || d < 0) throw new Error(`${what} has an invalid shape [${shape.join(', ')}]`);
  const rows = shape[0];
  const cols = shape.slice(1).reduce((a, b) => a * b, 1);
  if (rows === 0 || cols === 0) throw new Error(`${what} is empty: shape [${shape.join(', ')}]`);
  if (values.length !== rows * cols) throw new Error(`${what} has ${values.length} values but shape [${shape.join(', ')}] needs ${rows * cols}`);
  // A Float32Array is read in place (callers copy it into WASM memory before returning); anything
  // else is converted once. A plain array's entries must be numbers: Float32Array.from would turn '1' into 1.
  if (!ArrayBuffer.isView(values)) {
    for (let i = 0; i < values.length; i++) {
      if (typeof values[i] !== 'number') throw new Error(`${what}[${Math.floor(i / cols)}][${i % cols}] is ${describe(values[i])}: values must be finite 32-bit floats`);
    }
  }
  const data = values instanceof Float32Array ? values : Float32Array.from(values);
  const i = firstNonFinite(data);
  if (i >= 0) throw new Error(`${what}[${Math.floor(i / cols)}][${i % cols}] is ${describe(values[i])}: values must be finite 32-bit floats`);
  return { data, rows, cols, shape: shape.length === 1 ? [1] : shape.slice(1), dims: [...shape] };
}

function isShaped(x: unknown): x is { data: ArrayLike<number>; shape: readonly number[] } {
  return typeof x === 'object' && x !== null && 'data' in x && 'shape' in x && Array.isArray((x as { shape: unknown }).shape);
}

function isArrayLike(x: unknown): x is ArrayLike<unknown> & { [i: number]: unknown } {
  return Array.isArray(x) || ArrayBuffer.isView(x);
}

function describe(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  return typeof v;
}
