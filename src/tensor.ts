// Tensor: a plain JS value (row-major Float32Array plus shape) that users hold and never dispose.
import { firstNonFinite } from './wasm/check.js';

// The values behind each Tensor, for the library's own readers (fit, predict, evaluate read them in
// place, as they read { data, shape }); users get copies from dataSync().
const valuesOf = new WeakMap<Tensor, Float32Array>();

export class Tensor {
  readonly shape: number[];
  readonly size: number;

  private readonly values: Float32Array;

  /** Wraps `values` (not a copy): they must not change while the tensor is in use. */
  constructor(values: Float32Array, shape: readonly number[]) {
    this.values = values;
    this.shape = [...shape];
    this.size = shape.reduce((a, b) => a * b, 1);
    if (this.size !== values.length) throw new Error(`tensor shape [${shape.join(', ')}] needs ${this.size} values, got ${values.length}`);
    valuesOf.set(this, values);
  }

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

  /** The values as nested arrays following the shape. */
  arraySync(): NestedArray {
    if (this.rank === 0) return this.values[0];
    return nest(this.values, this.shape);
  }

  /** tfjs-compatible async form of arraySync(). */
  async array(): Promise<NestedArray> {
    return this.arraySync();
  }

  /** Present for code ported from tfjs: a Tensor owns no WASM memory, so there is nothing to free. */
  dispose(): void {}

  toString(): string {
    return `Tensor [${this.shape.join(', ')}] ${JSON.stringify(this.arraySync())}`;
  }
}

export type NestedArray = number | number[] | number[][] | number[][][] | number[][][][] | number[][][][][];

function nest(values: Float32Array, shape: readonly number[]): NestedArray {
  if (shape.length === 1) return Array.from(values);
  const step = values.length / shape[0];
  const out = [];
  for (let i = 0; i < shape[0]; i++) out.push(nest(values.subarray(i * step, (i + 1) * step), shape.slice(1)));
  return out as NestedArray;
}

/** A tensor of any rank from nested arrays, or from flat values with an explicit shape (a Float32Array is wrapped, not copied). */
export function tensor(values: ArrayLike<number> | ArrayLike<unknown>, shape?: readonly number[]): Tensor {
  if (shape) {
    const flat = values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
    return new Tensor(flat, shape);
  }
  const m = toMatrix(values, 'tensor values');
  return new Tensor(m.data === values ? m.data.slice() : m.data, m.dims);
}

/** A 4-D tensor [batch, height, width, channels], as images are (Keras's channels_last). */
export function tensor4d(values: ArrayLike<number> | ArrayLike<unknown>, shape?: [number, number, number, number]): Tensor {
  const t = tensor(values, shape);
  if (t.rank !== 4) throw new Error(`tensor4d: expected a 4-D shape, got [${t.shape.join(', ')}]`);
  return t;
}

/** A 3-D tensor. */
export function tensor3d(values: ArrayLike<number> | ArrayLike<unknown>, shape?: [number, number, number]): Tensor {
  const t = tensor(values, shape);
  if (t.rank !== 3) throw new Error(`tensor3d: expected a 3-D shape, got [${t.shape.join(', ')}]`);
  return t;
}

/**
 * A 2-D tensor from nested arrays, or from flat values with an explicit [rows, cols] shape. A
 * Float32Array with a shape is wrapped, not copied (as TensorFlow.js's CPU backend does): a 300 MB
 * training set stays one 300 MB array through tensor2d and fit. Don't modify it while the tensor is in use.
 */
export function tensor2d(values: ArrayLike<number> | ArrayLike<ArrayLike<number>>, shape?: [number, number]): Tensor {
  if (shape) {
    const flat = values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
    return new Tensor(flat, shape);
  }
  const m = toMatrix(values, 'tensor2d values');
  // A Tensor owns its values: never share the caller's array.
  return new Tensor(m.data === values ? m.data.slice() : m.data, [m.rows, m.cols]);
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

export type Input = Tensor | ArrayLike<number> | ArrayLike<ArrayLike<number>> | ArrayLike<unknown> | { data: ArrayLike<number>; shape: readonly number[] };

/**
 * Reads any accepted input form as a matrix, or throws an Error that names `what`, the row and the
 * problem: ragged rows, non-numbers, NaN or Infinity, wrong rank. A 1-D array becomes one column.
 */
export function toMatrix(input: unknown, what: string): Matrix {
  if (input instanceof Tensor) return fromFlat(valuesOf.get(input)!, input.shape, what);
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
