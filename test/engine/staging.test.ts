// predict and evaluate take a big input a window at a time (whole multiples of the arena's row cap): the
// same numbers, bit for bit, as staging it whole; windowRows itself at its edges.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { staging, windowRows } from '../../src/engine/staging.js';
import { rng, uniform } from '../helpers/random.js';

const defaults = { ...staging };
afterEach(() => Object.assign(staging, defaults));
beforeAll(() => df.ready());

const ROWS = 1000;
const COLS = 12;
const x = { data: uniform(rng(4), ROWS * COLS, -2, 2), shape: [ROWS, COLS] };
const labels = { data: new Float32Array(ROWS).map((_, i) => i % 4), shape: [ROWS] };

function model(): df.Sequential {
  const m = df.sequential({
    seed: 2,
    layers: [df.layers.dense({ units: 24, activation: 'tanh', inputShape: [COLS] }), df.layers.dropout({ rate: 0.3 }), df.layers.dense({ units: 4, activation: 'softmax' })],
  });
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

describe('windowRows', () => {
  it('all rows when they fit, else whole units filling a window, at least one unit, at most all rows', () => {
    staging.wholeBytes = 1000;
    staging.windowBytes = 400;
    expect(windowRows(10, 100, 3)).toBe(10); // 1000 bytes: whole
    expect(windowRows(11, 100, 3)).toBe(3); // 4 rows fit a window: one unit of 3
    expect(windowRows(11, 10, 3)).toBe(11); // 110 bytes: whole
    expect(windowRows(500, 10, 7)).toBe(35); // 40 rows fit: 5 units of 7
    expect(windowRows(20, 1000, 8)).toBe(8); // not one row fits: one unit anyway
    expect(windowRows(5, 1000, 8)).toBe(5); // the unit is more than all rows
  });
});

describe('windowed predict and evaluate', () => {
  it.each([
    ['batchSize 32', { batchSize: 32 }],
    ['batchSize 100', { batchSize: 100 }],
    ['the default batch size', {}],
  ])('%s: the bits of whole staging', async (_, args: { batchSize?: number }) => {
    const m = model();
    await m.fit(x, labels, { epochs: 2, batchSize: 50, verbose: 0 });
    staging.wholeBytes = Number.POSITIVE_INFINITY;
    const p = Array.from(m.predict(x, args).dataSync());
    const e = m.evaluate(x, labels, args);
    staging.wholeBytes = 0;
    staging.windowBytes = 7 * (COLS + 4) * 4; // 7 rows: less than a cap, so one cap per window
    expect(Array.from(m.predict(x, args).dataSync())).toEqual(p);
    expect(m.evaluate(x, labels, args)).toEqual(e);
    staging.windowBytes = 350 * (COLS + 4) * 4; // several caps, the last window partial
    expect(Array.from(m.predict(x, args).dataSync())).toEqual(p);
    expect(m.evaluate(x, labels, args)).toEqual(e);
  });
});
