// The activation kernels f32_vact / f32_vact_bwd against the float64 reference in ref/activations.ts,
// table-driven over every activation id, plus the reference's own derivatives against finite differences.
import { beforeAll, describe, expect, it } from 'vitest';
import * as ids from '../../src/shared/ids.js';
import type { Runtime } from '../../src/wasm/load.js';
import { get, put, runtime } from '../helpers/kernels.js';
import { relErr, rng, uniform } from '../helpers/random.js';
import { ACTIVATIONS, erf, erfc, softmaxRef, softmaxVjpRef } from '../ref/activations.js';

let rt: Runtime;
beforeAll(async () => {
  rt = await runtime();
});

// Tolerances. Forward: relative, with the floor at f32's smallest normal (2^-126), because below it an
// f32 carries no relative precision, so the comparison there is absolute at that scale. The kernels are
// within ~2.5e-7 (a couple of ulps: SIMD exp, then a division); 1e-6 leaves room without hiding bugs.
const FLOOR = 2 ** -126;
const FWD_TOL = 1e-6;
// Backward: |dx − dy·f'(x)| ≤ RTOL·|dy·f'(x)| + ATOL·|dy|. Most derivatives are computed from the cached
// f32 output y, whose own rounding (½ ulp, up to 6e-8 near |y| = 1) is an absolute error in f'(y) — e.g.
// σ'(20) = 2e-9 but y rounds to 1, so the kernel gives 0. ATOL is that, with margin.
const BWD_RTOL = 1e-6;
const BWD_ATOL = 1e-6;

const SIZES = [1, 3, 4, 5, 17, 1024];
const SPECIALS = [0, 1e-3, -1e-3, 1, -1, 20, -20, 50, -50, 1e4, -1e4];
const ALL_IDS = Array.from({ length: ids.ACT_COUNT }, (_, i) => i);
const ELEMENTWISE = ALL_IDS.filter((id) => id !== ids.ACT_SOFTMAX);
const NEEDS_X = (id: number) => (ids.ACT_BWD_NEEDS_INPUT & (1 << id)) !== 0;
const NAME = (id: number) => (id === ids.ACT_SOFTMAX ? 'softmax' : ACTIVATIONS[id].name);
const ALPHA = (id: number) => Math.fround(ACTIVATIONS[id]?.alpha ?? 0);

// ---------------------------------------------------------------------------------------------------
// Calling the kernels: every buffer is freed afterwards; `misalign` shifts each pointer by one float.

interface CallOptions {
  inPlace?: boolean; // forward: y = x; backward: dx = dy
  misalign?: boolean;
}

function withHeap<T>(body: (alloc: (data: ArrayLike<number>, shift: number) => number) => T): T {
  const blocks: number[] = [];
  try {
    return body((data, shift) => {
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

function forward(act: number, alpha: number, rows: number, cols: number, x: ArrayLike<number>, o: CallOptions = {}): Float32Array {
  const k = o.misalign ? 1 : 0;
  return withHeap((alloc) => {
    const px = alloc(x, k);
    const py = o.inPlace ? px : alloc(new Float32Array(rows * cols).fill(NaN), k);
    rt.kernels.f32_vact(act, alpha, rows, cols, px, py);
    return get(rt, py, rows * cols);
  });
}

/** `x === null` passes pointer 0 (the kernel must not read it). */
function backward(
  act: number,
  alpha: number,
  rows: number,
  cols: number,
  x: ArrayLike<number> | null,
  y: ArrayLike<number>,
  dy: ArrayLike<number>,
  o: CallOptions = {},
): Float32Array {
  const k = o.misalign ? 1 : 0;
  return withHeap((alloc) => {
    const px = x === null ? 0 : alloc(x, k);
    const py = alloc(y, k);
    const pdy = alloc(dy, k);
    const pdx = o.inPlace ? pdy : alloc(new Float32Array(rows * cols).fill(NaN), k);
    rt.kernels.f32_vact_bwd(act, alpha, rows, cols, px, py, pdy, pdx);
    return get(rt, pdx, rows * cols);
  });
}

/** The elementwise shape used for a size: one row, except 1024 which runs as 32×32. */
const shape = (n: number): [number, number] => (n === 1024 ? [32, 32] : [1, n]);

/**
 * Test vectors of length n: a pool of the special points and [−8, 8] values, chunked for small n so every
 * pool value is tried in every SIMD lane position and in the tails; for large n the pool leads and the
 * specials also sit in the tail.
 */
function vectors(n: number, seed: number): Float32Array[] {
  const pool = Float32Array.from([...SPECIALS, ...uniform(rng(seed), 64 - SPECIALS.length, -8, 8)]);
  if (n >= pool.length) {
    const x = uniform(rng(seed + 1), n, -8, 8);
    x.set(pool);
    x.set(SPECIALS, n - SPECIALS.length);
    return [x];
  }
  const out: Float32Array[] = [];
  for (let start = 0; start < pool.length; start += n) {
    out.push(Float32Array.from({ length: n }, (_, i) => pool[(start + i) % pool.length]));
  }
  return out;
}

/** Largest err(i) over i, with the index where it occurs. */
function worst(n: number, err: (i: number) => number): { err: number; at: number } {
  let e = 0;
  let at = -1;
  for (let i = 0; i < n; i++) {
    const v = err(i);
    if (!(v <= e)) {
      e = v;
      at = i;
    }
  }
  return { err: e, at };
}

/** Mixed error |a − b| / (rtol·|b| + atol·scale), ≤ 1 when within tolerance. */
const mixed = (a: number, b: number, rtol: number, atol: number, scale: number) =>
  Math.abs(a - b) / (rtol * Math.abs(b) + atol * scale || Number.MIN_VALUE);

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

function expectForwardMatches(id: number, alpha: number, x: Float32Array, y: Float32Array) {
  const ref = ACTIVATIONS[id];
  const w = worst(x.length, (i) => relErr(y[i], ref.f(x[i], alpha), FLOOR));
  expect(w.err, `${ref.name}(${x[w.at]}) = ${y[w.at]}, want ${ref.f(x[w.at], alpha)}`).toBeLessThanOrEqual(FWD_TOL);
}

function expectBackwardMatches(id: number, alpha: number, x: Float32Array, dy: Float32Array, dx: Float32Array) {
  const ref = ACTIVATIONS[id];
  const w = worst(x.length, (i) => mixed(dx[i], dy[i] * ref.df(x[i], alpha), BWD_RTOL, BWD_ATOL, Math.abs(dy[i])));
  const i = w.at;
  expect(w.err, `${ref.name}' at x=${x[i]}: dx=${dx[i]}, want ${dy[i] * ref.df(x[i], alpha)}`).toBeLessThanOrEqual(1);
}

/** Forward output and backward for one elementwise id, the way training calls it (x only if needed). */
function runBackward(id: number, alpha: number, rows: number, cols: number, x: Float32Array, dy: Float32Array, o: CallOptions = {}) {
  const y = forward(id, alpha, rows, cols, x);
  return backward(id, alpha, rows, cols, NEEDS_X(id) ? x : null, y, dy, o);
}

// ---------------------------------------------------------------------------------------------------

describe('reference (float64)', () => {
  // erf/erfc at points computed with mpmath at 30 digits: [z, erf(z), erfc(z)].
  const TABLE = [
    [0.0, 0.0, 1.0],
    [0.001, 0.0011283787909692365, 0.9988716212090307],
    [0.1, 0.1124629160182849, 0.887537083981715],
    [0.5, 0.5204998778130465, 0.4795001221869535],
    [0.9, 0.7969082124228322, 0.20309178757716786],
    [1.0, 0.8427007929497149, 0.15729920705028513],
    [1.5, 0.9661051464753108, 0.033894853524689274],
    [1.99, 0.995111413199617, 0.004888586800383003],
    [2.0, 0.9953222650189527, 0.004677734981047266],
    [2.5, 0.999593047982555, 0.0004069520174449589],
    [3.0, 0.9999779095030014, 2.209049699858544e-5],
    [5.0, 0.9999999999984626, 1.537459794428035e-12],
    [10.0, 1.0, 2.088487583762545e-45],
    [26.0, 1.0, 5.663192408856143e-296],
  ];

  it('erf and erfc match high-precision values to 1e-13', () => {
    for (const [z, e, c] of TABLE) {
      expect(relErr(erf(z), e, 1e-300), `erf(${z})`).toBeLessThan(1e-13);
      expect(relErr(erf(-z), -e, 1e-300), `erf(${-z})`).toBeLessThan(1e-13);
      expect(relErr(erfc(z), c, 1e-300), `erfc(${z})`).toBeLessThan(1e-13);
      expect(relErr(erfc(-z), 2 - c, 1e-300), `erfc(${-z})`).toBeLessThan(1e-13);
    }
  });

  // Central differences with a step relative to |x|. Their error is about ε·|f|/h (roundoff) + h²·|f'''|
  // (truncation), so the check is relative to |f'| plus |f|/max(1, |x|), which covers both.
  it.each(ELEMENTWISE)('derivative of id %i matches central finite differences', (id) => {
    const ref = ACTIVATIONS[id];
    const alphas = ref.alpha === undefined ? [0] : id === ids.ACT_LEAKY_RELU ? [0.2, 0.01] : [1, 0.5];
    const points = [...SPECIALS, ...uniform(rng(100 + id), 400, -8, 8)].filter((x) =>
      ref.kinks.every((k) => Math.abs(x - k) > 1e-3),
    );
    for (const a of alphas) {
      for (const x of points) {
        const h = 1e-6 * Math.max(1, Math.abs(x));
        const fd = (ref.f(x + h, a) - ref.f(x - h, a)) / (2 * h);
        const d = ref.df(x, a);
        const scale = Math.abs(d) + Math.abs(ref.f(x, a)) / Math.max(1, Math.abs(x));
        expect(Math.abs(fd - d), `${ref.name}'(${x}), α=${a}: fd ${fd} vs ${d}`).toBeLessThanOrEqual(1e-6 * scale);
      }
    }
  });

  it('softmax VJP matches finite differences of Σ dy·softmax(x)', () => {
    const next = rng(7);
    for (const cols of SIZES) {
      const x = Array.from(uniform(next, cols, -8, 8));
      const dy = uniform(next, cols, -1, 1);
      const loss = (v: number[]) => softmaxRef(v, 1, cols).reduce((s, yi, j) => s + dy[j] * yi, 0);
      const vjp = softmaxVjpRef(softmaxRef(x, 1, cols), dy, 1, cols);
      const dyMax = Math.max(...dy.map(Math.abs));
      for (let i = 0; i < cols; i++) {
        const h = 1e-6;
        const xp = x.slice();
        const xm = x.slice();
        xp[i] += h;
        xm[i] -= h;
        const fd = (loss(xp) - loss(xm)) / (2 * h);
        expect(Math.abs(fd - vjp[i]), `cols ${cols}, i ${i}`).toBeLessThanOrEqual(1e-6 * Math.abs(vjp[i]) + 1e-8 * dyMax);
      }
    }
  });
});

describe('f32_vact forward', () => {
  it.each(ELEMENTWISE)('id %i matches the reference at sizes 1..1024', (id) => {
    for (const n of SIZES) {
      const [rows, cols] = shape(n);
      for (const x of vectors(n, 10 + id)) expectForwardMatches(id, ALPHA(id), x, forward(id, ALPHA(id), rows, cols, x));
    }
  });

  it.each([
    [ids.ACT_LEAKY_RELU, 0.2],
    [ids.ACT_LEAKY_RELU, 0.01],
    [ids.ACT_ELU, 1],
    [ids.ACT_ELU, 0.5],
  ])('id %i with alpha %f', (id, alpha) => {
    const a = Math.fround(alpha);
    for (const n of [5, 1024]) {
      const [rows, cols] = shape(n);
      for (const x of vectors(n, 20)) expectForwardMatches(id, a, x, forward(id, a, rows, cols, x));
    }
  });

  // Accuracy on a dense grid, per id, in units of 2^-23·|f(x)| (≥ 1 ulp): the f64 paths round once (½:
  // correctly rounded, which also pins gelu's erf), the piecewise ones are exact or round once or twice,
  // and sigmoid/tanh/swish use the f32x4 exp (≈1 ulp) followed by a division and a multiply.
  const ULPS: Record<number, number> = {
    [ids.ACT_LINEAR]: 0,
    [ids.ACT_RELU]: 0,
    [ids.ACT_RELU6]: 0,
    [ids.ACT_LEAKY_RELU]: 0.5,
    [ids.ACT_SOFTPLUS]: 0.5,
    [ids.ACT_ELU]: 0.5,
    [ids.ACT_SELU]: 0.5,
    [ids.ACT_GELU]: 0.5,
    [ids.ACT_MISH]: 0.5,
    [ids.ACT_SOFTSIGN]: 1,
    [ids.ACT_HARD_SIGMOID]: 1,
    [ids.ACT_HARD_SIGMOID_TFJS]: 1,
    [ids.ACT_SIGMOID]: 2,
    [ids.ACT_TANH]: 2,
    [ids.ACT_SWISH]: 2,
  };

  it.each(ELEMENTWISE)('id %i is within its ulp budget on a dense grid over [−30, 30]', (id) => {
    const n = 120_001;
    const x = Float32Array.from({ length: n }, (_, i) => -30 + (60 * i) / (n - 1));
    const y = forward(id, ALPHA(id), 1, n, x);
    const ref = ACTIVATIONS[id];
    // 1 ulp is ≤ 2^-23·|v| for normal floats and 2^-149 for subnormal ones.
    const w = worst(n, (i) => {
      const want = ref.f(x[i], ALPHA(id));
      return Math.abs(y[i] - want) / Math.max(2 ** -23 * Math.abs(want), 2 ** -149);
    });
    expect(w.err, `${ref.name}(${x[w.at]}) = ${y[w.at]}, want ${ref.f(x[w.at], ALPHA(id))}`).toBeLessThanOrEqual(ULPS[id] * (1 + 1e-9));
  });
});

describe('f32_vact_bwd', () => {
  it.each(ELEMENTWISE)('id %i: dx = dy·f′(x) at sizes 1..1024', (id) => {
    for (const n of SIZES) {
      const [rows, cols] = shape(n);
      vectors(n, 30 + id).forEach((x, c) => {
        const dy = uniform(rng(1000 * id + c), n, -2, 2);
        expectBackwardMatches(id, ALPHA(id), x, dy, runBackward(id, ALPHA(id), rows, cols, x, dy));
      });
    }
  });

  it.each([
    [ids.ACT_LEAKY_RELU, 0.2],
    [ids.ACT_LEAKY_RELU, 0.01],
    [ids.ACT_ELU, 1],
    [ids.ACT_ELU, 0.5],
  ])('id %i with alpha %f', (id, alpha) => {
    const a = Math.fround(alpha);
    for (const n of [5, 1024]) {
      const [rows, cols] = shape(n);
      for (const x of vectors(n, 40)) {
        const dy = uniform(rng(41), n, -2, 2);
        expectBackwardMatches(id, a, x, dy, runBackward(id, a, rows, cols, x, dy));
      }
    }
  });

  it.each(ALL_IDS.filter((id) => !NEEDS_X(id)))('id %i never reads x (pointer 0 and garbage give the same bits)', (id) => {
    const n = 1027;
    const x = uniform(rng(50), n, -8, 8);
    const y = forward(id, ALPHA(id), 1, n, x);
    const dy = uniform(rng(51), n, -1, 1);
    const garbage = new Float32Array(n).fill(NaN);
    const a = backward(id, ALPHA(id), 1, n, null, y, dy);
    const b = backward(id, ALPHA(id), 1, n, garbage, y, dy);
    expect(bits(b)).toEqual(bits(a));
    expect(a.every(Number.isFinite)).toBe(true);
  });
});

describe('softmax', () => {
  const ROWS = 3;

  it('matches the reference and each row sums to 1, for cols 1..1024', () => {
    const next = rng(60);
    for (const cols of SIZES) {
      const x = uniform(next, ROWS * cols, -8, 8);
      x.set(SPECIALS.slice(0, cols), cols); // a row with the special points (near one-hot)
      const y = forward(ids.ACT_SOFTMAX, 0, ROWS, cols, x);
      const ref = softmaxRef(x, ROWS, cols);
      const w = worst(y.length, (i) => relErr(y[i], ref[i], FLOOR));
      expect(w.err, `cols ${cols} at ${w.at}: ${y[w.at]} vs ${ref[w.at]}`).toBeLessThanOrEqual(FWD_TOL);
      for (let r = 0; r < ROWS; r++) {
        const sum = y.subarray(r * cols, (r + 1) * cols).reduce((s, v) => s + v, 0);
        expect(Math.abs(sum - 1), `cols ${cols} row ${r}`).toBeLessThanOrEqual(1e-6);
      }
    }
  });

  // exp(x − m) for a far-below-max x: the f32 difference x − m rounds by up to 2^-24·|x − m|, which
  // would be a relative error of ~5e-6 at |x − m| = 80; the kernel folds that rounding error back in.
  it('keeps full relative precision for tiny probabilities (rows spread over 80)', () => {
    const cols = 257;
    const x = uniform(rng(62), 2 * cols, -80, 0.3);
    x[0] = 0.31415927; // a max with all mantissa bits in use, so x − m rounds
    for (let j = 0; j < cols; j++) x[cols + j] = 1000 + x[j]; // second row: the same spread, around 1000
    const y = forward(ids.ACT_SOFTMAX, 0, 2, cols, x);
    const ref = softmaxRef(x, 2, cols);
    const w = worst(y.length, (i) => relErr(y[i], ref[i], FLOOR));
    expect(w.err, `at ${w.at}: x=${x[w.at]}, ${y[w.at]} vs ${ref[w.at]}`).toBeLessThanOrEqual(FWD_TOL);
  });

  it('does not overflow on large inputs', () => {
    const cols = 7;
    const rows = [
      [1000, 1001, 999, 1000.5, 1002, 998, 1000],
      [1000, 1000, 1000, 1000, 1000, 1000, 1000],
      [-1000, 1000, 0, -1000, 1000, 1, 2],
      [3e38, -3e38, 0, 1, -1, 3e38, 1e30],
      [-3e38, -3e38, -1e30, -1e4, -1000, -3e38, -3e38],
    ];
    const x = Float32Array.from(rows.flat());
    const y = forward(ids.ACT_SOFTMAX, 0, rows.length, cols, x);
    const ref = softmaxRef(x, rows.length, cols);
    expect(y.every(Number.isFinite)).toBe(true);
    const w = worst(y.length, (i) => relErr(y[i], ref[i], FLOOR));
    expect(w.err, `at ${w.at}: ${y[w.at]} vs ${ref[w.at]}`).toBeLessThanOrEqual(FWD_TOL);
  });

  // The VJP of the kernel's own f32 output, against the VJP of the exact softmax: y's rounding and the
  // cancellation in dy_i − Σ dy·y leave an absolute error of about ulp(y_i)·max|dy|, hence the mixed test.
  it('VJP matches the reference for cols 1..1024', () => {
    const next = rng(61);
    for (const cols of SIZES) {
      const x = uniform(next, ROWS * cols, -8, 8);
      const dy = uniform(next, ROWS * cols, -1, 1);
      const y = forward(ids.ACT_SOFTMAX, 0, ROWS, cols, x);
      const dx = backward(ids.ACT_SOFTMAX, 0, ROWS, cols, null, y, dy);
      const yRef = softmaxRef(x, ROWS, cols);
      const ref = softmaxVjpRef(yRef, dy, ROWS, cols);
      const w = worst(dx.length, (i) => mixed(dx[i], ref[i], BWD_RTOL, BWD_ATOL, yRef[i]));
      expect(w.err, `cols ${cols} at ${w.at}: ${dx[w.at]} vs ${ref[w.at]}`).toBeLessThanOrEqual(1);
    }
  });
});

describe('memory layout and determinism', () => {
  // Softmax runs 3 rows of 343 so a row ends mid-vector; the elementwise ids run 1027 = 4·256 + 3 floats.
  const layout = (id: number): [number, number] => (id === ids.ACT_SOFTMAX ? [3, 343] : [1, 1027]);

  it.each(ALL_IDS)('id %i: in place and misaligned give the same bits as out of place', (id) => {
    const [rows, cols] = layout(id);
    const n = rows * cols;
    const x = uniform(rng(70 + id), n, -8, 8);
    const dy = uniform(rng(80 + id), n, -1, 1);
    const y = forward(id, ALPHA(id), rows, cols, x);
    expect(bits(forward(id, ALPHA(id), rows, cols, x, { inPlace: true }))).toEqual(bits(y));
    expect(bits(forward(id, ALPHA(id), rows, cols, x, { misalign: true }))).toEqual(bits(y));
    const dx = backward(id, ALPHA(id), rows, cols, x, y, dy);
    expect(bits(backward(id, ALPHA(id), rows, cols, x, y, dy, { inPlace: true }))).toEqual(bits(dx));
    expect(bits(backward(id, ALPHA(id), rows, cols, x, y, dy, { misalign: true }))).toEqual(bits(dx));
  });

  it.each(ELEMENTWISE)('id %i: an element gives the same bits in the SIMD body, in a tail, and alone', (id) => {
    const x = uniform(rng(90 + id), 7, -8, 8);
    const dy = uniform(rng(91 + id), 7, -1, 1);
    const a = ALPHA(id);
    const y = forward(id, a, 1, 7, x);
    const dx = backward(id, a, 1, 7, x, y, dy);
    for (let i = 0; i < 7; i++) {
      expect(bits(forward(id, a, 1, 1, x.subarray(i, i + 1)))).toEqual(bits(y.subarray(i, i + 1)));
      const one = backward(id, a, 1, 1, x.subarray(i, i + 1), y.subarray(i, i + 1), dy.subarray(i, i + 1));
      expect(bits(one)).toEqual(bits(dx.subarray(i, i + 1)));
    }
  });

  it.each(ALL_IDS.filter((id) => id !== ids.ACT_LEAKY_RELU && id !== ids.ACT_ELU))('id %i ignores alpha', (id) => {
    const [rows, cols] = layout(id);
    const n = rows * cols;
    const x = uniform(rng(95), n, -8, 8);
    const dy = uniform(rng(96), n, -1, 1);
    const y = forward(id, 0.3, rows, cols, x);
    expect(bits(forward(id, 7.5, rows, cols, x))).toEqual(bits(y));
    expect(bits(backward(id, 7.5, rows, cols, x, y, dy))).toEqual(bits(backward(id, 0.3, rows, cols, x, y, dy)));
  });

  it('an unknown id traps instead of leaving y unwritten', () => {
    expect(() => rt.kernels.f32_vact(ids.ACT_COUNT, 0, 1, 1, 0, 0)).toThrow();
    expect(() => rt.kernels.f32_vact_bwd(-1, 0, 1, 1, 0, 0, 0, 0)).toThrow();
  });

  it('rows·cols = 0 writes nothing', () => {
    for (const id of ALL_IDS) {
      const out = withHeap((alloc) => {
        const p = alloc([42], 0);
        rt.kernels.f32_vact(id, 0.2, 0, 5, p, p);
        rt.kernels.f32_vact(id, 0.2, 3, 0, p, p);
        rt.kernels.f32_vact_bwd(id, 0.2, 0, 5, p, p, p, p);
        return get(rt, p, 1)[0];
      });
      expect(out, NAME(id)).toBe(42);
    }
  });
});

describe('extreme inputs', () => {
  const EXTREMES = [0, -0, 1e-40, -1e-40, 1e-30, -1e-30, 20, -20, 50, -50, 88, -88, 89, -89, 104, -104, 1e4, -1e4, 1e30, -1e30, 1e38, -1e38];

  it.each(ALL_IDS)('id %i: no NaN or Inf, forward or backward, for finite extreme inputs', (id) => {
    const x = Float32Array.from(EXTREMES);
    const n = x.length;
    // Softmax: the extremes as 2 rows of 11; elementwise: one row.
    const [rows, cols] = id === ids.ACT_SOFTMAX ? [2, n / 2] : [1, n];
    const y = forward(id, ALPHA(id), rows, cols, x);
    expect(Array.from(y).every(Number.isFinite), `${NAME(id)}: ${Array.from(y)}`).toBe(true);
    for (const dy of [new Float32Array(n).fill(1), uniform(rng(97), n, -3, 3)]) {
      const dx = backward(id, ALPHA(id), rows, cols, x, y, dy);
      expect(Array.from(dx).every(Number.isFinite), `${NAME(id)}': ${Array.from(dx)}`).toBe(true);
    }
  });
});
