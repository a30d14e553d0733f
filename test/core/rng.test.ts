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

/** xoshiro128** seeded by splitmix32, in JS: the stream every seeded model's weights and shuffles come from. */
function reference(seed: number) {
  const st = new Uint32Array(4);
  let z = seed >>> 0;
  for (let i = 0; i < 4; i++) {
    z = (z + 0x9e3779b9) >>> 0;
    let t = z;
    t = Math.imul(t ^ (t >>> 16), 0x85ebca6b);
    t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35);
    t = (t ^ (t >>> 16)) >>> 0;
    st[i] = t === 0 && i === 0 ? 1 : t;
  }
  const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
  const next = () => {
    const result = Math.imul(rotl(Math.imul(st[1], 5) >>> 0, 7), 9) >>> 0;
    const t = st[1] << 9;
    st[2] ^= st[0];
    st[3] ^= st[1];
    st[1] ^= st[2];
    st[0] ^= st[3];
    st[2] ^= t;
    st[3] = rotl(st[3], 11);
    return result;
  };
  // 53 bits: 27 from one draw, 26 from the next.
  const uniform01 = () => ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
  return { next, uniform: (n: number, lo: number, hi: number) => Float32Array.from({ length: n }, () => lo + (hi - lo) * uniform01()) };
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

  it.each([
    [7, 100_352, -0.08, 0.08],
    [0, 33, 0, 1],
    [0xffffffff, 1000, -3, 5],
  ])('uniform is the xoshiro128** stream bit for bit (seed %i, %i values in [%d, %d)), and leaves the state where the dropout mask and the shuffle after it go on', (seed, n, lo, hi) => {
    const s = state(seed);
    const out = put(rt, n + 5);
    rt.kernels.rng_uniform(s, out, n, lo, hi);
    rt.kernels.rng_uniform(s, out + 4 * n, 5, 0, 1);
    const ref = reference(seed);
    const want = new Float32Array(n + 5);
    want.set(ref.uniform(n, lo, hi));
    want.set(ref.uniform(5, 0, 1), n);
    expect(new Uint32Array(get(rt, out, n + 5).buffer)).toEqual(new Uint32Array(want.buffer));
    // The state in memory is the reference's too: the dropout mask after it draws the same bits.
    const mask = put(rt, 64);
    rt.kernels.rng_dropout_mask(s, mask, 64, 0.5);
    expect(Array.from(get(rt, mask, 64))).toEqual(Array.from({ length: 64 }, () => ((ref.next() >>> 8) < 8388608 ? 0 : 2)));
    // And a shuffle after it: Fisher–Yates with Lemire's bounded draws.
    const idx = rt.heap.alloc(50 * 4);
    rt.kernels.rng_permutation(s, idx, 50);
    const want50 = Array.from({ length: 50 }, (_, i) => i);
    for (let i = 49; i > 0; i--) {
      const bound = BigInt(i + 1);
      let m = BigInt(ref.next()) * bound;
      const threshold = (2n ** 32n - bound) % bound;
      while ((m & 0xffffffffn) < threshold) m = BigInt(ref.next()) * bound;
      const j = Number(m >> 32n);
      [want50[i], want50[j]] = [want50[j], want50[i]];
    }
    expect(Array.from(rt.heap.i32(idx, 50))).toEqual(want50);
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
