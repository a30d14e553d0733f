// Bytes into the CSV reader: byte order marks, the encoding option, and invalid bytes named by line and
// byte column instead of becoming U+FFFD; the same through readCsv, readCsvStream in chunks of any size,
// and readCsvFile.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvError, readCsv, readCsvFile, readCsvStream, type CsvOptions } from '../../../src/data/index.js';
import { scanUtf8 } from '../../../src/data/csv/decode.js';

const TEXT = 'name,n\nbar,1\ncafé,2\n€ 5 – ok,3\n𝔘nicode,4\n';

const utf8 = (s: string) => new TextEncoder().encode(s);
const utf16 = (s: string, le: boolean) => {
  const out = new Uint8Array(2 + s.length * 2);
  out.set(le ? [0xff, 0xfe] : [0xfe, 0xff]);
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    out[2 + 2 * i + (le ? 0 : 1)] = u & 0xff;
    out[2 + 2 * i + (le ? 1 : 0)] = u >> 8;
  }
  return out;
};
const bytes = (...parts: (string | number[])[]) => Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...utf8(p)] : p)));

async function* chunks(b: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < b.length; i += size) yield b.slice(i, i + size);
}

/** readCsv on the bytes, and readCsvStream on chunks of 1, 2, 3, 5 and 64 bytes: the same names each way. */
async function names(b: Uint8Array, options: CsvOptions = {}): Promise<string[]> {
  const whole = readCsv(b, options).categories('name');
  for (const size of [1, 2, 3, 5, 64]) expect((await readCsvStream(chunks(b, size), options)).categories('name'), `chunks of ${size}`).toEqual(whole);
  return whole;
}

/** The CsvError of readCsv and of every chunked stream: the same message, line and column. */
async function decodeError(b: Uint8Array, options: CsvOptions = {}): Promise<CsvError> {
  let first: CsvError | undefined;
  for (const size of [0, 1, 2, 3, 7, 64]) {
    let error: unknown;
    try {
      if (size === 0) readCsv(b, options);
      else await readCsvStream(chunks(b, size), options);
    } catch (e) {
      error = e;
    }
    expect(error, `chunks of ${size}`).toBeInstanceOf(CsvError);
    const e = error as CsvError;
    if (first) expect([e.message, e.line, e.column], `chunks of ${size}`).toEqual([first.message, first.line, first.column]);
    first ??= e;
  }
  return first!;
}

const SORTED = ['bar', 'café', '€ 5 – ok', '𝔘nicode'];

describe('readCsv bytes: encodings', () => {
  it('UTF-8 with and without a byte order mark (the mark is dropped)', async () => {
    expect(await names(utf8(TEXT))).toEqual(SORTED);
    expect(await names(bytes([0xef, 0xbb, 0xbf], TEXT))).toEqual(SORTED);
    expect(readCsv(bytes([0xef, 0xbb, 0xbf], 'a,b\n1,2\n')).columns).toEqual(['a', 'b']);
    // A U+FFFD that is in the file is text like any other.
    expect(await names(utf8('name\n\uFFFD\nx\n'))).toEqual(['x', '\uFFFD']);
  });

  it('UTF-16LE and UTF-16BE are read by their byte order mark (they used to fail as "the row has 1 field")', async () => {
    expect(await names(utf16(TEXT, true))).toEqual(SORTED);
    expect(await names(utf16(TEXT, false))).toEqual(SORTED);
    expect(await names(utf16(TEXT, true), { encoding: 'utf-16le' })).toEqual(SORTED);
    // Without a mark, only the option tells.
    expect(await names(utf16(TEXT, true).subarray(2), { encoding: 'utf-16le' })).toEqual(SORTED);
  });

  it("encoding 'latin1' reads Latin-1 / Windows-1252 bytes", async () => {
    expect(await names(bytes('name\nbar\ncaf', [0xe9], '\n', [0x80], 'uro\n'), { encoding: 'latin1' })).toEqual(['bar', 'café', '€uro']);
    expect(readCsv(bytes('x\ncaf', [0xe9], '\n'), { encoding: 'ISO-8859-1' as CsvOptions['encoding'] }).categories('x')).toEqual(['café']);
  });

  it('an unknown encoding is refused with the list; a mark that contradicts the option is an error', async () => {
    expect(() => readCsv('a\n1\n', { encoding: 'koi8-r' as CsvOptions['encoding'] })).toThrow(new CsvError(`encoding must be one of 'utf-8', 'latin1', 'utf-16le', 'utf-16be', got "koi8-r"`));
    expect((await decodeError(utf16(TEXT, true), { encoding: 'utf-8' })).message).toBe("the input starts with a UTF-16LE byte order mark, but the encoding option is 'utf-8'; drop the option or set it to 'utf-16le'");
  });
});

describe('readCsv bytes: invalid bytes are errors naming the line and byte column, never U+FFFD', () => {
  it('a Latin-1 é read as UTF-8 (caf\\xe9 used to become caf\\ufffd)', async () => {
    const e = await decodeError(bytes('name,n\nbar,1\ncaf', [0xe9], ',2\n'));
    expect(e.message).toBe(`line 3, byte column 4: byte 0xE9 is not valid UTF-8 (after "caf"); if the file is not UTF-8, read it with encoding 'latin1' (Windows-1252) or 'utf-16le'`);
    expect([e.line, e.column]).toEqual([3, 4]);
  });

  it('columns count bytes, after multi-byte characters and across chunk boundaries; the context is the line so far', async () => {
    const e = await decodeError(bytes('a\n', 'x'.repeat(100), '€,', [0xff], '\n'));
    expect([e.line, e.column]).toEqual([2, 100 + 3 + 1 + 1]);
    expect(e.message).toMatch(/^line 2, byte column 105: byte 0xFF is not valid UTF-8 \(after "…x{22}€,"\)/);
    // A stray continuation byte first on a line, an overlong form, an encoded surrogate.
    expect((await decodeError(bytes('a\n1\n', [0x80], '\n'))).message).toMatch(/^line 3, byte column 1: byte 0x80 is not valid UTF-8;/);
    expect((await decodeError(bytes('a\nb', [0xc0, 0xaf], '\n'))).message).toMatch(/^line 2, byte column 2: byte 0xC0 /);
    expect((await decodeError(bytes('a\nb', [0xed, 0xa0, 0x80], '\n'))).message).toMatch(/^line 2, byte column 2: byte 0xED /);
  });

  it('a sequence cut off by the end of the input', async () => {
    const e = await decodeError(bytes('a\nok', [0xe2, 0x82]));
    expect(e.message).toMatch(/^line 2, byte column 3: byte 0xE2 begins a UTF-8 sequence that the input cuts off \(after "ok"\)/);
  });

  it('an unpaired surrogate in UTF-16', async () => {
    const b = utf16('a\nok\uD800x\n', true);
    const e = await decodeError(b);
    expect(e.message).toBe('line 2, byte column 5: 0xD800 is an unpaired surrogate, not valid UTF-16LE (after "ok")');
    expect((await decodeError(b.subarray(0, b.length - 1))).message).toMatch(/^line 2, byte column 5: 0xD800 is an unpaired/);
  });

  it('readCsvFile names the file too', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'deltaflow-decode-'));
    try {
      const file = path.join(dir, 'latin1.csv');
      writeFileSync(file, bytes('name,n\nbar,1\ncaf', [0xe9], ',2\n'));
      await expect(readCsvFile(file)).rejects.toThrow(`${file}: line 3, byte column 4: byte 0xE9 is not valid UTF-8`);
      expect((await readCsvFile(file, { encoding: 'latin1' })).categories('name')).toEqual(['bar', 'café']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('scanUtf8 agrees with TextDecoder (fatal) on random bytes', () => {
    const fatal = new TextDecoder('utf-8', { fatal: true });
    let s = 7;
    const next = () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let t = 0; t < 3000; t++) {
      const pool = [0x41, 0x80, 0xbf, 0xc2, 0xc0, 0xe0, 0xa0, 0xed, 0x9f, 0xf0, 0x90, 0xf4, 0x8f, 0xf5, 0xe2, 0x82, 0xac];
      const b = Uint8Array.from({ length: 1 + (next() % 8) }, () => pool[next() % pool.length]);
      const { at } = scanUtf8(b);
      let valid = true;
      try {
        fatal.decode(b);
      } catch {
        valid = false;
      }
      expect(at === b.length, Array.from(b, (x) => x.toString(16)).join(' ')).toBe(valid);
      if (!valid) expect(() => fatal.decode(b.subarray(0, at))).not.toThrow();
    }
  });
});
