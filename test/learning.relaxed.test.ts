// Training on the relaxed-SIMD build (fused multiply-add in the GEMMs) learns as the default build does:
// the same model, seed and data on both builds side by side, XOR and a 784-64-10 net on 1,000 of the
// `mnist` package's digits. The two runs' numbers differ in the last bits, not in what they learn.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';

type Df = typeof import('../src/core.js');

/** A fresh copy of the library on the relaxed build (or the default one). */
async function library(relaxedSimd: boolean): Promise<Df> {
  vi.resetModules();
  const df: Df = await import('../src/core.js');
  await df.ready({ relaxedSimd });
  expect(df.wasmSimd()).toBe(relaxedSimd ? 'relaxed-simd' : 'simd128');
  return df;
}

/** The first `perDigit` samples of each digit, interleaved (0, 1, …, 9, 0, …), pixels in [0, 1]. */
function digits(perDigit: number): { x: Float32Array; y: Float32Array; labels: number[] } {
  const require = createRequire(import.meta.url);
  const pixels = Array.from({ length: 10 }, (_, d) => JSON.parse(readFileSync(require.resolve(`mnist/src/digits/${d}.json`), 'utf8')).data as number[]);
  const rows = perDigit * 10;
  const x = new Float32Array(rows * 784);
  const y = new Float32Array(rows * 10);
  const labels: number[] = [];
  for (let r = 0; r < rows; r++) {
    const d = r % 10;
    const i = Math.floor(r / 10);
    x.set(pixels[d].slice(i * 784, (i + 1) * 784), r * 784);
    y[r * 10 + d] = 1;
    labels.push(d);
  }
  return { x, y, labels };
}

describe('training on the relaxed build', () => {
  it('learns XOR as the default build does', async () => {
    const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
    const y = [[0], [1], [1], [0]];
    const run = async (relaxedSimd: boolean) => {
      const df = await library(relaxedSimd);
      const model = df.sequential({
        seed: 3,
        layers: [df.layers.dense({ units: 8, activation: 'tanh', inputShape: [2] }), df.layers.dense({ units: 1, activation: 'sigmoid' })],
      });
      model.compile({ optimizer: df.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
      const h = await model.fit(x, y, { epochs: 500, batchSize: 4, verbose: 0 });
      return { loss: h.history.loss, accuracy: h.history.accuracy.at(-1), p: Array.from(model.predict(x).dataSync()) };
    };
    const [relaxed, standard] = [await run(true), await run(false)];
    for (const r of [relaxed, standard]) {
      expect(r.accuracy).toBe(1);
      expect(r.loss.at(-1)!).toBeLessThan(0.1);
      expect(r.p.map((v) => (v > 0.5 ? 1 : 0))).toEqual([0, 1, 1, 0]);
    }
    // Rounding differences stay rounding-sized through 500 Adam steps on this smooth problem.
    for (let e = 0; e < 500; e++) expect(Math.abs(relaxed.loss[e] - standard.loss[e])).toBeLessThanOrEqual(1e-4 * standard.loss[e] + 1e-6);
  });

  it('learns 1,000 MNIST digits (784-64-10, Adam) as the default build does', async () => {
    const { x, y, labels } = digits(100);
    const run = async (relaxedSimd: boolean) => {
      const df = await library(relaxedSimd);
      const model = df.sequential({
        seed: 7,
        layers: [df.layers.dense({ units: 64, activation: 'relu', inputShape: [784] }), df.layers.dense({ units: 10, activation: 'softmax' })],
      });
      model.compile({ optimizer: df.optimizers.adam({ learningRate: 0.001 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      const xs = { data: x, shape: [labels.length, 784] };
      const h = await model.fit(xs, { data: y, shape: [labels.length, 10] }, { epochs: 8, batchSize: 32, verbose: 0 });
      const p = model.predict(xs).dataSync();
      let correct = 0;
      for (let r = 0; r < labels.length; r++) {
        const row = p.subarray(r * 10, r * 10 + 10);
        if (row.indexOf(Math.max(...row)) === labels[r]) correct++;
      }
      return { loss: h.history.loss, accuracy: correct / labels.length, w: model.getWeights()[0].dataSync() };
    };
    const [relaxed, standard] = [await run(true), await run(false)];
    for (const r of [relaxed, standard]) {
      expect(r.loss.at(-1)!).toBeLessThan(r.loss[0] / 4);
      expect(r.accuracy).toBeGreaterThanOrEqual(0.95);
    }
    // Not the same bits (where the CPU fuses), but the same learning: per-epoch losses within 0.1%.
    for (let e = 0; e < relaxed.loss.length; e++) expect(Math.abs(relaxed.loss[e] - standard.loss[e])).toBeLessThanOrEqual(1e-3 * standard.loss[e]);
    expect(Math.abs(relaxed.accuracy - standard.accuracy)).toBeLessThanOrEqual(0.01);
    let maxDiff = 0;
    for (let i = 0; i < relaxed.w.length; i++) maxDiff = Math.max(maxDiff, Math.abs(relaxed.w[i] - standard.w[i]));
    expect(maxDiff).toBeLessThan(1e-3);
  });
});
