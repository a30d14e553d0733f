// Losses and metrics written in JS: the split step (forward call, the function in JS, backward call) against
// the fused kernels, the gradient against finite differences, and bad functions that change nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { rng, uniform } from '../helpers/random.js';

beforeAll(() => df.ready());

const f = Math.fround;

/** MSE as the kernel computes it: per-row mean of squares in f64, gradient 2·f32(p − y)/cols rounded to f32. */
const exactMse: df.LossFunction = {
  name: 'exactMse',
  fn(yTrue, yPred, rows, cols) {
    const out = new Array<number>(rows);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let c = r * cols; c < (r + 1) * cols; c++) s += (yPred[c] - yTrue[c]) ** 2;
      out[r] = s / cols;
    }
    return out;
  },
  grad: (yTrue, yPred, rows, cols) => yPred.map((p, i) => f((2 / cols) * f(p - yTrue[i]))),
};

/** The same MSE written plainly in float64. */
const plainMse: df.LossFunction = { name: 'plainMse', fn: exactMse.fn, grad: (yTrue, yPred, rows, cols) => yPred.map((p, i) => (2 * (p - yTrue[i])) / cols) };

/** log(cosh(p − y)) per element, averaged over the row: smooth, and not one of the built-in losses. */
const logCosh: df.LossFunction = {
  name: 'logCosh',
  fn(yTrue, yPred, rows, cols) {
    return Array.from({ length: rows }, (_, r) => {
      let s = 0;
      for (let c = r * cols; c < (r + 1) * cols; c++) s += Math.log(Math.cosh(yPred[c] - yTrue[c]));
      return s / cols;
    });
  },
  grad: (yTrue, yPred, rows, cols) => Array.from(yPred, (p, i) => Math.tanh(p - yTrue[i]) / cols),
};

function data(rows: number, inCols: number, outCols: number, seed = 1) {
  const r = rng(seed);
  return { x: { data: uniform(r, rows * inCols), shape: [rows, inCols] }, y: { data: uniform(r, rows * outCols), shape: [rows, outCols] } };
}

function model(inCols: number, outCols: number, extra: df.Layer[] = []) {
  return df.sequential({
    seed: 5,
    layers: [df.layers.dense({ units: 8, activation: 'tanh', inputShape: [inCols] }), ...extra, df.layers.dense({ units: outCols })],
  });
}

const bits = (m: df.Sequential) => m.getWeights().flatMap((w) => Array.from(new Uint32Array(w.dataSync().buffer.slice(0))));
const values = (m: df.Sequential) => m.getWeights().flatMap((w) => Array.from(w.dataSync()));

describe('a loss written in JS', () => {
  it("trains bit-identically to 'mse' when it rounds as the kernel does (power-of-two batch and width)", async () => {
    // 2/(rows·cols) is a power of two here, so scaling by it rounds nothing on either side: the split
    // step itself (forward call, delta written from JS, backward call) adds no difference at all.
    const { x, y } = data(64, 3, 2);
    const sw = Array.from({ length: 64 }, (_, i) => [0.5, 1, 2, 4][i % 4]);
    const run = async (loss: string | df.LossFunction) => {
      const m = model(3, 2, [df.layers.dropout({ rate: 0.2 }), df.layers.batchNormalization({})]);
      m.compile({ optimizer: 'adam', loss });
      const h = await m.fit(x, y, { epochs: 4, batchSize: 16, verbose: 0, sampleWeight: sw, validationSplit: 0.25 });
      return { m, h };
    };
    const builtIn = await run('mse');
    const js = await run(exactMse);
    expect(bits(js.m)).toEqual(bits(builtIn.m));
    expect(js.h.history.loss).toEqual(builtIn.h.history.loss);
    expect(js.h.history.val_loss).toEqual(builtIn.h.history.val_loss);
    // trainOnBatch and computeGradients take the same path.
    const b = data(16, 3, 2, 9);
    expect(js.m.computeGradients(b.x, b.y).grads.map((g) => Array.from(g.dataSync()))).toEqual(builtIn.m.computeGradients(b.x, b.y).grads.map((g) => Array.from(g.dataSync())));
    expect(js.m.trainOnBatch(b.x, b.y)).toBe(builtIn.m.trainOnBatch(b.x, b.y));
    expect(bits(js.m)).toEqual(bits(builtIn.m));
    expect(js.m.evaluate(b.x, b.y)).toEqual(builtIn.m.evaluate(b.x, b.y));
  });

  it("written plainly in float64, stays within 1e-6 of 'mse' (one rounding per gradient element differs)", async () => {
    const { x, y } = data(60, 3, 3);
    const run = async (loss: string | df.LossFunction) => {
      const m = model(3, 3);
      m.compile({ optimizer: df.optimizers.sgd({ learningRate: 0.05 }), loss });
      await m.fit(x, y, { epochs: 5, batchSize: 12, verbose: 0 });
      return m;
    };
    const [a, b] = [values(await run('mse')), values(await run(plainMse))];
    expect(a).not.toEqual(b);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-6);
  });

  it('gives weight gradients that match finite differences of the loss it computes', () => {
    const { x, y } = data(10, 2, 2, 3);
    const m = model(2, 2);
    m.compile({ optimizer: 'sgd', loss: logCosh });
    const { loss, grads } = m.computeGradients(x, y);
    expect(loss).toBeCloseTo(m.evaluate(x, y, { batchSize: 10 }).loss, 6);
    const w = m.getWeights();
    const h = 1e-2;
    let checked = 0;
    w.forEach((t, k) => {
      const base = t.dataSync();
      for (let i = 0; i < base.length; i++) {
        const at = (d: number) => {
          const p = base.slice();
          p[i] += d;
          m.setWeights(w.map((u, j) => (j === k ? { data: p, shape: u.shape } : u)));
          return m.evaluate(x, y, { batchSize: 10 }).loss;
        };
        const fd = (at(h) - at(-h)) / (2 * h);
        expect(Math.abs(grads[k].dataSync()[i] - fd)).toBeLessThan(2e-4 + 1e-2 * Math.abs(fd));
        checked++;
      }
      m.setWeights(w);
    });
    expect(checked).toBe(2 * 8 + 8 + 8 * 2 + 2);
  });
});

describe('a metric written in JS', () => {
  function meanSquares(yTrue: Float32Array, yPred: Float32Array, rows: number, cols: number) {
    return Array.from({ length: rows }, (_, r) => {
      let s = 0;
      for (let c = r * cols; c < (r + 1) * cols; c++) s += (yPred[c] - yTrue[c]) ** 2;
      return s / cols;
    });
  }

  it("equals the built-in 'mse' in fit's logs, validation and evaluate, under the function's name", async () => {
    const { x, y } = data(50, 3, 2);
    const m = model(3, 2);
    let calls = 0;
    const counted = function batchMse(a: Float32Array, b: Float32Array, rows: number, cols: number) {
      calls++;
      // One number (the batch mean) is accepted as well as one value per row.
      return meanSquares(a, b, rows, cols).reduce((s, v) => s + v, 0) / rows;
    };
    m.compile({ optimizer: 'adam', loss: 'mae', metrics: ['mse', meanSquares, counted] });
    const h = await m.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0, validationSplit: 0.2 });
    // 40 training rows in 5 batches, 10 validation rows in 2 batches of 8: per epoch.
    expect(calls).toBe(3 * (5 + 2));
    for (let e = 0; e < 3; e++) {
      expect(h.history.meanSquares[e]).toBeCloseTo(h.history.mse[e], 12);
      expect(h.history.batchMse[e]).toBeCloseTo(h.history.mse[e], 12);
      expect(h.history.val_meanSquares[e]).toBeCloseTo(h.history.val_mse[e], 12);
    }
    const ev = m.evaluate(x, y, { batchSize: 7 });
    expect(ev.meanSquares).toBeCloseTo(ev.mse, 12);
    expect(Object.keys(ev)).toEqual(['loss', 'mse', 'meanSquares', 'batchMse']);
  });

  it('runs per batch with batch hooks, shuffling and windowless data, bit-identically to training without it', async () => {
    const { x, y } = data(40, 3, 2);
    const run = async (metrics: (string | df.MetricFunction)[]) => {
      const m = model(3, 2, [df.layers.dropout({ rate: 0.3 })]);
      m.compile({ optimizer: 'adam', loss: 'mse', metrics });
      const batches: number[] = [];
      const h = await m.fit(x, y, { epochs: 2, batchSize: 6, verbose: 0, callbacks: { onBatchEnd: (_, l) => void batches.push(l!.loss) } });
      return { bits: bits(m), loss: h.history.loss, batches };
    };
    const plain = await run([]);
    const withFn = await run([meanSquares]);
    expect(withFn.bits).toEqual(plain.bits);
    expect(withFn.loss).toEqual(plain.loss);
    expect(withFn.batches).toEqual(plain.batches);
  });

  it('is refused without a name, or when its name collides with another key', () => {
    const m = model(3, 2);
    expect(() => m.compile({ optimizer: 'adam', loss: 'mse', metrics: [(() => (a: Float32Array) => a)() as never] })).toThrow(/a metric function needs a name/);
    expect(() => m.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mse', function mse() { return 0; }] })).toThrow(/would both be logged as 'mse'/);
    expect(() => m.compile({ optimizer: 'adam', loss: 'mse', metrics: [function loss() { return 0; }] })).toThrow(/logged as 'loss'/);
  });
});

describe('bad functions', () => {
  it('are refused at compile: a tfjs-style function, no name, no gradient', () => {
    const m = model(3, 2);
    expect(() => m.compile({ optimizer: 'adam', loss: ((a: unknown, b: unknown) => [a, b]) as never })).toThrow(/like tfjs's \(yTrue: Tensor, yPred: Tensor\) => Scalar.*an object \{ name, fn/);
    expect(() => m.compile({ optimizer: 'adam', loss: { fn: exactMse.fn, grad: exactMse.grad } as never })).toThrow(/needs a name/);
    expect(() => m.compile({ optimizer: 'adam', loss: { name: 'noGrad', fn: exactMse.fn } as never })).toThrow(/custom loss 'noGrad' has no grad.*does not differentiate JS/);
    expect(() => m.compile({ optimizer: 'adam', loss: { name: 'noFn', grad: exactMse.grad } as never })).toThrow(/custom loss 'noFn' has no fn/);
    expect(m.optimizer).toBeUndefined();
  });

  const cases: [string, Partial<df.LossFunction>, RegExp][] = [
    ['returns NaN', { fn: (_t, _p, rows) => new Array(rows).fill(Number.NaN) }, /loss 'bad': fn returned NaN at index 0; every value must be a finite number/],
    ['returns the wrong length', { fn: () => [1] }, /loss 'bad': fn returned 1 values; it must return 8 losses, one per row \(8 rows\)/],
    ['returns a scalar', { fn: () => 0.5 as never }, /loss 'bad': fn returned number; it must return 8 losses/],
    ['has a gradient of the wrong length', { grad: () => [0] }, /loss 'bad': grad returned 1 values; it must return 16 values \(rows × cols = 8 × 2\)/],
    ['has an infinite gradient', { grad: (_t, p) => Array.from(p, () => Infinity) }, /loss 'bad': grad returned Infinity at index 0/],
    ['throws', { grad: () => { throw new Error('boom'); } }, /loss 'bad': grad threw: boom/],
  ];
  it.each(cases)('a loss that %s: fit, trainOnBatch and computeGradients fail naming it, and change nothing', async (_, parts, message) => {
    const { x, y } = data(8, 3, 2);
    const m = model(3, 2, [df.layers.dropout({ rate: 0.5 }), df.layers.batchNormalization({})]);
    m.compile({ optimizer: 'adam', loss: { ...exactMse, name: 'bad', ...parts } as df.LossFunction });
    const before = bits(m);
    const streams = m.getGeneratorStates();
    await expect(m.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, shuffle: false })).rejects.toThrow(message);
    expect(() => m.trainOnBatch(x, y)).toThrow(message);
    expect(() => m.computeGradients(x, y)).toThrow(message);
    // Weights, batch norm's moving statistics, the dropout stream and the step count are as they were.
    expect(bits(m)).toEqual(before);
    expect(m.getGeneratorStates().layers).toEqual(streams.layers);
    expect(m.getOptimizerState().iterations).toBe(0);
  });

  it('a metric that fails names itself and stops fit before the batch is applied', async () => {
    const { x, y } = data(8, 3, 2);
    const m = model(3, 2);
    m.compile({ optimizer: 'adam', loss: 'mse', metrics: [function wrongLength() { return [1, 2]; }] });
    const before = bits(m);
    await expect(m.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 })).rejects.toThrow(/metric 'wrongLength' returned 2 values; it must return 4 values, one per row/);
    expect(() => m.evaluate(x, y)).toThrow(/metric 'wrongLength' returned 2 values; it must return 8 values/);
    expect(bits(m)).toEqual(before);
  });
});
