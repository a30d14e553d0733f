// Gradient clipping kernels vs Keras 3 (base_optimizer.py): clipvalue, clipnorm, and the pieces the
// facade assembles global clipping from (f32_sumsq over every tensor, Keras's scale, f32_scale).
// Each against an f32 emulation (bitwise) and, where it rounds, a float64 reference (relative error).
import { describe, it, expect, beforeAll } from 'vitest';
import type { Runtime } from '../../src/wasm/load.js';
import { runtime, put, get } from '../helpers/kernels.js';
import { rng, uniform, maxRelErr } from '../helpers/random.js';
import { refClipValue, refSumsq, refSumsqOrdered, refClipNorm, globalClipScale } from '../ref/clip.js';

const SIZES = [1, 3, 4, 5, 17, 1024];
const GUARD = 8; // sentinel floats after every block: the tail loop must not write past n
const SENTINEL = 12345.5;
const f = Math.fround;

/** Places `data` followed by GUARD sentinels; returns the byte offset. */
function block(rt: Runtime, data: ArrayLike<number>): number {
  const ptr = put(rt, data.length + GUARD);
  rt.heap.writeF32(ptr, data);
  rt.heap.f32(ptr + 4 * data.length, GUARD).fill(SENTINEL);
  return ptr;
}

/** Reads the n floats back, checks the guard words, frees the block. */
function take(rt: Runtime, ptr: number, n: number): Float32Array {
  const out = get(rt, ptr, n);
  expect(Array.from(get(rt, ptr + 4 * n, GUARD)), 'guard words').toEqual(new Array(GUARD).fill(SENTINEL));
  rt.heap.free(ptr);
  return out;
}

/** Bitwise equality (distinguishes −0 from 0, and compares NaN with NaN). */
function expectSameBits(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Object.is(got[i], want[i]), `${what}[${i}]: ${got[i]} vs ${want[i]}`).toBe(true);
}

// Tolerance vs float64: each element rounds a handful of times (≈6e-8 each), so 1e-5 relative is
// loose; the floor (1e-30) only matters for exact zeros, which both sides keep exactly.
const TOL = 1e-5;
function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  const { err, at } = maxRelErr(got, want, 1e-30);
  expect(err, `${what}[${at}]: ${got[at]} vs ${want[at]}`).toBeLessThanOrEqual(TOL);
}

function norm(x: ArrayLike<number>): number {
  return Math.sqrt(refSumsq(x));
}

describe('gradient clipping kernels (Keras 3)', () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await runtime();
  });

  for (const n of SIZES) {
    it(`f32_clip_value, n=${n}: clip(g, −c, c), bit for bit`, () => {
      const c = f(0.75);
      const g = uniform(rng(100 + n), n, -2, 2);
      if (n >= 4) [g[0], g[1]] = [c, -c]; // the bounds themselves
      const ptr = block(rt, g);
      rt.kernels.f32_clip_value(n, ptr, c);
      const got = take(rt, ptr, n);
      expectSameBits(got, refClipValue(g, c), 'g');
      expect(got.every((x) => Math.abs(x) <= c)).toBe(true);
    });

    it(`f32_sumsq, n=${n}: the fixed-order f64 sum, bit for bit, and accurate`, () => {
      const x = uniform(rng(200 + n), n, -3, 3);
      const ptr = block(rt, x);
      const got = rt.kernels.f32_sumsq(n, ptr);
      take(rt, ptr, n);
      expect(Object.is(got, refSumsqOrdered(x))).toBe(true);
      expect(Math.abs(got - refSumsq(x)) / refSumsq(x)).toBeLessThanOrEqual(1e-13);
    });

    it(`f32_sumsq, n=${n}: same bits at every 4-byte shift of the data`, () => {
      const x = uniform(rng(300 + n), n, -1e3, 1e3);
      const base = put(rt, n + 3 + GUARD);
      const results: number[] = [];
      for (let shift = 0; shift < 4; shift++) {
        const ptr = base + 4 * shift;
        rt.heap.f32(base, n + 3 + GUARD).fill(Number.NaN); // anything outside [ptr, ptr + 4n) would poison the sum
        rt.heap.writeF32(ptr, x);
        results.push(rt.kernels.f32_sumsq(n, ptr));
      }
      rt.heap.free(base);
      for (const r of results) expect(Object.is(r, results[0]), `${results}`).toBe(true);
      expect(Number.isFinite(results[0])).toBe(true);
    });

    it(`f32_scale, n=${n}: x·s, bit for bit`, () => {
      const s = f(-0.3);
      const x = uniform(rng(400 + n), n, -5, 5);
      const ptr = block(rt, x);
      rt.kernels.f32_scale(n, ptr, s);
      expectSameBits(take(rt, ptr, n), Array.from(x, (v) => f(v * s)), 'x');
    });

    for (const ratio of [0.5, 2]) {
      const what = ratio < 1 ? 'norm > c (clips)' : 'norm < c (keeps the direction and size)';
      it(`f32_clip_norm, n=${n}, ${what}: Keras's (g·c)/max(norm, c)`, () => {
        const g = uniform(rng(500 + n), n, -1, 1);
        const c = f(ratio * norm(g));
        const ptr = block(rt, g);
        rt.kernels.f32_clip_norm(n, ptr, c);
        const got = take(rt, ptr, n);
        expectSameBits(got, refClipNorm(g, c, f), 'g (f32 emulation)');
        expectClose(got, refClipNorm(g, c), 'g (float64)');
        if (ratio < 1) expect(Math.abs(norm(got) - c) / c).toBeLessThanOrEqual(TOL);
        else expectClose(got, g, 'g unclipped');
      });
    }

    it(`f32_clip_norm, n=${n}: a zero gradient stays exactly as it was (no NaN)`, () => {
      const g = Array.from({ length: n }, (_, i) => (i % 2 ? -0 : 0));
      const ptr = block(rt, g);
      rt.kernels.f32_clip_norm(n, ptr, f(0.5));
      expectSameBits(take(rt, ptr, n), g, 'g');
    });
  }

  it('f32_clip_value keeps NaN and −0, and clamps ±Inf', () => {
    const c = f(0.75);
    const g = [Number.NaN, Infinity, -Infinity, -0, 0, 0.5, -3];
    const ptr = block(rt, g);
    rt.kernels.f32_clip_value(g.length, ptr, c);
    expectSameBits(take(rt, ptr, g.length), [Number.NaN, c, -c, -0, 0, 0.5, -c], 'g');
  });

  it('f32_clip_norm: a NaN gradient makes the whole tensor NaN, as in Keras', () => {
    const g = [1, 2, Number.NaN, 3, 4];
    const ptr = block(rt, g);
    rt.kernels.f32_clip_norm(g.length, ptr, f(1));
    expect(take(rt, ptr, g.length).every(Number.isNaN)).toBe(true);
  });

  it('f32_sumsq of nothing is 0', () => {
    const ptr = block(rt, []);
    expect(rt.kernels.f32_sumsq(0, ptr)).toBe(0);
    take(rt, ptr, 0);
  });

  for (const ratio of [0.3, 3]) {
    it(`global clipping over six tensors (f32_sumsq + Keras's scale + f32_scale), global norm ${ratio < 1 ? '>' : '<'} c`, () => {
      const grads = SIZES.map((n) => uniform(rng(600 + n), n, -1, 1));
      const total = grads.reduce((s, g) => s + refSumsq(g), 0);
      const c = ratio * Math.sqrt(total); // a float64 clip norm, as Keras's global_clipnorm is
      const ptrs = grads.map((g) => block(rt, g));
      let sumsq = 0;
      grads.forEach((g, t) => (sumsq += rt.kernels.f32_sumsq(g.length, ptrs[t])));
      const scale = globalClipScale(sumsq, c);
      grads.forEach((g, t) => rt.kernels.f32_scale(g.length, ptrs[t], scale));
      const out = grads.map((g, t) => take(rt, ptrs[t], g.length));
      // Keras in float64: g·c/max(global norm, c).
      const k = c / Math.max(Math.sqrt(total), c);
      out.forEach((got, t) => {
        expectSameBits(got, Array.from(grads[t], (x) => f(x * scale)), `tensor ${t}`);
        expectClose(got, Array.from(grads[t], (x) => x * k), `tensor ${t} (float64)`);
      });
      const after = Math.sqrt(out.reduce((s, g) => s + refSumsq(g), 0));
      expect(Math.abs(after - Math.min(c, Math.sqrt(total))) / c).toBeLessThanOrEqual(TOL);
    });
  }

  it("global clipping: Keras's scale is NaN for an infinite norm, finite for a zero one", () => {
    expect(Number.isNaN(globalClipScale(Infinity, 1))).toBe(true);
    expect(Number.isNaN(globalClipScale(Number.NaN, 1))).toBe(true);
    expect(globalClipScale(0, 0.3)).toBe(f(f(0.3) * f(1 / 0.3)));
  });
});
