// Keras's Tokenizer: a vocabulary indexed by descending word count (ties in first-appearance order,
// index 0 reserved, the OOV token at 1), texts to index sequences and back, and bag-of-words matrices.
import { checkOptions } from '../options.js';
import { Tensor, type Tensor2D } from '../tensor.js';
import { readKerasJSON, writeKerasJSON, type TokenizerJSON, type TokenizerState } from './tokenizer-json.js';
import { countMatrix, type MatrixMode } from './vectorize.js';
import { splitWords, wordOptions, type WordOptions } from './words.js';

/** Tokenizer options, Keras's names in camelCase (`num_words`, `oov_token`, `char_level` are accepted too). */
export interface TokenizerOptions extends WordOptions {
  /** Keep only indices below numWords (the numWords - 1 most frequent words) in sequences and matrices; wordIndex still holds every word. Default: all. */
  numWords?: number | null;
  /** A token for words outside the vocabulary: it gets index 1 and stands for them in sequences. Default: none (such words are dropped). */
  oovToken?: string | null;
  /** Every character is a token (filters and split are not applied, as in Keras). Default false. */
  charLevel?: boolean;
}

/** A text: a string to split, or (as in Keras) an array of tokens taken as they are (only lowercased). */
export type TextInput = string | readonly string[];

const TOKENIZER_OPTIONS = {
  known: { numWords: true, oovToken: true, charLevel: true, filters: true, lower: true, split: true },
  unsupported: {
    analyzer: { instead: 'split the texts yourself and pass each one as an array of tokens', harmless: (v: unknown) => v == null },
  },
} as const;

/** Keras's `Tokenizer`: fit a vocabulary on texts, then turn texts into index sequences (for padSequences and an Embedding layer). */
export class Tokenizer {
  /** Only indices below this are kept in sequences and matrices (null: all). */
  readonly numWords: number | null;
  /** The out-of-vocabulary token (index 1), or null. */
  readonly oovToken: string | null;
  /** Characters replaced by `split` before splitting. */
  readonly filters: string;
  /** Whether texts are lowercased first. */
  readonly lower: boolean;
  /** The separator between words. */
  readonly split: string;
  /** Whether each character is a token. */
  readonly charLevel: boolean;

  private state: TokenizerState = emptyState();

  /** A tokenizer with `options` (see {@link TokenizerOptions}); fit it with fitOnTexts. */
  constructor(options?: TokenizerOptions) {
    const o = checkOptions('tokenizer', options, TOKENIZER_OPTIONS);
    const words = wordOptions('tokenizer', { filters: o.filters, lower: o.lower, split: o.split });
    this.filters = words.filters;
    this.lower = words.lower;
    this.split = words.split;
    this.numWords = o.numWords ?? null;
    if (this.numWords !== null && !(Number.isInteger(this.numWords) && this.numWords >= 1)) {
      throw new Error(`tokenizer: numWords must be a positive integer (or null for every word), got ${String(this.numWords)}`);
    }
    this.oovToken = o.oovToken ?? null;
    if (this.oovToken !== null && typeof this.oovToken !== 'string') throw new Error(`tokenizer: oovToken must be a string, got ${typeof this.oovToken}`);
    this.charLevel = o.charLevel ?? false;
    if (typeof this.charLevel !== 'boolean') throw new Error(`tokenizer: charLevel must be true or false, got ${String(this.charLevel)}`);
  }

  /** Word → index, every word seen (index 1 is the OOV token if there is one), most frequent first. */
  get wordIndex(): ReadonlyMap<string, number> {
    return this.state.wordIndex;
  }

  /** Index → word, the inverse of wordIndex. */
  get indexWord(): ReadonlyMap<number, string> {
    return this.state.indexWord;
  }

  /** Word → how many times it occurred in the fitted texts, in first-appearance order. */
  get wordCounts(): ReadonlyMap<string, number> {
    return this.state.wordCounts;
  }

  /** Word → in how many fitted texts it occurred. */
  get wordDocs(): ReadonlyMap<string, number> {
    return this.state.wordDocs;
  }

  /** Index → in how many fitted texts its word occurred (used by the 'tfidf' matrix). */
  get indexDocs(): ReadonlyMap<number, number> {
    return this.state.indexDocs;
  }

  /** How many texts the tokenizer was fitted on. */
  get documentCount(): number {
    return this.state.documentCount;
  }

  /** Counts the words of `texts` (adding to earlier fits, as Keras does) and re-indexes the vocabulary; returns the tokenizer. */
  fitOnTexts(texts: Iterable<TextInput>): this {
    const s = this.state;
    for (const tokens of this.tokenize('fitOnTexts', texts)) {
      s.documentCount++;
      for (const w of tokens) s.wordCounts.set(w, (s.wordCounts.get(w) ?? 0) + 1);
      for (const w of new Set(tokens)) s.wordDocs.set(w, (s.wordDocs.get(w) ?? 0) + 1);
    }
    // A stable sort by descending count: ties keep first-appearance order, as Python's sort(reverse=True).
    const vocabulary = [...s.wordCounts].sort((a, b) => b[1] - a[1]).map(([w]) => w);
    if (this.oovToken !== null) vocabulary.unshift(this.oovToken);
    s.wordIndex = new Map();
    vocabulary.forEach((w, i) => s.wordIndex.set(w, i + 1));
    s.indexWord = new Map([...s.wordIndex].map(([w, i]) => [i, w]));
    s.indexDocs = new Map([...s.wordDocs].map(([w, n]) => [s.wordIndex.get(w)!, n]));
    return this;
  }

  /** Each text as word indices: unknown words (and indices ≥ numWords) become the OOV index, or are dropped without an OOV token. */
  textsToSequences(texts: Iterable<TextInput>): number[][] {
    this.requireFitted('textsToSequences');
    const oov = this.oovIndex();
    return this.tokenize('textsToSequences', texts).map((tokens) => {
      const seq: number[] = [];
      for (const w of tokens) {
        const i = this.state.wordIndex.get(w);
        const kept = i !== undefined && !this.cut(i) ? i : oov;
        if (kept !== undefined) seq.push(kept);
      }
      return seq;
    });
  }

  /** Each sequence back to a text, its words joined by ' ': unknown indices (and indices ≥ numWords) become the OOV token, or are dropped. */
  sequencesToTexts(sequences: Iterable<ArrayLike<number>>): string[] {
    this.requireFitted('sequencesToTexts');
    const oov = this.oovIndex();
    const oovWord = oov === undefined ? undefined : this.state.indexWord.get(oov);
    return checkedSequences('sequencesToTexts', sequences).map((seq) => {
      const words: string[] = [];
      for (const i of seq) {
        const w = this.state.indexWord.get(i);
        const kept = w !== undefined && !this.cut(i) ? w : oovWord;
        if (kept !== undefined) words.push(kept);
      }
      return words.join(' ');
    });
  }

  /** Texts as a [texts, numWords (or vocabulary size + 1)] matrix: 'binary' (default), 'count', 'freq' or 'tfidf', as Keras. */
  textsToMatrix(texts: Iterable<TextInput>, mode: MatrixMode = 'binary'): Tensor2D {
    return this.sequencesToMatrix(this.textsToSequences(texts), mode);
  }

  /** Index sequences as a [sequences, numWords (or vocabulary size + 1)] matrix, in one of textsToMatrix's modes. */
  sequencesToMatrix(sequences: Iterable<ArrayLike<number>>, mode: MatrixMode = 'binary'): Tensor2D {
    const seqs = checkedSequences('sequencesToMatrix', sequences);
    const cols = this.numWords ?? this.state.wordIndex.size + 1;
    if (this.numWords === null && this.state.wordIndex.size === 0) throw new Error('sequencesToMatrix: the tokenizer has no vocabulary; fit it with fitOnTexts first or give numWords');
    const values = countMatrix(seqs, cols, mode, this.state.documentCount, this.state.indexDocs);
    return new Tensor(values, [seqs.length, cols]) as Tensor2D;
  }

  /** Keras's `tokenizer.to_json()` object: JSON.stringify(tokenizer) is a string Keras's `tokenizer_from_json` reads. */
  toJSON(): TokenizerJSON {
    return writeKerasJSON(this, this.state);
  }

  /** A tokenizer from toJSON()'s object or a JSON string, this library's or Keras's `tokenizer.to_json()`. */
  static fromJSON(json: string | TokenizerJSON): Tokenizer {
    const { options, state } = readKerasJSON(json);
    const t = new Tokenizer(options);
    t.state = state;
    return t;
  }

  private oovIndex(): number | undefined {
    return this.oovToken === null ? undefined : this.state.wordIndex.get(this.oovToken);
  }

  /** Whether index i is beyond numWords. */
  private cut(i: number): boolean {
    return this.numWords !== null && i >= this.numWords;
  }

  private requireFitted(fn: string): void {
    if (this.state.documentCount === 0 && this.state.wordIndex.size === 0) throw new Error(`${fn}: the tokenizer is not fitted; call fitOnTexts(texts) first`);
  }

  /** Each text's tokens: the words of a string, each character (charLevel), or an array's tokens, lowercased if lower. */
  private tokenize(fn: string, texts: Iterable<TextInput>): string[][] {
    if (typeof texts === 'string') throw new Error(`${fn}: texts must be an array of texts, got a single string (wrap it: [text])`);
    if (texts == null || typeof (texts as Iterable<TextInput>)[Symbol.iterator] !== 'function') throw new Error(`${fn}: texts must be an array of texts, got ${texts === null ? 'null' : typeof texts}`);
    const out: string[][] = [];
    let n = 0;
    for (const text of texts) {
      if (typeof text === 'string') {
        out.push(this.charLevel ? Array.from(this.lower ? text.toLowerCase() : text) : splitWords(text, this));
      } else if (Array.isArray(text) && text.every((t) => typeof t === 'string')) {
        out.push(this.lower ? text.map((t: string) => t.toLowerCase()) : [...text]);
      } else {
        throw new Error(`${fn}: text ${n} must be a string or an array of token strings, got ${describe(text)}`);
      }
      n++;
    }
    return out;
  }
}

/** A Keras-compatible tokenizer (see {@link TokenizerOptions}): `tokenizer({ numWords: 1000, oovToken: '<OOV>' }).fitOnTexts(texts)`. */
export function tokenizer(options?: TokenizerOptions): Tokenizer {
  return new Tokenizer(options);
}

/** Keras's `tokenizer_from_json`: a tokenizer from a JSON string or object written by toJSON() or by Keras. */
export function tokenizerFromJSON(json: string | TokenizerJSON): Tokenizer {
  return Tokenizer.fromJSON(json);
}

function emptyState(): TokenizerState {
  return { wordCounts: new Map(), wordDocs: new Map(), indexDocs: new Map(), wordIndex: new Map(), indexWord: new Map(), documentCount: 0 };
}

/** The sequences as arrays of numbers, or an error naming the first sequence or entry that is not. */
function checkedSequences(fn: string, sequences: Iterable<ArrayLike<number>>): number[][] {
  if (sequences == null || typeof (sequences as Iterable<unknown>)[Symbol.iterator] !== 'function') throw new Error(`${fn}: sequences must be an array of index arrays, got ${describe(sequences)}`);
  const out: number[][] = [];
  for (const seq of sequences) {
    if (seq == null || typeof seq === 'string' || typeof seq.length !== 'number') throw new Error(`${fn}: sequence ${out.length} must be an array of indices, got ${describe(seq)}`);
    const row = Array.from(seq);
    const bad = row.findIndex((v) => typeof v !== 'number' || Number.isNaN(v));
    if (bad >= 0) throw new Error(`${fn}: sequence ${out.length}, position ${bad} must be a number, got ${describe(row[bad])}`);
    out.push(row);
  }
  return out;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array that is not all strings';
  return typeof v === 'string' ? JSON.stringify(v) : typeof v;
}
