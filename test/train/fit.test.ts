// fit() stages big training sets a window at a time instead of copying them whole: the same rows in the
// same order reach the same kernels, so the bits are those of whole staging, and memory does not grow
// by the size of the data.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { staging } from '../../src/engine/staging.js';
import { rng, uniform } from '../helpers/random.js';

const defaults = { ...staging };
afterEach(() => Object.assign(staging, defaults));
beforeAll(() => df.ready());

const ROWS = 300;
const COLS = 20;
function data(seed: number) {
  const r = rng(seed);
  const x = uniform(r, ROWS * COLS, -1, 1);
  const labels = Array.from({ length: ROWS }, (_, i) => (x[i * COLS] + x[i * COLS + 1] > 0 ? 1 : x[i * COLS + 2] > 0 ? 2 : 0));
  const y = new Float32Array(ROWS * 3);
  labels.forEach((c, i) => (y[i * 3 + c] = 1));
  return { x: { data: x, shape: [ROWS, COLS] }, y: { data: y, shape: [ROWS, 3] }, labels };
}

async function train(args: df.FitArgs): Promise<{ bits: number[]; loss: number[]; val?: number[] }> {
  const { x, y } = data(5);
  const m = df.sequential({ seed: 9, layers: [df.layers.dense({ units: 16, activation: 'relu', inputShape: [COLS] }), df.layers.dense({ units: 3, activation: 'softmax' })] });
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const h = await m.fit(x, y, { epochs: 3, verbose: 0, ...args });
  return { bits: m.getWeights().flatMap((w) => Array.from(new Uint32Array(w.dataSync().buffer))), loss: h.history.loss, val: h.history.val_loss };
}

/** Windows of `batches` batches: rows per window × bytes per row (x, y and a weight). */
const windowOf = (batches: number, batchSize: number) => batches * batchSize * (COLS + 3 + 1) * 4;

describe('windowed staging', () => {
  const cases: [string, df.FitArgs][] = [
    ['shuffled, last batch partial', { batchSize: 32 }],
    ['in order', { batchSize: 32, shuffle: false }],
    ['sample weights and a validation split', { batchSize: 25, sampleWeight: Array.from({ length: ROWS }, (_, i) => 0.5 + (i % 3)), validationSplit: 0.2 }],
    ['a fit seed and class weights', { batchSize: 64, seed: 3, classWeight: { 0: 2, 2: 0.5 } }],
    ['batch hooks (one call per batch)', { batchSize: 16, callbacks: { onBatchEnd: () => {} } }],
    ['one batch per window', { batchSize: 128 }],
  ];
  it.each(cases)('%s: the bits of whole staging', async (_, args) => {
    staging.wholeBytes = Number.POSITIVE_INFINITY;
    const whole = await train(args);
    staging.wholeBytes = 0;
    staging.windowBytes = windowOf(3, args.batchSize ?? 32);
    const windowed = await train(args);
    expect(windowed.bits).toEqual(whole.bits);
    expect(windowed.loss).toEqual(whole.loss);
    expect(windowed.val).toEqual(whole.val);
    // A window smaller than one batch still holds one batch.
    staging.windowBytes = 1;
    expect((await train(args)).bits).toEqual(whole.bits);
  });

  it('a set above the limit does not grow memory by its size', async () => {
    const rows = 6000;
    const x = uniform(rng(2), rows * 784, 0, 1); // 18.8 MB, over the 16 MB limit
    const y = new Float32Array(rows).map((_, i) => i % 10);
    const m = df.sequential({ seed: 1, layers: [df.layers.dense({ units: 32, activation: 'relu', inputShape: [784] }), df.layers.dense({ units: 10, activation: 'softmax' })] });
    m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    await m.fit({ data: x.subarray(0, 784 * 64), shape: [64, 784] }, { data: y.subarray(0, 64), shape: [64] }, { epochs: 1, batchSize: 64, verbose: 0 });
    const bytes = () => (m as unknown as { rt: { heap: { memory: WebAssembly.Memory } } }).rt.heap.memory.buffer.byteLength;
    const before = bytes();
    const h = await m.fit({ data: x, shape: [rows, 784] }, { data: y, shape: [rows] }, { epochs: 1, batchSize: 64, verbose: 0 });
    const after = bytes();
    expect(Number.isFinite(h.history.loss[0])).toBe(true);
    expect(after - before).toBeLessThan(4 << 20);
    // Staged whole, the same fit would have grown memory by the data's size.
    staging.wholeBytes = Number.POSITIVE_INFINITY;
    await m.fit({ data: x, shape: [rows, 784] }, { data: y, shape: [rows] }, { epochs: 1, batchSize: 64, verbose: 0 });
    expect(bytes() - after).toBeGreaterThan((rows * 784 * 4) / 2);
  });
});
