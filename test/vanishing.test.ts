// The vanishing gradient as a property: sigmoid' ≤ 0.25 shrinks δ layer by layer; ReLU with He init does not.
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../src/index.js';
import { rng, uniform } from './helpers/random.js';

beforeAll(() => df.ready());

function kernelNorms(activation: string, kernelInitializer: string, seed: number): number[] {
  const depth = 10;
  const layers = [];
  for (let l = 0; l < depth - 1; l++) layers.push(df.layers.dense({ units: 32, activation, kernelInitializer, ...(l === 0 ? { inputShape: [16] } : {}) }));
  layers.push(df.layers.dense({ units: 1, activation: 'sigmoid' }));
  const model = df.sequential({ seed, layers });
  model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
  const next = rng(seed);
  const x = { data: uniform(next, 64 * 16), shape: [64, 16] };
  const y = { data: Float32Array.from({ length: 64 }, () => (next() > 0.5 ? 1 : 0)), shape: [64, 1] };
  const { grads } = model.computeGradients(x, y);
  return grads.filter((_, i) => i % 2 === 0).map((g) => Math.hypot(...g.dataSync()));
}

describe('vanishing gradient', () => {
  it.each([1, 2, 3])('10-layer sigmoid: first layer gradient < 1/100 of the last (seed %i)', (seed) => {
    const norms = kernelNorms('sigmoid', 'glorotUniform', seed);
    expect(norms[0]).toBeLessThan(norms[9] / 100);
  });

  it.each([1, 2, 3])('10-layer relu with He init: the first layer keeps its gradient (seed %i)', (seed) => {
    const norms = kernelNorms('relu', 'heNormal', seed);
    expect(norms[0]).toBeGreaterThan(norms[9] / 100);
    expect(norms.every((n) => n > 0 && Number.isFinite(n))).toBe(true);
  });
});
