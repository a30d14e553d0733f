// Reading a CSV file for the CLI and turning its rows into model inputs and targets, the same way at
// training and at prediction time: the feature columns by name (or position, for a headerless file),
// text columns one-hot over the training categories, target values mapped to class indices.
import * as fs from 'node:fs/promises';
import * as df from '../entries/node.js';
import { CliError } from './errors.js';

type Table = df.data.Table;

export interface CsvSettings {
  /** 'auto', 'whitespace' or one character. */
  delimiter: string;
  /** true, false or 'auto' (a first line without numbers is a header). */
  header: boolean | 'auto';
  /** What to do with empty / NA cells: 'error', 'drop', 'mean', 'median' or 'mode'. */
  missing: string;
  /** The bytes' encoding; undefined: UTF-8 unless a byte order mark says otherwise. */
  encoding?: df.data.CsvEncoding;
}

export const MISSING_CHOICES = ['error', 'drop', 'mean', 'median', 'mode'] as const;

/** The --delimiter value as readCsv takes it ('tab' → '\t', 'space'/'whitespace' → runs of blanks). */
export function delimiterOption(v: string | undefined): string {
  if (v === undefined || v === 'auto') return 'auto';
  if (v === 'tab' || v === '\\t') return '\t';
  if (v === 'whitespace' || v === 'space' || v === '\\s+') return 'whitespace';
  if (v === 'comma') return ',';
  if (v === 'semicolon') return ';';
  if ([...v].length !== 1) throw new CliError(`--delimiter must be one character, 'tab', 'whitespace' or 'auto', got '${v}'`, 2);
  return v;
}

function missingOption(policy: string): df.data.MissingPolicy | df.data.MissingOptions {
  switch (policy) {
    case 'error':
    case 'drop':
    case 'mode':
      return policy;
    case 'mean':
    case 'median':
      // Text columns cannot be averaged: their gaps take the most frequent value.
      return { numeric: policy, category: 'mode' };
    default:
      throw new CliError(`--missing must be one of ${MISSING_CHOICES.join(', ')}, got '${policy}'`, 2);
  }
}

/** The missing-value option with an empty cell of the text column read as an empty text (kept, not a gap). */
function missingWithText(policy: string, textColumn: string): df.data.MissingOptions {
  const base = missingOption(policy);
  const kinds = typeof base === 'string' ? { numeric: base, category: base } : base;
  return { ...kinds, columns: { [textColumn]: 'category' } };
}

/**
 * Reads a CSV file into a Table; every failure is one CliError starting with the file name.
 * `textColumn` (a name or index): a column whose empty cells are empty texts, not missing values.
 */
export async function readTable(file: string, csv: CsvSettings, textColumn?: string): Promise<Table> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new CliError(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read it (${code ?? (e as Error).message})`);
  }
  if (stat.isDirectory()) throw new CliError(`${file} is a directory, not a CSV file`);
  let table: Table;
  const read = (missing: df.data.MissingPolicy | df.data.MissingOptions) => df.data.readCsvFile(file, { delimiter: csv.delimiter, header: csv.header, missing, encoding: csv.encoding });
  try {
    if (textColumn === undefined) table = await read(missingOption(csv.missing));
    else {
      try {
        table = await read(missingWithText(csv.missing, textColumn));
      } catch (e) {
        // A text column the file does not have: read it plainly, so the caller names the column as for any other.
        if (!/missing\.columns names a column/.test((e as Error).message)) throw e;
        table = await read(missingOption(csv.missing));
      }
    }
  } catch (e) {
    let message = (e as Error).message;
    if (!message.startsWith(file)) message = `${file}: ${message}`;
    // The library names its own option; on the command line it is --missing.
    if (/missing/i.test(message) && /readCsv's missing option/.test(message)) {
      message = message.replace(/;?\s*set readCsv's missing option.*$/s, '') + '; pass --missing drop, mean, median or mode to handle empty and NA cells';
    }
    // Likewise for the encoding: --encoding.
    message = message.replace(/; if the file is not UTF-8, read it with encoding .*$/s, '; if the file is not UTF-8, pass --encoding latin1 (Windows-1252) or --encoding utf-16le');
    throw new CliError(message);
  }
  if (table.rows === 0) throw new CliError(`${file} has no data rows`);
  return table;
}

/** Whether the table's columns came from a header line (a headerless file's columns are '0', '1', …). */
export function hasHeader(table: Table): boolean {
  return !table.columns.every((c, i) => c === String(i));
}

/**
 * A column given on the command line: its exact name, else an index (negative counts from the end:
 * -1 is the last column).
 */
export function resolveColumn(table: Table, ref: string, file: string, what: string): number {
  const byName = table.columns.indexOf(ref);
  if (byName >= 0) return byName;
  if (/^-?\d+$/.test(ref)) {
    const n = table.columns.length;
    const i = Number(ref) < 0 ? n + Number(ref) : Number(ref);
    if (i >= 0 && i < n) return i;
    throw new CliError(`${what}: column index ${ref} is out of range: ${file} has ${n} columns (0 … ${n - 1})`);
  }
  throw new CliError(`${what}: ${file} has no column "${ref}"; its columns are ${listColumns(table.columns)}`);
}

export function listColumns(names: readonly string[]): string {
  return listTexts(names, 12);
}

/** The first `max` texts quoted, then "… (n in all)": a message stays one readable line for any count. */
export function listTexts(texts: readonly string[], max: number): string {
  const shown = texts.slice(0, max).map((n) => JSON.stringify(n)).join(', ');
  return texts.length > max ? `${shown}, … (${texts.length} in all)` : shown;
}

/** The text of each row's value: a category's text, or the number written plainly. */
export function cellTexts(table: Table, col: number): string[] {
  const values = table.column(col);
  if (table.types[col] === 'category') {
    const cats = table.categories(col);
    return Array.from(values, (v) => cats[v]);
  }
  return Array.from(values, (v) => String(v));
}

/** Throws a CliError naming the first text cell when a column meant to be numeric holds text. */
export function requireNumeric(table: Table, col: number, file: string, hint: string): void {
  if (table.types[col] !== 'category') return;
  const cats = table.categories(col);
  const codes = table.column(col);
  // The first cell that is not a number: the column is text because of it.
  let row = 0;
  for (let r = 0; r < codes.length; r++) {
    const t = cats[codes[r]];
    if (!/^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(t)) {
      row = r;
      break;
    }
  }
  const text = cats[codes[row]];
  throw new CliError(`${file}: column "${table.columns[col]}" is not numeric (line ${table.lines[row]} has ${JSON.stringify(text)})${hint}`);
}

/** How one source column becomes model inputs. */
export interface FeatureSpec {
  /** The column's name in the training file. */
  name: string;
  /** Its position in the training file (used for headerless files whose columns shift). */
  index: number;
  /** For a one-hot column: its categories in input order. */
  categories?: string[];
}

/** The names of the model's input columns: a numeric column's name, or `name=category` per category. */
export function inputNames(features: readonly FeatureSpec[]): string[] {
  return features.flatMap((f) => (f.categories ? f.categories.map((c) => `${f.name}=${c}`) : [f.name]));
}

/** Where the training file's columns are in another file. */
export interface Layout {
  features: readonly FeatureSpec[];
  target: string;
  targetIndex: number;
  /** How many columns the training file had, and whether it had a header. */
  columns: number;
  header: boolean;
}

/**
 * Where each feature is in `table`: by name; when either file is headerless (its names are just
 * positions), by the training file's positions if it has as many columns, or in order if it has
 * exactly the feature columns.
 */
export function locateFeatures(table: Table, layout: Layout, file: string): number[] {
  const { features } = layout;
  const byName = features.map((f) => table.columns.indexOf(f.name));
  if (byName.every((i) => i >= 0)) return byName;
  if (!hasHeader(table) || !layout.header) {
    if (table.columns.length === layout.columns) return features.map((f) => f.index);
    if (table.columns.length === features.length) return features.map((_, i) => i);
    throw new CliError(`${file} has ${table.columns.length} columns and the model's columns cannot be found by name; it needs ${layout.columns} (as in its training file) or just its ${features.length} feature columns, in the training file's order`);
  }
  const missing = features.filter((_, i) => byName[i] < 0).map((f) => JSON.stringify(f.name));
  throw new CliError(`${file} lacks column${missing.length > 1 ? 's' : ''} ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ', …' : ''} that the model was trained on; its columns are ${listColumns(table.columns)}`);
}

/** The target column in `table` (by name, or by position in a headerless file shaped like the training file), or -1. */
export function locateTarget(table: Table, layout: Layout): number {
  const i = table.columns.indexOf(layout.target);
  if (i >= 0) return i;
  if ((!hasHeader(table) || !layout.header) && table.columns.length === layout.columns) return layout.targetIndex;
  return -1;
}

/** The model's input matrix from the feature columns; counts cells of unseen categories (encoded as all zeros). */
export function featureMatrix(table: Table, features: readonly FeatureSpec[], cols: readonly number[], file: string): { x: df.data.Shaped2D; unseen: Map<string, Set<string>> } {
  const width = features.reduce((w, f) => w + (f.categories ? f.categories.length : 1), 0);
  const rows = table.rows;
  const data = new Float32Array(rows * width);
  const unseen = new Map<string, Set<string>>();
  let at = 0;
  features.forEach((f, k) => {
    const col = cols[k];
    if (f.categories) {
      const index = new Map(f.categories.map((c, i) => [c, i]));
      const texts = cellTexts(table, col);
      texts.forEach((t, r) => {
        const i = index.get(t);
        if (i === undefined) {
          if (!unseen.has(f.name)) unseen.set(f.name, new Set());
          unseen.get(f.name)!.add(t);
        } else data[r * width + at + i] = 1;
      });
      at += f.categories.length;
    } else {
      requireNumeric(table, col, file, `; the model reads it as a number`);
      const v = table.column(col);
      for (let r = 0; r < rows; r++) {
        const x = Math.fround(v[r]);
        if (!Number.isFinite(x)) throw new CliError(`${file}: line ${table.lines[r]}, column "${table.columns[col]}": ${v[r]} is not a finite 32-bit number`);
        data[r * width + at] = x;
      }
      at += 1;
    }
  });
  return { x: { data, shape: [rows, width] }, unseen };
}

/** Each row's class index, by the class texts the model was trained with. */
export function classIndices(table: Table, col: number, classes: readonly string[], file: string): Int32Array {
  const index = new Map(classes.map((c, i) => [c, i]));
  const texts = cellTexts(table, col);
  const out = new Int32Array(texts.length);
  texts.forEach((t, r) => {
    const i = index.get(t);
    if (i === undefined) {
      throw new CliError(`${file}: line ${table.lines[r]}: target "${table.columns[col]}" is ${JSON.stringify(t)}, which is not one of the model's classes (${listTexts(classes, 12)})`);
    }
    out[r] = i;
  });
  return out;
}

/** How many bytes of a file the delimiter is detected from (readCsv looks at its first lines too). */
const SAMPLE_BYTES = 64 * 1024;

/**
 * The delimiter readCsv's 'auto' picks for this file (',' ';' '\t', or 'whitespace'), found from its
 * first bytes. A saved text model stores it: a file of new texts often has that one column only, where
 * 'auto' would split the texts at their spaces.
 */
export async function detectFileDelimiter(file: string, encoding: df.data.CsvEncoding | undefined): Promise<string> {
  const handle = await fs.open(file, 'r');
  let bytes: Uint8Array;
  let complete: boolean;
  try {
    const buffer = new Uint8Array(SAMPLE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SAMPLE_BYTES, 0);
    bytes = buffer.subarray(0, bytesRead);
    complete = bytesRead < SAMPLE_BYTES;
  } finally {
    await handle.close();
  }
  const bom = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : undefined;
  const label = encoding === 'latin1' ? 'windows-1252' : (encoding ?? bom ?? 'utf-8');
  const sample = new TextDecoder(label).decode(bytes);
  return df.data.detectDelimiter(sample, '"', complete) ?? 'whitespace';
}
