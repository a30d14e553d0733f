// countMatrix, Keras's sequences_to_matrix cells, on index sequences directly.
import { describe, expect, it } from 'vitest';
import { countMatrix } from '../../src/text/vectorize.js';

describe('countMatrix', () => {
  it('fills one row per sequence, skipping indices at or past the column count', () => {
    expect(Array.from(countMatrix([[1, 1, 3], [], [0, 5]], 4, 'count', 0, new Map()))).toEqual([0, 2, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0]);
  });

  it("divides by the whole sequence's length in 'freq' (skipped indices included, as Keras)", () => {
    expect(Array.from(countMatrix([[1, 9, 9, 9]], 2, 'freq', 0, new Map()))).toEqual([0, 0.25]);
  });

  it("weights by (1 + ln count) · ln(1 + documents / (1 + documents with the index)) in 'tfidf'", () => {
    const [, a, b] = countMatrix([[1, 1, 2]], 3, 'tfidf', 4, new Map([[1, 3]]));
    expect(a).toBeCloseTo((1 + Math.log(2)) * Math.log(1 + 4 / 4), 6);
    expect(b).toBeCloseTo(Math.log(1 + 4 / 1), 6);
  });

  it("refuses 'tfidf' without documents", () => {
    expect(() => countMatrix([[1]], 2, 'tfidf', 0, new Map())).toThrow("mode 'tfidf' needs a fitted tokenizer");
  });
});
