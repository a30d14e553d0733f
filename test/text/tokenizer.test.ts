// The tokenizer against Keras's Tokenizer (keras-preprocessing text.py): every expected value below is
// worked out by hand from Keras's algorithm on a small corpus, and each test names the rule it checks.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { Tokenizer, tokenizer } from '../../src/text/tokenizer.js';
import { file, has } from '../books/helpers.js';

const corpus = ['The cat sat on the mat.', 'The dog ate my homework!', 'My cat, my dog.'];
// Words after lowering and filtering, with counts in first-appearance order:
//   the 3, cat 2, sat 1, on 1, mat 1, dog 2, ate 1, my 3, homework 1
// Sorted by count, ties in first-appearance order: the, my, cat, dog, sat, on, mat, ate, homework.
const INDEX = { the: 1, my: 2, cat: 3, dog: 4, sat: 5, on: 6, mat: 7, ate: 8, homework: 9 };

describe('fitOnTexts', () => {
  it('indexes words by descending count, ties in first-appearance order, from 1 (index 0 is reserved)', () => {
    const t = tokenizer().fitOnTexts(corpus);
    expect(Object.fromEntries(t.wordIndex)).toEqual(INDEX);
    expect([...t.wordIndex.keys()]).toEqual(Object.keys(INDEX));
    expect(Object.fromEntries(t.indexWord)).toEqual(Object.fromEntries(Object.entries(INDEX).map(([w, i]) => [i, w])));
  });

  it('counts words in first-appearance order (word_counts), documents per word (word_docs) and texts (document_count)', () => {
    const t = tokenizer().fitOnTexts(corpus);
    expect([...t.wordCounts]).toEqual([['the', 3], ['cat', 2], ['sat', 1], ['on', 1], ['mat', 1], ['dog', 2], ['ate', 1], ['my', 3], ['homework', 1]]);
    expect(Object.fromEntries(t.wordDocs)).toEqual({ the: 2, cat: 2, sat: 1, on: 1, mat: 1, dog: 2, ate: 1, my: 2, homework: 1 });
    expect(t.indexDocs.get(INDEX.my)).toBe(2);
    expect(t.indexDocs.get(INDEX.homework)).toBe(1);
    expect(t.documentCount).toBe(3);
  });

  it('keeps ties in first-appearance order even against alphabetical order (a stable sort by count)', () => {
    const t = tokenizer().fitOnTexts(['b a', 'a b c']);
    expect([...t.wordIndex]).toEqual([['b', 1], ['a', 2], ['c', 3]]);
  });

  it('adds to earlier fits and re-indexes, as Keras does when fit_on_texts is called again', () => {
    const t = tokenizer().fitOnTexts(['a b b']).fitOnTexts(['a a c']);
    expect([...t.wordIndex]).toEqual([['a', 1], ['b', 2], ['c', 3]]);
    expect(t.documentCount).toBe(2);
    expect(t.wordDocs.get('a')).toBe(2);
  });

  it('puts the OOV token at index 1 and shifts every word by one', () => {
    const t = tokenizer({ oovToken: '<OOV>' }).fitOnTexts(corpus);
    expect([...t.wordIndex]).toEqual([['<OOV>', 1], ...Object.entries(INDEX).map(([w, i]) => [w, i + 1])]);
    expect(t.wordCounts.has('<OOV>')).toBe(false);
  });

  it("filters Keras's default punctuation but keeps the apostrophe, and splits on single spaces only", () => {
    expect(df.text.DEFAULT_FILTERS).toBe('!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n');
    const t = tokenizer().fitOnTexts(["Don't stop—now!\tNo\n(really)   ok"]);
    // '—' (an em dash) is not a filter; tab, newline, '(' and ')' are; runs of spaces make no empty words.
    expect([...t.wordIndex.keys()]).toEqual(["don't", 'stop—now', 'no', 'really', 'ok']);
  });

  it('with lower: false, case makes different words', () => {
    const t = tokenizer({ lower: false }).fitOnTexts(['The the THE the']);
    expect([...t.wordIndex]).toEqual([['the', 1], ['The', 2], ['THE', 3]]);
  });

  it('uses custom filters and split: filtered characters become the split string', () => {
    // ',' is a default filter, so it becomes the split ','; ' ' is not, so 'a b' stays one word.
    expect([...tokenizer({ split: ',' }).fitOnTexts(['a b,c;d']).wordIndex.keys()]).toEqual(['a b', 'c', 'd']);
    expect([...tokenizer({ filters: '' }).fitOnTexts(['a, b.']).wordIndex.keys()]).toEqual(['a,', 'b.']);
  });

  it('with charLevel, every character (spaces and punctuation too: no filters) is a token, lowercased', () => {
    const t = tokenizer({ charLevel: true }).fitOnTexts(['Ab a', 'b!']);
    // counts a 2, b 2, ' ' 1, '!' 1
    expect([...t.wordIndex]).toEqual([['a', 1], ['b', 2], [' ', 3], ['!', 4]]);
    expect(t.textsToSequences(['BA!?'])).toEqual([[2, 1, 4]]);
    expect(t.sequencesToTexts([[2, 1, 4]])).toEqual(['b a !']);
  });

  it('takes a text given as an array of tokens as they are (lowered only), as Keras does for a list', () => {
    const t = tokenizer().fitOnTexts([['New York', 'is', 'new'], 'new york']);
    expect([...t.wordIndex]).toEqual([['new', 1], ['new york', 2], ['is', 3], ['york', 4]]);
  });
});

describe('textsToSequences and sequencesToTexts', () => {
  it('maps words to indices and drops unknown words without an OOV token', () => {
    const t = tokenizer().fitOnTexts(corpus);
    expect(t.textsToSequences(corpus)).toEqual([[1, 3, 5, 6, 1, 7], [1, 4, 8, 2, 9], [2, 3, 2, 4]]);
    expect(t.textsToSequences(['The bird sat.'])).toEqual([[1, 5]]);
    expect(t.sequencesToTexts([[1, 3, 5, 99, 0]])).toEqual(['the cat sat']);
  });

  it('maps unknown words to the OOV index, and unknown indices to the OOV token', () => {
    const t = tokenizer({ oovToken: '<OOV>' }).fitOnTexts(corpus);
    expect(t.textsToSequences(['The bird sat.'])).toEqual([[2, 1, 6]]);
    expect(t.sequencesToTexts([[2, 99, 6]])).toEqual(['the <OOV> sat']);
  });

  it('with numWords, keeps indices below it: others become OOV, or are dropped without one; wordIndex keeps every word', () => {
    const cut = tokenizer({ numWords: 4 }).fitOnTexts(corpus);
    expect(cut.wordIndex.size).toBe(9);
    expect(cut.textsToSequences(['the cat sat on my dog'])).toEqual([[1, 3, 2]]);
    expect(cut.sequencesToTexts([[1, 3, 5, 99]])).toEqual(['the cat']);
    const oov = tokenizer({ numWords: 4, oovToken: '<OOV>' }).fitOnTexts(corpus);
    // <OOV> 1, the 2, my 3 are below 4; cat is 4.
    expect(oov.textsToSequences(['the cat sat'])).toEqual([[2, 1, 1]]);
    expect(oov.sequencesToTexts([[2, 4, 99]])).toEqual(['the <OOV> <OOV>']);
  });

  it('round-trips the filtered, lowered words of any text when nothing is out of vocabulary', () => {
    const unit = fc.constantFrom(...'abcXYZé\'', ' ', ' ', '!', '.', ',', '-', '\t', '\n', '?');
    const separators = /[!"#$%&()*+,\-./:;<=>?@[\\\]^_`{|}~\t\n ]+/;
    fc.assert(
      fc.property(fc.array(fc.string({ unit, maxLength: 40 }), { minLength: 1, maxLength: 6 }), (texts) => {
        const t = tokenizer().fitOnTexts(texts);
        const words = texts.map((s) => s.toLowerCase().split(separators).filter((w) => w !== '').join(' '));
        expect(t.sequencesToTexts(t.textsToSequences(texts))).toEqual(words);
      }),
      { seed: 15, numRuns: 200 },
    );
  });
});

describe('textsToMatrix', () => {
  const t = tokenizer().fitOnTexts(corpus);
  const row = (mode: df.text.MatrixMode) => t.textsToMatrix(['My cat, my dog.'], mode).arraySync()[0];

  it('has one column per index and index 0 (vocabulary size + 1) without numWords', () => {
    expect(t.textsToMatrix(corpus).shape).toEqual([3, 10]);
    expect(tokenizer({ numWords: 3 }).fitOnTexts(corpus).textsToMatrix(corpus).shape).toEqual([3, 3]);
  });

  it("computes Keras's binary, count, freq and tfidf cells", () => {
    // The text is [my 2, cat 3, my 2, dog 4]: my twice in a text of 4 words, in 2 of the 3 documents.
    expect(row('binary')).toEqual([0, 0, 1, 1, 1, 0, 0, 0, 0, 0]);
    expect(row('count')).toEqual([0, 0, 2, 1, 1, 0, 0, 0, 0, 0]);
    expect(row('freq')).toEqual([0, 0, 0.5, 0.25, 0.25, 0, 0, 0, 0, 0]);
    const tfidf = row('tfidf');
    expect(tfidf[2]).toBeCloseTo((1 + Math.log(2)) * Math.log(1 + 3 / (1 + 2)), 6);
    expect(tfidf[3]).toBeCloseTo(Math.log(1 + 3 / 3), 6);
    expect(tfidf.filter((v) => v !== 0)).toHaveLength(3);
  });

  it('counts freq over the sequence after the numWords cut', () => {
    // numWords 3 keeps the (1) and my (2): 'my cat my dog' becomes [2, 2].
    expect(tokenizer({ numWords: 3 }).fitOnTexts(corpus).textsToMatrix(['My cat, my dog.'], 'freq').arraySync()).toEqual([[0, 0, 1]]);
  });

  it('refuses an unknown mode and negative or fractional indices', () => {
    expect(() => t.textsToMatrix(corpus, 'tf' as df.text.MatrixMode)).toThrow(/unknown mode "tf"; it is one of binary, count, freq, tfidf/);
    expect(() => t.sequencesToMatrix([[1, -1]])).toThrow(/sequence 0 holds -1, not a word index/);
    expect(() => t.sequencesToMatrix([[1.5]])).toThrow(/sequence 0 holds 1.5/);
  });
});

describe('options and errors', () => {
  it("accepts Keras's snake_case names", () => {
    const t = tokenizer({ num_words: 4, oov_token: '<OOV>', char_level: false } as df.text.TokenizerOptions);
    expect([t.numWords, t.oovToken, t.charLevel]).toEqual([4, '<OOV>', false]);
  });

  it('names a misspelt option with a did-you-mean, and bad values with the option', () => {
    expect(() => tokenizer({ numWord: 10 } as df.text.TokenizerOptions)).toThrow("tokenizer: unknown option 'numWord' — did you mean 'numWords'?");
    expect(() => tokenizer({ numWords: 0 })).toThrow('tokenizer: numWords must be a positive integer (or null for every word), got 0');
    expect(() => tokenizer({ split: '' })).toThrow('tokenizer: split must be a non-empty string, got ""');
    expect(() => tokenizer({ analyzer: (s: string) => s.split('') } as df.text.TokenizerOptions)).toThrow(/analyzer' is not supported by deltaflow; split the texts yourself/);
  });

  it('refuses a single string for texts, a text that is not a string, and use before fitting', () => {
    const t = new Tokenizer();
    expect(() => t.fitOnTexts('a text' as unknown as string[])).toThrow('fitOnTexts: texts must be an array of texts, got a single string (wrap it: [text])');
    expect(() => t.fitOnTexts(['ok', 3 as unknown as string])).toThrow('fitOnTexts: text 1 must be a string or an array of token strings, got number');
    expect(t.documentCount).toBe(0);
    expect(() => t.textsToSequences(['a'])).toThrow('textsToSequences: the tokenizer is not fitted; call fitOnTexts(texts) first');
    expect(() => tokenizer().fitOnTexts(['a']).sequencesToTexts([['a' as unknown as number]])).toThrow('sequencesToTexts: sequence 0, position 0 must be a number, got "a"');
  });
});

describe('the book’s sentiment sentences', () => {
  it.skipIf(!has('sentiment_data.csv'))('tokenize and pad into a [2000, maxlen] tensor of indices below numWords', () => {
    // sentiment_data.csv: "sentence,label" with CRLF lines; no sentence holds a quote, the label follows the last comma.
    const lines = readFileSync(file('sentiment_data.csv'), 'utf8').split('\r\n').slice(1).filter((l) => l !== '');
    const texts = lines.map((l) => l.slice(0, l.lastIndexOf(',')));
    expect(texts).toHaveLength(2000);
    const t = tokenizer({ numWords: 200, oovToken: '<OOV>' }).fitOnTexts(texts);
    expect(t.documentCount).toBe(2000);
    // Indices follow descending counts.
    const counts = [...t.wordIndex.keys()].slice(1).map((w) => t.wordCounts.get(w)!);
    expect(counts.every((c, i) => i === 0 || c <= counts[i - 1])).toBe(true);
    const x = df.text.padSequences(t.textsToSequences(texts), { maxlen: 12 });
    expect(x.shape).toEqual([2000, 12]);
    const values = Array.from(x.dataSync());
    expect(Math.max(...values)).toBeLessThan(200);
    expect(Math.min(...values)).toBe(0);
    // Pre padding: the last column holds each text's last word, never padding.
    expect(x.arraySync().every((r) => r[11] > 0)).toBe(true);
  });
});
