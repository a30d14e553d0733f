// Table: named columns read from a CSV file, every value a number (text columns hold integer codes,
// with the text ↔ code mapping kept), and the ways to turn them into deltaflow inputs.

import type { Shaped2D } from './matrix.js';
import { oneHot } from './encode.js';
import { checkOptions, type OptionSpec } from '../options.js';

/** 'number' columns hold their values; 'category' columns hold integer codes 0 … k − 1. */
export type ColumnType = 'number' | 'category';

/** A column as the table stores it. */
export interface ColumnData {
  /** The column's name (its header, or its index as text without a header). */
  name: string;
  /** 'number', or 'category' for text stored as codes. */
  type: ColumnType;
  /** One value per row: the number, or for a category column the category's code. */
  values: Float64Array;
  /** For category columns: code → text, codes 0 … k − 1. */
  categories?: string[];
}

/** How `select` and `split` write category columns: one column of codes, or one 0/1 column per category. */
export type CategoricalEncoding = 'codes' | 'oneHot';

/** Options of `table.select(columns, options)`. */
export interface SelectOptions {
  /** Category columns as their integer codes (default) or one-hot, one column per category named `name=value`. */
  categorical?: CategoricalEncoding;
}

/** Options of `table.split(options)`: which column is the target, which are the features. */
export interface SplitOptions extends SelectOptions {
  /** The column(s) to predict, by name or index. */
  target: string | number | readonly (string | number)[];
  /** The input columns, by name or index; default every column except the target. */
  features?: readonly (string | number)[];
  /** Write the (single) target one-hot: `true` for as many classes as it has, or a class count. */
  oneHot?: boolean | number;
}

const SELECT_OPTIONS: OptionSpec<SelectOptions> = { known: { categorical: true } };
const SPLIT_OPTIONS: OptionSpec<SplitOptions> = { known: { target: true, features: true, oneHot: true, categorical: true } };

/** Inputs and targets ready for `model.fit(x, y)`, with the names of x's and y's columns. */
export interface XY {
  /** The inputs, one row per record. */
  x: Shaped2D;
  /** The targets, one row per record. */
  y: Shaped2D;
  /** The names of x's columns. */
  features: string[];
  /** The names of y's columns. */
  target: string[];
  /** The target's category names (code order) when the target is a single category column. */
  classes?: string[];
}

/** A column by name or by 0-based index. */
export type ColumnRef = string | number;

/** A CSV file as typed columns (numbers, or text categories with integer codes); `split` turns it into model inputs and targets. */
export class Table {
  /** Column names, in file order. */
  readonly columns: readonly string[];
  /** The type of each column, parallel to `columns`. */
  readonly types: readonly ColumnType[];
  /** Number of rows. */
  readonly rows: number;
  /** For every category column: text → integer code. Pass it to readCsv({ encodings }) to read a test file with the same codes. */
  readonly encodings: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** The 1-based line in the source where each row starts (for messages). */
  readonly lines: Int32Array;
  private readonly data: ColumnData[];

  constructor(columns: ColumnData[], lines?: Int32Array) {
    const rows = columns.length ? columns[0].values.length : 0;
    for (const c of columns) if (c.values.length !== rows) throw new Error(`Table: column "${c.name}" has ${c.values.length} values, "${columns[0].name}" has ${rows}`);
    const names = new Set<string>();
    for (const c of columns) {
      if (names.has(c.name)) throw new Error(`Table: two columns are named "${c.name}"`);
      names.add(c.name);
    }
    this.data = columns;
    this.columns = Object.freeze(columns.map((c) => c.name));
    this.types = Object.freeze(columns.map((c) => c.type));
    this.rows = rows;
    this.lines = lines ?? Int32Array.from({ length: rows }, (_, i) => i + 1);
    const encodings: Record<string, Record<string, number>> = {};
    for (const c of columns) {
      if (c.type !== 'category') continue;
      const map: Record<string, number> = Object.create(null);
      (c.categories ?? []).forEach((text, code) => (map[text] = code));
      encodings[c.name] = Object.freeze(map);
    }
    this.encodings = Object.freeze(encodings);
  }

  /** [rows, columns]. */
  get shape(): [number, number] {
    return [this.rows, this.columns.length];
  }

  /** The position of a column given by name or index; a clear error when there is no such column. */
  indexOf(ref: ColumnRef): number {
    if (typeof ref === 'number') {
      if (!Number.isInteger(ref) || ref < 0 || ref >= this.columns.length) {
        throw new Error(`column index ${ref} is out of range: the table has ${this.columns.length} columns (0 … ${this.columns.length - 1})`);
      }
      return ref;
    }
    if (typeof ref !== 'string') throw new Error(`a column is named by a string or an index, got ${typeof ref}`);
    const i = this.columns.indexOf(ref);
    if (i < 0) throw new Error(`no column "${ref}"; the columns are: ${listNames(this.columns)}`);
    return i;
  }

  /** A column's values (a copy): numbers, or integer codes for a category column. */
  column(ref: ColumnRef): Float64Array {
    return this.data[this.indexOf(ref)].values.slice();
  }

  /** A category column's names in code order (code i ↔ categories[i]); [] for a numeric column. */
  categories(ref: ColumnRef): string[] {
    return [...(this.data[this.indexOf(ref)].categories ?? [])];
  }

  /** The text of each code of a category column, e.g. to print predicted classes. */
  decode(ref: ColumnRef, codes: ArrayLike<number>): string[] {
    const col = this.data[this.indexOf(ref)];
    if (col.type !== 'category') throw new Error(`column "${col.name}" is numeric: there is nothing to decode`);
    const cats = col.categories ?? [];
    return Array.from(codes, (code, i) => {
      if (!Number.isInteger(code) || code < 0 || code >= cats.length) {
        throw new Error(`decode: code ${code} at position ${i} is not a category of "${col.name}" (codes 0 … ${cats.length - 1})`);
      }
      return cats[code];
    });
  }

  /** Row `i` as its values, category columns as their text. */
  row(i: number): (number | string)[] {
    if (!Number.isInteger(i) || i < 0 || i >= this.rows) throw new Error(`row ${i} is out of range: the table has ${this.rows} rows`);
    return this.data.map((c) => (c.type === 'category' ? (c.categories ?? [])[c.values[i]] : c.values[i]));
  }

  /** A new table with the rows at `indices`, in that order (category codes unchanged). */
  take(indices: ArrayLike<number>): Table {
    const idx = Array.from(indices);
    for (const [p, r] of idx.entries()) {
      if (!Number.isInteger(r) || r < 0 || r >= this.rows) throw new Error(`take: index ${r} at position ${p} is not a row (the table has ${this.rows})`);
    }
    const cols = this.data.map((c) => ({ ...c, values: Float64Array.from(idx, (r) => c.values[r]) }));
    return new Table(cols, Int32Array.from(idx, (r) => this.lines[r]));
  }

  /** A new table without the given columns. */
  drop(refs: readonly ColumnRef[] | ColumnRef): Table {
    const gone = new Set(toList(refs).map((r) => this.indexOf(r)));
    return new Table(this.data.filter((_, i) => !gone.has(i)), this.lines);
  }

  /**
   * The given columns (default all) as deltaflow input: `{ data: Float32Array, shape: [rows, cols] }`,
   * plus `columns`, the name of each output column.
   */
  select(refs?: readonly ColumnRef[] | ColumnRef, given?: SelectOptions): Shaped2D & { columns: string[] } {
    const options = checkOptions('select', given, SELECT_OPTIONS);
    const idx = refs === undefined ? this.columns.map((_, i) => i) : toList(refs).map((r) => this.indexOf(r));
    if (idx.length === 0) throw new Error('select: no columns given');
    const categorical = options.categorical ?? 'codes';
    if (categorical !== 'codes' && categorical !== 'oneHot') throw new Error(`select: categorical must be 'codes' or 'oneHot', got ${String(categorical)}`);
    // Each output column: a source column and, for one-hot, the category it flags.
    const outs: { col: ColumnData; code: number; name: string }[] = [];
    for (const i of idx) {
      const col = this.data[i];
      if (col.type === 'category' && categorical === 'oneHot') {
        (col.categories ?? []).forEach((text, code) => outs.push({ col, code, name: `${col.name}=${text}` }));
      } else {
        outs.push({ col, code: -1, name: col.name });
      }
    }
    const cols = outs.length;
    const data = new Float32Array(this.rows * cols);
    outs.forEach(({ col, code }, c) => {
      const v = col.values;
      for (let r = 0; r < this.rows; r++) {
        if (code >= 0) {
          data[r * cols + c] = v[r] === code ? 1 : 0;
        } else {
          data[r * cols + c] = v[r];
          if (!Number.isFinite(data[r * cols + c])) {
            throw new Error(`column "${col.name}", row ${r} (line ${this.lines[r]}): ${v[r]} does not fit a 32-bit float`);
          }
        }
      }
    });
    return { data, shape: [this.rows, cols], columns: outs.map((o) => o.name) };
  }

  /**
   * Inputs and targets for model.fit: `split({ target: 'class' })` uses every other column as a feature;
   * `features` picks them (by name or index); `oneHot` writes a class target one-hot.
   */
  split(given: SplitOptions): XY {
    const options = given === null || typeof given !== 'object' ? given : checkOptions('split', given, SPLIT_OPTIONS);
    if (options === null || typeof options !== 'object' || options.target === undefined) {
      throw new Error(`split needs a target column: split({ target: 'name' or index }); the columns are: ${listNames(this.columns)}`);
    }
    const targets = toList(options.target).map((r) => this.indexOf(r));
    if (targets.length === 0) throw new Error('split: target names no column');
    const features = options.features === undefined
      ? this.columns.map((_, i) => i).filter((i) => !targets.includes(i))
      : options.features.map((r) => this.indexOf(r));
    for (const f of features) {
      if (targets.includes(f)) throw new Error(`split: column "${this.columns[f]}" is both a feature and the target`);
    }
    if (features.length === 0) throw new Error('split: no feature columns are left');
    const x = this.select(features, { categorical: options.categorical });
    const first = this.data[targets[0]];
    const classes = targets.length === 1 && first.type === 'category' ? [...(first.categories ?? [])] : undefined;
    let y: Shaped2D & { columns?: string[] };
    let targetNames: string[];
    if (options.oneHot !== undefined && options.oneHot !== false) {
      if (targets.length !== 1) throw new Error('split: oneHot needs a single target column');
      const numClasses = typeof options.oneHot === 'number' ? options.oneHot : classes ? classes.length : undefined;
      try {
        y = oneHot(first.values, numClasses) as Shaped2D;
      } catch (e) {
        throw new Error(`split: target "${first.name}": ${(e as Error).message}`);
      }
      targetNames = classes ? classes.map((c) => `${first.name}=${c}`) : Array.from({ length: y.shape[1] }, (_, k) => `${first.name}=${k}`);
    } else {
      const sel = this.select(targets);
      y = { data: sel.data, shape: sel.shape };
      targetNames = sel.columns;
    }
    return { x: { data: x.data, shape: x.shape }, y: { data: y.data, shape: y.shape }, features: x.columns, target: targetNames, classes };
  }

  /** One line: the row count and each column's name and type. */
  toString(): string {
    return `Table ${this.rows} rows × ${this.columns.length} columns: ${this.columns.map((c, i) => `${c} (${this.types[i]})`).join(', ')}`;
  }
}

function toList(refs: readonly ColumnRef[] | ColumnRef): ColumnRef[] {
  return Array.isArray(refs) ? [...refs] : [refs as ColumnRef];
}

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, 20).map((n) => JSON.stringify(n)).join(', ');
  return names.length > 20 ? `${shown}, … (${names.length} in all)` : shown;
}
