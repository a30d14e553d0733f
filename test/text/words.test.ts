// textToWordSequence as Keras's text_to_word_sequence: lower, replace each filter character by split,
// split, drop empty words.
import { describe, expect, it } from 'vitest';
import { DEFAULT_FILTERS, textToWordSequence } from '../../src/text/words.js';

describe('textToWordSequence', () => {
  it("lowers, removes Keras's default filters (not the apostrophe) and splits on spaces", () => {
    expect(textToWordSequence("Hello, World! It's   a\ttest...")).toEqual(['hello', 'world', "it's", 'a', 'test']);
  });

  it('treats every default filter character as a separator', () => {
    expect(textToWordSequence(`a${[...DEFAULT_FILTERS].join('b')}c`)).toEqual(['a', ...'b'.repeat(DEFAULT_FILTERS.length - 1), 'c']);
  });

  it('follows lower, filters and split, with Keras snake_case or camelCase keys', () => {
    expect(textToWordSequence('A-B c', { lower: false })).toEqual(['A', 'B', 'c']);
    expect(textToWordSequence('a-b c', { filters: '' })).toEqual(['a-b', 'c']);
    // '-' and '|' are filters, so both become the split '|'; the space is not a filter.
    expect(textToWordSequence('a-b c|d', { split: '|' })).toEqual(['a', 'b c', 'd']);
    expect(textToWordSequence('', {})).toEqual([]);
  });

  it('names bad options and a text that is not a string', () => {
    expect(() => textToWordSequence('a', { lowr: true } as never)).toThrow("textToWordSequence: unknown option 'lowr' — did you mean 'lower'?");
    expect(() => textToWordSequence('a', { split: '' })).toThrow('textToWordSequence: split must be a non-empty string, got ""');
    expect(() => textToWordSequence('a', { filters: 3 } as never)).toThrow('textToWordSequence: filters must be a string of characters, got number');
    expect(() => textToWordSequence(7 as never)).toThrow('textToWordSequence: text must be a string, got number');
  });
});
