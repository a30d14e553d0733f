// The column builder: records in, typed columns out. Each column is numeric until a cell is not a
// number; text becomes integer codes; missing cells follow their policy; the result is a Table.
import { Table, type ColumnData, type ColumnType } from '../table.js';
import { checkPolicy, mean, median, misfit, mode } from './missing.js';
import { CsvError, DEFAULT_NA, type CsvOptions, type MissingOptions, type MissingPolicy } from './options.js';

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
export class Builder {
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
      const none = options.header === null ? " (pandas's header=None is header: false here)" : '';
      throw new CsvError(`header must be true, false or 'auto', got ${JSON.stringify(options.header)}${none}`);
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
      const why = misfit(c.type, p);
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

