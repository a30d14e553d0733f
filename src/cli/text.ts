// A text column as the model's input (deltaflow train --text): a df.text tokenizer fitted on the
// training rows, each text as word indices padded to one length, and the same steps for new rows.
import * as df from '../entries/node.js';
import { CliError } from './errors.js';

/** The out-of-vocabulary token: words not in the vocabulary (or beyond --vocab) become its index, 1. */
export const OOV_TOKEN = '<OOV>';
/** --vocab's default: Keras's numWords, the indices kept (the 9,999 most frequent words, 1 being OOV). */
export const DEFAULT_VOCAB = 10000;
/** --embedding-dim's default. */
export const DEFAULT_EMBEDDING_DIM = 16;
/** The default maxlen is the 95th percentile of the training texts' lengths, at most this. */
export const MAX_DEFAULT_MAXLEN = 200;
/** Which percentile of the training lengths sets the default maxlen. */
export const MAXLEN_PERCENTILE = 0.95;

/** What the saved model stores about its text column (with the column itself as its one feature). */
export interface TextSpec {
  /** The fitted tokenizer, Keras's tokenizer.to_json() object (df.text.tokenizerFromJSON reads it). */
  tokenizer: df.text.TokenizerJSON;
  /** The length every text is padded or cut to: the model's input width. */
  maxlen: number;
  /** Where the padding goes: 'pre' (before the words, Keras's default). */
  padding: 'pre' | 'post';
  /** Which end of a longer text is cut: 'pre' (its first words, Keras's default: the last words stay). */
  truncating: 'pre' | 'post';
}

/** The Embedding layer's table size: every index the tokenizer gives (below numWords, and at most the vocabulary + 1). */
export function embeddingInputDim(tokenizer: df.text.Tokenizer): number {
  const all = tokenizer.wordIndex.size + 1;
  return tokenizer.numWords === null ? all : Math.min(tokenizer.numWords, all);
}

/** Nearest-rank percentile of `values` (p in (0, 1]); 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

/** The default maxlen from the training texts' lengths in words: their 95th percentile, between 1 and MAX_DEFAULT_MAXLEN. */
export function defaultMaxlen(lengths: readonly number[]): number {
  return Math.min(MAX_DEFAULT_MAXLEN, Math.max(1, percentile(lengths, MAXLEN_PERCENTILE)));
}

/** A tokenizer fitted on the training texts; an error when they hold no word at all. */
export function fitTokenizer(texts: readonly string[], vocab: number, column: string): df.text.Tokenizer {
  const tokenizer = df.text.tokenizer({ numWords: vocab, oovToken: OOV_TOKEN }).fitOnTexts(texts);
  // The OOV token is always in the index: a vocabulary of 1 means no word was found.
  if (tokenizer.wordIndex.size <= 1) {
    throw new CliError(`--text "${column}": the ${texts.length} training texts hold no words (every one is empty or punctuation only)`);
  }
  return tokenizer;
}

/** Each text as a row of `maxlen` word indices, and the rows that have no word the vocabulary knows. */
export function textMatrix(tokenizer: df.text.Tokenizer, spec: Pick<TextSpec, 'maxlen' | 'padding' | 'truncating'>, texts: readonly string[]): { x: df.data.Shaped2D; empty: number[]; unknown: number[] } {
  const sequences = tokenizer.textsToSequences(texts);
  const oov = tokenizer.wordIndex.get(OOV_TOKEN);
  const empty: number[] = [];
  const unknown: number[] = [];
  sequences.forEach((s, r) => {
    if (s.length === 0) empty.push(r);
    else if (s.every((i) => i === oov)) unknown.push(r);
  });
  const padded = df.text.padSequences(sequences, { maxlen: spec.maxlen, padding: spec.padding, truncating: spec.truncating });
  return { x: { data: padded.dataSync() as Float32Array, shape: [texts.length, spec.maxlen] }, empty, unknown };
}

/** The tokenizer a saved model stores, or an error calling the metadata damaged. */
export function storedTokenizer(spec: TextSpec, bad: (what: string) => Error): df.text.Tokenizer {
  let tokenizer: df.text.Tokenizer;
  try {
    tokenizer = df.text.tokenizerFromJSON(spec.tokenizer);
  } catch (e) {
    throw bad(`text.tokenizer: ${(e as Error).message}`);
  }
  if (tokenizer.oovToken !== OOV_TOKEN || tokenizer.wordIndex.get(OOV_TOKEN) !== 1) throw bad(`text.tokenizer: its OOV token is not ${JSON.stringify(OOV_TOKEN)} at index 1`);
  return tokenizer;
}

/** Checks the stored text fields (not the tokenizer's tables: storedTokenizer does that). */
export function checkTextSpec(t: Partial<TextSpec> | undefined, bad: (what: string) => Error): void {
  if (typeof t !== 'object' || t === null) throw bad('text');
  if (!Number.isInteger(t.maxlen) || t.maxlen! < 1) throw bad(`text.maxlen ${JSON.stringify(t.maxlen)}`);
  for (const k of ['padding', 'truncating'] as const) if (t[k] !== 'pre' && t[k] !== 'post') throw bad(`text.${k} ${JSON.stringify(t[k])}`);
  if (typeof t.tokenizer !== 'object' || t.tokenizer === null) throw bad('text.tokenizer');
}

/** "3 rows (lines 4, 9, 12)": which rows a note is about, by their line in the file. */
export function rowsAt(rows: readonly number[], lines: ArrayLike<number>): string {
  const shown = rows.slice(0, 8).map((r) => lines[r]).join(', ') + (rows.length > 8 ? ', …' : '');
  return `${rows.length} row${rows.length === 1 ? '' : 's'} (line${rows.length === 1 ? '' : 's'} ${shown})`;
}

/** One stderr line per kind of text the model sees as nothing but padding or unknown words; none when all is well. */
export function textWarnings(column: string, empty: readonly number[], unknown: readonly number[], lines: ArrayLike<number>): string[] {
  const out: string[] = [];
  const verb = (rows: readonly number[]) => (rows.length === 1 ? 'holds' : 'hold');
  if (empty.length) out.push(`deltaflow: warning: --text "${column}": ${rowsAt(empty, lines)} ${verb(empty)} no words (empty or punctuation only): the model sees only padding there`);
  if (unknown.length) out.push(`deltaflow: warning: --text "${column}": ${rowsAt(unknown, lines)} ${verb(unknown)} only words outside the vocabulary: the model sees only the OOV token there`);
  return out;
}
