// Regularization kernels vs float64: the penalty l1·Σ|w| + l2·Σw² and g += l1·sign(w) + 2·l2·w, at
// sizes that hit every SIMD tail, with exact zeros (sign 0) and guard words after each block.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/wasm/load.js';
import { get, put, runtime } from '../helpers/kernels.js';
import { rng, uniform } from '../helpers/random.js';
import { refPenalty, refPenaltyGrad } from '../ref/regularizers.js';

const SIZES = [1, 3, 4, 5, 17, 1024];
const FACTORS: [number, number][] = [[0.01, 0], [0, 0.01], [0.03, 0.2], [1e-4, 5]];
const GUARD = 4;
const f = Math.fround;

let rt: Runtime;
beforeAll(async () => {
  rt = await runtime();
});

/** Weights with an exact zero every seventh entry, so sign(0) is exercised. */
function weights(n: number, seed: number): Float32Array {
  const w = uniform(rng(seed), n, -2, 2);
  for (let i = 0; i < n; i += 7) w[i] = i % 14 === 0 ? 0 : -0;
  return w;
}

describe('f32_penalty', () => {
  it.each(SIZES)('n = %i: within 1e-12 of float64 (sums are exact in f64 up to order)', (n) => {
    for (const [l1, l2] of FACTORS) {
      const w = weights(n, n);
      const p = put(rt, w);
      const got = rt.kernels.f32_penalty(n, p, f(l1), f(l2));
      const want = refPenalty(w, f(l1), f(l2));
      expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));
      rt.heap.free(p);
    }
  });

  it('is 0 for no factors, and the same bits at any address', () => {
    const w = weights(17, 5);
    const a = put(rt, w);
    const b = put(rt, [0, ...w]);
    expect(rt.kernels.f32_penalty(17, a, 0, 0)).toBe(0);
    expect(rt.kernels.f32_penalty(17, b + 4, 0.5, 0.25)).toBe(rt.kernels.f32_penalty(17, a, 0.5, 0.25));
    rt.heap.free(a);
    rt.heap.free(b);
  });
});

describe('f32_penalty_grad', () => {
  it.each(SIZES)('n = %i: g + l1·sign(w) + 2·l2·w within 1e-6 relative of float64, nothing written past n', (n) => {
    for (const [l1, l2] of FACTORS) {
      const w = weights(n, 100 + n);
      const g = uniform(rng(200 + n), n, -1, 1);
      const pw = put(rt, w);
      const pg = put(rt, [...g, 7, 7, 7, 7]);
      rt.kernels.f32_penalty_grad(n, pw, pg, f(l1), f(l2));
      const got = get(rt, pg, n + GUARD);
      const want = refPenaltyGrad(w, g, f(l1), f(l2));
      for (let i = 0; i < n; i++) {
        const scale = Math.abs(g[i]) + f(l1) + 2 * f(l2) * Math.abs(w[i]);
        expect(Math.abs(got[i] - want[i]), `[${i}]`).toBeLessThanOrEqual(1e-6 * scale + 1e-30);
      }
      // sign(±0) is 0: only the gradient stays at a zero weight.
      for (let i = 0; i < n; i += 7) expect(got[i]).toBe(g[i]);
      expect(Array.from(got.subarray(n))).toEqual([7, 7, 7, 7]);
      rt.heap.free(pw);
      rt.heap.free(pg);
    }
  });
});
