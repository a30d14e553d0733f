// The WASM generator behind initializers and shuffles: right distributions, seeded, permutations.
import { beforeAll, describe, expect, it } from 'vitest';
import { get, put, runtime } from '../helpers/kernels.js';
import type { Runtime } from '../../src/wasm/load.js';

let rt: Runtime;
beforeAll(async () => {
  rt = await runtime();
});

function moments(v: Float32Array) {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
  return { mean, std: Math.sqrt(variance), min: Math.min(...v), max: Math.max(...v) };
}

describe('rng', () => {
  const state = (seed: number) => {
    const s = put(rt, 4);
    rt.kernels.rng_seed(s, seed);
    return s;
  };

  it('uniform fills [lo, hi) with the right moments', () => {
    const n = 100_000;
    const out = put(rt, n);
    rt.kernels.rng_uniform(state(1), out, n, -2, 3);
    const m = moments(get(rt, out, n));
    expect(m.min).toBeGreaterThanOrEqual(-2);
    expect(m.max).toBeLessThan(3);
    expect(m.mean).toBeCloseTo(0.5, 1);
    expect(m.std).toBeCloseTo(5 / Math.sqrt(12), 1);
  });

  it('normal has the requested mean and standard deviation; truncated stays within 2σ', () => {
    const n = 100_000;
    const out = put(rt, n);
    rt.kernels.rng_normal(state(2), out, n, 1, 0.5, 0);
    const m = moments(get(rt, out, n));
    expect(m.mean).toBeCloseTo(1, 2);
    expect(m.std).toBeCloseTo(0.5, 2);
    rt.kernels.rng_normal(state(3), out, n, 0, 1, 1);
    const t = moments(get(rt, out, n));
    expect(t.max).toBeLessThanOrEqual(2);
    expect(t.min).toBeGreaterThanOrEqual(-2);
    // A standard normal truncated at ±2 has standard deviation 0.8796.
    expect(t.std).toBeCloseTo(0.87962566103423978, 2);
  });

  it('the same seed gives the same stream; another seed another', () => {
    const a = put(rt, 64);
    const b = put(rt, 64);
    const c = put(rt, 64);
    rt.kernels.rng_uniform(state(7), a, 64, 0, 1);
    rt.kernels.rng_uniform(state(7), b, 64, 0, 1);
    rt.kernels.rng_uniform(state(8), c, 64, 0, 1);
    expect(get(rt, a, 64)).toEqual(get(rt, b, 64));
    expect(get(rt, a, 64)).not.toEqual(get(rt, c, 64));
  });

  it.each([1, 2, 3, 17, 1000])('permutation of %i is a permutation, and shuffles', (n) => {
    const idx = rt.heap.alloc(n * 4);
    const s = state(n);
    rt.kernels.rng_permutation(s, idx, n);
    const p = Array.from(rt.heap.i32(idx, n));
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    if (n >= 17) expect(p).not.toEqual(Array.from({ length: n }, (_, i) => i));
  });
});
