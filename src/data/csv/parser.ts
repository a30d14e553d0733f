// The parser: buffers a sample of the first lines to detect the delimiter, then streams text through
// the tokenizer into the column builder.
import type { Table } from '../table.js';
import { Builder } from './columns.js';
import { CsvError, DEFAULT_MAX_LINE, type CsvOptions } from './options.js';
import { Tokenizer, detectDelimiter } from './tokenize.js';

export class CsvParser {
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
