// Pooling kernels (kernels/f32_pool.ts) against the float64 references in ref/conv.ts, table-driven over
// Keras-style geometries (windows 1×1, 2×2, 3×3, 5×3; strides 1, 2, 3; dilation 1, 2; 'valid' and 'same';
// sizes from {1, 5, 7, 28}; channels {1, 3, 4, 5, 17}, so every SIMD tail; 1 and 3 images per call).
// Max pooling is exact (values and the index of the first maximum, ties included: half the cases draw
// from a handful of values); averages are within 1e-6 of the float64 mean, relative to the mean of |terms|.
import { beforeAll, describe, expect, it } from 'vitest';
import * as plan from '../../src/shared/plan.js';
import type { Runtime } from '../../src/wasm/load.js';
import { get, put, runtime, putGeometry } from '../helpers/kernels.js';
import { rng, uniform } from '../helpers/random.js';
import {
  avgpoolBwdRef,
  avgpoolRef,
  globalAvgpoolBwdRef,
  globalAvgpoolRef,
  globalMaxpoolBwdRef,
  globalMaxpoolRef,
  kerasGeometry,
  maxpoolBwdRef,
  maxpoolRef,
  type Geometry,
  type Padding,
} from '../ref/conv.js';

let rt: Runtime;
beforeAll(async () => {
  rt = await runtime();
});

const GUARD = 8; // sentinel words after every output block: nothing may be written past it
const SENTINEL = 12345.5;
const AVG_TOL = 1e-6; // a sum of ≤ 784 terms rounded in f32 then one division, relative to Σ|terms|/count
const SUM_TOL = 1e-6; // backward sums of a few terms, relative to Σ|terms|

const KERNELS: [number, number][] = [[1, 1], [2, 2], [3, 3], [5, 3]];
const STRIDES = [1, 2, 3];
const DILATIONS = [1, 2];
const PADDINGS: Padding[] = ['valid', 'same'];
const SIZES: [number, number][] = [[1, 5], [5, 7], [7, 1], [28, 28]];
const CHANNELS = [1, 3, 4, 5, 17];

interface Case {
  name: string;
  g: Geometry;
  rows: number;
  ties: boolean;
  seed: number;
}

/** Every window × stride × dilation × padding × size that makes a layer; channels cycle, rows and ties alternate. */
function cases(): Case[] {
  const out: Case[] = [];
  let i = 0;
  for (const [KH, KW] of KERNELS)
    for (const S of STRIDES)
      for (const D of DILATIONS)
        for (const pad of PADDINGS)
          for (const [H, W] of SIZES) {
            const C = CHANNELS[i % CHANNELS.length];
            const rows = i % 2 === 0 ? 1 : 3;
            const ties = i % 4 >= 2;
            i++;
            const g = kerasGeometry(H, W, C, KH, KW, S, D, pad);
            if (g.OH < 1 || g.OW < 1) continue;
            const name = `${rows}×${H}×${W}×${C} k${KH}×${KW} s${S} d${D} ${pad} → ${g.OH}×${g.OW}${ties ? ' ties' : ''}`;
            out.push({ name, g, rows, ties, seed: 2000 + i });
          }
  return out;
}
const CASES = cases();


/** Test data: uniform floats, or (ties) a few distinct values so windows hold repeated maxima. */
function data(next: () => number, n: number, ties: boolean): Float32Array {
  if (!ties) return uniform(next, n);
  return Float32Array.from({ length: n }, () => Math.floor(next() * 4) - 2);
}

/** n words of sentinels plus the guard; returns the offset. */
function outBlock(n: number): number {
  const p = put(rt, n + GUARD);
  rt.heap.f32(p, n + GUARD).fill(SENTINEL);
  return p;
}

/** Reads n floats and checks the guard after them. */
function read(p: number, n: number, what: string): Float32Array {
  expect(Array.from(get(rt, p + 4 * n, GUARD)), `${what}: guard words`).toEqual(new Array(GUARD).fill(SENTINEL));
  return get(rt, p, n);
}

/** Reads n i32 and checks the guard after them. */
function readI32(p: number, n: number, what: string): Int32Array {
  expect(Array.from(get(rt, p + 4 * n, GUARD)), `${what}: guard words`).toEqual(new Array(GUARD).fill(SENTINEL));
  return rt.heap.i32(p, n).slice();
}

/** Exact equality (Object.is: −0 and 0 differ); reports the first mismatch. */
function expectExact(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) expect(got[i], `${what}[${i}]`).toBe(want[i]);
}

/** |got − want| ≤ tol·scale per element; where scale is 0 (no terms), got must be exactly 0. */
function expectScaled(got: ArrayLike<number>, want: ArrayLike<number>, scale: ArrayLike<number>, tol: number, what: string): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < want.length; i++) {
    const e = scale[i] === 0 ? (got[i] === 0 ? 0 : Infinity) : Math.abs(got[i] - want[i]) / scale[i];
    if (!(e <= worst)) {
      worst = e;
      at = i;
    }
  }
  expect(worst, `${what}: worst at ${at}: ${got[at]} vs ${want[at]}`).toBeLessThan(tol);
}

function withBlocks<T>(body: (keep: (p: number) => number) => T): T {
  const blocks: number[] = [];
  try {
    return body((p) => {
      blocks.push(p);
      return p;
    });
  } finally {
    for (const p of blocks) rt.heap.free(p);
  }
}

describe('window pooling cases', () => {
  it('cover every SIMD tail, both row counts, ties and an all-padding window', () => {
    expect(new Set(CASES.map((c) => c.g.C))).toEqual(new Set(CHANNELS));
    expect(new Set(CASES.map((c) => c.rows))).toEqual(new Set([1, 3]));
    expect(CASES.some((c) => c.ties)).toBe(true);
    // 1×5 'same' with a 2×2 window dilated by 2: the one output row's taps are rows −1 and 1, both padding.
    expect(CASES.some((c) => maxpoolRef(c.g, 1, new Float32Array(c.g.H * c.g.W * c.g.C)).idx.includes(-1))).toBe(true);
  });
});

describe('f32_maxpool / f32_maxpool_bwd', () => {
  it.each(CASES)('$name', ({ g, rows, ties, seed }) => {
    const xs = g.H * g.W * g.C;
    const ys = g.OH * g.OW * g.C;
    const next = rng(seed);
    const x = data(next, rows * xs, ties);
    const dy = uniform(next, rows * ys);
    withBlocks((keep) => {
      const pg = keep(putGeometry(rt, g));
      const px = keep(put(rt, x));
      const py = keep(outBlock(rows * ys));
      const pi = keep(outBlock(rows * ys));
      const pdy = keep(put(rt, dy));
      const pdx = keep(outBlock(rows * xs));
      rt.kernels.f32_maxpool(pg, rows, px, py, pi);
      const ref = maxpoolRef(g, rows, x);
      expectExact(read(py, rows * ys, 'y'), ref.y, 'y');
      const idx = readI32(pi, rows * ys, 'idx');
      expectExact(idx, ref.idx, 'idx');

      rt.kernels.f32_maxpool_bwd(pg, rows, pdy, pi, pdx);
      const b = maxpoolBwdRef(g, rows, dy, ref.idx);
      expectScaled(read(pdx, rows * xs, 'dx'), b.dx, b.scale, SUM_TOL, 'dx');
    });
  });

  it('takes the first maximum in window order (ky, then kx) on ties, across SIMD lanes and the tail', () => {
    // One 3×3 window over a 3×3×5 image, every value equal: the index is the first tap's, per channel.
    const g = kerasGeometry(3, 3, 5, 3, 3, 1, 1, 'valid');
    const x = new Float32Array(45).fill(2);
    x[4 * 5 + 1] = 3; // channel 1: a unique maximum in the middle
    x[5 * 5 + 1] = 3; // ...and a later tie, which must lose
    withBlocks((keep) => {
      const pg = keep(putGeometry(rt, g));
      const px = keep(put(rt, x));
      const py = keep(outBlock(5));
      const pi = keep(outBlock(5));
      rt.kernels.f32_maxpool(pg, 1, px, py, pi);
      expect(Array.from(read(py, 5, 'y'))).toEqual([2, 3, 2, 2, 2]);
      expect(Array.from(readI32(pi, 5, 'idx'))).toEqual([0, 21, 2, 3, 4]);
    });
  });

  it('takes the first tap whatever it holds (−Infinity everywhere)', () => {
    const g = kerasGeometry(2, 2, 4, 2, 2, 1, 1, 'same');
    const x = new Float32Array(16).fill(-Infinity);
    withBlocks((keep) => {
      const pg = keep(putGeometry(rt, g));
      const px = keep(put(rt, x));
      const py = keep(outBlock(16));
      const pi = keep(outBlock(16));
      rt.kernels.f32_maxpool(pg, 1, px, py, pi);
      const ref = maxpoolRef(g, 1, x);
      expectExact(read(py, 16, 'y'), ref.y, 'y');
      expectExact(readI32(pi, 16, 'idx'), ref.idx, 'idx');
      expect(ref.idx.every((i) => i >= 0)).toBe(true);
    });
  });
});

describe('f32_avgpool / f32_avgpool_bwd', () => {
  it.each(CASES)('$name', ({ g, rows, ties, seed }) => {
    const xs = g.H * g.W * g.C;
    const ys = g.OH * g.OW * g.C;
    const next = rng(seed ^ 0x9e3779b9);
    const x = data(next, rows * xs, ties);
    const dy = uniform(next, rows * ys);
    withBlocks((keep) => {
      const pg = keep(putGeometry(rt, g));
      const px = keep(put(rt, x));
      const py = keep(outBlock(rows * ys));
      const pdy = keep(put(rt, dy));
      const pdx = keep(outBlock(rows * xs));
      rt.kernels.f32_avgpool(pg, rows, px, py);
      const ref = avgpoolRef(g, rows, x);
      expectScaled(read(py, rows * ys, 'y'), ref.y, ref.scale, AVG_TOL, 'y');

      rt.kernels.f32_avgpool_bwd(pg, rows, pdy, pdx);
      const b = avgpoolBwdRef(g, rows, dy);
      expectScaled(read(pdx, rows * xs, 'dx'), b.dx, b.scale, SUM_TOL, 'dx');
    });
  });

  it("excludes padding from the count ('same' corners average fewer taps)", () => {
    // 3×3 window, stride 1, 'same' over a 3×3 image of ones: every mean is exactly 1, corners included.
    const g = kerasGeometry(3, 3, 1, 3, 3, 1, 1, 'same');
    withBlocks((keep) => {
      const pg = keep(putGeometry(rt, g));
      const px = keep(put(rt, new Float32Array(9).fill(1)));
      const py = keep(outBlock(9));
      rt.kernels.f32_avgpool(pg, 1, px, py);
      expect(Array.from(read(py, 9, 'y'))).toEqual(new Array(9).fill(1));
    });
  });
});

describe('global pooling', () => {
  const HWS = [1, 5, 49, 784];
  const GLOBAL = HWS.flatMap((hw) => CHANNELS.flatMap((c) => [1, 3].map((rows) => ({ rows, hw, c, ties: (hw + c + rows) % 2 === 0 }))));

  it.each(GLOBAL)('rows $rows, hw $hw, c $c, ties $ties', ({ rows, hw, c, ties }) => {
    const next = rng(rows * 100003 + hw * 101 + c);
    const x = data(next, rows * hw * c, ties);
    const dy = uniform(next, rows * c);
    withBlocks((keep) => {
      const px = keep(put(rt, x));
      const pdy = keep(put(rt, dy));
      const py = keep(outBlock(rows * c));
      const pi = keep(outBlock(rows * c));
      const pdx = keep(outBlock(rows * hw * c));

      rt.kernels.f32_global_avgpool(rows, hw, c, px, py);
      const avg = globalAvgpoolRef(rows, hw, c, x);
      expectScaled(read(py, rows * c, 'avg y'), avg.y, avg.scale, AVG_TOL, 'avg y');
      rt.kernels.f32_global_avgpool_bwd(rows, hw, c, pdy, pdx);
      const want = globalAvgpoolBwdRef(rows, hw, c, dy);
      expectScaled(read(pdx, rows * hw * c, 'avg dx'), want, Array.from(want, Math.abs), SUM_TOL, 'avg dx');

      rt.kernels.f32_global_maxpool(rows, hw, c, px, py, pi);
      const max = globalMaxpoolRef(rows, hw, c, x);
      expectExact(read(py, rows * c, 'max y'), max.y, 'max y');
      expectExact(readI32(pi, rows * c, 'max idx'), max.idx, 'max idx');
      rt.kernels.f32_global_maxpool_bwd(rows, hw, c, pdy, pi, pdx);
      expectExact(read(pdx, rows * hw * c, 'max dx'), globalMaxpoolBwdRef(rows, hw, c, dy, max.idx), 'max dx');
    });
  });
});
