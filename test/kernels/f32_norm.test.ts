// The batch-normalization kernels (f32_bn_stats, f32_bn_forward, f32_bn_backward, f32_bn_moving) against the
// float64 reference in ref/norm.ts, table-driven over channel counts that hit every SIMD tail and batch sizes;
// the reference's training-mode gradient against central finite differences of Σ y·r; in-place calls,
// pointer-0 options, misaligned buffers, and a channel's result being independent of its neighbours.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/wasm/load.js';
import { get, put, runtime } from '../helpers/kernels.js';
import { rng, uniform } from '../helpers/random.js';
import { bnBackwardRef, bnForwardRef, bnMovingRef, bnStatsRef, bnTrainRef } from '../ref/norm.js';

let rt: Runtime;
beforeAll(async () => {
  rt = await runtime();
});

const CHANNELS = [1, 3, 4, 5, 17, 64];
const BATCH = [1, 2, 7, 33];
const SHAPES = CHANNELS.flatMap((c) => BATCH.map((n) => [n, c] as const));
const EPS = Math.fround(1e-3); // Keras's default epsilon
const f32 = Math.fround;

// Relative tolerance, against a per-element scale (the size of the terms a result is formed from, so a
// cancelling difference is not asked for relative precision it cannot have) with an absolute floor.
const TOL = 1e-5;
const FLOOR = 1e-6;

/** Channel j's data is off_j + sc_j·u, u uniform in [−1, 1): means away from 0 and varied spreads. */
function data(n: number, c: number, seed: number): Float32Array {
  const next = rng(seed);
  const off = uniform(next, c, -5, 5);
  const sc = uniform(next, c, 0.1, 3);
  const u = uniform(next, n * c);
  return Float32Array.from(u, (v, k) => off[k % c] + sc[k % c] * v);
}

// ---------------------------------------------------------------------------------------------------
// Calling the kernels. `alloc` copies data in (null: pointer 0) at an optional one-float misalignment.

function withHeap<T>(misalign: boolean, body: (alloc: (data: ArrayLike<number> | null) => number) => T): T {
  const blocks: number[] = [];
  const shift = misalign ? 1 : 0;
  try {
    return body((data) => {
      if (data === null) return 0;
      const padded = new Float32Array(data.length + shift);
      padded.set(data, shift);
      const p = put(rt, padded);
      blocks.push(p);
      return p + 4 * shift;
    });
  } finally {
    for (const p of blocks) rt.heap.free(p);
  }
}

const nan = (len: number) => new Float32Array(len).fill(NaN);

function stats(n: number, c: number, x: ArrayLike<number>, misalign = false) {
  return withHeap(misalign, (alloc) => {
    const px = alloc(x);
    const pm = alloc(nan(c));
    const pv = alloc(nan(c));
    rt.kernels.f32_bn_stats(n, c, px, pm, pv);
    return { mean: get(rt, pm, c), variance: get(rt, pv, c) };
  });
}

interface FwdArgs {
  x: ArrayLike<number>;
  mean: ArrayLike<number>;
  variance: ArrayLike<number>;
  gamma: ArrayLike<number> | null;
  beta: ArrayLike<number> | null;
  storeXhat?: boolean; // default true
  inPlace?: boolean;
  misalign?: boolean;
}

function forward(n: number, c: number, a: FwdArgs) {
  return withHeap(a.misalign ?? false, (alloc) => {
    const px = alloc(a.x);
    const py = a.inPlace ? px : alloc(nan(n * c));
    const ph = a.storeXhat === false ? 0 : alloc(nan(n * c));
    rt.kernels.f32_bn_forward(n, c, px, alloc(a.mean), alloc(a.variance), EPS, alloc(a.gamma), alloc(a.beta), py, ph);
    return { y: get(rt, py, n * c), xhat: ph ? get(rt, ph, n * c) : null };
  });
}

interface BwdArgs {
  dy: ArrayLike<number>;
  xhat: ArrayLike<number>;
  variance: ArrayLike<number>;
  gamma: ArrayLike<number> | null;
  sums?: boolean; // store dgamma and dbeta (default true)
  inPlace?: boolean;
  misalign?: boolean;
}

function backward(n: number, c: number, a: BwdArgs) {
  return withHeap(a.misalign ?? false, (alloc) => {
    const pdy = alloc(a.dy);
    const pdx = a.inPlace ? pdy : alloc(nan(n * c));
    const sums = a.sums ?? true;
    const pdg = sums ? alloc(nan(c)) : 0;
    const pdb = sums ? alloc(nan(c)) : 0;
    rt.kernels.f32_bn_backward(n, c, pdy, alloc(a.xhat), alloc(a.variance), EPS, alloc(a.gamma), pdg, pdb, pdx);
    return { dx: get(rt, pdx, n * c), dgamma: sums ? get(rt, pdg, c) : null, dbeta: sums ? get(rt, pdb, c) : null };
  });
}

// ---------------------------------------------------------------------------------------------------
// Comparisons

/** Asserts |got − want| ≤ TOL·max(scale(i), FLOOR) for every i. */
function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, scale: (i: number) => number, what: string) {
  expect(got.length, what).toBe(want.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i] - want[i]) / Math.max(scale(i), FLOOR);
    if (!(e <= worst)) {
      worst = e;
      at = i;
    }
  }
  expect(worst, `${what}[${at}] = ${got[at]}, want ${want[at]}`).toBeLessThanOrEqual(TOL);
}

function expectSameBits(got: Float32Array, want: Float32Array, what: string) {
  const a = new Uint32Array(got.buffer, got.byteOffset, got.length);
  const b = new Uint32Array(want.buffer, want.byteOffset, want.length);
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) expect(got[i], `${what}[${i}]`).toBe(want[i]);
}

const abs = (a: ArrayLike<number>) => (i: number) => Math.abs(a[i]);

/** The size of the terms xhat[i] is formed from, (|x| + |mean|)/√(var + eps): its error scale. */
const xhatScale = (c: number, x: ArrayLike<number>, s: { mean: ArrayLike<number>; variance: ArrayLike<number> }) => (i: number) =>
  (Math.abs(x[i]) + Math.abs(s.mean[i % c])) / Math.sqrt(s.variance[i % c] + EPS);

/** Per-channel γ around 1 and β around 0, seeded. */
function affine(c: number, seed: number) {
  const next = rng(seed);
  return { gamma: uniform(next, c, 0.5, 2), beta: uniform(next, c, -1, 1) };
}

// ---------------------------------------------------------------------------------------------------

describe('f32_bn_stats', () => {
  it.each(SHAPES)('n=%i, c=%i: mean and biased variance', (n, c) => {
    const x = data(n, c, 10 * n + c);
    const got = stats(n, c, x);
    const want = bnStatsRef(n, c, x);
    // The mean's scale is the data's (|x̄| can cancel); the variance is a sum of squares, so relative.
    const meanScale = (j: number) => {
      let s = 0;
      for (let i = 0; i < n; i++) s = Math.max(s, Math.abs(x[i * c + j]));
      return s;
    };
    expectClose(got.mean, want.mean, meanScale, 'mean');
    expectClose(got.variance, want.variance, abs(want.variance), 'variance');
    if (n === 1) expect(Array.from(got.variance)).toEqual(new Array(c).fill(0));
  });

  it('is accurate far from zero (two passes in f64): data 1e4 + u·1e-2', () => {
    const n = 33;
    const c = 5;
    const x = Float32Array.from(uniform(rng(5), n * c), (u) => 1e4 + 1e-2 * u);
    const got = stats(n, c, x);
    const want = bnStatsRef(n, c, x);
    expectClose(got.variance, want.variance, abs(want.variance), 'variance');
  });
});

describe('f32_bn_forward', () => {
  it.each(SHAPES)('n=%i, c=%i: y and xhat with γ, β; with the batch statistics', (n, c) => {
    const x = data(n, c, 20 * n + c);
    const { gamma, beta } = affine(c, n + 3 * c);
    // With given f32 statistics (inference and training call it alike).
    const s = bnStatsRef(n, c, x);
    const mean = Float32Array.from(s.mean);
    const variance = Float32Array.from(s.variance);
    const got = forward(n, c, { x, mean, variance, gamma, beta });
    const want = bnForwardRef(n, c, x, mean, variance, EPS, gamma, beta);
    expectClose(got.xhat!, want.xhat, abs(want.xhat), 'xhat');
    // y = xhat·γ + β can cancel: its scale is |xhat·γ| + |β|.
    expectClose(got.y, want.y, (k) => Math.abs(want.xhat[k] * gamma[k % c]) + Math.abs(beta[k % c]), 'y');

    // Training mode end to end: the kernel's own statistics, against the float64 batch-norm of x.
    const st = stats(n, c, x);
    const train = forward(n, c, { x, mean: st.mean, variance: st.variance, gamma, beta });
    const ref = bnTrainRef(n, c, x, EPS, gamma, beta);
    // The mean is stored as f32, so x − mean carries its rounding: xhat's scale is (|x| + |mean|)/σ.
    const xs = xhatScale(c, x, ref);
    expectClose(train.xhat!, ref.xhat, xs, 'xhat (train)');
    expectClose(train.y, ref.y, (k) => xs(k) * Math.abs(gamma[k % c]) + Math.abs(beta[k % c]), 'y (train)');
  });

  it.each(SHAPES)('n=%i, c=%i: in place (y == x), and gamma/beta/xhat pointers 0', (n, c) => {
    const x = data(n, c, 30 * n + c);
    const { gamma, beta } = affine(c, 7 * n + c);
    const { mean, variance } = stats(n, c, x);
    const base = forward(n, c, { x, mean, variance, gamma, beta });
    const inPlace = forward(n, c, { x, mean, variance, gamma, beta, inPlace: true });
    expectSameBits(inPlace.y, base.y, 'y (in place)');
    expectSameBits(inPlace.xhat!, base.xhat!, 'xhat (in place)');
    const noXhat = forward(n, c, { x, mean, variance, gamma, beta, storeXhat: false, inPlace: true });
    expectSameBits(noXhat.y, base.y, 'y (xhat = 0)');

    // scale=false / center=false: the same as γ ≡ 1 / β ≡ 0.
    const ones = new Float32Array(c).fill(1);
    const zeros = new Float32Array(c);
    expectSameBits(forward(n, c, { x, mean, variance, gamma: null, beta }).y, forward(n, c, { x, mean, variance, gamma: ones, beta }).y, 'y (γ = 0)');
    expectSameBits(forward(n, c, { x, mean, variance, gamma, beta: null }).y, forward(n, c, { x, mean, variance, gamma, beta: zeros }).y, 'y (β = 0)');
    const plain = forward(n, c, { x, mean, variance, gamma: null, beta: null });
    expectSameBits(plain.y, plain.xhat!, 'y = xhat (γ = β = 0)');
  });
});

describe('f32_bn_backward', () => {
  it.each(SHAPES)('n=%i, c=%i: dx, dγ, dβ against the training-mode reference', (n, c) => {
    const x = data(n, c, 40 * n + c);
    const dy = uniform(rng(50 * n + c), n * c);
    const { gamma } = affine(c, 11 * n + c);
    for (const g of [gamma, null]) {
      // The kernel sees the f32 xhat and variance its forward produced.
      const st = stats(n, c, x);
      const { xhat } = forward(n, c, { x, mean: st.mean, variance: st.variance, gamma: null, beta: null });
      const got = backward(n, c, { dy, xhat: xhat!, variance: st.variance, gamma: g });
      const want = bnBackwardRef(n, c, x, dy, EPS, g);
      const ref = bnTrainRef(n, c, x, EPS, null, null);
      // Per channel: the reference's mean(dy) and mean(dy·xhat), for the scale of dx's terms.
      const md = Float64Array.from(want.dbeta, (s) => s / n);
      const mp = Float64Array.from(want.dgamma, (s) => s / n);
      const k = (j: number) => (g ? g[j] : 1) / Math.sqrt(ref.variance[j] + EPS);
      // The kernel's xhat is off by about ε·xs (the f32 mean), so Σ dy·xhat by ε·Σ|dy|·xs.
      const xs = xhatScale(c, x, ref);
      const sumAbs = (f: (i: number) => number) => (j: number) => {
        let s = 0;
        for (let i = 0; i < n; i++) s += Math.abs(f(i * c + j));
        return s;
      };
      const pScale = sumAbs((i) => dy[i] * xs(i));
      const dxScale = (i: number) => {
        const j = i % c;
        return k(j) * (Math.abs(dy[i]) + Math.abs(md[j]) + xs(i) * Math.abs(mp[j]) + Math.abs(ref.xhat[i]) * (pScale(j) / n));
      };
      expectClose(got.dx, want.dx, dxScale, 'dx');
      expectClose(got.dgamma!, want.dgamma, pScale, 'dgamma');
      expectClose(got.dbeta!, want.dbeta, sumAbs((i) => dy[i]), 'dbeta');
    }
  });

  it.each(SHAPES)('n=%i, c=%i: in place (dx == dy), and dgamma/dbeta pointers 0', (n, c) => {
    const x = data(n, c, 60 * n + c);
    const dy = uniform(rng(70 * n + c), n * c);
    const { gamma } = affine(c, 13 * n + c);
    const st = stats(n, c, x);
    const { xhat } = forward(n, c, { x, mean: st.mean, variance: st.variance, gamma, beta: null });
    const base = backward(n, c, { dy, xhat: xhat!, variance: st.variance, gamma });
    const inPlace = backward(n, c, { dy, xhat: xhat!, variance: st.variance, gamma, inPlace: true });
    expectSameBits(inPlace.dx, base.dx, 'dx (in place)');
    expectSameBits(inPlace.dgamma!, base.dgamma!, 'dgamma (in place)');
    expectSameBits(inPlace.dbeta!, base.dbeta!, 'dbeta (in place)');
    const low = rt.heap.u8(0, 64).slice();
    const noSums = backward(n, c, { dy, xhat: xhat!, variance: st.variance, gamma, sums: false, inPlace: true });
    expectSameBits(noSums.dx, base.dx, 'dx (dgamma = dbeta = 0)');
    expect(Array.from(rt.heap.u8(0, 64)), 'nothing written at address 0').toEqual(Array.from(low));
  });
});

describe('f32_bn_moving', () => {
  it.each(CHANNELS)('c=%i: moving = moving·momentum + batch·(1 − momentum)', (c) => {
    for (const momentum of [0.99, 0.9, 0.5, 0]) {
      const next = rng(c + 100 * momentum);
      const mean = uniform(next, c, -3, 3);
      const variance = uniform(next, c, 0, 4);
      const mm = uniform(next, c, -3, 3);
      const mv = uniform(next, c, 0, 4);
      const [gotM, gotV] = withHeap(false, (alloc) => {
        const pmm = alloc(mm);
        const pmv = alloc(mv);
        rt.kernels.f32_bn_moving(c, alloc(mean), alloc(variance), pmm, pmv, momentum);
        return [get(rt, pmm, c), get(rt, pmv, c)];
      });
      const m = f32(momentum);
      const scale = (mov: ArrayLike<number>, b: ArrayLike<number>) => (j: number) => Math.abs(mov[j] * m) + Math.abs(b[j] * (1 - m));
      expectClose(gotM, bnMovingRef(mm, mean, m), scale(mm, mean), `moving mean, momentum ${momentum}`);
      expectClose(gotV, bnMovingRef(mv, variance, m), scale(mv, variance), `moving variance, momentum ${momentum}`);
    }
  });
});

describe('layout independence', () => {
  // A channel's results must not depend on its position (SIMD lane or scalar tail), the channel count,
  // or the buffers' alignment: each column of a [33, 17] batch run alone as [33, 1] gives the same bits.
  const n = 33;
  const c = 17;
  const x = data(n, c, 99);
  const dy = uniform(rng(98), n * c);
  const { gamma, beta } = affine(c, 97);
  const column = (a: ArrayLike<number>, j: number) => Float32Array.from({ length: n }, (_, i) => a[i * c + j]);

  function all(misalign: boolean) {
    const st = stats(n, c, x, misalign);
    const f = forward(n, c, { x, mean: st.mean, variance: st.variance, gamma, beta, misalign });
    const b = backward(n, c, { dy, xhat: f.xhat!, variance: st.variance, gamma, misalign });
    return { ...st, ...f, ...b };
  }

  it('per column, and misaligned', () => {
    const whole = all(false);
    const shifted = all(true);
    for (const key of ['mean', 'variance', 'y', 'xhat', 'dx', 'dgamma', 'dbeta'] as const) {
      expectSameBits(shifted[key] as Float32Array, whole[key] as Float32Array, `${key} (misaligned)`);
    }
    for (let j = 0; j < c; j++) {
      const xj = column(x, j);
      const st = stats(n, 1, xj);
      expectSameBits(st.mean, whole.mean.subarray(j, j + 1), `mean[${j}]`);
      expectSameBits(st.variance, whole.variance.subarray(j, j + 1), `variance[${j}]`);
      const f = forward(n, 1, { x: xj, mean: st.mean, variance: st.variance, gamma: gamma.subarray(j, j + 1), beta: beta.subarray(j, j + 1) });
      expectSameBits(f.y, column(whole.y, j), `y[:, ${j}]`);
      const b = backward(n, 1, { dy: column(dy, j), xhat: f.xhat!, variance: st.variance, gamma: gamma.subarray(j, j + 1) });
      expectSameBits(b.dx, column(whole.dx, j), `dx[:, ${j}]`);
      expectSameBits(b.dgamma!, whole.dgamma!.subarray(j, j + 1), `dgamma[${j}]`);
    }
  });

  it('the forward gives the same bits for any n (row tiles): the first 7 rows of 200 alone', () => {
    const big = data(200, 5, 96);
    const st = stats(200, 5, big);
    const a = forward(200, 5, { x: big, mean: st.mean, variance: st.variance, gamma: null, beta: null });
    const b = forward(7, 5, { x: big.subarray(0, 35), mean: st.mean, variance: st.variance, gamma: null, beta: null });
    expectSameBits(b.y, a.y.subarray(0, 35), 'y');
  });
});

describe('reference (float64)', () => {
  // Central differences of L = Σ y·r with y the training-mode batch norm of x (mean and variance functions of
  // x), against bnBackwardRef with dy = r; also ∂L/∂γ and ∂L/∂β against dγ and dβ. Error ≈ h²·|L'''| + ε·|L|/h.
  it.each(SHAPES)('n=%i, c=%i: backward matches finite differences of Σ y·r', (n, c) => {
    const x = Array.from(data(n, c, 80 * n + c));
    const r = uniform(rng(90 * n + c), n * c);
    const { gamma, beta } = affine(c, 17 * n + c);
    const g = Array.from(gamma);
    const b = Array.from(beta);
    const loss = () => {
      const { y } = bnTrainRef(n, c, x, EPS, g, b);
      let s = 0;
      for (let i = 0; i < y.length; i++) s += y[i] * r[i];
      return s;
    };
    const fd = (v: number[], k: number) => {
      const v0 = v[k];
      const h = 1e-5 * Math.max(1, Math.abs(v0));
      v[k] = v0 + h;
      const up = loss();
      v[k] = v0 - h;
      const down = loss();
      v[k] = v0;
      return (up - down) / (2 * h);
    };
    const want = bnBackwardRef(n, c, x, r, EPS, g);
    const tol = 1e-6 * (1 + Math.max(...want.dx.map(Math.abs)));
    for (let k = 0; k < x.length; k++) expect(Math.abs(fd(x, k) - want.dx[k]), `∂L/∂x[${k}]`).toBeLessThanOrEqual(tol);
    for (let j = 0; j < c; j++) {
      expect(Math.abs(fd(g, j) - want.dgamma[j]), `∂L/∂γ[${j}]`).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(want.dgamma[j])));
      expect(Math.abs(fd(b, j) - want.dbeta[j]), `∂L/∂β[${j}]`).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(want.dbeta[j])));
    }
  });
});
