// CSV reading, ending in a Table: readCsv (text or bytes), readCsvStream (chunks) and readCsvFile (a
// file in Node, Bun, Deno, streamed through the platform's file access). The work is in parser.ts
// (sampling and delimiter detection), tokenize.ts (records) and columns.ts (typed columns).
import { requireNodePlatform } from '../../platform.js';
import type { Table } from '../table.js';
import { ByteDecoder, checkEncoding } from './decode.js';
import { CsvParser } from './parser.js';
import { CsvError, checkCsvOptions, type CsvOptions } from './options.js';

export { CsvError, type CsvOptions, type MissingPolicy, type MissingOptions } from './options.js';
export { detectDelimiter } from './tokenize.js';
export { CSV_ENCODINGS, type CsvEncoding } from './decode.js';

/**
 * Parses CSV text, or its bytes (UTF-8 unless a byte order mark or the encoding option says otherwise),
 * into a Table. The argument is always the content: to read a file use `await readCsvFile(path)` (Node, Bun, Deno), or `readCsvStream(response.body)` in a browser.
 */
export function readCsv(input: string | ArrayBuffer | ArrayBufferView, given?: CsvOptions): Table {
  const options = checkCsvOptions('readCsv', given);
  const parser = new CsvParser(options);
  const decoder = new ByteDecoder(checkEncoding(options.encoding));
  if (typeof input === 'string') {
    if (looksLikePath(input)) {
      throw new CsvError(`readCsv parses CSV text, and ${JSON.stringify(input)} looks like a file name: read a file with await df.data.readCsvFile(path)`);
    }
    parser.push(input);
  } else if (input instanceof ArrayBuffer || ArrayBuffer.isView(input)) {
    const bytes = input instanceof ArrayBuffer ? new Uint8Array(input) : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    parser.push(decoder.push(bytes));
    parser.push(decoder.end());
  } else {
    throw new CsvError(`readCsv takes CSV text (a string) or its bytes (ArrayBuffer or Uint8Array), got ${input === null ? 'null' : typeof input}; for a file use readCsvFile(path)`);
  }
  return parser.end();
}

/** Parses a stream of text or byte chunks (a web ReadableStream or any async iterable) chunk by chunk; bytes are decoded as readCsv's are. */
export async function readCsvStream(
  source: AsyncIterable<string | Uint8Array | ArrayBuffer> | ReadableStream<string | Uint8Array>,
  given?: CsvOptions,
): Promise<Table> {
  const options = checkCsvOptions('readCsvStream', given);
  const parser = new CsvParser(options);
  const decoder = new ByteDecoder(checkEncoding(options.encoding));
  const feed = (chunk: string | Uint8Array | ArrayBuffer) => {
    parser.push(typeof chunk === 'string' ? chunk : decoder.push(chunk instanceof ArrayBuffer ? new Uint8Array(chunk) : chunk));
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
  parser.push(decoder.end());
  return parser.end();
}

/** Reads a CSV file, streaming it in 64 KiB chunks (Node, Bun, Deno). Errors start with the path. */
export async function readCsvFile(path: string | URL, given?: CsvOptions): Promise<Table> {
  const options = checkCsvOptions('readCsvFile', given);
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

