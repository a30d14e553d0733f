// The memory model: a model keeps its parameters, gradients and optimizer state; the batch buffers
// are one workspace shared by all models. So memory is bounded by what is alive and the largest batch,
// not by how many dropped models wait for the garbage collector, nor by a batchSize larger than the data.
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { rng, uniform } from '../helpers/random.js';

beforeAll(() => df.ready());

const MB = 2 ** 20;
const next = rng(5);
const rows = 512;
const x = { data: uniform(next, rows * 16), shape: [rows, 16] };
const y = { data: Float32Array.from({ length: rows }, () => (next() > 0.5 ? 1 : 0)), shape: [rows, 1] };

function model(seed: number): df.Sequential {
  const m = df.sequential({
    seed,
    layers: [df.layers.dense({ units: 32, activation: 'relu', inputShape: [16] }), df.layers.dropout({ rate: 0.5 }), df.layers.dense({ units: 1, activation: 'sigmoid' })],
  });
  m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  return m;
}

describe('memory without dispose()', () => {
  it('1,000 create → fit → predict → drop cycles stay under 64 MB, with no collection in between', async () => {
    // Nothing here yields to the event loop, so no FinalizationRegistry callback can run: every
    // dropped model is still in memory at the end. Each used to keep batch buffers for 512 rows (≈ 250 KB).
    const start = df.memory();
    for (let i = 0; i < 1000; i++) {
      const m = model(i);
      await m.fit(x, y, { epochs: 1, batchSize: 128, verbose: 0 });
      m.predict(x, { batchSize: 512 });
    }
    const end = df.memory();
    expect(end.wasmBytes).toBeLessThan(64 * MB);
    // 1,000 arenas of 577 parameters × (weights, gradients, Adam's m and v) ≈ 9.5 MB, plus one workspace.
    expect(end.usedBytes - start.usedBytes).toBeLessThan(12 * MB);
    expect(end.workspaceBytes).toBeLessThan(1 * MB);
  });

  it('predict(four rows, { batchSize: 1e6 }) takes memory for four rows, and keeps nothing', () => {
    const m = model(1);
    const four = [0, 1, 2, 3].map((r) => Array.from(x.data.subarray(r * 16, (r + 1) * 16)));
    const small = m.predict(four).dataSync();
    const before = df.memory();
    expect(m.predict(four, { batchSize: 1e6 }).dataSync()).toEqual(small);
    const after = df.memory();
    expect(after.wasmBytes).toBe(before.wasmBytes);
    expect(after.usedBytes).toBe(before.usedBytes);
  });

  it('one workspace serves every model: a big batch grows it once, and smaller ones reuse it', async () => {
    const a = model(2);
    const b = model(3);
    await a.fit(x, y, { epochs: 1, batchSize: rows, verbose: 0 });
    const grown = df.memory();
    await b.fit(x, y, { epochs: 1, batchSize: 64, verbose: 0 });
    a.predict(x);
    b.evaluate(x, y, { batchSize: 256 });
    expect(df.memory().workspaceBytes).toBe(grown.workspaceBytes);
    expect(df.memory().wasmBytes).toBe(grown.wasmBytes);
  });

  it('models interleaving their calls (one inside the other’s callback) each train as when alone', async () => {
    const alone = model(4);
    await alone.fit(x, y, { epochs: 2, batchSize: 32, verbose: 0 });
    const [a, b] = [model(4), model(5)];
    // b's fit, predict and evaluate move the workspace between a's batches.
    const nested = {
      onBatchEnd: () => {
        b.trainOnBatch(x, y);
        b.predict(x, { batchSize: 500 });
      },
    };
    await a.fit(x, y, { epochs: 2, batchSize: 32, verbose: 0, callbacks: nested });
    a.getWeights().forEach((w, i) => expect(w.dataSync()).toEqual(alone.getWeights()[i].dataSync()));
  });
});

describe('tensors are read in place', () => {
  it('df.tensor2d wraps a Float32Array given with a shape, and fit, predict and evaluate read it without a copy', async () => {
    const data = Float32Array.from(x.data);
    const t = df.tensor2d(data, [rows, 16]);
    data[0] = 0.25;
    expect(t.dataSync()[0]).toBe(0.25);
    const a = model(6);
    const b = model(6);
    await a.fit(t, y, { epochs: 1, verbose: 0 });
    await b.fit({ data, shape: [rows, 16] }, y, { epochs: 1, verbose: 0 });
    expect(a.predict(t).dataSync()).toEqual(b.predict({ data, shape: [rows, 16] }).dataSync());
  });
});
