// Splitting a text into words as Keras's text_to_word_sequence does, so a vocabulary built here indexes
// the same words as one built in Python.
import { checkOptions } from '../options.js';

/** Keras's default filters: punctuation (without the apostrophe), tab and newline. */
export const DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n';

/** How a text is split into words (Keras's text_to_word_sequence arguments). */
export interface WordOptions {
  /** Characters replaced by `split` before splitting (default {@link DEFAULT_FILTERS}). */
  filters?: string;
  /** Lowercase the text first (default true). */
  lower?: boolean;
  /** The separator between words (default ' '): runs of it and of filtered characters make no empty words. */
  split?: string;
}

const WORD_OPTIONS = { known: { filters: true, lower: true, split: true } } as const;

/** The options of a word split with their defaults, each checked (`fn` names the caller in errors). */
export function wordOptions(fn: string, given: WordOptions | undefined): Required<WordOptions> {
  const o = checkOptions(fn, given, WORD_OPTIONS);
  const filters = o.filters ?? DEFAULT_FILTERS;
  const lower = o.lower ?? true;
  const split = o.split ?? ' ';
  if (typeof filters !== 'string') throw new Error(`${fn}: filters must be a string of characters, got ${typeof filters}`);
  if (typeof lower !== 'boolean') throw new Error(`${fn}: lower must be true or false, got ${String(lower)}`);
  if (typeof split !== 'string' || split === '') throw new Error(`${fn}: split must be a non-empty string, got ${JSON.stringify(split)}`);
  return { filters, lower, split };
}

/** The words of `text`: lowercased (if lower), each filter character replaced by `split`, split, empty words dropped. */
export function textToWordSequence(text: string, options?: WordOptions): string[] {
  if (typeof text !== 'string') throw new Error(`textToWordSequence: text must be a string, got ${typeof text}`);
  return splitWords(text, wordOptions('textToWordSequence', options));
}

/** textToWordSequence on options already checked. */
export function splitWords(text: string, { filters, lower, split }: Required<WordOptions>): string[] {
  const filtered = new Set(filters);
  let s = lower ? text.toLowerCase() : text;
  if (filtered.size > 0) {
    let out = '';
    for (const c of s) out += filtered.has(c) ? split : c;
    s = out;
  }
  return s.split(split).filter((w) => w !== '');
}
