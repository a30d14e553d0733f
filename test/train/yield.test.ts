// fit's yieldEvery (tfjs's option): when fit awaits a macrotask, which batches it reports to onYield, and
// that yielding never changes a bit of training.
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { AUTO_YIELD_MS, nextMacrotask, onBrowserMainThread, yieldPolicy } from '../../src/train/yield.js';
import { rng, uniform } from '../helpers/random.js';

beforeAll(() => df.ready());

describe('yieldPolicy', () => {
  it("resolves 'auto' to tfjs's 125 ms on a browser's main thread and to never elsewhere", () => {
    expect(yieldPolicy('auto', true)).toEqual({ kind: 'ms', ms: AUTO_YIELD_MS });
    expect(yieldPolicy(undefined, true)).toEqual({ kind: 'ms', ms: 125 });
    expect(yieldPolicy('auto', false)).toEqual({ kind: 'never' });
    // Node is never a browser main thread.
    expect(yieldPolicy(undefined)).toEqual({ kind: 'never' });
  });

  it('keeps the explicit modes everywhere; 0 ms is every batch', () => {
    for (const k of ['batch', 'epoch', 'never'] as const) expect(yieldPolicy(k, false)).toEqual({ kind: k });
    expect(yieldPolicy(5, false)).toEqual({ kind: 'ms', ms: 5 });
    expect(yieldPolicy(0, false)).toEqual({ kind: 'batch' });
  });

  it.each([['sometimes'], [-1], [Number.NaN], [Infinity], [{}], [true]])('refuses %s, naming yieldEvery', (v) => {
    expect(() => yieldPolicy(v, false)).toThrow(/yieldEvery must be 'auto', 'batch', 'epoch', 'never' or a number of milliseconds/);
  });
});

describe('onBrowserMainThread', () => {
  it('is true for a window with a document, false for Node, workers and DOM shims in Node', () => {
    const page = { window: {}, document: {} };
    expect(onBrowserMainThread(page)).toBe(true);
    expect(onBrowserMainThread({ document: {} })).toBe(false);
    expect(onBrowserMainThread({ window: {} })).toBe(false);
    expect(onBrowserMainThread({ ...page, importScripts: () => {} })).toBe(false);
    expect(onBrowserMainThread({ ...page, process: { versions: { node: '20.0.0' } } })).toBe(false);
    expect(onBrowserMainThread()).toBe(false);
  });
});

describe('nextMacrotask', () => {
  it('resolves after queued microtasks and after an already-due immediate', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('immediate'));
    const p = nextMacrotask().then(() => order.push('macrotask'));
    let chain = Promise.resolve();
    for (let i = 0; i < 50; i++) chain = chain.then(() => void order.push('micro'));
    await p;
    expect(order.filter((o) => o === 'micro')).toHaveLength(50);
    expect(order.slice(-2)).toEqual(['immediate', 'macrotask']);
  });
});

const ROWS = 600;
const COLS = 8;
function data() {
  const r = rng(11);
  const x = uniform(r, ROWS * COLS, -1, 1);
  const y = new Float32Array(ROWS);
  for (let i = 0; i < ROWS; i++) y[i] = x[i * COLS] * x[i * COLS + 1] > 0 ? 1 : 0;
  return { x: { data: x, shape: [ROWS, COLS] }, y: { data: y, shape: [ROWS, 1] } };
}

function model() {
  const m = df.sequential({ seed: 3, layers: [df.layers.dense({ units: 16, activation: 'tanh', inputShape: [COLS] }), df.layers.dropout({ rate: 0.1 }), df.layers.dense({ units: 1, activation: 'sigmoid' })] });
  m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return m;
}

interface Yield {
  epoch: number;
  batch: number;
  logs: df.Logs;
}

/** Trains 3 epochs of 600 rows in batches of 20 (30 steps); returns the weights' bits, the history and every yield. */
async function train(args: df.FitArgs, hooks: df.Callback = {}) {
  const { x, y } = data();
  const m = model();
  const yields: Yield[] = [];
  const h = await m.fit(x, y, { epochs: 3, batchSize: 20, verbose: 0, validationSplit: 0.1, ...args, callbacks: { ...hooks, onYield: (epoch, batch, logs) => void yields.push({ epoch, batch, logs }) } });
  return { bits: m.getWeights().flatMap((w) => Array.from(new Uint32Array(w.dataSync().buffer))), history: h.history, yields, m };
}

describe('fit with yieldEvery', () => {
  it("gives bit-identical weights and logs for 'never', 'batch', 'epoch', 5 ms and 0 ms", async () => {
    const never = await train({ yieldEvery: 'auto' });
    expect(never.yields).toHaveLength(0);
    for (const yieldEvery of ['batch', 'epoch', 5, 0] as const) {
      const other = await train({ yieldEvery });
      expect(other.bits, String(yieldEvery)).toEqual(never.bits);
      expect(other.history, String(yieldEvery)).toEqual(never.history);
    }
  });

  it("'batch' yields after every batch with the epoch's running logs; 'epoch' after every epoch", async () => {
    const steps = Math.ceil(540 / 20);
    const batch = await train({ yieldEvery: 'batch' });
    expect(batch.yields.map((y) => [y.epoch, y.batch])).toEqual([0, 1, 2].flatMap((e) => Array.from({ length: steps }, (_, b) => [e, b])));
    // The running loss after the epoch's last batch is the epoch's loss.
    expect(batch.yields[steps - 1].logs.loss).toBeCloseTo(batch.history.loss[0], 12);
    expect(batch.yields[0].logs.loss).not.toBe(batch.yields[1].logs.loss);
    const epoch = await train({ yieldEvery: 'epoch' });
    expect(epoch.yields.map((y) => [y.epoch, y.batch])).toEqual([[0, steps - 1], [1, steps - 1], [2, steps - 1]]);
    expect(epoch.yields[2].logs.val_loss).toBe(epoch.history.val_loss[2]);
  });

  it('yields with batch hooks too (one call per batch), bit-identically', async () => {
    const seen: number[] = [];
    const plain = await train({ yieldEvery: 'auto' }, { onBatchEnd: (b) => void seen.push(b) });
    const yielding = await train({ yieldEvery: 'batch' }, { onBatchEnd: (b) => void seen.push(b) });
    expect(yielding.bits).toEqual(plain.bits);
    expect(yielding.yields).toHaveLength(3 * 27);
  });

  it('a period shorter than an epoch splits the epoch at batch boundaries, and other tasks run in between', async () => {
    const r = rng(4);
    const n = 4000;
    const x = { data: uniform(r, n * 64, -1, 1), shape: [n, 64] };
    const y = { data: uniform(r, n, 0, 1), shape: [n, 1] };
    const make = () => {
      const m = df.sequential({ seed: 1, layers: [df.layers.dense({ units: 64, activation: 'relu', inputShape: [64] }), df.layers.dense({ units: 1 })] });
      m.compile({ optimizer: 'sgd', loss: 'mse' });
      return m;
    };
    const ref = make();
    await ref.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0, yieldEvery: 'never' });
    const m = make();
    const batches: number[] = [];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      await m.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0, yieldEvery: 1, callbacks: { onYield: (_, b) => void batches.push(b) } });
    } finally {
      clearInterval(timer);
    }
    // 1000 steps of a 64-wide layer take well over a millisecond: yields fall inside the epoch.
    expect(batches.some((b) => b < 999)).toBe(true);
    expect(batches).toEqual([...batches].sort((a, b) => a - b));
    expect(ticks).toBeGreaterThan(0);
    expect(m.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(ref.getWeights().map((w) => Array.from(w.dataSync())));
  });

  it('stopTraining set in onYield ends the epoch at the next batch boundary', async () => {
    const { x, y } = data();
    const m = model();
    const h = await m.fit(x, y, {
      epochs: 5, batchSize: 20, verbose: 0, yieldEvery: 'batch',
      callbacks: { onYield: (_, b) => void (b === 4 && (m.stopTraining = true)) },
    });
    expect(h.epoch).toEqual([0]);
    expect(m.optimizer!.iterations).toBe(5);
  });

  it("refuses onYield with 'never' and a bad yieldEvery, naming it, before training", async () => {
    const { x, y } = data();
    const m = model();
    const before = m.getWeights().map((w) => Array.from(w.dataSync()));
    await expect(m.fit(x, y, { yieldEvery: 'never', callbacks: { onYield: () => {} } })).rejects.toThrow(/yieldEvery is 'never' but a callback has onYield/);
    await expect(m.fit(x, y, { yieldEvery: 'often' as never })).rejects.toThrow(/yieldEvery must be/);
    expect(m.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    expect(m.optimizer!.iterations).toBe(0);
  });
});
