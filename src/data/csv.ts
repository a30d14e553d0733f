// CSV reading: an incremental RFC 4180 tokenizer (quotes, "" escapes, newlines inside quotes, CRLF,
// comma / semicolon / tab / any one character / runs of whitespace), header and delimiter detection,
// column typing, missing-value policies and text → integer codes, ending in a Table. Works on a
// string or bytes anywhere; readCsvFile streams a file in Node (Bun, Deno) through the platform's file access.

import { requireNodePlatform } from '../platform.js';
import { Table, type ColumnData, type ColumnType } from './table.js';

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
  numeric?: MissingPolicy;
  category?: MissingPolicy;
  columns?: Record<string, MissingPolicy>;
}

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
}

/** A parse error, with the 1-based line and column it points at (0 when it concerns the whole input). */
export class CsvError extends Error {
  constructor(message: string, readonly line = 0, readonly column = 0) {
    super(message);
    this.name = 'CsvError';
  }
}

const DEFAULT_NA = ['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL'];
const DEFAULT_MAX_LINE = 1 << 20;
const LF = 10;
const CR = 13;
const SP = 32;
const TAB = 9;

// ---------------------------------------------------------------------------------------------
// Public entry points

/**
 * Parses CSV text, or its UTF-8 bytes, into a Table. The argument is always the content: to read a
 * file use `await readCsvFile(path)` (Node, Bun, Deno), or `readCsvStream(response.body)` in a browser.
 */
export function readCsv(input: string | ArrayBuffer | ArrayBufferView, options: CsvOptions = {}): Table {
  const parser = new CsvParser(options);
  if (typeof input === 'string') {
    if (looksLikePath(input)) {
      throw new CsvError(`readCsv parses CSV text, and ${JSON.stringify(input)} looks like a file name: read a file with await df.data.readCsvFile(path)`);
    }
    parser.push(input);
  } else if (input instanceof ArrayBuffer || ArrayBuffer.isView(input)) {
    const bytes = input instanceof ArrayBuffer ? new Uint8Array(input) : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    parser.push(new TextDecoder('utf-8').decode(bytes));
  } else {
    throw new CsvError(`readCsv takes CSV text (a string) or its bytes (ArrayBuffer or Uint8Array), got ${input === null ? 'null' : typeof input}; for a file use readCsvFile(path)`);
  }
  return parser.end();
}

/** Parses a stream of text or UTF-8 byte chunks (a web ReadableStream or any async iterable) chunk by chunk. */
export async function readCsvStream(
  source: AsyncIterable<string | Uint8Array | ArrayBuffer> | ReadableStream<string | Uint8Array>,
  options: CsvOptions = {},
): Promise<Table> {
  const parser = new CsvParser(options);
  const decoder = new TextDecoder('utf-8');
  const feed = (chunk: string | Uint8Array | ArrayBuffer) => {
    parser.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk instanceof ArrayBuffer ? new Uint8Array(chunk) : chunk, { stream: true }));
  };
  if (isReadableStream(source)) {
    const reader = source.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        feed(value);
      }
    } catch (e) {
      await reader.cancel().catch(() => undefined);
      throw e;
    } finally {
      reader.releaseLock();
    }
  } else {
    for await (const chunk of source) feed(chunk);
  }
  parser.push(decoder.decode());
  return parser.end();
}

/** Reads a CSV file, streaming it in 64 KiB chunks (Node, Bun, Deno). Errors start with the path. */
export async function readCsvFile(path: string | URL, options: CsvOptions = {}): Promise<Table> {
  const { readChunks } = requireNodePlatform('readCsvFile');
  try {
    return await readCsvStream(readChunks(path, 1 << 16), options);
  } catch (e) {
    if (e instanceof Error) e.message = `${String(path)}: ${e.message}`;
    throw e;
  }
}

function looksLikePath(text: string): boolean {
  return !/[\r\n]/.test(text) && /\.(csv|tsv|txt|data|dat)$/i.test(text.trim()) && !/[,;\t]/.test(text);
}

function isReadableStream(x: unknown): x is ReadableStream<string | Uint8Array> {
  return typeof x === 'object' && x !== null && typeof (x as ReadableStream).getReader === 'function';
}

// ---------------------------------------------------------------------------------------------
// Parser: buffers a sample to detect the delimiter, then tokenizes and builds columns.

class CsvParser {
  private tokenizer?: Tokenizer;
  private sample = '';
  private sampleLines = 0;
  private started = false;
  private readonly builder: Builder;
  private readonly opts: Required<Pick<CsvOptions, 'quote' | 'trim' | 'maxLineLength' | 'decimal'>> & { delimiter: string };

  constructor(options: CsvOptions) {
    if (options === null || typeof options !== 'object') throw new CsvError('readCsv options must be an object');
    const quote = options.quote ?? '"';
    if (typeof quote !== 'string' || quote.length !== 1 || quote === '\n' || quote === '\r') throw new CsvError(`quote must be one character, got ${JSON.stringify(quote)}`);
    let delimiter = options.delimiter ?? 'auto';
    if (delimiter === '\\s+') delimiter = 'whitespace';
    if (delimiter !== 'auto' && delimiter !== 'whitespace' && (typeof delimiter !== 'string' || delimiter.length !== 1 || delimiter === quote || delimiter === '\n' || delimiter === '\r')) {
      throw new CsvError(`delimiter must be 'auto', 'whitespace' or one character other than the quote and newlines, got ${JSON.stringify(delimiter)}`);
    }
    const decimal = options.decimal ?? '.';
    if (decimal !== '.' && decimal !== ',') throw new CsvError(`decimal must be '.' or ',', got ${JSON.stringify(decimal)}`);
    if (decimal === ',' && delimiter === ',') throw new CsvError("decimal ',' needs another delimiter (';' or tab)");
    const maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE;
    if (!Number.isInteger(maxLineLength) || maxLineLength < 1) throw new CsvError(`maxLineLength must be a positive integer, got ${String(maxLineLength)}`);
    this.opts = { quote, delimiter, decimal, trim: options.trim ?? true, maxLineLength };
    this.builder = new Builder(options, decimal);
  }

  push(text: string): void {
    if (!this.started) {
      if (text.length === 0) return;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.started = true;
    }
    if (this.tokenizer) return this.tokenizer.push(text);
    this.sample += text;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.sampleLines++;
    if (this.sampleLines > 20 || this.sample.length >= 1 << 16) this.start(false);
  }

  end(): Table {
    if (!this.tokenizer) this.start(true);
    this.tokenizer!.end();
    return this.builder.finish();
  }

  private start(complete: boolean): void {
    const { delimiter, quote, decimal } = this.opts;
    let d: string | null = delimiter === 'auto' ? detectDelimiter(this.sample, quote, complete) : delimiter === 'whitespace' ? null : delimiter;
    if (d === ',' && decimal === ',') d = detectDelimiter(this.sample, quote, complete, [';', '\t']);
    this.tokenizer = new Tokenizer(d, quote, this.opts.trim, this.opts.maxLineLength, (fields, line) => this.builder.record(fields, line));
    const s = this.sample;
    this.sample = '';
    this.tokenizer.push(s);
  }
}

/**
 * The delimiter that splits the first (up to 20) non-blank lines into the same number of fields:
 * tab, then semicolon, then comma; failing that runs of whitespace (null) if they split every line
 * evenly; failing that the delimiter seen most; failing that whitespace when the lines have inner
 * spaces, else comma.
 */
export function detectDelimiter(sample: string, quote = '"', complete = true, candidates = ['\t', ';', ',']): string | null {
  const lines = sample.split(/\r\n|\n|\r/);
  if (!complete && lines.length > 1) lines.pop();
  const use = lines.filter((l) => l.trim() !== '').slice(0, 20);
  if (use.length === 0) return candidates.includes(',') ? ',' : candidates[0];
  let best: string | null = null;
  let bestTotal = 0;
  for (const cand of candidates) {
    const counts = use.map((l) => countOutsideQuotes(l, cand, quote));
    if (counts[0] > 0 && counts.every((c) => c === counts[0])) return cand;
    const total = counts.reduce((a, b) => a + b, 0);
    if (total > bestTotal) [best, bestTotal] = [cand, total];
  }
  const words = use.map((l) => l.trim().split(/[ \t]+/).length);
  if (words[0] > 1 && words.every((w) => w === words[0])) return null;
  if (best !== null) return best;
  if (use.some((l) => /\S[ \t]+\S/.test(l))) return null;
  return candidates.includes(',') ? ',' : candidates[0];
}

function countOutsideQuotes(line: string, ch: string, quote: string): number {
  let n = 0;
  let inQ = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === quote) inQ = !inQ;
    else if (c === ch && !inQ) n++;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Tokenizer: text chunks in, records (field lists with their starting line) out.

type RecordSink = (fields: string[], line: number) => void;

class Tokenizer {
  private fields: string[] = [];
  private field = '';
  private fieldStart = true; // nothing of the current field consumed yet
  private quoted = false; // the current field is (or was) quoted
  private recordQuoted = false;
  private inQuotes = false;
  private afterQuote = false; // a quoted field closed; only spaces may come before the delimiter
  private pendingQuote = false; // a quote ended the last chunk inside quotes: "" or a closing quote
  private pendingCR = false;
  private line = 1; // physical line of the next character
  private recordLine = 1;
  private quoteLine = 1;
  private recordLen = 0;
  private readonly ws: boolean;
  private readonly delimCode: number;

  constructor(
    delimiter: string | null,
    private readonly quote: string,
    private readonly trim: boolean,
    private readonly maxLen: number,
    private readonly sink: RecordSink,
  ) {
    this.ws = delimiter === null;
    this.delimCode = delimiter === null ? -1 : delimiter.charCodeAt(0);
  }

  push(chunk: string): void {
    const n = chunk.length;
    if (n === 0) return;
    const q = this.quote;
    const qc = q.charCodeAt(0);
    let i = 0;
    if (this.pendingCR) {
      this.pendingCR = false;
      if (chunk.charCodeAt(0) === LF) i = 1;
    }
    while (i < n) {
      if (this.inQuotes) {
        if (this.pendingQuote) {
          this.pendingQuote = false;
          if (chunk.charCodeAt(i) === qc) {
            this.field += q;
            this.grow(1);
            i++;
          } else {
            this.inQuotes = false;
            this.afterQuote = true;
          }
          continue;
        }
        const j = chunk.indexOf(q, i);
        const seg = chunk.slice(i, j < 0 ? n : j);
        this.field += seg;
        this.grow(seg.length);
        for (let k = seg.indexOf('\n'); k >= 0; k = seg.indexOf('\n', k + 1)) this.line++;
        if (j < 0) break;
        this.grow(1);
        if (j + 1 === n) {
          this.pendingQuote = true;
          break;
        }
        if (chunk.charCodeAt(j + 1) === qc) {
          this.field += q;
          i = j + 2;
        } else {
          this.inQuotes = false;
          this.afterQuote = true;
          i = j + 1;
        }
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (c === LF || c === CR) {
        this.endRecord();
        if (c === CR) {
          if (i + 1 < n) {
            if (chunk.charCodeAt(i + 1) === LF) i++;
          } else {
            this.pendingCR = true;
          }
        }
        i++;
        continue;
      }
      this.grow(1);
      if (this.afterQuote) {
        if (c === this.delimCode || (this.ws && (c === SP || c === TAB))) {
          this.endField();
        } else if (c !== SP && c !== TAB) {
          throw new CsvError(
            `line ${this.line}, column ${this.fields.length + 1}: unexpected ${JSON.stringify(chunk[i])} after the closing quote of a quoted field (write a quote inside a quoted field as "")`,
            this.line,
            this.fields.length + 1,
          );
        }
        i++;
        continue;
      }
      if (this.fieldStart) {
        if ((c === SP || c === TAB) && c !== this.delimCode && (this.ws || this.trim)) {
          i++;
          continue;
        }
        if (c === qc) {
          this.inQuotes = true;
          this.quoted = true;
          this.recordQuoted = true;
          this.fieldStart = false;
          this.quoteLine = this.line;
          i++;
          continue;
        }
      }
      if (c === this.delimCode || (this.ws && (c === SP || c === TAB))) {
        this.endField();
        i++;
        continue;
      }
      // A run of plain characters up to the next delimiter or line end.
      let k = i + 1;
      if (this.ws) {
        while (k < n) {
          const d = chunk.charCodeAt(k);
          if (d === LF || d === CR || d === SP || d === TAB) break;
          k++;
        }
      } else {
        const dc = this.delimCode;
        while (k < n) {
          const d = chunk.charCodeAt(k);
          if (d === LF || d === CR || d === dc) break;
          k++;
        }
      }
      this.grow(k - i - 1);
      this.field += chunk.slice(i, k);
      this.fieldStart = false;
      i = k;
    }
  }

  end(): void {
    if (this.pendingQuote) {
      this.pendingQuote = false;
      this.inQuotes = false;
      this.afterQuote = true;
    }
    if (this.inQuotes) {
      const col = this.fields.length + 1;
      throw new CsvError(`line ${this.quoteLine}, column ${col}: a quoted field starts here and its closing quote is missing`, this.quoteLine, col);
    }
    if (this.fields.length > 0 || !this.fieldStart || this.quoted) this.endRecord();
  }

  private grow(k: number): void {
    this.recordLen += k;
    if (this.recordLen > this.maxLen) {
      const col = this.fields.length + 1;
      throw new CsvError(
        `line ${this.recordLine}, column ${col}: the line is longer than maxLineLength (${this.maxLen} characters)`,
        this.recordLine,
        col,
      );
    }
  }

  private endField(): void {
    let v = this.field;
    if (!this.quoted && this.trim) {
      let e = v.length;
      while (e > 0 && (v.charCodeAt(e - 1) === SP || v.charCodeAt(e - 1) === TAB)) e--;
      if (e < v.length) v = v.slice(0, e);
    }
    this.fields.push(v);
    this.field = '';
    this.quoted = false;
    this.fieldStart = true;
    this.afterQuote = false;
  }

  private endRecord(): void {
    if (this.ws) {
      if (!this.fieldStart || this.quoted) this.endField();
    } else {
      this.endField();
    }
    const fields = this.fields;
    const blank = !this.recordQuoted && (fields.length === 0 || (fields.length === 1 && fields[0].trim() === ''));
    this.fields = [];
    this.recordQuoted = false;
    this.recordLen = 0;
    const line = this.recordLine;
    this.line++;
    this.recordLine = this.line;
    if (!blank) this.sink(fields, line);
  }
}

// ---------------------------------------------------------------------------------------------
// Builder: records in, typed columns out.

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Texts that String(Number(text)) gives back unchanged, when at most 15 characters and |value| ≥ 1e-6. */
const CANONICAL = /^-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?$/;

function padded(text: string): boolean {
  return text.charCodeAt(0) <= 32 || text.charCodeAt(text.length - 1) <= 32;
}

function parseNumber(text: string, decimal: '.' | ','): number | undefined {
  let s = padded(text) ? text.trim() : text;
  if (decimal === ',') s = s.replace(',', '.');
  if (!NUMBER.test(s)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

class Grow {
  a: Float64Array = new Float64Array(64);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
}

class ColumnBuilder {
  type: ColumnType = 'number';
  /** Numbers while numeric (NaN = missing); category ids afterwards (−1 = missing). */
  values = new Grow();
  /** Row → source text, for numbers whose text differs from String(value) and for missing markers. */
  raw = new Map<number, string>();
  ids = new Map<string, number>();
  texts: string[] = [];
  missing = 0;
  firstMissing = -1;

  constructor(
    readonly name: string,
    readonly index: number,
    readonly declared: ColumnType | undefined,
  ) {
    if (declared === 'category') this.type = 'category';
  }

  intern(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.texts.length;
      this.ids.set(text, id);
      this.texts.push(text);
    }
    return id;
  }

  /** A numeric column met text: re-read what it holds as category ids. */
  toCategory(): void {
    const old = this.values;
    const raw = new Map<number, string>();
    this.values = new Grow();
    for (let r = 0; r < old.n; r++) {
      const v = old.a[r];
      const text = this.raw.get(r);
      if (Number.isNaN(v)) {
        this.values.push(-1);
        raw.set(r, text!);
      } else {
        this.values.push(this.intern(text ?? String(v)));
      }
    }
    this.raw = raw;
    this.type = 'category';
  }

  isMissing(r: number): boolean {
    const v = this.values.a[r];
    return this.type === 'number' ? Number.isNaN(v) : v === -1;
  }
}

function describePolicy(p: MissingPolicy): string {
  return typeof p === 'object' ? `{ fill: ${JSON.stringify(p.fill)} }` : `'${p}'`;
}

function checkPolicy(p: unknown, where: string): MissingPolicy {
  const names = ['error', 'drop', 'mean', 'median', 'mode', 'category'];
  if (typeof p === 'string' && names.includes(p)) return p as MissingPolicy;
  if (typeof p === 'object' && p !== null && 'fill' in p) {
    const f = (p as { fill: unknown }).fill;
    if ((typeof f === 'number' && Number.isFinite(f)) || typeof f === 'string') return { fill: f };
  }
  throw new CsvError(`${where} must be 'error', 'drop', 'mean', 'median', 'mode', 'category' or { fill: number | text }, got ${JSON.stringify(p)}`);
}

class Builder {
  private cols?: ColumnBuilder[];
  private rows = 0;
  private headerLine = 0;
  private lines: number[] = [];
  private readonly na: Set<string>;
  /** Per-column overrides (missing.columns), and the policies for numeric and text columns. */
  private policies: (MissingPolicy | undefined)[] = [];
  private kindPolicies: { numeric: MissingPolicy; category: MissingPolicy } = { numeric: 'error', category: 'error' };

  constructor(
    private readonly options: CsvOptions,
    private readonly decimal: '.' | ',',
  ) {
    const na = options.naValues ?? DEFAULT_NA;
    if (!Array.isArray(na) || na.some((v) => typeof v !== 'string')) throw new CsvError('naValues must be an array of strings');
    this.na = new Set(na);
    const m = options.missing;
    if (m !== undefined && !(typeof m === 'object' && m !== null && !('fill' in m))) checkPolicy(m, 'missing');
    if (options.header !== undefined && options.header !== 'auto' && typeof options.header !== 'boolean') {
      throw new CsvError(`header must be true, false or 'auto', got ${JSON.stringify(options.header)}`);
    }
    const order = options.categoryOrder ?? 'sorted';
    if (order !== 'sorted' && order !== 'appearance') throw new CsvError(`categoryOrder must be 'sorted' or 'appearance', got ${JSON.stringify(order)}`);
    const unk = options.unknownCategory ?? 'error';
    if (unk !== 'error' && unk !== 'append') throw new CsvError(`unknownCategory must be 'error' or 'append', got ${JSON.stringify(unk)}`);
  }

  record(fields: string[], line: number): void {
    if (!this.cols) {
      const header = this.start(fields, line);
      if (header) return;
    }
    const cols = this.cols!;
    if (fields.length !== cols.length) {
      const col = Math.min(fields.length, cols.length) + 1;
      const ref = this.headerLine ? `the header on line ${this.headerLine}` : `line ${this.lines[0]}`;
      throw new CsvError(
        `line ${line}, column ${col}: the row has ${fields.length} field${fields.length === 1 ? '' : 's'}, but ${ref} has ${cols.length}`,
        line,
        col,
      );
    }
    const row = this.rows++;
    this.lines.push(line);
    for (let c = 0; c < cols.length; c++) this.cell(cols[c], fields[c], row, line);
  }

  private cell(col: ColumnBuilder, text: string, row: number, line: number): void {
    if (this.na.has(text) || (text.length > 0 && padded(text) && this.na.has(text.trim()))) {
      col.missing++;
      if (col.firstMissing < 0) col.firstMissing = row;
      col.raw.set(row, text);
      col.values.push(col.type === 'number' ? NaN : -1);
      return;
    }
    if (col.type === 'number') {
      // Fast path: a plain decimal whose text is its own canonical form (no need to keep the text).
      if (text.length <= 15 && CANONICAL.test(text) && text !== '-0') {
        const v = Number(text);
        if (v === 0 || Math.abs(v) >= 1e-6) {
          col.values.push(v);
          return;
        }
      }
      const v = parseNumber(text, this.decimal);
      if (v !== undefined) {
        col.values.push(v);
        if (String(v) !== text) col.raw.set(row, text);
        return;
      }
      if (col.declared === 'number') {
        throw new CsvError(`${at(line, col)}: ${JSON.stringify(text)} is not a number, and the column is declared numeric (columnTypes)`, line, col.index + 1);
      }
      col.toCategory();
    }
    col.values.push(col.intern(text));
  }

  /** Line 1: decides the header, names the columns and resolves per-column options. True when it is a header. */
  private start(fields: string[], line: number): boolean {
    const o = this.options;
    const header = o.header === undefined || o.header === 'auto' ? !fields.some((f) => parseNumber(f, this.decimal) !== undefined) : o.header;
    let names: string[];
    if (o.names !== undefined) {
      if (!Array.isArray(o.names) || o.names.some((n) => typeof n !== 'string')) throw new CsvError('names must be an array of strings');
      if (o.names.length !== fields.length) {
        throw new CsvError(`line ${line}: names has ${o.names.length} entries but the line has ${fields.length} fields`, line, Math.min(o.names.length, fields.length) + 1);
      }
      names = [...o.names];
    } else {
      names = header ? fields.map((f, i) => (f === '' ? String(i) : f)) : fields.map((_, i) => String(i));
    }
    names = dedupe(names);
    const types: (ColumnType | undefined)[] = names.map(() => undefined);
    const ct = o.columnTypes ?? 'auto';
    if (ct === 'number') types.fill('number');
    else if (typeof ct === 'object' && ct !== null) {
      for (const [key, t] of Object.entries(ct)) {
        if (t !== 'number' && t !== 'category') throw new CsvError(`columnTypes.${key} must be 'number' or 'category', got ${JSON.stringify(t)}`);
        types[resolveKey(key, names, 'columnTypes')] = t;
      }
    } else if (ct !== 'auto') throw new CsvError(`columnTypes must be 'auto', 'number' or { column: 'number' | 'category' }, got ${JSON.stringify(ct)}`);
    if (o.encodings !== undefined) {
      if (typeof o.encodings !== 'object' || o.encodings === null) throw new CsvError('encodings must be an object: { column: { text: code } }');
      for (const key of Object.keys(o.encodings)) {
        const i = resolveKey(key, names, 'encodings');
        if (types[i] === 'number') throw new CsvError(`column "${names[i]}" has an encoding but is declared numeric`);
        types[i] = 'category';
      }
    }
    // Missing-value policies per column.
    const m = o.missing;
    const byKind: MissingOptions = typeof m === 'object' && m !== null && !('fill' in m) ? m : { numeric: m, category: m };
    const overrides = new Map<number, MissingPolicy>();
    for (const [key, p] of Object.entries(byKind.columns ?? {})) overrides.set(resolveKey(key, names, 'missing.columns'), checkPolicy(p, `missing.columns.${key}`));
    const numeric = checkPolicy(byKind.numeric ?? 'error', 'missing.numeric');
    const category = checkPolicy(byKind.category ?? 'error', 'missing.category');
    this.cols = names.map((n, i) => new ColumnBuilder(n, i, types[i]));
    this.policies = names.map((_, i) => overrides.get(i));
    this.kindPolicies = { numeric, category };
    if (header) this.headerLine = line;
    return header;
  }

  finish(): Table {
    if (!this.cols) throw new CsvError('empty input: there is no header and no data (the text is empty or holds only blank lines)');
    if (this.rows === 0) throw new CsvError(`line ${this.headerLine}: the file has a header but no data rows`, this.headerLine, 0);
    const cols = this.cols;
    const policy = (c: ColumnBuilder) => this.policies[c.index] ?? (c.type === 'number' ? this.kindPolicies.numeric : this.kindPolicies.category);
    // The first missing cell whose policy is 'error' (or cannot apply) stops the read.
    let worst: { row: number; col: ColumnBuilder; why: string } | undefined;
    for (const c of cols) {
      if (c.missing === 0) continue;
      const p = policy(c);
      const why = misfit(c, p);
      if (why !== undefined && (!worst || c.firstMissing < worst.row)) worst = { row: c.firstMissing, col: c, why };
    }
    if (worst) {
      const line = this.lines[worst.row];
      throw new CsvError(`${at(line, worst.col)}: missing value ${JSON.stringify(worst.col.raw.get(worst.row))}; ${worst.why}`, line, worst.col.index + 1);
    }
    // Rows dropped by a 'drop' policy.
    const keep = new Uint8Array(this.rows).fill(1);
    for (const c of cols) {
      if (c.missing === 0 || policy(c) !== 'drop') continue;
      for (let r = 0; r < this.rows; r++) if (c.isMissing(r)) keep[r] = 0;
    }
    const kept: number[] = [];
    for (let r = 0; r < this.rows; r++) if (keep[r]) kept.push(r);
    if (kept.length === 0) throw new CsvError(`every one of the ${this.rows} rows has a missing value in a column whose policy is 'drop': no rows are left`);
    const data: ColumnData[] = cols.map((c) => (c.type === 'number' ? this.numberColumn(c, kept, policy(c)) : this.categoryColumn(c, kept, policy(c))));
    return new Table(data, Int32Array.from(kept, (r) => this.lines[r]));
  }

  private numberColumn(c: ColumnBuilder, kept: number[], p: MissingPolicy): ColumnData {
    const all = kept.length === this.rows;
    const out = all ? c.values.a.slice(0, this.rows) : Float64Array.from(kept, (r) => c.values.a[r]);
    if (c.missing > 0 && p !== 'drop') {
      const present: number[] = [];
      for (const v of out) if (!Number.isNaN(v)) present.push(v);
      let fill: number;
      if (typeof p === 'object') fill = p.fill as number;
      else {
        if (present.length === 0) {
          throw new CsvError(`column ${c.index + 1} ("${c.name}") has no values to take the ${p} of: every kept row is missing`, 0, c.index + 1);
        }
        fill = p === 'mean' ? mean(present) : p === 'median' ? median(present) : mode(present);
      }
      for (let i = 0; i < out.length; i++) if (Number.isNaN(out[i])) out[i] = fill;
    }
    return { name: c.name, type: 'number', values: out };
  }

  private categoryColumn(c: ColumnBuilder, kept: number[], p: MissingPolicy): ColumnData {
    // Text of each kept row (missing ones filled by the policy).
    let fillText: string | undefined;
    if (p === 'mode') {
      const counts = new Map<number, number>();
      for (const r of kept) {
        const id = c.values.a[r];
        if (id >= 0) counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      let best = -1;
      let bestCount = 0;
      const order = this.orderTexts(c.texts);
      for (const t of order) {
        const n = counts.get(c.ids.get(t)!) ?? 0;
        if (n > bestCount) [best, bestCount] = [c.ids.get(t)!, n];
      }
      if (best < 0) throw new CsvError(`column ${c.index + 1} ("${c.name}") has no values to take the mode of: every kept row is missing`, 0, c.index + 1);
      fillText = c.texts[best];
    } else if (typeof p === 'object') fillText = String(p.fill);
    // Distinct texts in order of first appearance among the kept rows (missing cells: the fill text or
    // their own marker), and each kept row's index into that list.
    const slot = new Int32Array(c.texts.length).fill(-1);
    const slotOfText = new Map<string, number>();
    const texts: string[] = [];
    const firstRow: number[] = [];
    const rowSlot = new Int32Array(kept.length);
    kept.forEach((r, i) => {
      const id = c.values.a[r];
      let k = id >= 0 ? slot[id] : -1;
      if (k < 0) {
        const text = id >= 0 ? c.texts[id] : fillText ?? c.raw.get(r)!; // 'category': the marker itself
        k = slotOfText.get(text) ?? -1;
        if (k < 0) {
          k = texts.length;
          texts.push(text);
          firstRow.push(r);
          slotOfText.set(text, k);
        }
        if (id >= 0) slot[id] = k;
      }
      rowSlot[i] = k;
    });
    // Codes: a given encoding first, then new values in the chosen order.
    const given = this.givenEncoding(c);
    const code = new Map<string, number>();
    const categories: string[] = [];
    if (given) {
      for (const [t, k] of given) code.set(t, k);
      categories.push(...[...given].sort((a, b) => a[1] - b[1]).map(([t]) => t));
    }
    const distinct: string[] = [];
    texts.forEach((t, k) => {
      if (code.has(t)) return;
      if (given && (this.options.unknownCategory ?? 'error') === 'error') {
        const line = this.lines[firstRow[k]];
        throw new CsvError(
          `${at(line, c)}: ${JSON.stringify(t)} is not in the given encoding of "${c.name}" (${Object.keys(Object.fromEntries(given)).slice(0, 10).map((s) => JSON.stringify(s)).join(', ')}${given.size > 10 ? ', …' : ''}); pass unknownCategory: 'append' to give new values new codes`,
          line,
          c.index + 1,
        );
      }
      distinct.push(t);
    });
    for (const t of this.orderTexts(distinct)) {
      code.set(t, categories.length);
      categories.push(t);
    }
    const codeOf = texts.map((t) => code.get(t)!);
    const values = Float64Array.from(rowSlot, (k) => codeOf[k]);
    return { name: c.name, type: 'category', values, categories };
  }

  private orderTexts(texts: string[]): string[] {
    return (this.options.categoryOrder ?? 'sorted') === 'sorted' ? [...texts].sort(compareCategories) : texts;
  }

  private givenEncoding(c: ColumnBuilder): Map<string, number> | undefined {
    const enc = this.options.encodings;
    if (!enc) return undefined;
    const key = Object.keys(enc).find((k) => resolveKey(k, this.cols!.map((x) => x.name), 'encodings') === c.index);
    if (key === undefined) return undefined;
    const map = enc[key];
    if (typeof map !== 'object' || map === null) throw new CsvError(`encodings.${key} must be an object { text: code }`);
    const entries = Object.entries(map);
    const codes = entries.map(([, k]) => k).sort((a, b) => a - b);
    if (codes.some((k, i) => k !== i)) throw new CsvError(`encodings.${key} must map its values to the codes 0 … ${entries.length - 1}, each once`);
    return new Map(entries);
  }
}

/** Why a policy cannot handle this column's missing cells (undefined when it can). */
function misfit(c: ColumnBuilder, p: MissingPolicy): string | undefined {
  const options = "set readCsv's missing option: 'drop', 'mean', 'median', 'mode', 'category' (text columns) or { fill }, for all columns, per kind ({ numeric, category }) or per column ({ columns: { name: policy } })";
  if (p === 'error') return options;
  if (c.type === 'number') {
    if (p === 'category') return `the column is numeric, so 'category' does not apply: use 'drop', 'mean', 'median', 'mode' or { fill: number } (e.g. missing: { numeric: 'mean', category: 'category' })`;
    if (typeof p === 'object' && typeof p.fill !== 'number') return `the column is numeric, so ${describePolicy(p)} does not apply: fill it with a number`;
  } else if (p === 'mean' || p === 'median') {
    return `the column holds text, so ${describePolicy(p)} does not apply: use 'category', 'mode', 'drop' or { fill: 'text' } (e.g. missing: { numeric: '${p}', category: 'category' })`;
  }
  return undefined;
}

function at(line: number, col: ColumnBuilder): string {
  return `line ${line}, column ${col.index + 1} ("${col.name}")`;
}

function resolveKey(key: string, names: string[], what: string): number {
  const i = names.indexOf(key);
  if (i >= 0) return i;
  if (/^\d+$/.test(key) && Number(key) < names.length) return Number(key);
  throw new CsvError(`${what} names a column ${JSON.stringify(key)} that the file does not have; its columns are ${names.slice(0, 20).map((n) => JSON.stringify(n)).join(', ')}${names.length > 20 ? ', …' : ''}`);
}

function dedupe(names: string[]): string[] {
  const seen = new Set<string>();
  return names.map((n) => {
    let name = n;
    for (let k = 1; seen.has(name); k++) name = `${n}.${k}`;
    seen.add(name);
    return name;
  });
}

/** Numbers numerically first, then text by code unit order. */
function compareCategories(a: string, b: string): number {
  const x = parseNumber(a, '.');
  const y = parseNumber(b, '.');
  if (x !== undefined && y !== undefined) return x - y || (a < b ? -1 : a > b ? 1 : 0);
  if (x !== undefined) return -1;
  if (y !== undefined) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function mean(v: number[]): number {
  let s = 0;
  for (const x of v) s += x;
  return s / v.length;
}

function median(v: number[]): number {
  const s = Float64Array.from(v).sort();
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

function mode(v: number[]): number {
  const counts = new Map<number, number>();
  for (const x of v) counts.set(x, (counts.get(x) ?? 0) + 1);
  let best = NaN;
  let bestCount = 0;
  for (const [x, n] of counts) if (n > bestCount || (n === bestCount && x < best)) [best, bestCount] = [x, n];
  return best;
}
