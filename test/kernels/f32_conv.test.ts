// im2col / col2im (kernels/f32_conv.ts) against the float64 references in ref/conv.ts, table-driven over
// Keras-style geometries: kernels 1×1, 2×2, 3×3, 5×3; strides 1, 2, 3; dilation 1, 2; 'valid' and 'same'
// padding; image sizes from {1, 5, 7, 28}; channels {1, 3, 4, 5, 17} (every SIMD tail length). im2col is
// a copy, so it must match exactly; col2im is checked against a scatter reference and by the adjoint
// identity; the row-range entry points must compose to the whole call byte for byte and touch nothing else.
import { beforeAll, describe, expect, it } from 'vitest';
import * as plan from '../../src/shared/plan.js';
import type { Runtime } from '../../src/wasm/load.js';
import { get, put, runtime, putGeometry } from '../helpers/kernels.js';
import { rng, uniform } from '../helpers/random.js';
import { col2imRef, dot, im2colRef, kerasGeometry, type Geometry, type Padding } from '../ref/conv.js';

let rt: Runtime;
beforeAll(async () => {
  rt = await runtime();
});

const GUARD = 8; // sentinel floats after every output block: nothing may be written past it
const SENTINEL = 12345.5;
const COL2IM_TOL = 1e-5; // relative to Σ|terms| per element: each term's add rounds once (≈6e-8)
const ADJOINT_TOL = 1e-4;

const KERNELS: [number, number][] = [[1, 1], [2, 2], [3, 3], [5, 3]];
const STRIDES = [1, 2, 3];
const DILATIONS = [1, 2];
const PADDINGS: Padding[] = ['valid', 'same'];
const SIZES: [number, number][] = [[1, 5], [5, 7], [7, 1], [28, 28]];
const CHANNELS = [1, 3, 4, 5, 17];

interface Case {
  name: string;
  g: Geometry;
  seed: number;
}

/** Every kernel × stride × dilation × padding × size that makes a layer; channels cycle through CHANNELS. */
function cases(): Case[] {
  const out: Case[] = [];
  let i = 0;
  for (const [KH, KW] of KERNELS)
    for (const S of STRIDES)
      for (const D of DILATIONS)
        for (const pad of PADDINGS)
          for (const [H, W] of SIZES) {
            const C = CHANNELS[i % CHANNELS.length];
            i++;
            const g = kerasGeometry(H, W, C, KH, KW, S, D, pad);
            if (g.OH < 1 || g.OW < 1) continue; // Keras refuses a 'valid' window larger than the image
            out.push({ name: `${H}×${W}×${C} k${KH}×${KW} s${S} d${D} ${pad} → ${g.OH}×${g.OW}`, g, seed: 1000 + i });
          }
  return out;
}
const CASES = cases();


/** n floats of sentinels plus the guard; returns the offset. */
function outBlock(n: number): number {
  const p = put(rt, n + GUARD);
  rt.heap.f32(p, n + GUARD).fill(SENTINEL);
  return p;
}

/** Reads n floats and checks the guard after them is intact. */
function read(p: number, n: number, what: string): Float32Array {
  expect(Array.from(get(rt, p + 4 * n, GUARD)), `${what}: guard words`).toEqual(new Array(GUARD).fill(SENTINEL));
  return get(rt, p, n);
}

const bits = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);

/** Index of the first element where the bit patterns differ, or −1. */
function firstBitDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  const x = bits(a);
  const y = bits(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

/** Index of the first element where got ≠ want (Object.is: −0 and 0 differ), or −1. */
function firstDiff(got: ArrayLike<number>, want: ArrayLike<number>): number {
  for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) return i;
  return -1;
}

describe('f32_im2col', () => {
  it('covers every SIMD tail and both paddings', () => {
    expect(new Set(CASES.map((c) => c.g.C))).toEqual(new Set(CHANNELS));
    expect(CASES.some((c) => c.g.PT + c.g.PL + c.g.PB + c.g.PR > 0 && c.g.DH === 2)).toBe(true);
    expect(CASES.length).toBeGreaterThan(150);
  });

  it.each(CASES)('$name', ({ g, seed }) => {
    const K = g.KH * g.KW * g.C;
    const n = g.OH * g.OW * K;
    const x = uniform(rng(seed), g.H * g.W * g.C);
    const pg = putGeometry(rt, g);
    const px = put(rt, x);
    const pc = outBlock(n);
    const pr = outBlock(n);
    try {
      rt.kernels.f32_im2col(pg, px, pc);
      const whole = read(pc, n, 'im2col');
      const at = firstDiff(whole, im2colRef(g, x));
      expect(at, `first mismatch at ${at}`).toBe(-1);

      // One output row per call composes to the whole call, bit for bit.
      for (let oy = 0; oy < g.OH; oy++) rt.kernels.f32_im2col_rows(pg, px, pr, oy, oy + 1);
      expect(firstBitDiff(read(pr, n, 'im2col_rows'), whole)).toBe(-1);

      // A middle range writes its own col rows and nothing else.
      const oy0 = g.OH >> 2;
      const oy1 = Math.max(oy0, (3 * g.OH) >> 2);
      rt.heap.f32(pr, n).fill(SENTINEL);
      rt.kernels.f32_im2col_rows(pg, px, pr, oy0, oy1);
      const part = read(pr, n, 'im2col_rows range');
      const lo = oy0 * g.OW * K;
      const hi = oy1 * g.OW * K;
      expect(firstBitDiff(part.subarray(lo, hi), whole.subarray(lo, hi))).toBe(-1);
      expect(part.subarray(0, lo).every((v) => v === SENTINEL) && part.subarray(hi).every((v) => v === SENTINEL)).toBe(true);
    } finally {
      for (const p of [pg, px, pc, pr]) rt.heap.free(p);
    }
  });
});

describe('f32_col2im', () => {
  it.each(CASES)('$name', ({ g, seed }) => {
    const K = g.KH * g.KW * g.C;
    const n = g.H * g.W * g.C;
    const next = rng(seed ^ 0x5bd1e995);
    const c = uniform(next, g.OH * g.OW * K);
    const x = uniform(next, n);
    const pg = putGeometry(rt, g);
    const pc = put(rt, c);
    const px = put(rt, x);
    const pcol = outBlock(g.OH * g.OW * K);
    const pd = outBlock(n);
    const pr = outBlock(n);
    try {
      rt.kernels.f32_col2im(pg, pc, pd);
      const dx = read(pd, n, 'col2im');
      const ref = col2imRef(g, c);
      let worst = 0;
      let at = -1;
      for (let i = 0; i < n; i++) {
        // Σ|terms| is the scale of a float sum's error; positions no window reads are exactly 0.
        const e = ref.scale[i] === 0 ? (Object.is(dx[i], 0) ? 0 : Infinity) : Math.abs(dx[i] - ref.dx[i]) / ref.scale[i];
        if (!(e <= worst)) {
          worst = e;
          at = i;
        }
      }
      expect(worst, `worst at ${at}: ${dx[at]} vs ${ref.dx[at]}`).toBeLessThan(COL2IM_TOL);

      // The adjoint identity <im2col(x), c> = <x, col2im(c)>, both sides from the kernels, in float64.
      rt.kernels.f32_im2col(pg, px, pcol);
      const lhs = dot(read(pcol, g.OH * g.OW * K, 'im2col'), c);
      const rhs = dot(x, dx);
      expect(Math.abs(lhs - rhs) / Math.max(Math.abs(lhs), 1e-6), `${lhs} vs ${rhs}`).toBeLessThan(ADJOINT_TOL);

      // One input row per call composes to the whole call, bit for bit.
      for (let iy = 0; iy < g.H; iy++) rt.kernels.f32_col2im_rows(pg, pc, pr, iy, iy + 1);
      expect(firstBitDiff(read(pr, n, 'col2im_rows'), dx)).toBe(-1);

      // A middle range writes its own dx rows, each complete, and nothing else.
      const iy0 = g.H >> 2;
      const iy1 = Math.max(iy0, (3 * g.H + 3) >> 2);
      rt.heap.f32(pr, n).fill(SENTINEL);
      rt.kernels.f32_col2im_rows(pg, pc, pr, iy0, iy1);
      const part = read(pr, n, 'col2im_rows range');
      const lo = iy0 * g.W * g.C;
      const hi = iy1 * g.W * g.C;
      expect(firstBitDiff(part.subarray(lo, hi), dx.subarray(lo, hi))).toBe(-1);
      expect(part.subarray(0, lo).every((v) => v === SENTINEL) && part.subarray(hi).every((v) => v === SENTINEL)).toBe(true);
    } finally {
      for (const p of [pg, pc, px, pcol, pd, pr]) rt.heap.free(p);
    }
  });

  it('sums overlapping windows in the same order wherever the image sits in memory', () => {
    // Stride 1 with a 3×3 window: interior positions gather nine taps; a misaligned dx must give the same bytes.
    const g = kerasGeometry(7, 5, 5, 3, 3, 1, 1, 'same');
    const c = uniform(rng(7), g.OH * g.OW * g.KH * g.KW * g.C);
    const n = g.H * g.W * g.C;
    const pg = putGeometry(rt, g);
    const pc = put(rt, c);
    const pa = outBlock(n);
    const pb = outBlock(n + 1);
    try {
      rt.kernels.f32_col2im(pg, pc, pa);
      rt.kernels.f32_col2im(pg, pc, pb + 4);
      expect(firstBitDiff(get(rt, pb + 4, n), read(pa, n, 'col2im'))).toBe(-1);
    } finally {
      for (const p of [pg, pc, pa, pb]) rt.heap.free(p);
    }
  });
});
