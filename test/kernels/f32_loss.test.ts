// f32_loss and f32_stats vs float64 references of the Keras 3 definitions; the references'
// gradients are themselves checked against central finite differences of the reference losses.
import { describe, it, expect, beforeAll } from 'vitest';
import type { Runtime } from '../../src/wasm/load.js';
import { runtime, put, get } from '../helpers/kernels.js';
import { rng, uniform, relErr } from '../helpers/random.js';
import { refLoss, refLossGrad, refSigmoid, refSoftmax, finiteDiff, EPS, ONE_MINUS_EPS } from '../ref/losses.js';
import {
  LOSS_MSE, LOSS_MAE, LOSS_HUBER, LOSS_BCE, LOSS_CCE, LOSS_SPARSE_CCE,
  STAT_LOSS, STAT_ROWS, STAT_BINARY_CORRECT, STAT_CATEGORICAL_CORRECT, STAT_SPARSE_CORRECT,
  STAT_SQUARED_ERROR, STAT_ABSOLUTE_ERROR, STAT_COUNT,
} from '../../src/shared/ids.js';

const COLS = [1, 3, 4, 5, 17];
const ROWS = [1, 3, 8];
const SHAPES: [number, number][] = [
  ...ROWS.flatMap((r) => COLS.map((c) => [r, c] as [number, number])),
  [32, 32], [1, 1024], [1024, 1], // 1024 elements
];
const NAMES: Record<number, string> = {
  [LOSS_MSE]: 'mse', [LOSS_MAE]: 'mae', [LOSS_HUBER]: 'huber', [LOSS_BCE]: 'bce', [LOSS_CCE]: 'cce', [LOSS_SPARSE_CCE]: 'sparse cce',
};
const HUBER_DELTA = Math.fround(0.7); // non-default, so δ really reaches the kernel (as the f32 it sees)
const GUARD = 8;
const SENTINEL = 12345.5;

// Tolerances. Values: rel 1e-5. Gradients: rel 1e-5 against max(|ref|, 1% of the largest |ref|):
// f32 gradients carry ≈6e-8 rounding relative to their own terms (e.g. p·Σy and y in p·Σy − y), so
// entries that cancel to near zero are judged on the scale of the whole gradient.
const TOL = 1e-5;
/** Every |got − want| − abs ≤ tol·max(|want|, floorFrac·max|want|); NaN entries of want are skipped. */
function expectGradClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string, { floorFrac = 0.01, tol = TOL, abs = 0 } = {}): void {
  let scale = 0;
  for (let i = 0; i < want.length; i++) if (Number.isFinite(want[i])) scale = Math.max(scale, Math.abs(want[i]));
  const floor = floorFrac * scale || 1e-12;
  expect(got.length).toBe(want.length);
  let err = 0;
  let at = -1;
  for (let i = 0; i < want.length; i++) {
    if (!Number.isFinite(want[i])) continue;
    const e = Math.max(0, Math.abs(got[i] - want[i]) - abs) / Math.max(Math.abs(want[i]), floor);
    if (!(e <= err)) [err, at] = [e, i];
  }
  expect(err, `${what}: at ${at}: ${got[at]} vs ${want[at]}`).toBeLessThanOrEqual(tol);
}

interface Case {
  pred: Float32Array; // what the kernel sees: probabilities for BCE/CCE, sigmoid/softmax outputs when fused
  target: Float32Array; // rows×cols, or rows labels for sparse CCE
  z?: Float64Array; // pre-activations, for fused cases
}

/** Seeded inputs for each loss: away from nothing in particular (kinks are handled by the FD test). */
function makeCase(loss: number, rows: number, cols: number, fused: boolean, seed: number): Case {
  const next = rng(seed);
  const n = rows * cols;
  const target =
    loss === LOSS_SPARSE_CCE
      ? Float32Array.from({ length: rows }, () => Math.floor(next() * cols))
      : loss === LOSS_BCE
        ? Float32Array.from({ length: n }, () => (next() < 0.5 ? Math.round(next()) : next())) // hard and soft labels
        : loss === LOSS_CCE
          ? uniform(next, n, 0, 1) // rows do not sum to 1
          : uniform(next, n, -2, 2);
  if (fused) {
    const z = Float64Array.from(uniform(next, n, -3, 3));
    const act = loss === LOSS_BCE ? refSigmoid(z) : refSoftmax(rows, cols, z);
    return { pred: Float32Array.from(act), target, z };
  }
  let pred: Float32Array;
  if (loss === LOSS_BCE) pred = uniform(next, n, 0.01, 0.99);
  else if (loss === LOSS_CCE || loss === LOSS_SPARSE_CCE) pred = uniform(next, n, 0.05, 1); // not normalised
  else pred = uniform(next, n, -2, 2);
  if (loss === LOSS_MAE) for (let i = 0; i < n; i += 7) pred[i] = target[i]; // sign(0) = 0
  return { pred, target };
}

/** Runs f32_loss; returns the value and (if asked) the gradient, checking nothing is written past it. */
function kernelLoss(rt: Runtime, loss: number, rows: number, cols: number, c: Case, withGrad: boolean, fused: boolean, delta = 1): { value: number; grad: Float32Array } {
  const n = rows * cols;
  const pred = put(rt, c.pred);
  const target = put(rt, c.target);
  const grad = withGrad ? put(rt, n + GUARD) : 0;
  if (grad) rt.heap.f32(grad, n + GUARD).fill(SENTINEL);
  const value = rt.kernels.f32_loss(loss, rows, cols, pred, target, grad, fused ? 1 : 0, delta);
  const out = grad ? get(rt, grad, n) : new Float32Array(0);
  if (grad) {
    expect(Array.from(get(rt, grad + 4 * n, GUARD))).toEqual(new Array(GUARD).fill(SENTINEL));
    rt.heap.free(grad);
  }
  rt.heap.free(pred);
  rt.heap.free(target);
  return { value, grad: out };
}

const LOSSES = [LOSS_MSE, LOSS_MAE, LOSS_HUBER, LOSS_BCE, LOSS_CCE, LOSS_SPARSE_CCE];
const FUSABLE = new Set([LOSS_BCE, LOSS_CCE, LOSS_SPARSE_CCE]);
const deltaOf = (loss: number) => (loss === LOSS_HUBER ? HUBER_DELTA : 1);

describe('f32_loss vs the float64 reference', () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await runtime();
  });

  for (const loss of LOSSES) {
    for (const fused of FUSABLE.has(loss) ? [false, true] : [false]) {
      const label = `${NAMES[loss]}${fused ? ' (fused)' : ''}`;
      it(`${label}: value and gradient at every shape`, () => {
        for (const [rows, cols] of SHAPES) {
          const c = makeCase(loss, rows, cols, fused, rows * 100 + cols);
          const d = deltaOf(loss);
          const want = refLoss(loss, rows, cols, c.pred, c.target, d);
          const { value, grad } = kernelLoss(rt, loss, rows, cols, c, true, fused, d);
          expect(relErr(value, want), `${label} ${rows}×${cols}: ${value} vs ${want}`).toBeLessThanOrEqual(TOL);
          expectGradClose(grad, refLossGrad(loss, rows, cols, c.pred, c.target, d, fused), `${label} ${rows}×${cols}`);
          // Without a gradient buffer: the same value.
          expect(kernelLoss(rt, loss, rows, cols, c, false, fused, d).value).toBe(value);
        }
      });
    }
  }
});

describe('reference gradients vs central finite differences (float64)', () => {
  const h = 1e-6;
  // Central differences err by O(h²) (truncation, ≲1e-8 relative here) plus the rounding of the two
  // loss values, ≈ ε_f64·|L|/h: allowed as an absolute term, it matters only for large |L|
  // (e.g. CCE over 1024 classes with Σy ≈ 512, |L| ≈ 3500, where it is ~1e-6).
  const fdCheck = (g: ArrayLike<number>, fd: ArrayLike<number>, loss0: number, what: string) =>
    expectGradClose(g, fd, what, { abs: (16 * Number.EPSILON * Math.max(1, Math.abs(loss0))) / h });
  /** Elements whose FD would straddle a kink or a clip boundary. */
  function nearKink(loss: number, rows: number, cols: number, p: ArrayLike<number>, y: ArrayLike<number>, i: number): boolean {
    const margin = 100 * h; // the FD moves p by h: stay 100 steps away from a kink
    const e = p[i] - y[i];
    if (loss === LOSS_MAE) return Math.abs(e) < margin;
    if (loss === LOSS_HUBER) return Math.abs(Math.abs(e) - HUBER_DELTA) < margin;
    if (loss === LOSS_BCE) return Math.abs(p[i] - EPS) < margin || Math.abs(p[i] - ONE_MINUS_EPS) < margin;
    if (loss === LOSS_CCE || loss === LOSS_SPARSE_CCE) {
      const at = Math.floor(i / cols) * cols;
      let s = 0;
      for (let j = 0; j < cols; j++) s += p[at + j];
      // Moving one p moves every q = p/S of its row, by about h/S.
      for (let j = 0; j < cols; j++) {
        const q = p[at + j] / s;
        if (cols > 1 && (Math.abs(q - EPS) < margin / s || Math.abs(q - ONE_MINUS_EPS) < margin / s)) return true;
      }
    }
    return false;
  }

  for (const loss of LOSSES) {
    it(`${NAMES[loss]}: d loss/d pred`, () => {
      let checked = 0;
      let total = 0;
      for (const [rows, cols] of SHAPES) {
        const c = makeCase(loss, rows, cols, false, rows * 100 + cols + 7);
        const d = deltaOf(loss);
        const fd = finiteDiff((p) => refLoss(loss, rows, cols, p, c.target, d), c.pred, h, (i) => !nearKink(loss, rows, cols, c.pred, c.target, i));
        checked += fd.filter(Number.isFinite).length;
        total += fd.length;
        const g = refLossGrad(loss, rows, cols, c.pred, c.target, d);
        fdCheck(g, fd, refLoss(loss, rows, cols, c.pred, c.target, d), `${NAMES[loss]} ${rows}×${cols}`);
      }
      // Most entries are away from kinks (MAE has p == y at every 7th entry).
      expect(checked).toBeGreaterThan(total / 2);
    });
  }

  for (const loss of [LOSS_BCE, LOSS_CCE, LOSS_SPARSE_CCE]) {
    it(`${NAMES[loss]} fused: d loss(act(z))/dz`, () => {
      for (const [rows, cols] of SHAPES) {
        const c = makeCase(loss, rows, cols, true, rows * 100 + cols + 13);
        const act = (z: ArrayLike<number>) => (loss === LOSS_BCE ? refSigmoid(z) : refSoftmax(rows, cols, z));
        const fd = finiteDiff((z) => refLoss(loss, rows, cols, act(z), c.target), c.z!, h);
        const p = act(c.z!);
        const g = refLossGrad(loss, rows, cols, p, c.target, 1, true);
        fdCheck(g, fd, refLoss(loss, rows, cols, p, c.target), `${NAMES[loss]} fused ${rows}×${cols}`);
      }
    });
  }
});

describe('f32_loss edge cases', () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await runtime();
  });

  it('bce with p exactly 0 and 1 is finite (clipped) and its gradient is 0 there', () => {
    const pred = Float32Array.from([0, 1, 0, 1, 0.3]);
    const target = Float32Array.from([0, 1, 1, 0, 1]);
    const { value, grad } = kernelLoss(rt, LOSS_BCE, 1, 5, { pred, target }, true, false);
    expect(Number.isFinite(value)).toBe(true);
    expect(relErr(value, refLoss(LOSS_BCE, 1, 5, pred, target))).toBeLessThanOrEqual(TOL);
    // −log ε ≈ 16.1 for each wrong saturated prediction.
    expect(value).toBeGreaterThan((2 * 16) / 5);
    expect(Array.from(grad.subarray(0, 4))).toEqual([0, 0, 0, 0]);
    expect(grad[4]).not.toBe(0);
  });

  it('cce normalises each row: scaling a row leaves the value and scales the gradient by 1/k', () => {
    const rows = 3;
    const cols = 5;
    const c = makeCase(LOSS_CCE, rows, cols, false, 42);
    const k = 3;
    const scaled = c.pred.map((x) => x * k);
    const a = kernelLoss(rt, LOSS_CCE, rows, cols, c, true, false);
    const b = kernelLoss(rt, LOSS_CCE, rows, cols, { pred: scaled, target: c.target }, true, false);
    expect(relErr(b.value, a.value)).toBeLessThanOrEqual(TOL);
    expectGradClose(b.grad.map((x) => x * k), a.grad, 'scaled rows');
    // And rows of the unscaled case really do not sum to 1.
    expect(Math.abs(c.pred.slice(0, cols).reduce((s, x) => s + x, 0) - 1)).toBeGreaterThan(0.01);
  });

  it('sparse cce equals cce with the one-hot target', () => {
    const rows = 8;
    const cols = 5;
    const c = makeCase(LOSS_SPARSE_CCE, rows, cols, false, 9);
    const oneHot = new Float32Array(rows * cols);
    c.target.forEach((label, r) => (oneHot[r * cols + label] = 1));
    for (const fused of [false, true]) {
      const s = kernelLoss(rt, LOSS_SPARSE_CCE, rows, cols, c, true, fused);
      const d = kernelLoss(rt, LOSS_CCE, rows, cols, { pred: c.pred, target: oneHot }, true, fused);
      expect(relErr(s.value, d.value)).toBeLessThanOrEqual(TOL);
      expectGradClose(s.grad, d.grad, `sparse vs dense, fused=${fused}`);
    }
  });

  it('sparse cce: a label outside [0, cols) is an all-zero target (as Keras/JAX one_hot)', () => {
    const pred = Float32Array.from([0.2, 0.3, 0.5, /**/ 0.1, 0.6, 0.3]);
    const target = Float32Array.from([1, 3]); // row 1's label is out of range
    const withLabel = refLoss(LOSS_SPARSE_CCE, 1, 3, pred.subarray(0, 3), target.subarray(0, 1));
    const unfused = kernelLoss(rt, LOSS_SPARSE_CCE, 2, 3, { pred, target }, true, false);
    expect(relErr(unfused.value, withLabel / 2)).toBeLessThanOrEqual(TOL);
    expect(Array.from(unfused.grad.subarray(3))).toEqual([0, 0, 0]);
    const fused = kernelLoss(rt, LOSS_SPARSE_CCE, 2, 3, { pred, target }, true, true);
    expect(Array.from(fused.grad.subarray(3))).toEqual(Array.from(pred.subarray(3)).map((p) => Math.fround(p * Math.fround(0.5))));
  });

  it('grad may alias pred (every loss, fused and not)', () => {
    const [rows, cols] = [3, 17];
    for (const loss of LOSSES) {
      for (const fused of FUSABLE.has(loss) ? [false, true] : [false]) {
        const c = makeCase(loss, rows, cols, fused, 77);
        const separate = kernelLoss(rt, loss, rows, cols, c, true, fused, deltaOf(loss));
        const pred = put(rt, c.pred);
        const target = put(rt, c.target);
        const value = rt.kernels.f32_loss(loss, rows, cols, pred, target, pred, fused ? 1 : 0, deltaOf(loss));
        expect(value).toBe(separate.value);
        expect(Array.from(get(rt, pred, rows * cols)), `${NAMES[loss]} fused=${fused}`).toEqual(Array.from(separate.grad));
        rt.heap.free(pred);
        rt.heap.free(target);
      }
    }
  });

  it('huber uses the given delta', () => {
    const pred = Float32Array.from([0, 0, 0]);
    const target = Float32Array.from([0.5, 2, -3]);
    const { value, grad } = kernelLoss(rt, LOSS_HUBER, 1, 3, { pred, target }, true, false, 1.5);
    expect(value).toBeCloseTo((0.125 + (1.5 * 2 - 1.125) + (1.5 * 3 - 1.125)) / 3, 12);
    expect(Array.from(grad)).toEqual([-0.5 / 3, -1.5 / 3, 1.5 / 3].map(Math.fround));
  });
});

describe('f32_stats', () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await runtime();
  });

  function argmax(a: ArrayLike<number>, at: number, cols: number): number {
    let best = 0;
    for (let j = 1; j < cols; j++) if (a[at + j] > a[at + best]) best = j;
    return best;
  }

  function refStats(rows: number, cols: number, p: ArrayLike<number>, y: ArrayLike<number>, sparse: boolean): Float64Array {
    const s = new Float64Array(STAT_COUNT);
    for (let r = 0; r < rows; r++) {
      const at = r * cols;
      if (sparse) {
        if (argmax(p, at, cols) === y[r]) s[STAT_SPARSE_CORRECT]++;
        continue;
      }
      if (argmax(p, at, cols) === argmax(y, at, cols)) s[STAT_CATEGORICAL_CORRECT]++;
      for (let j = at; j < at + cols; j++) {
        if ((p[j] > 0.5 ? 1 : 0) === y[j]) s[STAT_BINARY_CORRECT]++;
        s[STAT_SQUARED_ERROR] += (p[j] - y[j]) ** 2;
        s[STAT_ABSOLUTE_ERROR] += Math.abs(p[j] - y[j]);
      }
    }
    return s;
  }

  /** Predictions on a coarse grid (so argmax ties and p == 0.5 happen), targets one-hot or binary. */
  function batch(rows: number, cols: number, seed: number, sparse: boolean): { p: Float32Array; y: Float32Array } {
    const next = rng(seed);
    const p = Float32Array.from({ length: rows * cols }, () => Math.floor(next() * 5) / 4); // {0, .25, .5, .75, 1}
    let y: Float32Array;
    if (sparse) y = Float32Array.from({ length: rows }, () => Math.floor(next() * cols));
    else {
      y = Float32Array.from({ length: rows * cols }, () => (next() < 0.8 ? Math.round(next()) : 0.5)); // 0.5: never "correct"
    }
    return { p, y };
  }

  function callStats(stats: number, rows: number, cols: number, b: { p: Float32Array; y: Float32Array }, sparse: boolean): void {
    const p = put(rt, b.p);
    const y = put(rt, b.y);
    rt.kernels.f32_stats(rows, cols, p, y, sparse ? 1 : 0, stats);
    rt.heap.free(p);
    rt.heap.free(y);
  }

  for (const sparse of [false, true]) {
    it(`${sparse ? 'sparse' : 'dense'}: counts and sums match the reference and accumulate over two calls`, () => {
      for (const [rows, cols] of SHAPES) {
        const stats = rt.heap.alloc(8 * STAT_COUNT);
        const initial = Float64Array.from({ length: STAT_COUNT }, (_, i) => i + 0.5);
        rt.heap.f64(stats, STAT_COUNT).set(initial);
        const b1 = batch(rows, cols, rows * 31 + cols, sparse);
        const b2 = batch(rows, cols, rows * 37 + cols + 1, sparse);
        callStats(stats, rows, cols, b1, sparse);
        callStats(stats, rows, cols, b2, sparse);
        const r1 = refStats(rows, cols, b1.p, b1.y, sparse);
        const r2 = refStats(rows, cols, b2.p, b2.y, sparse);
        const got = rt.heap.f64(stats, STAT_COUNT).slice();
        for (let i = 0; i < STAT_COUNT; i++) {
          const want = initial[i] + r1[i] + r2[i];
          expect(relErr(got[i], want, 1e-9), `slot ${i} ${rows}×${cols}: ${got[i]} vs ${want}`).toBeLessThanOrEqual(1e-12);
        }
        expect(got[STAT_LOSS]).toBe(initial[STAT_LOSS]);
        expect(got[STAT_ROWS]).toBe(initial[STAT_ROWS]);
        rt.heap.free(stats);
      }
    });
  }

  it('argmax ties go to the first index; p > 0.5 is strict', () => {
    const rows = 3;
    const cols = 4;
    const p = Float32Array.from([0.5, 0.5, 0.2, 0.5, /**/ 0.1, 0.9, 0.9, 0, /**/ 0.3, 0.3, 0.3, 0.3]);
    const y = Float32Array.from([1, 0, 0, 0, /**/ 0, 0, 1, 0, /**/ 1, 0, 0, 0]);
    const stats = rt.heap.alloc(8 * STAT_COUNT);
    rt.heap.f64(stats, STAT_COUNT).fill(0);
    callStats(stats, rows, cols, { p, y }, false);
    const s = rt.heap.f64(stats, STAT_COUNT).slice();
    // Row 0: argmax p = 0 (tie at 0.5) = argmax y. Row 1: argmax p = 1 ≠ 2. Row 2: all tied → 0 = 0.
    expect(s[STAT_CATEGORICAL_CORRECT]).toBe(2);
    // 0.5 → 0 (strict): row 0 correct at 1,2,3 (index 0 has y = 1); row 1 at 0,2,3; row 2 at 1,2,3.
    expect(s[STAT_BINARY_CORRECT]).toBe(9);
    rt.heap.f64(stats, STAT_COUNT).fill(0);
    callStats(stats, rows, 4, { p, y: Float32Array.from([0, 2, 0]) }, true);
    expect(rt.heap.f64(stats, STAT_COUNT)[STAT_SPARSE_CORRECT]).toBe(2);
    rt.heap.free(stats);
  });
});
