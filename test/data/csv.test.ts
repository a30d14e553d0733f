import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvError, readCsv, readCsvFile, readCsvStream, detectDelimiter, type CsvOptions } from '../../src/data/index.js';

/** Runs `f` and returns the CsvError it throws. */
function csvError(f: () => unknown): CsvError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CsvError);
    return e as CsvError;
  }
  throw new Error('expected a CsvError');
}

function expectAt(f: () => unknown, line: number, column: number, message: RegExp): void {
  const e = csvError(f);
  expect(e.message).toMatch(message);
  expect(e.message).toContain(`line ${line}, column ${column}`);
  expect([e.line, e.column]).toEqual([line, column]);
}

describe('readCsv: the quirks of the book files (inline fixtures)', () => {
  it('headerless numeric file with LF endings and a final newline (ThoraricSurgery, pima, wine, sonar3)', () => {
    const t = readCsv('293,1,3.8,2.8,0,62,0\n1,2,2.88,2.16,1,60,0\n8,2,3.19,2.5,1,66,1\n');
    expect(t.columns).toEqual(['0', '1', '2', '3', '4', '5', '6']);
    expect(t.rows).toBe(3);
    expect(t.types.every((x) => x === 'number')).toBe(true);
    expect(Array.from(t.column(6))).toEqual([0, 0, 1]);
    expect(Array.from(t.column('2'))).toEqual([3.8, 2.88, 3.19]);
  });

  it('a header is detected when no cell of line 1 is a number (pima-indians-diabetes3, iris3)', () => {
    const t = readCsv('pregnant,plasma,pressure,diabetes\n6,148,72,1\n1,85,66,0\n');
    expect(t.columns).toEqual(['pregnant', 'plasma', 'pressure', 'diabetes']);
    expect(t.rows).toBe(2);
    expect(Array.from(t.column('diabetes'))).toEqual([1, 0]);
    // Overridable both ways.
    expect(readCsv('a,b\n1,2\n', { header: false }).types).toEqual(['category', 'category']);
    expect(readCsv('1,2\n3,4\n', { header: true }).columns).toEqual(['1', '2']);
    expect(readCsv('1,2\n3,4\n', { names: ['x', 'y'] }).columns).toEqual(['x', 'y']);
  });

  it('iris.csv: an extra blank line at the end; text labels become sorted codes with the mapping kept', () => {
    const text = '5.1,3.5,1.4,0.2,Iris-setosa\n7.0,3.2,4.7,1.4,Iris-versicolor\n6.3,3.3,6.0,2.5,Iris-virginica\n4.9,3.0,1.4,0.2,Iris-setosa\n\n';
    const t = readCsv(text);
    expect(t.shape).toEqual([4, 5]);
    expect(t.types[4]).toBe('category');
    expect(t.encodings['4']).toEqual({ 'Iris-setosa': 0, 'Iris-versicolor': 1, 'Iris-virginica': 2 });
    expect(Array.from(t.column(4))).toEqual([0, 1, 2, 0]);
    expect(t.decode(4, [2, 0])).toEqual(['Iris-virginica', 'Iris-setosa']);
    expect(t.row(1)).toEqual([7, 3.2, 4.7, 1.4, 'Iris-versicolor']);
    // Several blank lines, blank lines in the middle, whitespace-only lines: all skipped.
    expect(readCsv('1,2\n\n3,4\n   \n\n\n').rows).toBe(2);
  });

  it('sonar.csv: M/R labels are coded like scikit-learn LabelEncoder (M → 0, R → 1); appearance order on request', () => {
    const t = readCsv('0.02,0.0371,R\n0.0453,0.0523,M\n0.0262,0.0582,R\n');
    expect(t.encodings['2']).toEqual({ M: 0, R: 1 });
    expect(Array.from(t.column(2))).toEqual([1, 0, 1]);
    const a = readCsv('0.02,0.0371,R\n0.0453,0.0523,M\n', { categoryOrder: 'appearance' });
    expect(a.encodings['2']).toEqual({ R: 0, M: 1 });
    // Numbers-as-categories sort numerically, then text.
    const c = readCsv('k\n10\n9\nb\na\n', { columnTypes: { k: 'category' } });
    expect(c.categories('k')).toEqual(['9', '10', 'a', 'b']);
  });

  it('sentiment_data.csv: CRLF line endings, text with punctuation and a trailing space before the comma', () => {
    const t = readCsv('sentence,label\r\nI love this product,1\r\nAbsolutely phenomenal! ,1\r\nThe product is not reliable.,0\r\n');
    expect(t.columns).toEqual(['sentence', 'label']);
    expect(t.types).toEqual(['category', 'number']);
    expect(t.categories('sentence')).toContain('Absolutely phenomenal!');
    expect(Array.from(t.column('label'))).toEqual([1, 1, 0]);
    expect(t.row(1)).toEqual(['Absolutely phenomenal!', 1]);
    // trim: false keeps the space.
    expect(readCsv('s,l\r\nab ,1\r\n', { trim: false }).row(0)).toEqual(['ab ', 1]);
    // Lone CR line ends too.
    expect(readCsv('a,b\r1,2\r3,4\r').rows).toBe(2);
  });

  it('housing.csv: space-padded fixed-width text starting with a space is read as whitespace-separated', () => {
    const text = [
      ' 0.00632  18.00   2.310  0  0.5380  6.5750  65.20  4.0900   1  296.0  15.30 396.90   4.98  24.00',
      ' 0.02731   0.00   7.070  0  0.4690  6.4210  78.90  4.9671   2  242.0  17.80 396.90   9.14  21.60',
      '',
    ].join('\n');
    const t = readCsv(text);
    expect(t.shape).toEqual([2, 14]);
    expect(Array.from(t.column(13))).toEqual([24, 21.6]);
    expect(Array.from(t.column(0))).toEqual([0.00632, 0.02731]);
    expect(readCsv(text, { delimiter: 'whitespace' }).shape).toEqual([2, 14]);
    expect(readCsv(text, { delimiter: '\\s+' }).shape).toEqual([2, 14]);
    // Tabs and trailing spaces too.
    expect(readCsv('1\t 2  3   \n4 5\t\t6\n').shape).toEqual([2, 3]);
  });

  it('house_*.csv: NA is missing by default and every policy handles it; NA can also be kept as a category', () => {
    const text = 'Id,LotFrontage,Alley,SalePrice\n1,65,NA,208500\n2,NA,Grvl,181500\n3,68,Pave,223500\n4,NA,NA,140000\n5,84,Pave,250000\n';
    // Default: a clear error at the first missing cell.
    expectAt(() => readCsv(text), 2, 3, /missing value "NA".*missing option/);
    expectAt(() => readCsv(text, { missing: { category: 'category' } }), 3, 2, /"LotFrontage".*missing value "NA"/);
    // NA as a real category ("no alley"), numeric NA filled with the mean of the present values.
    const t = readCsv(text, { missing: { numeric: 'mean', category: 'category' } });
    expect(t.rows).toBe(5);
    expect(t.categories('Alley')).toEqual(['Grvl', 'NA', 'Pave']);
    expect(Array.from(t.column('LotFrontage'))).toEqual([65, (65 + 68 + 84) / 3, 68, (65 + 68 + 84) / 3, 84]);
    expect(Array.from(readCsv(text, { missing: { numeric: 'median', category: 'category' } }).column('LotFrontage'))).toEqual([65, 68, 68, 68, 84]);
    expect(Array.from(readCsv(text, { missing: { numeric: { fill: -1 }, category: { fill: 'none' } } }).column(1))).toEqual([65, -1, 68, -1, 84]);
    const mode = readCsv(text, { missing: { numeric: 'median', category: 'mode' } });
    expect(mode.decode('Alley', mode.column('Alley'))).toEqual(['Pave', 'Grvl', 'Pave', 'Pave', 'Pave']);
    // drop: rows with a missing cell go, lines are kept for messages.
    const d = readCsv(text, { missing: 'drop' });
    expect(Array.from(d.column('Id'))).toEqual([3, 5]);
    expect(Array.from(d.lines)).toEqual([4, 6]);
    // Per-column overrides: drop rows missing LotFrontage only.
    const o = readCsv(text, { missing: { category: 'category', columns: { LotFrontage: 'drop' } } });
    expect(Array.from(o.column('Id'))).toEqual([1, 3, 5]);
    // Empty cells are missing too; naValues: [] reads NA as plain text.
    expect(readCsv('a,b\n1,\n2,3\n', { missing: 'drop' }).rows).toBe(1);
    expect(readCsv(text, { naValues: [] }).types).toEqual(['number', 'category', 'category', 'number']);
  });

  it('policies that cannot apply name the column and the way out', () => {
    const text = 'x,c\n1,a\nNA,NA\n';
    expectAt(() => readCsv(text, { missing: 'category' }), 3, 1, /numeric, so 'category' does not apply/);
    expectAt(() => readCsv(text, { missing: 'mean' }), 3, 2, /holds text, so 'mean' does not apply/);
    expectAt(() => readCsv(text, { missing: { fill: 'zero' } }), 3, 1, /fill it with a number/);
    expect(() => readCsv(text, { missing: 'sometimes' as never })).toThrow(/missing must be 'error', 'drop'/);
    expect(() => readCsv(text, { missing: { columns: { nope: 'drop' } } })).toThrow(/missing.columns names a column "nope"/);
  });
});

describe('readCsv: RFC 4180 and other dialects', () => {
  it('quoted fields with delimiters, escaped quotes, newlines and CRLF inside quotes', () => {
    const text = 'id,text,score\r\n1,"hello, world",0.5\r\n2,"she said ""hi""",1\r\n3,"two\r\nlines",2\n4,"",3\n5, "  padded " ,4\n';
    const t = readCsv(text, { naValues: [] });
    expect(t.rows).toBe(5);
    expect(t.row(0)).toEqual([1, 'hello, world', 0.5]);
    expect(t.row(3)).toEqual([4, '', 3]);
    expect(t.row(1)).toEqual([2, 'she said "hi"', 1]);
    expect(t.row(2)).toEqual([3, 'two\r\nlines', 2]);
    expect(t.row(4)).toEqual([5, '  padded ', 4]);
    // The quoted empty cell counts as missing ('' is an NA value) → error names line 6 (the multi-line field took lines 4–5).
    expectAt(() => readCsv(text, { missing: 'error' }), 6, 2, /missing value ""/);
    // Quoted numbers are numbers; a quote inside an unquoted field is kept.
    const q = readCsv('a,b\n"1.5",5\'11"\n');
    expect(q.row(0)).toEqual([1.5, '5\'11"']);
    expect(readCsv("a;b\n'x;y';2\n", { quote: "'" }).row(0)).toEqual(['x;y', 2]);
  });

  it('semicolons, decimal commas, tabs, pipes; detection picks the delimiter that splits every line evenly', () => {
    expect(readCsv('a;b;c\n1;2;3\n').shape).toEqual([1, 3]);
    expect(readCsv('a;b\n1,5;2,25\n', { decimal: ',' }).row(0)).toEqual([1.5, 2.25]);
    expect(readCsv('a\tb\n1\t\n', { missing: { fill: 0 } }).row(0)).toEqual([1, 0]);
    expect(readCsv('a|b\n1|2\n', { delimiter: '|' }).row(0)).toEqual([1, 2]);
    expect(detectDelimiter('a,b;c\n1,2;3\n')).toBe(';');
    expect(detectDelimiter('"x;y",b\n"1;2",3\n')).toBe(',');
    expect(detectDelimiter(' 1  2\n 3  4\n')).toBeNull();
    expect(detectDelimiter('one\ntwo\n')).toBe(',');
    expect(readCsv('v\n1\n2\n').shape).toEqual([2, 1]);
  });

  it('bytes (ArrayBuffer, Uint8Array, with a BOM) and a string BOM', () => {
    const bytes = new TextEncoder().encode('\uFEFFname,n\nü,1\né,2\n');
    const fromView = readCsv(bytes);
    expect(fromView.columns).toEqual(['name', 'n']);
    expect(fromView.categories('name')).toEqual(['é', 'ü']);
    expect(readCsv(bytes.buffer as ArrayBuffer).shape).toEqual([2, 2]);
    expect(readCsv(new Uint8Array(bytes.buffer, 3)).columns).toEqual(['name', 'n']);
    expect(readCsv('\uFEFFa,b\n1,2\n').columns).toEqual(['a', 'b']);
  });

  it('duplicate and empty header names get unique names; a text column stays text even when some cells are numbers', () => {
    const t = readCsv('a,a,,b\n1,2,3,x\n4,5,6,7\n');
    expect(t.columns).toEqual(['a', 'a.1', '2', 'b']);
    expect(t.types[3]).toBe('category');
    expect(t.categories('b')).toEqual(['7', 'x']);
    // The original text of numbers is kept when the column turns out to hold text.
    expect(readCsv('k\n1.0\n1e3\n+2\nz\n').categories('k')).toEqual(['1.0', '+2', '1e3', 'z']);
  });

  it('columnTypes: declared categories keep numbers as text; declared numbers refuse text', () => {
    const t = readCsv('zip,v\n02139,1\n10001,2\n', { columnTypes: { zip: 'category' } });
    expect(t.categories('zip')).toEqual(['02139', '10001']);
    expect(readCsv('zip,v\n02139,1\n', { columnTypes: { 0: 'category' } as Record<string, 'category'> }).types[0]).toBe('category');
    expect(() => readCsv('a\n1\n', { columnTypes: { b: 'number' } })).toThrow(/columnTypes names a column "b" that the file does not have; its columns are "a"/);
  });

  it('encodings: a test file read with the training file\'s codes; unknown values are an error or appended', () => {
    const train = readCsv('x,species\n1,setosa\n2,virginica\n3,versicolor\n');
    const test = readCsv('x,species\n4,virginica\n5,setosa\n', { encodings: train.encodings });
    expect(Array.from(test.column('species'))).toEqual([2, 0]);
    expect(test.categories('species')).toEqual(['setosa', 'versicolor', 'virginica']);
    expectAt(() => readCsv('x,species\n4,virginica\n5,arctica\n', { encodings: train.encodings }), 3, 2, /"arctica" is not in the given encoding of "species".*unknownCategory: 'append'/);
    const app = readCsv('x,species\n4,virginica\n5,arctica\n', { encodings: train.encodings, unknownCategory: 'append' });
    expect(app.encodings.species).toEqual({ setosa: 0, versicolor: 1, virginica: 2, arctica: 3 });
    // A given encoding makes the column categorical even when its values look numeric.
    expect(readCsv('y\n1\n0\n', { encodings: { y: { 0: 0, 1: 1 } } }).types).toEqual(['category']);
    expect(() => readCsv('y\n1\n', { encodings: { y: { a: 0, b: 2 } } })).toThrow(/codes 0 … 1/);
  });

  it('a path instead of text is refused with a pointer to readCsvFile; other input types are refused', () => {
    expect(() => readCsv('data/iris.csv')).toThrow(/looks like a file name: read a file with await df\.data\.readCsvFile/);
    expect(() => readCsv(42 as never)).toThrow(/takes CSV text \(a string\) or its bytes/);
  });
});

describe('readCsv: malformed input names the line and column', () => {
  it('ragged rows: too few and too many fields', () => {
    expectAt(() => readCsv('a,b,c\n1,2,3\n4,5\n'), 3, 3, /the row has 2 fields, but the header on line 1 has 3/);
    expectAt(() => readCsv('1,2,3\n4,5,6,7\n'), 2, 4, /the row has 4 fields, but line 1 has 3/);
    // Line numbers count the lines inside quoted fields and the skipped blank lines.
    expectAt(() => readCsv('a,b\n"x\ny",1\n\n1,2,3\n'), 5, 3, /has 3 fields/);
  });

  it('a non-numeric cell in a column declared numeric', () => {
    expectAt(() => readCsv('a,b\n1,2\n3,x\n', { columnTypes: 'number' }), 3, 2, /"x" is not a number, and the column is declared numeric/);
    expectAt(() => readCsv('a,b\n1,2\n3,x\n', { columnTypes: { b: 'number' } }), 3, 2, /line 3, column 2 \("b"\)/);
  });

  it('empty input, blank-only input, a header without rows', () => {
    expect(() => readCsv('')).toThrow(/empty input/);
    expect(() => readCsv('\n\n  \r\n')).toThrow(/empty input/);
    expect(() => readCsv(new Uint8Array(0))).toThrow(/empty input/);
    const e = csvError(() => readCsv('a,b,c\n\n'));
    expect(e.message).toMatch(/line 1: the file has a header but no data rows/);
    expect(e.line).toBe(1);
  });

  it('a line longer than maxLineLength', () => {
    expectAt(() => readCsv(`a,b\n1,2\n3,${'9'.repeat(50)}\n`, { maxLineLength: 20 }), 3, 2, /longer than maxLineLength \(20 characters\)/);
    expect(readCsv(`a,b\n1,2\n3,${'9'.repeat(15)}\n`, { maxLineLength: 20 }).rows).toBe(2);
    // A runaway quoted field is stopped by the limit too.
    expectAt(() => readCsv(`a,b\n1,"${'x\n'.repeat(40)}`, { maxLineLength: 30 }), 2, 2, /maxLineLength/);
  });

  it('an unterminated quote and text after a closing quote', () => {
    expectAt(() => readCsv('a,b\n1,2\n3,"open\n4,5\n'), 3, 2, /quoted field starts here and its closing quote is missing/);
    expectAt(() => readCsv('a,b\n1,"x"y\n'), 2, 2, /unexpected "y" after the closing quote/);
  });

  it('bad options are refused up front', () => {
    const bad: [CsvOptions, RegExp][] = [
      [{ delimiter: ',,' }, /delimiter must be/],
      [{ quote: '' }, /quote must be one character/],
      [{ decimal: ',', delimiter: ',' }, /decimal ',' needs another delimiter/],
      [{ maxLineLength: 0 }, /maxLineLength must be a positive integer/],
      [{ header: 'yes' as never }, /header must be true, false or 'auto'/],
      [{ names: ['a'] }, /names has 1 entries but the line has 2 fields/],
      [{ categoryOrder: 'random' as never }, /categoryOrder/],
    ];
    for (const [o, re] of bad) expect(() => readCsv('1,2\n', o)).toThrow(re);
  });
});

describe('streaming', () => {
  const tricky = 'id,"na,me",v\r\n1,"a ""q""\r\nb",1.5\r\n2,plain,NA\r\n\r\n3,"x",2\r\n';
  const opts: CsvOptions = { missing: { numeric: 'median' } };

  it('any chunking gives the same table as the whole text', async () => {
    const whole = readCsv(tricky, opts);
    expect(whole.row(0)).toEqual([1, 'a "q"\r\nb', 1.5]);
    expect(whole.columns).toEqual(['id', 'na,me', 'v']);
    for (let size = 1; size <= 9; size++) {
      const chunks: string[] = [];
      for (let i = 0; i < tricky.length; i += size) chunks.push(tricky.slice(i, i + size));
      const t = await readCsvStream((async function* () { yield* chunks; })(), opts);
      expect([t.columns, [0, 1, 2].map((r) => t.row(r))]).toEqual([whole.columns, [0, 1, 2].map((r) => whole.row(r))]);
    }
  });

  it('UTF-8 bytes split inside a character, from a web ReadableStream', async () => {
    const bytes = new TextEncoder().encode('w,n\nnaïve,1\n日本,2\n');
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += 3) c.enqueue(bytes.slice(i, i + 3));
        c.close();
      },
    });
    const t = await readCsvStream(stream);
    expect(t.categories('w')).toEqual(['naïve', '日本']);
  });

  it('readCsvFile streams a file from disk and prefixes errors with the path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deltaflow-csv-'));
    try {
      const rows = ['x,y,label'];
      for (let i = 0; i < 30000; i++) rows.push(`${i},${(i * 0.5).toFixed(1)},${i % 3 === 0 ? 'a' : 'b'}`);
      const big = join(dir, 'big.csv');
      writeFileSync(big, rows.join('\n') + '\n');
      const t = await readCsvFile(big);
      expect(t.shape).toEqual([30000, 3]);
      expect(t.column('y')[29999]).toBe(14999.5);
      expect(t.encodings.label).toEqual({ a: 0, b: 1 });
      const bad = join(dir, 'bad.csv');
      writeFileSync(bad, 'a,b\n1,2\n3\n');
      await expect(readCsvFile(bad)).rejects.toThrow(/bad\.csv: line 3, column 2: the row has 1 field/);
      await expect(readCsvFile(join(dir, 'absent.csv'))).rejects.toThrow(/absent\.csv/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('readCsv options are checked', () => {
  const text = 'a;b\n1;?\n3;4\n5;x\n';

  it('a misspelt option, or one inside missing, is a CsvError with the closest name', async () => {
    expect(csvError(() => readCsv(text, { delimeter: ';' } as CsvOptions)).message).toBe("readCsv: unknown option 'delimeter' — did you mean 'delimiter'?");
    expect(csvError(() => readCsv(text, { missing: { numric: 'mean' } } as CsvOptions)).message).toBe("readCsv: missing: unknown option 'numric' — did you mean 'numeric'?");
    await expect(readCsvStream((async function* () { yield 'a\n1\n'; })(), { naValue: [] } as CsvOptions)).rejects.toThrow("readCsvStream: unknown option 'naValue' — did you mean 'naValues'?");
    await expect(readCsvFile('absent.csv', { heder: false } as CsvOptions)).rejects.toThrow(CsvError);
    expect(csvError(() => readCsv(text, 3 as CsvOptions)).message).toBe('readCsv: expected an options object, got number');
  });

  it("pandas's snake_case spellings are the same options, and the caller's object is left as it was", () => {
    const given = { na_values: ['?', 'x'], missing: { numeric: 'mean' }, column_types: 'number' };
    const copy = structuredClone(given);
    const t = readCsv(text, given as CsvOptions);
    expect(Array.from(t.column('b'))).toEqual([4, 4, 4]);
    expect(given).toEqual(copy);
    expect(() => readCsv(text, { na_values: ['?'] } as CsvOptions)).toThrow(/missing value/);
  });

  it("pandas's names for what readCsv spells differently say what to use, and header: null points to false", () => {
    expect(csvError(() => readCsv(text, { sep: ';' } as CsvOptions)).message).toBe("readCsv: option 'sep' is not supported by deltaflow; use delimiter (one character, 'whitespace', or 'auto', the default, which detects it)");
    expect(csvError(() => readCsv(text, { usecols: ['a'] } as CsvOptions)).message).toMatch(/table\.select\(columns\) or table\.drop\(columns\)/);
    expect(csvError(() => readCsv(text, { index_col: 0 } as CsvOptions)).message).toMatch(/option 'index_col' is not supported by deltaflow; read it as a column/);
    expect(csvError(() => readCsv(text, { header: null } as unknown as CsvOptions)).message).toMatch(/got null \(pandas's header=None is header: false here\)/);
  });
});
