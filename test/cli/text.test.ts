// The text column's steps in src/cli/text.ts checked against hand-worked values: the default maxlen
// (nearest-rank 95th percentile, capped), the Embedding's table size, the padded index rows, and the
// rows the warnings name.
import { describe, expect, it } from 'vitest';
import * as df from '../../src/entries/node.js';
import { CliError } from '../../src/cli/errors.js';
import {
  MAX_DEFAULT_MAXLEN, OOV_TOKEN, checkTextSpec, defaultMaxlen, embeddingInputDim, fitTokenizer, percentile, storedTokenizer, textMatrix, textWarnings,
} from '../../src/cli/text.js';

const bad = (what: string) => new CliError(`damaged: ${what}`);

describe('cli/text: maxlen, vocabulary size, index rows', () => {
  it('percentile is the nearest rank; the default maxlen is the 95th percentile of the lengths, at least 1, at most 200', () => {
    const lengths = Array.from({ length: 20 }, (_, i) => i + 1); // 1 … 20
    expect(percentile(lengths, 0.95)).toBe(19); // rank ceil(0.95 · 20) = 19
    expect(percentile(lengths, 0.5)).toBe(10);
    expect(percentile([7, 3, 5], 1)).toBe(7);
    expect(percentile([], 0.95)).toBe(0);
    expect(defaultMaxlen([...lengths].reverse())).toBe(19); // order does not matter
    expect(defaultMaxlen([0, 0, 0])).toBe(1);
    expect(defaultMaxlen([5, 1000, 1000, 1000])).toBe(MAX_DEFAULT_MAXLEN);
  });

  it('the Embedding table has a row per index the tokenizer can give: vocabulary + 1, or numWords when smaller', () => {
    const texts = ['a a a b b c', 'd e'];
    expect(embeddingInputDim(fitTokenizer(texts, 100, 'x'))).toBe(7); // 0 padding, 1 OOV, a … e
    expect(embeddingInputDim(fitTokenizer(texts, 4, 'x'))).toBe(4); // indices 0 … 3: OOV, a, b
  });

  it("rows are word indices padded with 0 in front and cut at the front (Keras's defaults), unknown words → 1", () => {
    const t = fitTokenizer(['good good film', 'bad film'], 100, 'review');
    expect([...t.wordIndex]).toEqual([[OOV_TOKEN, 1], ['good', 2], ['film', 3], ['bad', 4]]);
    const { x, empty, unknown } = textMatrix(t, { maxlen: 3, padding: 'pre', truncating: 'pre' }, ['Bad film!', 'good, good, bad film', '', 'zzz qqq', '...']);
    expect(x.shape).toEqual([5, 3]);
    expect(Array.from(x.data)).toEqual([0, 4, 3, /* cut to the last 3 */ 2, 4, 3, 0, 0, 0, 0, 1, 1, 0, 0, 0]);
    expect(empty).toEqual([2, 4]);
    expect(unknown).toEqual([3]);
    const post = textMatrix(t, { maxlen: 3, padding: 'post', truncating: 'post' }, ['bad', 'good good bad film']);
    expect(Array.from(post.x.data)).toEqual([4, 0, 0, 2, 2, 4]);
  });

  it('training texts without a single word are refused, naming the column', () => {
    expect(() => fitTokenizer(['', '!!!', '...'], 100, 'review')).toThrow(/^--text "review": the 3 training texts hold no words \(every one is empty or punctuation only\)$/);
  });

  it('the warnings name the rows by line, at most 8, one line per kind', () => {
    const lines = Int32Array.from({ length: 20 }, (_, i) => i + 2);
    expect(textWarnings('review', [], [], lines)).toEqual([]);
    const [a, b] = textWarnings('review', [0], [1, 2, 3, 4, 5, 6, 7, 8, 9], lines);
    expect(a).toBe('deltaflow: warning: --text "review": 1 row (line 2) holds no words (empty or punctuation only): the model sees only padding there');
    expect(b).toBe('deltaflow: warning: --text "review": 9 rows (lines 3, 4, 5, 6, 7, 8, 9, 10, …) hold only words outside the vocabulary: the model sees only the OOV token there');
  });

  it('stored text settings are checked: maxlen, padding, and a tokenizer with the OOV token at 1', () => {
    const tokenizer = fitTokenizer(['a b'], 10, 'x').toJSON();
    expect(() => checkTextSpec({ tokenizer, maxlen: 4, padding: 'pre', truncating: 'pre' }, bad)).not.toThrow();
    expect(() => checkTextSpec({ tokenizer, maxlen: 0, padding: 'pre', truncating: 'pre' }, bad)).toThrow('damaged: text.maxlen 0');
    expect(() => checkTextSpec({ tokenizer, maxlen: 4, padding: 'middle' as 'pre', truncating: 'pre' }, bad)).toThrow('damaged: text.padding "middle"');
    expect(() => checkTextSpec(undefined, bad)).toThrow('damaged: text');
    const plain = df.text.tokenizer().fitOnTexts(['a b']).toJSON();
    expect(() => storedTokenizer({ tokenizer: plain, maxlen: 4, padding: 'pre', truncating: 'pre' }, bad)).toThrow(/damaged: text\.tokenizer: its OOV token is not "<OOV>" at index 1/);
    expect(() => storedTokenizer({ tokenizer: { class_name: 'Tokenizer' } as df.text.TokenizerJSON, maxlen: 4, padding: 'pre', truncating: 'pre' }, bad)).toThrow(/damaged: text\.tokenizer: Tokenizer\.fromJSON/);
    expect(storedTokenizer({ tokenizer, maxlen: 4, padding: 'pre', truncating: 'pre' }, bad).textsToSequences(['b a c'])).toEqual([[3, 2, 1]]);
  });
});
