// The tokenizer: an incremental RFC 4180 reader (quotes, "" escapes, newlines inside quotes, CRLF,
// comma / semicolon / tab / any one character / runs of whitespace) turning text chunks into records,
// and the delimiter detection that picks its separator from the first lines.
import { CsvError } from './options.js';

const LF = 10;
const CR = 13;
const SP = 32;
const TAB = 9;

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


export type RecordSink = (fields: string[], line: number) => void;
export class Tokenizer {
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
