// padSequences against Keras's pad_sequences: every padding × truncating combination worked out by hand
// on sequences of lengths 3, 2, 1 and 0, the padding value, maxlen smaller, larger and absent, dtype.
import { describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { padSequences, type PadOptions } from '../../src/text/pad.js';

const seqs = [[1, 2, 3], [4, 5], [6], []];
const pad = (options?: PadOptions) => padSequences(seqs, options).arraySync();

describe('padSequences', () => {
  it("pads to the longest sequence, before it ('pre', Keras's default), as a float32 tensor", () => {
    const x = padSequences(seqs);
    expect(x.shape).toEqual([4, 3]);
    expect(x.dtype).toBe('float32');
    expect(x.arraySync()).toEqual([[1, 2, 3], [0, 4, 5], [0, 0, 6], [0, 0, 0]]);
  });

  it.each<[PadOptions['padding'], PadOptions['truncating'], number[][]]>([
    // truncating 'pre' keeps the last values of [1, 2, 3]; 'post' the first. padding places [6].
    ['pre', 'pre', [[2, 3], [4, 5], [0, 6], [0, 0]]],
    ['post', 'pre', [[2, 3], [4, 5], [6, 0], [0, 0]]],
    ['pre', 'post', [[1, 2], [4, 5], [0, 6], [0, 0]]],
    ['post', 'post', [[1, 2], [4, 5], [6, 0], [0, 0]]],
  ])('with maxlen 2, padding %s and truncating %s', (padding, truncating, expected) => {
    expect(pad({ maxlen: 2, padding, truncating })).toEqual(expected);
  });

  it('pads every row when maxlen is larger than the longest, with the given value', () => {
    expect(pad({ maxlen: 5, padding: 'post' })).toEqual([[1, 2, 3, 0, 0], [4, 5, 0, 0, 0], [6, 0, 0, 0, 0], [0, 0, 0, 0, 0]]);
    expect(pad({ value: -1 })).toEqual([[1, 2, 3], [-1, 4, 5], [-1, -1, 6], [-1, -1, -1]]);
    expect(pad({ maxlen: 1, truncating: 'post', value: 9 })).toEqual([[1], [4], [6], [9]]);
  });

  it("truncates values toward zero with Keras's default dtype 'int32', and keeps them with 'float32'", () => {
    expect(padSequences([[1.9, -2.5]], { maxlen: 3, value: 0.7 }).arraySync()).toEqual([[0, 1, -2]]);
    expect(padSequences([[1.5]], { maxlen: 2, value: 0.25, dtype: 'float32' }).arraySync()).toEqual([[0.25, 1.5]]);
    expect(() => padSequences([[2 ** 25]])).toThrow('padSequences: sequence 0, position 0 is 33554432, beyond ±2^24, where float32 holds no exact integer');
  });

  it('takes typed arrays and any iterable of sequences', () => {
    expect(padSequences(new Set([new Int32Array([7, 8]), Float32Array.of(9)])).arraySync()).toEqual([[7, 8], [0, 9]]);
  });

  it('gives a [0, maxlen] tensor for no sequences when maxlen is given, and says why it cannot otherwise', () => {
    expect(padSequences([], { maxlen: 3 }).shape).toEqual([0, 3]);
    expect(() => padSequences([])).toThrow('padSequences: no sequences and no maxlen: give maxlen to get an empty [0, maxlen] tensor');
    expect(() => padSequences([[], []])).toThrow('padSequences: every sequence is empty; give maxlen to pad them');
    expect(padSequences([[], []], { maxlen: 2, value: 3 }).arraySync()).toEqual([[3, 3], [3, 3]]);
  });

  it('names bad options and bad values', () => {
    expect(() => pad({ max_len: 2 } as PadOptions)).toThrow("padSequences: unknown option 'max_len' — did you mean 'maxlen'?");
    expect(() => pad({ padding: 'middle' as 'pre' })).toThrow(`padSequences: padding must be 'pre' or 'post', got "middle"`);
    expect(() => pad({ truncating: 'end' as 'pre' })).toThrow(`padSequences: truncating must be 'pre' or 'post', got "end"`);
    expect(() => pad({ maxlen: 0 })).toThrow('padSequences: maxlen must be a positive integer, got 0');
    expect(() => pad({ dtype: 'int64' as 'int32' })).toThrow(`padSequences: dtype must be 'int32' or 'float32', got "int64"`);
    expect(() => padSequences([[1, NaN]])).toThrow('padSequences: sequence 0, position 1 must be a finite number, got NaN');
    expect(() => padSequences([[1], 'ab' as unknown as number[]])).toThrow('padSequences: sequence 1 must be an array of numbers, got string');
    expect(() => padSequences([[[1]] as unknown as number[]])).toThrow('padSequences: sequence 0, position 0 must be a finite number, got an array');
  });

  it('is df.text.padSequences, whose tensor a model takes as it is', async () => {
    await df.ready();
    expect(df.text.padSequences).toBe(padSequences);
    const model = df.sequential({ layers: [df.layers.dense({ units: 1, inputShape: [3] })] });
    expect(model.predict(padSequences(seqs)).shape).toEqual([4, 1]);
  });
});
