// Dropout and Activation layers: inference identity, the training mask, gradients through both,
// and an Activation layer equal to the same activation inside Dense.
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { get, put, runtime } from '../helpers/kernels.js';
import { rng, uniform } from '../helpers/random.js';

beforeAll(() => df.ready());

const bits = (t: df.Tensor) => Array.from(new Uint32Array(t.dataSync().buffer));

describe('Dropout', () => {
  it('is the identity at inference (predict, evaluate)', () => {
    const next = rng(1);
    const x = { data: uniform(next, 20 * 5), shape: [20, 5] };
    const withDrop = df.sequential({ seed: 3, layers: [df.layers.dense({ units: 4, activation: 'relu', inputShape: [5] }), df.layers.dropout({ rate: 0.5 }), df.layers.dense({ units: 2 })] });
    const plain = df.sequential({ seed: 3, layers: [df.layers.dense({ units: 4, activation: 'relu', inputShape: [5] }), df.layers.dense({ units: 2 })] });
    plain.setWeights(withDrop.getWeights());
    expect(bits(withDrop.predict(x))).toEqual(bits(plain.predict(x)));
  });

  it('the mask drops about `rate` of the values and scales the rest by 1/(1 − rate)', async () => {
    const rt = await runtime();
    const n = 100_000;
    const s = put(rt, 4);
    rt.kernels.rng_seed(s, 5);
    const out = put(rt, n);
    rt.kernels.rng_dropout_mask(s, out, n, 0.3);
    const mask = get(rt, out, n);
    const zeros = mask.filter((v) => v === 0).length;
    expect(zeros / n).toBeCloseTo(0.3, 2);
    expect(new Set(mask)).toEqual(new Set([0, Math.fround(1 / Math.fround(0.7))]));
  });

  it('training uses one mask forward and backward, with values 0 or 1/(1 − rate)', () => {
    const d = 16;
    const rate = 0.25;
    const model = df.sequential({ seed: 9, layers: [df.layers.dropout({ rate, inputShape: [d] }), df.layers.dense({ units: 1 })] });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = Array.from({ length: d }, (_, j) => 1 + j / 4);
    const [w, b] = model.getWeights().map((t) => t.dataSync());
    const { loss, grads } = model.computeGradients([x], [[0.5]]);
    const dW = grads[0].dataSync();
    const delta = grads[1].dataSync()[0]; // db = δ = 2(p − y)
    const keep = 1 / (1 - rate);
    const mask = Array.from(dW, (g, j) => g / (x[j] * delta));
    for (const m of mask) expect([0, keep].some((v) => Math.abs(m - v) < 1e-4)).toBe(true);
    expect(mask.some((m) => m < 0.5)).toBe(true);
    expect(mask.some((m) => m > 0.5)).toBe(true);
    // The forward pass used the same mask: p = Σ x·m·w + b gives the reported loss.
    const p = x.reduce((s, v, j) => s + v * mask[j] * w[j], b[0]);
    expect(loss).toBeCloseTo((p - 0.5) ** 2, 4);
    expect(delta).toBeCloseTo(2 * (p - 0.5), 4);
  });

  it('the same seed gives the same masks and training; fit trains through dropout', async () => {
    const make = () =>
      df.sequential({ seed: 11, layers: [df.layers.dense({ units: 8, activation: 'relu', inputShape: [2] }), df.layers.dropout({ rate: 0.2 }), df.layers.dense({ units: 1, activation: 'sigmoid' })] });
    const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
    const y = [[0], [1], [1], [0]];
    const a = make();
    const b = make();
    for (const m of [a, b]) {
      m.compile({ optimizer: df.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
      await m.fit(x, y, { epochs: 300, batchSize: 4, verbose: 0 });
    }
    expect(a.getWeights().map(bits)).toEqual(b.getWeights().map(bits));
    expect(a.evaluate(x, y).accuracy).toBe(1);
  });

  it('rejects bad rates and seeds', () => {
    expect(() => df.layers.dropout({ rate: 1 })).toThrow(/rate must be a number in \[0, 1\), got 1/);
    expect(() => df.layers.dropout({ rate: -0.1 })).toThrow(/rate must be a number in \[0, 1\)/);
    expect(() => df.layers.dropout({ rate: 0.5, seed: 1.5 })).toThrow(/seed must be an integer/);
  });
});

describe('Activation layer', () => {
  it.each([
    ['tanh', 'meanSquaredError', [[0.1, -0.3, 0.2]]],
    ['softmax', 'categoricalCrossentropy', [[0, 1, 0]]],
    ['gelu', 'meanSquaredError', [[0.1, -0.3, 0.2]]],
    ['sigmoid', 'binaryCrossentropy', [[1, 0, 1]]],
  ])('Dense(linear) → Activation(%s) equals Dense(%s), forward and gradients', (activation, loss, y) => {
    const x = [[0.5, -1.2], [2, 0.3]];
    const ys = [y[0], y[0]];
    const split = df.sequential({ seed: 2, layers: [df.layers.dense({ units: 3, inputShape: [2] }), df.layers.activation({ activation })] });
    const fused = df.sequential({ seed: 2, layers: [df.layers.dense({ units: 3, activation, inputShape: [2] })] });
    fused.setWeights(split.getWeights());
    for (const m of [split, fused]) m.compile({ optimizer: 'sgd', loss });
    const p1 = split.predict(x).dataSync();
    const p2 = fused.predict(x).dataSync();
    p1.forEach((v, i) => expect(v).toBeCloseTo(p2[i], 6));
    const g1 = split.computeGradients(x, ys);
    const g2 = fused.computeGradients(x, ys);
    expect(g1.loss).toBeCloseTo(g2.loss, 6);
    g1.grads.forEach((g, i) => g.dataSync().forEach((v, j) => expect(v).toBeCloseTo(g2.grads[i].dataSync()[j], 5)));
  });

  it('appears in summary and names', () => {
    const m = df.sequential({ layers: [df.layers.dense({ units: 3, inputShape: [2] }), df.layers.dropout({ rate: 0.5 }), df.layers.activation({ activation: 'relu' }), df.layers.dropout({ rate: 0.1 })] });
    expect(m.layers.map((l) => l.name)).toEqual(['dense', 'dropout', 'activation', 'dropout_1']);
    const text = m.summary(null);
    expect(text).toMatch(/dropout \(Dropout\)\s+│ \(None, 3\)\s+│\s+0 │/);
    expect(text).toMatch(/activation \(Activation\)\s+│ \(None, 3\)\s+│\s+0 │/);
    expect(m.outputUnits).toBe(3);
  });
});
