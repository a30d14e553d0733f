// Bytes → text for the CSV reader, chunk by chunk: a byte order mark picks UTF-8, UTF-16LE or UTF-16BE;
// otherwise the encoding option (UTF-8 by default). Decoding is strict (TextDecoder with fatal: true), so
// a byte that is not valid never becomes a silent U+FFFD; only when a chunk fails is it scanned again to
// name the line and byte column of the first bad byte.
import { CsvError } from './options.js';

/** The encodings readCsv reads: 'latin1' is the WHATWG label, i.e. Windows-1252 (ISO-8859-1 plus € and friends in 0x80–0x9F). */
export const CSV_ENCODINGS = ['utf-8', 'latin1', 'utf-16le', 'utf-16be'] as const;
/** A text encoding readCsv decodes: 'utf-8', 'latin1', 'utf-16le' or 'utf-16be'. */
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

const ALIASES: Record<string, CsvEncoding> = { utf8: 'utf-8', utf16le: 'utf-16le', utf16be: 'utf-16be', 'iso-8859-1': 'latin1' };

const BOMS: { encoding: CsvEncoding; bytes: number[] }[] = [
  { encoding: 'utf-8', bytes: [0xef, 0xbb, 0xbf] },
  { encoding: 'utf-16le', bytes: [0xff, 0xfe] },
  { encoding: 'utf-16be', bytes: [0xfe, 0xff] },
];

// Windows-1252's characters for 0x80–0x9F (the five it leaves undefined stay C1 controls, as WHATWG
// decodes them); Node's TextDecoder('latin1') gives ISO-8859-1's controls there, so this fixes them up.
const CP1252_C1 = '€\x81‚ƒ„…†‡ˆ‰Š‹Œ\x8DŽ\x8F\x90‘’“”•–—˜™š›œ\x9DžŸ';

const LF = 10;
const CONTEXT = 24;
const EMPTY = new Uint8Array(0);

/** The encoding option checked (any case; 'utf8', 'utf16le', 'utf16be', 'iso-8859-1' accepted); undefined when not given. */
export function checkEncoding(value: unknown): CsvEncoding | undefined {
  if (value === undefined) return undefined;
  const name = typeof value === 'string' ? value.toLowerCase() : '';
  const found = (CSV_ENCODINGS as readonly string[]).includes(name) ? (name as CsvEncoding) : ALIASES[name];
  if (!found) throw new CsvError(`encoding must be one of ${CSV_ENCODINGS.map((e) => `'${e}'`).join(', ')}, got ${JSON.stringify(value)}`);
  return found;
}

export class ByteDecoder {
  private encoding?: CsvEncoding;
  private decoder?: TextDecoder;
  /** Bytes held back: the first few until the byte order mark is known, then a sequence cut by the chunk's end. */
  private carry: Uint8Array = EMPTY;
  /** Where the next byte is: its 1-based line, and the bytes of that line already decoded. */
  private line = 1;
  private lineBytes = 0;
  /** The end of that line's text so far (up to CONTEXT + 1 characters), shown before a bad byte. */
  private lineTail = '';

  constructor(private readonly given: CsvEncoding | undefined) {}

  /** The text of `bytes` (a sequence cut at the end waits for the next chunk). */
  push(bytes: Uint8Array): string {
    let data = bytes;
    if (this.carry.length > 0) {
      data = new Uint8Array(this.carry.length + bytes.length);
      data.set(this.carry);
      data.set(bytes, this.carry.length);
    }
    if (!this.decoder) {
      if (data.length < 3) {
        this.carry = data.slice();
        return '';
      }
      data = this.start(data);
    }
    const keep = this.cutTail(data);
    // A copy: a stream may reuse the chunk's buffer for its next read.
    this.carry = keep > 0 ? data.slice(data.length - keep) : EMPTY;
    return this.decode(keep > 0 ? data.subarray(0, data.length - keep) : data);
  }

  /** The text of the bytes still held back; an error if they are an unfinished sequence. */
  end(): string {
    const rest = this.carry;
    this.carry = EMPTY;
    if (!this.decoder) {
      if (rest.length === 0) return '';
      return this.decode(this.start(rest));
    }
    return this.decode(rest);
  }

  /** Picks the encoding from a byte order mark or the option, and returns the bytes after the mark. */
  private start(data: Uint8Array): Uint8Array {
    const bom = BOMS.find((b) => b.bytes.every((v, i) => data[i] === v));
    if (bom && this.given && bom.encoding !== this.given) {
      throw new CsvError(`the input starts with a ${bom.encoding.toUpperCase()} byte order mark, but the encoding option is '${this.given}'; drop the option or set it to '${bom.encoding}'`, 1, 1);
    }
    this.encoding = bom?.encoding ?? this.given ?? 'utf-8';
    // ignoreBOM: a U+FEFF after the start is text, even when a chunk happens to begin with it.
    this.decoder = new TextDecoder(this.encoding, { fatal: true, ignoreBOM: true });
    return bom ? data.subarray(bom.bytes.length) : data;
  }

  /** How many bytes at the end begin a character the next chunk completes. */
  private cutTail(data: Uint8Array): number {
    const n = data.length;
    if (this.encoding === 'utf-8') {
      for (let i = n - 1; i >= Math.max(0, n - 3); i--) {
        const b = data[i];
        if (b < 0x80) return 0;
        if (b >= 0xc0) {
          const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
          return n - i < need ? n - i : 0;
        }
      }
      return 0;
    }
    if (this.encoding === 'latin1') return 0;
    const odd = n % 2;
    const last = n - odd - 2;
    return last >= 0 && isHighSurrogate(this.unit(data, last)) ? odd + 2 : odd;
  }

  private decode(piece: Uint8Array): string {
    if (piece.length === 0) return '';
    let text: string;
    try {
      text = this.decoder!.decode(piece);
    } catch {
      throw this.locate(piece);
    }
    if (this.encoding === 'latin1') text = text.replace(/[\x80-\x9f]/g, (c) => CP1252_C1[c.charCodeAt(0) - 0x80]);
    this.advance(piece, text);
    return text;
  }

  /** Moves the line and byte-column count past a decoded piece. */
  private advance(piece: Uint8Array, text: string): void {
    this.lineTail = tail(this.lineTail, text);
    let last = -1;
    if (this.encoding === 'utf-8' || this.encoding === 'latin1') {
      // LF is one byte here, never part of a longer sequence.
      for (let i = piece.indexOf(LF); i >= 0; i = piece.indexOf(LF, i + 1)) {
        this.line++;
        last = i;
      }
      this.lineBytes = last >= 0 ? piece.length - last - 1 : this.lineBytes + piece.length;
      return;
    }
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      this.line++;
      last = i;
    }
    this.lineBytes = last >= 0 ? (text.length - last - 1) * 2 : this.lineBytes + piece.length;
  }

  /** The error for the first bad byte of a piece that failed to decode. */
  private locate(piece: Uint8Array): CsvError {
    const utf8 = this.encoding === 'utf-8';
    const scan = utf8 ? scanUtf8(piece) : { at: this.firstInvalidUtf16(piece), truncated: false };
    const at = scan.at;
    const before = this.decoder!.decode(piece.subarray(0, at));
    const nl = before.lastIndexOf('\n');
    let lines = 0;
    for (let i = before.indexOf('\n'); i >= 0; i = before.indexOf('\n', i + 1)) lines++;
    const lineText = before.slice(nl + 1);
    const lineBytes = utf8 ? at - (at === 0 ? 0 : piece.lastIndexOf(LF, at - 1) + 1) : lineText.length * 2;
    const line = this.line + lines;
    const column = (nl >= 0 ? 0 : this.lineBytes) + lineBytes + 1;
    const shown = tail(this.lineTail, before);
    const after = shown.length > 0 ? ` (after ${JSON.stringify(shown.length > CONTEXT ? '…' + shown.slice(-CONTEXT) : shown)})` : '';
    const where = `line ${line}, byte column ${column}`;
    if (utf8) {
      const bad = `0x${piece[at].toString(16).toUpperCase().padStart(2, '0')}`;
      const what = scan.truncated ? `byte ${bad} begins a UTF-8 sequence that the input cuts off` : `byte ${bad} is not valid UTF-8`;
      return new CsvError(`${where}: ${what}${after}; if the file is not UTF-8, read it with encoding 'latin1' (Windows-1252) or 'utf-16le'`, line, column);
    }
    const name = this.encoding!.toUpperCase();
    const what = at + 2 > piece.length ? `the input ends inside a ${name} code unit` : `0x${this.unit(piece, at).toString(16).toUpperCase()} is an unpaired surrogate, not valid ${name}`;
    return new CsvError(`${where}: ${what}${after}`, line, column);
  }

  private unit(b: Uint8Array, i: number): number {
    return this.encoding === 'utf-16le' ? b[i] | (b[i + 1] << 8) : (b[i] << 8) | b[i + 1];
  }

  /** Byte offset of the first unpaired surrogate (or of a final odd byte). */
  private firstInvalidUtf16(b: Uint8Array): number {
    const n = b.length - (b.length % 2);
    for (let i = 0; i < n; i += 2) {
      const u = this.unit(b, i);
      if (isHighSurrogate(u)) {
        if (i + 2 < n && isLowSurrogate(this.unit(b, i + 2))) i += 2;
        else return i;
      } else if (isLowSurrogate(u)) return i;
    }
    return n;
  }
}

/** The last CONTEXT + 1 characters of the current line after `text` follows `previous`. */
function tail(previous: string, text: string): string {
  const nl = text.lastIndexOf('\n');
  const line = nl >= 0 ? text.slice(Math.max(nl + 1, text.length - CONTEXT - 1)) : previous + text.slice(-CONTEXT - 1);
  return line.length > CONTEXT + 1 ? line.slice(-CONTEXT - 1) : line;
}

function isHighSurrogate(u: number): boolean {
  return u >= 0xd800 && u <= 0xdbff;
}

function isLowSurrogate(u: number): boolean {
  return u >= 0xdc00 && u <= 0xdfff;
}

/**
 * Offset of the first byte that does not start a well-formed UTF-8 sequence (as the Encoding Standard
 * decodes), and whether that sequence is merely cut off by the end; `at` is the length when all is valid.
 */
export function scanUtf8(b: Uint8Array): { at: number; truncated: boolean } {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    // The second byte's range excludes overlong forms, surrogates and code points above U+10FFFF.
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return { at: i, truncated: false };
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return { at: i, truncated: true };
      const d = b[i + k];
      if (d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return { at: i, truncated: false };
    }
    i += need + 1;
  }
  return { at: n, truncated: false };
}
