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
  arraySync(): number[] | number[][] | number {
    if (this.rank === 0) return this.values[0];
    if (this.rank === 1) return Array.from(this.values);
    const [rows, cols] = [this.shape[0], this.size / this.shape[0]];
    const out: number[][] = [];
    for (let r = 0; r < rows; r++) out.push(Array.from(this.values.subarray(r * cols, (r + 1) * cols)));
    return out;
  }

  /** tfjs-compatible async form of arraySync(). */
  async array(): Promise<number[] | number[][] | number> {
    return this.arraySync();
  }

  /** Present for code ported from tfjs: a Tensor owns no WASM memory, so there is nothing to free. */
  dispose(): void {}

  toString(): string {
    return `Tensor [${this.shape.join(', ')}] ${JSON.stringify(this.arraySync())}`;
  }
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

/** Row-major 2-D data: what every model entry point works on. */
export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

export type Input = Tensor | ArrayLike<number> | ArrayLike<ArrayLike<number>> | { data: ArrayLike<number>; shape: readonly number[] };

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
  const first = input[0];
  if (!isArrayLike(first)) return fromFlat(input as ArrayLike<number>, [rows], what);
  const cols = first.length;
  const data = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const row = input[r];
    if (!isArrayLike(row)) throw new Error(`${what} row ${r} is ${describe(row)}, not an array`);
    if (row.length !== cols) throw new Error(`${what} is ragged: row ${r} has ${row.length} values, row 0 has ${cols}`);
    for (let c = 0; c < cols; c++) {
      const v = row[c];
      data[r * cols + c] = v as number;
      // Checked after the f32 store, so values beyond f32 range are caught too.
      if (typeof v !== 'number' || !Number.isFinite(data[r * cols + c])) {
        throw new Error(`${what}[${r}][${c}] is ${describe(v)}: values must be finite 32-bit floats`);
      }
    }
  }
  if (cols === 0) throw new Error(`${what} has rows of width 0`);
  return { data, rows, cols };
}

function fromFlat(values: ArrayLike<number>, shape: readonly number[], what: string): Matrix {
  if (shape.length !== 1 && shape.length !== 2) throw new Error(`${what} must be 1-D or 2-D, got shape [${shape.join(', ')}]`);
  for (const d of shape) if (!Number.isInteger(d) || d < 0) throw new Error(`${what} has an invalid shape [${shape.join(', ')}]`);
  const rows = shape[0];
  const cols = shape.length === 2 ? shape[1] : 1;
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
  return { data, rows, cols };
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
