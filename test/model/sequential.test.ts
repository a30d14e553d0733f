import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { getRuntime } from '../../src/wasm/load.js';
import { rng, uniform } from '../helpers/random.js';

beforeAll(() => df.ready());

const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
const y = [[0], [1], [1], [0]];

function xorModel(seed = 3, optimizer: string | df.Optimizer = 'adam') {
  const m = df.sequential({
    seed,
    layers: [df.layers.dense({ units: 5, activation: 'tanh', inputShape: [2] }), df.layers.dense({ units: 1, activation: 'sigmoid' })],
  });
  m.compile({ optimizer, loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return m;
}

const bits = (m: df.Sequential) => m.getWeights().map((w) => Array.from(new Uint32Array(w.dataSync().buffer)));

describe('determinism', () => {
  it('the same seed gives bit-identical initial weights and training; another seed does not', async () => {
    const a = xorModel(42);
    const b = xorModel(42);
    const c = xorModel(43);
    expect(bits(a)).toEqual(bits(b));
    expect(bits(a)).not.toEqual(bits(c));
    const big = () => {
      const next = rng(9);
      return { x: { data: uniform(next, 300 * 2), shape: [300, 2] }, y: { data: Float32Array.from({ length: 300 }, () => (next() > 0.5 ? 1 : 0)), shape: [300, 1] } };
    };
    const d = big();
    await a.fit(d.x, d.y, { epochs: 5, batchSize: 7, verbose: 0 });
    await b.fit(d.x, d.y, { epochs: 5, batchSize: 7, verbose: 0 });
    expect(bits(a)).toEqual(bits(b));
  });

  it('fit({ seed }) fixes the shuffle independently of the model seed stream', async () => {
    const a = xorModel(1);
    const b = xorModel(1);
    await a.fit(x, y, { epochs: 3, batchSize: 1, verbose: 0 });
    await b.fit(x, y, { epochs: 3, batchSize: 1, verbose: 0, seed: 99 });
    expect(bits(a)).not.toEqual(bits(b));
    const c = xorModel(1);
    await c.fit(x, y, { epochs: 3, batchSize: 1, verbose: 0, seed: 99 });
    expect(bits(b)).toEqual(bits(c));
  });
});

describe('fit', () => {
  it('returns a History keyed by loss, metrics and val_ metrics', async () => {
    const m = xorModel();
    const data = Array.from({ length: 10 }, (_, i) => x[i % 4]);
    const targets = Array.from({ length: 10 }, (_, i) => y[i % 4]);
    const h = await m.fit(data, targets, { epochs: 3, batchSize: 4, validationSplit: 0.2, verbose: 0 });
    expect(Object.keys(h.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    expect(h.epoch).toEqual([0, 1, 2]);
    for (const v of Object.values(h.history)) expect(v).toHaveLength(3);
    // Keras takes the last 20% (2 of 10 rows) before shuffling: rows 8, 9 = x[0], x[1].
    const val = m.evaluate(data.slice(8), targets.slice(8));
    expect(h.history.val_loss[2]).toBeCloseTo(val.loss, 6);
  });

  it('validationData is evaluated at every epoch end', async () => {
    const m = xorModel();
    const h = await m.fit(x, y, { epochs: 2, batchSize: 2, validationData: [x, y], verbose: 0 });
    expect(h.history.val_loss[1]).toBeCloseTo(m.evaluate(x, y).loss, 6);
  });

  it('the epoch loss is the batch-size-weighted mean of the batch losses before each step', async () => {
    const m = xorModel(5, df.optimizers.sgd({ learningRate: 0 }));
    const h = await m.fit(x, y, { epochs: 1, batchSize: 3, shuffle: false, verbose: 0 });
    // With a zero learning rate the weights never move, so this equals a plain evaluation.
    expect(h.history.loss[0]).toBeCloseTo(m.evaluate(x, y).loss, 6);
  });

  it('batchSize ≥ rows is gradient descent: exactly one update per epoch', async () => {
    const opt = df.optimizers.sgd({ learningRate: 0.5 });
    const m = xorModel(2, opt);
    let batches = 0;
    // Unshuffled, so the batch rows (and the order of the sums over them) match trainOnBatch's.
    await m.fit(x, y, { epochs: 7, batchSize: 100, shuffle: false, verbose: 0, callbacks: { onBatchEnd: () => void batches++ } });
    expect(opt.iterations).toBe(7);
    expect(batches).toBe(7);
    // And the update equals one step on the whole set: replay with trainOnBatch.
    const opt2 = df.optimizers.sgd({ learningRate: 0.5 });
    const ref = xorModel(2, opt2);
    for (let e = 0; e < 7; e++) ref.trainOnBatch(x, y);
    expect(bits(ref)).toEqual(bits(m));
  });

  it('calls every hook in Keras order with logs', async () => {
    const m = xorModel();
    const calls: string[] = [];
    await m.fit(x, y, {
      epochs: 2,
      batchSize: 2,
      shuffle: false,
      verbose: 0,
      callbacks: {
        onTrainBegin: () => void calls.push('trainBegin'),
        onEpochBegin: (e) => void calls.push(`epochBegin ${e}`),
        onBatchBegin: (b) => void calls.push(`batchBegin ${b}`),
        onBatchEnd: (b, logs) => void calls.push(`batchEnd ${b} ${Number.isFinite(logs!.loss)}`),
        onEpochEnd: (e, logs) => void calls.push(`epochEnd ${e} ${Object.keys(logs!).join(',')}`),
        onTrainEnd: () => void calls.push('trainEnd'),
      },
    });
    expect(calls).toEqual([
      'trainBegin',
      'epochBegin 0', 'batchBegin 0', 'batchEnd 0 true', 'batchBegin 1', 'batchEnd 1 true', 'epochEnd 0 loss,accuracy',
      'epochBegin 1', 'batchBegin 0', 'batchEnd 0 true', 'batchBegin 1', 'batchEnd 1 true', 'epochEnd 1 loss,accuracy',
      'trainEnd',
    ]);
  });

  it('stopTraining from onBatchEnd stops after that batch; from onEpochEnd after that epoch', async () => {
    const opt = df.optimizers.sgd({ learningRate: 0.1 });
    const m = xorModel(1, opt);
    const h = await m.fit(x, y, { epochs: 10, batchSize: 1, verbose: 0, callbacks: { onBatchEnd: (b) => void (b === 2 && (m.stopTraining = true)) } });
    expect(opt.iterations).toBe(3);
    expect(h.epoch).toEqual([0]);
    const m2 = xorModel();
    const h2 = await m2.fit(x, y, { epochs: 10, verbose: 0, callbacks: { onEpochEnd: (e) => void (e === 3 && (m2.stopTraining = true)) } });
    expect(h2.epoch).toEqual([0, 1, 2, 3]);
  });

  it('epochs: 0 trains nothing', async () => {
    const m = xorModel();
    const before = bits(m);
    const h = await m.fit(x, y, { epochs: 0, verbose: 0 });
    expect(h.epoch).toEqual([]);
    expect(bits(m)).toEqual(before);
  });

  it('a learning rate changed between epochs takes effect', async () => {
    const opt = df.optimizers.adam({ learningRate: 0.01 });
    const m = xorModel(4, opt);
    const before = bits(m);
    await m.fit(x, y, { epochs: 2, verbose: 0, callbacks: { onEpochBegin: () => void (opt.learningRate = 0) } });
    expect(bits(m)).toEqual(before);
  });
});

describe('model API', () => {
  it('trainOnBatch returns the loss before the step, and steps once', () => {
    const opt = df.optimizers.sgd({ learningRate: 0.3 });
    const m = xorModel(6, opt);
    const before = m.evaluate(x, y).loss;
    expect(m.trainOnBatch(x, y)).toBeCloseTo(before, 6);
    expect(opt.iterations).toBe(1);
    expect(m.evaluate(x, y).loss).toBeLessThan(before);
  });

  it('getWeights returns copies with Keras shapes; setWeights round-trips', () => {
    const m = xorModel();
    const ws = m.getWeights();
    expect(ws.map((w) => w.shape)).toEqual([[2, 5], [5], [5, 1], [1]]);
    ws[0].dataSync()[0] = 1234;
    expect(m.getWeights()[0].dataSync()[0]).not.toBe(1234);
    const values = ws.map((w, i) => ({ data: w.dataSync().map((_, j) => i + j / 10), shape: w.shape }));
    m.setWeights(values);
    expect(m.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(values.map((v) => Array.from(v.data)));
  });

  it('biases start at zero and glorotUniform kernels within ±√(6/(in+out))', () => {
    const m = df.sequential({ seed: 8, layers: [df.layers.dense({ units: 300, inputShape: [200] })] });
    const [k, b] = m.getWeights();
    const limit = Math.sqrt(6 / 500);
    const v = k.dataSync();
    expect(Math.max(...v)).toBeLessThanOrEqual(limit);
    expect(Math.min(...v)).toBeGreaterThanOrEqual(-limit);
    expect(Math.max(...v)).toBeGreaterThan(0.95 * limit);
    expect(Array.from(b.dataSync()).every((z) => z === 0)).toBe(true);
  });

  it('summary prints the Keras table and returns it', () => {
    const m = xorModel();
    const lines: string[] = [];
    const text = m.summary((s) => lines.push(s));
    expect(lines).toEqual([text]);
    expect(text).toContain('Model: "sequential"');
    expect(text).toMatch(/dense \(Dense\)\s+│ \(None, 5\)\s+│\s+15 │/);
    expect(text).toMatch(/dense_1 \(Dense\)\s+│ \(None, 1\)\s+│\s+6 │/);
    expect(text).toContain('Total params: 21 (84.00 B)');
  });

  it('infers the input width from the first fit when no inputShape was given', async () => {
    const m = df.sequential({ seed: 1, layers: [df.layers.dense({ units: 3, activation: 'relu' }), df.layers.dense({ units: 1 })] });
    expect(() => m.getWeights()).toThrow(/no weights yet/);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    await m.fit(x, y, { epochs: 1, verbose: 0 });
    expect(m.getWeights().map((w) => w.shape)).toEqual([[2, 3], [3], [3, 1], [1]]);
  });

  it('add() after building keeps the existing weights', () => {
    const m = df.sequential({ seed: 2, layers: [df.layers.dense({ units: 3, inputShape: [2] })] });
    const first = m.getWeights().map((w) => Array.from(w.dataSync()));
    m.add(df.layers.dense({ units: 2 }));
    const now = m.getWeights();
    expect(now.map((w) => w.shape)).toEqual([[2, 3], [3], [3, 2], [2]]);
    expect(now.slice(0, 2).map((w) => Array.from(w.dataSync()))).toEqual(first);
  });

  it('accepts Keras snake_case and tfjs camelCase names', () => {
    const m = df.sequential({ layers: [df.layers.dense({ units: 2, activation: 'leaky_relu', inputShape: [2] }), df.layers.dense({ units: 2, activation: 'hard_sigmoid' })] });
    m.compile({ optimizer: 'SGD', loss: 'mean_squared_error', metrics: ['mae'] });
    m.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['acc'] });
    expect(Object.keys(m.evaluate(x, [[1, 0], [0, 1], [0, 1], [1, 0]]))).toEqual(['loss', 'acc']);
  });

  it('dispose() returns the arena; 1,000 create-fit-dispose cycles keep memory bounded', async () => {
    const heap = getRuntime().heap;
    const base = heap.allocatedBytes;
    const m = xorModel();
    m.getWeights();
    expect(heap.allocatedBytes).toBeGreaterThan(base);
    m.dispose();
    expect(heap.allocatedBytes).toBe(base);
    const before = heap.memoryBytes;
    for (let i = 0; i < 1000; i++) {
      const c = xorModel(i);
      await c.fit(x, y, { epochs: 1, verbose: 0 });
      c.dispose();
    }
    // ≤: models from earlier tests may be collected meanwhile.
    expect(heap.allocatedBytes).toBeLessThanOrEqual(base);
    expect(heap.memoryBytes).toBeLessThanOrEqual(before + 65536);
  });

  it('models dropped without dispose() give their memory back when collected', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    expect(gc, 'tests run with --expose-gc (vitest.config.ts)').toBeTypeOf('function');
    const heap = getRuntime().heap;
    const base = heap.allocatedBytes;
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 100; i++) {
        const c = xorModel(i);
        await c.fit(x, y, { epochs: 1, verbose: 0 });
      }
      gc!();
      await new Promise((r) => setTimeout(r, 0));
    }
    for (let i = 0; i < 5 && heap.allocatedBytes > base; i++) {
      gc!();
      await new Promise((r) => setTimeout(r, 10));
    }
    // Every dropped model's arena is back: nothing from the 1,000 models remains.
    expect(heap.allocatedBytes).toBeLessThanOrEqual(base);
  });
});
