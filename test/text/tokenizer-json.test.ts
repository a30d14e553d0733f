// Keras's tokenizer JSON both ways: a string as Python's tokenizer.to_json() writes it loads and tokenizes
// the same, and toJSON() writes the fields tokenizer_from_json reads, in the same layout.
import { describe, expect, it } from 'vitest';
import { Tokenizer, tokenizer, tokenizerFromJSON } from '../../src/text/tokenizer.js';
import { orderedObject, readOrderedObject } from '../../src/text/tokenizer-json.js';

// What Keras writes for Tokenizer(oov_token='<OOV>').fit_on_texts(['Café 2024 café', '2024 ok']), as
// json.dumps does it: ensure_ascii escapes 'é', each table is a JSON string inside the JSON, and the
// word "2024" comes after "café" (JSON.parse would move an integer-like key first).
const KERAS =
  '{"class_name": "Tokenizer", "config": {"num_words": null, "filters": "!\\"#$%&()*+,-./:;<=>?@[\\\\]^_`{|}~\\t\\n", ' +
  '"lower": true, "split": " ", "char_level": false, "oov_token": "<OOV>", "document_count": 2, ' +
  '"word_counts": "{\\"caf\\\\u00e9\\": 2, \\"2024\\": 2, \\"ok\\": 1}", ' +
  '"word_docs": "{\\"2024\\": 2, \\"caf\\\\u00e9\\": 1, \\"ok\\": 1}", ' +
  '"index_docs": "{\\"3\\": 2, \\"2\\": 1, \\"4\\": 1}", ' +
  '"index_word": "{\\"1\\": \\"<OOV>\\", \\"2\\": \\"caf\\\\u00e9\\", \\"3\\": \\"2024\\", \\"4\\": \\"ok\\"}", ' +
  '"word_index": "{\\"<OOV>\\": 1, \\"caf\\\\u00e9\\": 2, \\"2024\\": 3, \\"ok\\": 4}"}}';

describe('reading Keras’s tokenizer JSON', () => {
  it('restores the options and tables, and tokenizes as the fitted Keras tokenizer', () => {
    const t = tokenizerFromJSON(KERAS);
    expect([t.oovToken, t.numWords, t.lower, t.split, t.charLevel, t.documentCount]).toEqual(['<OOV>', null, true, ' ', false, 2]);
    expect([...t.wordIndex]).toEqual([['<OOV>', 1], ['café', 2], ['2024', 3], ['ok', 4]]);
    expect(t.indexWord.get(2)).toBe('café');
    expect(t.indexDocs.get(3)).toBe(2);
    expect(t.textsToSequences(['OK café 2024 new'])).toEqual([[4, 2, 3, 1]]);
    expect(t.sequencesToTexts([[2, 3, 9]])).toEqual(['café 2024 <OOV>']);
  });

  it('keeps word_counts in its written order, so a further fit breaks ties as Keras would', () => {
    // After 'ok ok': café 2, 2024 2, ok 3 → ok first, then café before 2024 (first appearance).
    const t = Tokenizer.fromJSON(KERAS).fitOnTexts(['ok ok']);
    expect([...t.wordIndex]).toEqual([['<OOV>', 1], ['ok', 2], ['café', 3], ['2024', 4]]);
  });

  it('names what is wrong in a JSON that is not a tokenizer', () => {
    expect(() => tokenizerFromJSON('{not json')).toThrow(/Tokenizer.fromJSON: the string is not JSON/);
    expect(() => tokenizerFromJSON('{"class_name": "Sequential", "config": {}}')).toThrow("expected Keras's tokenizer JSON");
    const broken = JSON.parse(KERAS);
    broken.config.word_index = '{"a": 0}';
    expect(() => tokenizerFromJSON(broken)).toThrow('Tokenizer.fromJSON: config.word_index["a"] must be an index ≥ 1, got 0');
    delete broken.config.lower;
    expect(() => tokenizerFromJSON(broken)).toThrow('Tokenizer.fromJSON: config.lower must be true or false, got nothing');
  });
});

describe('writing it', () => {
  it("writes Keras's fields with each table a JSON string in Python's layout and the vocabulary's order", () => {
    const t = tokenizer({ numWords: 10 }).fitOnTexts(['b a 7', 'a']);
    const { class_name, config } = t.toJSON();
    expect(class_name).toBe('Tokenizer');
    expect(config).toEqual({
      num_words: 10,
      filters: '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n',
      lower: true,
      split: ' ',
      char_level: false,
      oov_token: null,
      document_count: 2,
      word_counts: '{"b": 1, "a": 2, "7": 1}',
      word_docs: '{"b": 1, "a": 2, "7": 1}',
      index_docs: '{"2": 1, "1": 2, "3": 1}',
      index_word: '{"1": "a", "2": "b", "3": "7"}',
      word_index: '{"a": 1, "b": 2, "7": 3}',
    });
  });

  it('round-trips through JSON.stringify: the same tables, options and sequences', () => {
    const t = tokenizer({ oovToken: '?', lower: false, filters: '.', split: '/' }).fitOnTexts(['A/b.c/A', 'ü/"q"/1']);
    const back = Tokenizer.fromJSON(JSON.stringify(t));
    for (const k of ['wordIndex', 'indexWord', 'wordCounts', 'wordDocs', 'indexDocs'] as const) expect([...back[k]]).toEqual([...t[k]]);
    expect([back.oovToken, back.lower, back.filters, back.split, back.documentCount]).toEqual(['?', false, '.', '/', 2]);
    expect(back.textsToSequences(['A/"q"/zz'])).toEqual(t.textsToSequences(['A/"q"/zz']));
  });
});

describe('ordered flat objects', () => {
  it('read back what they write, keys in order, escapes included', () => {
    const map = new Map<string, number | string>([['9', 1], ['a"b\\', 'x\ny'], ['é', 2.5]]);
    const text = orderedObject(map);
    expect(readOrderedObject(text, 't')).toEqual([...map]);
    expect(readOrderedObject(' { } ', 't')).toEqual([]);
  });

  it('refuse nested values and trailing text, naming the table and place', () => {
    expect(() => readOrderedObject('{"a": [1]}', 'word_counts')).toThrow('config.word_counts is not a flat JSON object of words and numbers at character 1');
    expect(() => readOrderedObject('{"a": 1} x', 'word_counts')).toThrow('config.word_counts has text after its closing brace');
  });
});
