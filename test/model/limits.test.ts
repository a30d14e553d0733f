// Integers that cross into WASM are i32s, and every buffer must fit in WebAssembly's 4 GiB: a value past
// either is an Error naming the option and the bytes, thrown before anything changes — never a wrapped
// batch size training on NaN, nor a raw RangeError from Memory.grow().
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { Heap } from '../../src/wasm/heap.js';

beforeAll(() => df.ready());

const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
const y = [[0], [1], [1], [0]];

function xor(seed = 1): df.Sequential {
  const m = df.sequential({ seed, layers: [df.layers.dense({ units: 4, activation: 'tanh', inputShape: [2] }), df.layers.dense({ units: 1, activation: 'sigmoid' })] });
  m.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
  return m;
}

describe('integer options are i32s', () => {
  it.each([2 ** 31, 2 ** 32 + 1, 1e300])('fit({ batchSize: %d }) is refused, the model untouched', async (batchSize) => {
    const m = xor();
    const w = m.getWeights().map((t) => t.dataSync());
    await expect(m.fit(x, y, { batchSize, verbose: 0 })).rejects.toThrow(/batchSize must be a positive integer no larger than 2147483647, got/);
    expect(m.optimizer!.iterations).toBe(0);
    m.getWeights().forEach((t, i) => expect(t.dataSync()).toEqual(w[i]));
  });

  it('the largest batchSize is one full batch, as batchSize = rows', async () => {
    const [a, b] = [xor(3), xor(3)];
    await a.fit(x, y, { batchSize: 2 ** 31 - 1, epochs: 3, verbose: 0 });
    await b.fit(x, y, { batchSize: 4, epochs: 3, verbose: 0 });
    expect(a.optimizer!.iterations).toBe(3);
    a.getWeights().forEach((t, i) => expect(t.dataSync()).toEqual(b.getWeights()[i].dataSync()));
  });

  it('predict and evaluate take any batchSize up to 2^31 − 1 and use no more rows than there are', () => {
    const m = xor();
    const want = m.predict(x).dataSync();
    expect(m.predict(x, { batchSize: 1e9 }).dataSync()).toEqual(want);
    expect(m.evaluate(x, y, { batchSize: 2 ** 31 - 1 }).loss).toBeCloseTo(m.evaluate(x, y).loss, 6);
    expect(() => m.predict(x, { batchSize: 2 ** 31 })).toThrow(/batchSize must be a positive integer no larger than 2147483647/);
    expect(() => m.evaluate(x, y, { batchSize: 0 })).toThrow(/batchSize must be a positive integer, got 0/);
  });

  it('epochs, initialEpoch and units are checked the same way', async () => {
    const m = xor();
    await expect(m.fit(x, y, { epochs: 2 ** 31, verbose: 0 })).rejects.toThrow(/epochs must be an integer ≥ 0 no larger than 2147483647/);
    await expect(m.fit(x, y, { initialEpoch: -1, verbose: 0 })).rejects.toThrow(/initialEpoch must be an integer ≥ 0, got -1/);
    expect(() => df.layers.dense({ units: 1e10 })).toThrow(/dense: units must be a positive integer no larger than 2147483647, got 10000000000/);
  });
});

describe('requests larger than memory', () => {
  it('a layer too large for 4 GiB names the model, the bytes and the tensor; the model is left as it was', () => {
    const m = df.sequential({ layers: [df.layers.dense({ units: 1e9, inputShape: [16] })] });
    expect(() => m.getWeights()).toThrow(/model 'sequential': 17,000,000,000 parameters need [\d.]+ GiB .*more than WebAssembly's 4 GiB memory; the largest tensor is dense\/kernel \[16, 1000000000\]/);
    expect(() => m.predict([[...Array(16).keys()]])).toThrow(/more than WebAssembly's 4 GiB memory/);
    expect(m.inputWidth).toBe(16);
  });

  it('Heap.alloc names what it was for, past 4 GiB or when the runtime refuses to grow', () => {
    const heap = new Heap(new WebAssembly.Memory({ initial: 1, maximum: 2 }), 0);
    expect(() => heap.alloc(5e9, 'the test buffer')).toThrow(/cannot allocate 4.66 GiB for the test buffer: that would take memory past WebAssembly's 4 GiB limit/);
    expect(() => heap.alloc(3 * 65536, 'the test buffer')).toThrow(/cannot allocate 192 KiB for the test buffer: the runtime refused to grow memory that far \(WebAssembly memory is 64.0 KiB, 0 bytes of it in use\)/);
    expect(heap.allocatedBytes).toBe(0);
    expect(heap.alloc(100, 'a small one')).toBe(0);
  });
});
