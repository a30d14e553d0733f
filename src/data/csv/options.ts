// What readCsv accepts (CsvOptions, missing-value policies, their keys checked) and the error it throws,
// shared by the tokenizer, the column builder and the entry points.
import { checkOptions, type OptionSpec } from '../../options.js';
import type { ColumnType } from '../table.js';
import type { CsvEncoding } from './decode.js';

/** What to do with a missing cell (one of `naValues`). */
export type MissingPolicy =
  /** Throw, naming the line and column (the default). */
  | 'error'
  /** Drop the whole row. */
  | 'drop'
  /** Fill with the column's mean / median over the rows kept (numeric columns). */
  | 'mean'
  | 'median'
  /** Fill with the most frequent value (ties: the smallest number, the first category). */
  | 'mode'
  /** Keep the marker (e.g. `NA`) as a category of its own (text columns). */
  | 'category'
  /** Fill with a constant: a number for numeric columns, a text for category columns. */
  | { fill: number | string };

/** A policy for numeric columns, one for text columns, and overrides by column name (or index). */
export interface MissingOptions {
  /** What to do with an empty or missing cell in a numeric column. */
  numeric?: MissingPolicy;
  /** What to do with one in a text (category) column. */
  category?: MissingPolicy;
  /** Policies for single columns, by name or index, over the two above. */
  columns?: Record<string, MissingPolicy>;
}

/** Options of `df.data.readCsv(text, options)` and `readCsvFile(path, options)`. */
export interface CsvOptions {
  /** Whether line 1 is a header. 'auto' (default): it is when none of its cells is a number. */
  header?: boolean | 'auto';
  /** Column names: name a headerless file's columns, or replace the header's names. Default for a headerless file: '0', '1', … */
  names?: readonly string[];
  /** 'auto' (default: tab, semicolon or comma, whichever splits the first lines evenly, else runs of whitespace), 'whitespace' (alias '\\s+'), or one character. */
  delimiter?: string;
  /** The quote character (default `"`). */
  quote?: string;
  /** The decimal separator in numbers (default '.'; ',' for files like `1,5;2,3`). */
  decimal?: '.' | ',';
  /** Remove spaces and tabs around unquoted fields (default true). Quoted fields are kept verbatim. */
  trim?: boolean;
  /** Cells that mean "missing" (default '', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL'). Pass [] to read every cell as a value. */
  naValues?: readonly string[];
  /** The missing-value policy: one for every column, or per kind and per column (default 'error'). */
  missing?: MissingPolicy | MissingOptions;
  /** 'auto' (default): a column is numeric when every non-missing cell is a number, else a category column. 'number': every column must be numeric. Or per column name/index. */
  columnTypes?: 'auto' | 'number' | Record<string, ColumnType>;
  /** Codes of a category column's values: 'sorted' (default; numbers numerically, then text, like scikit-learn's LabelEncoder) or 'appearance'. */
  categoryOrder?: 'sorted' | 'appearance';
  /** Fixed text → code maps (e.g. `trainTable.encodings`), so a test file gets the training file's codes. Codes must be 0 … k − 1. */
  encodings?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** A value missing from a given encoding: 'error' (default) or 'append' (next free code). */
  unknownCategory?: 'error' | 'append';
  /** The longest line (record) accepted, in characters (default 1,048,576). */
  maxLineLength?: number;
  /**
   * How bytes are decoded: 'utf-8' (default), 'latin1' (Windows-1252), 'utf-16le' or 'utf-16be'. A byte
   * order mark at the start picks UTF-8 or UTF-16 by itself. Bytes that are not valid in the encoding
   * are an error naming the line and byte column, never a silent U+FFFD. Text input is not decoded.
   */
  encoding?: CsvEncoding;
}

/**
 * A parse error, with the 1-based line and column it points at (0 when it concerns the whole input):
 * the column is a field's number, or for a byte the encoding rejects, the byte's place in its line.
 */
export class CsvError extends Error {
  constructor(
    message: string,
    /** The 1-based line it points at; 0 for the whole input. */
    readonly line = 0,
    /** The 1-based field number, or the rejected byte's place in its line; 0 when none. */
    readonly column = 0,
  ) {
    super(message);
    this.name = 'CsvError';
  }
}

export const DEFAULT_NA = ['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL'];
export const DEFAULT_MAX_LINE = 1 << 20;

export const CSV_OPTIONS: OptionSpec<CsvOptions> = {
  known: {
    header: true, names: true, delimiter: true, quote: true, decimal: true, trim: true, naValues: true, missing: true,
    columnTypes: true, categoryOrder: true, encodings: true, unknownCategory: true, maxLineLength: true, encoding: true,
  },
  // pandas.read_csv's names for what readCsv spells differently or leaves to the Table.
  unsupported: {
    sep: { instead: "use delimiter (one character, 'whitespace', or 'auto', the default, which detects it)" },
    quotechar: { instead: 'use quote' },
    dtype: { instead: "use columnTypes: 'number' for every column, or { column: 'number' | 'category' }" },
    usecols: { instead: 'read every column, then table.select(columns) or table.drop(columns)' },
    indexCol: { instead: 'read it as a column, then table.drop(column)' },
    keepDefaultNa: { instead: 'naValues replaces the default markers: pass the full list you want' },
  },
};

const MISSING_OPTIONS: OptionSpec<MissingOptions> = { known: { numeric: true, category: true, columns: true } };

/**
 * The options with their keys checked (and in camelCase), the nested `missing` options too; a problem
 * is a CsvError like readCsv's other option errors. The caller's object is left as it was.
 */
export function checkCsvOptions(fn: string, options: CsvOptions | undefined): CsvOptions {
  try {
    const checked = checkOptions(fn, options, CSV_OPTIONS);
    const m = checked.missing;
    if (typeof m === 'object' && m !== null && !Array.isArray(m) && !('fill' in m)) checked.missing = checkOptions(`${fn}: missing`, m, MISSING_OPTIONS);
    return checked;
  } catch (e) {
    throw e instanceof Error && !(e instanceof CsvError) ? new CsvError(e.message) : e;
  }
}
