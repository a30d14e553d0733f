// Activation kernels: y = f(x) elementwise (softmax row-wise over `cols`), and the delta rule
// dx = dy ⊙ f'(x). Piecewise-linear forwards, sigmoid/tanh/swish/softmax and every y-based derivative run in
// f32x4 SIMD; the other transcendental ones run a scalar loop in f64 (AssemblyScript's Math, compiled
// into this module) and round once to f32. All of it is plain IEEE arithmetic inside WASM, so results
// are bit-identical on every runtime. The last n % 4 elements go through the same vector code on a
// zero-padded vector, so an element's result never depends on its position.

import {
  ACT_LINEAR,
  ACT_SIGMOID,
  ACT_RELU,
  ACT_TANH,
  ACT_SOFTPLUS,
  ACT_RELU6,
  ACT_LEAKY_RELU,
  ACT_ELU,
  ACT_SELU,
  ACT_GELU,
  ACT_SWISH,
  ACT_MISH,
  ACT_SOFTSIGN,
  ACT_HARD_SIGMOID,
  ACT_SOFTMAX,
  ACT_HARD_SIGMOID_TFJS,
} from "../../src/shared/ids";
import { ldf, stf, ldv, stv, ldvPart, stvPart } from "../core/ptr";

const SELU_SCALE: f64 = 1.0507009873554805;
const SELU_ALPHA: f64 = 1.6732632423543772;

// ---------------------------------------------------------------------------------------------------
// Entry points

/** y = f(x) over rows·cols contiguous floats (softmax: each row of `cols`). x == y is allowed. */
export function f32_vact(act: i32, alpha: f32, rows: i32, cols: i32, x: usize, y: usize): void {
  const n = rows * cols;
  switch (act) {
    case ACT_LINEAR: copy(n, x, y); break;
    case ACT_SIGMOID: sigmoidFwd(n, x, y); break;
    case ACT_RELU: clampFwd(n, x, y, Infinity); break;
    case ACT_TANH: tanhFwd(n, x, y); break;
    case ACT_SOFTPLUS: softplusFwd(n, x, y); break;
    case ACT_RELU6: clampFwd(n, x, y, 6); break;
    case ACT_LEAKY_RELU: leakyReluFwd(n, x, y, alpha); break;
    case ACT_ELU: eluFwd(n, x, y, <f64>alpha, 1.0); break;
    case ACT_SELU: eluFwd(n, x, y, SELU_ALPHA, SELU_SCALE); break;
    case ACT_GELU: geluFwd(n, x, y); break;
    case ACT_SWISH: swishFwd(n, x, y); break;
    case ACT_MISH: mishFwd(n, x, y); break;
    case ACT_SOFTSIGN: softsignFwd(n, x, y); break;
    case ACT_HARD_SIGMOID: hardSigmoidFwd(n, x, y); break;
    case ACT_SOFTMAX: softmaxFwd(rows, cols, x, y); break;
    case ACT_HARD_SIGMOID_TFJS: hardSigmoidTfjsFwd(n, x, y); break;
    default: unreachable();
  }
}

/**
 * dx = dy ⊙ f'(x). y is the forward output; x is read only by gelu, swish and mish (ACT_BWD_NEEDS_INPUT),
 * which in turn never read y. dx == dy is allowed.
 */
export function f32_vact_bwd(act: i32, alpha: f32, rows: i32, cols: i32, x: usize, y: usize, dy: usize, dx: usize): void {
  const n = rows * cols;
  switch (act) {
    case ACT_LINEAR: copy(n, dy, dx); break;
    case ACT_SIGMOID: sigmoidBwd(n, y, dy, dx); break;
    case ACT_RELU: windowBwd(n, y, dy, dx, Infinity, 1); break;
    case ACT_TANH: tanhBwd(n, y, dy, dx); break;
    case ACT_SOFTPLUS: softplusBwd(n, y, dy, dx); break;
    case ACT_RELU6: windowBwd(n, y, dy, dx, 6, 1); break;
    case ACT_LEAKY_RELU: leakyReluBwd(n, y, dy, dx, alpha); break;
    case ACT_ELU: eluBwd(n, y, dy, dx, alpha, 1); break;
    case ACT_SELU: eluBwd(n, y, dy, dx, <f32>(SELU_SCALE * SELU_ALPHA), <f32>SELU_SCALE); break;
    case ACT_GELU: geluBwd(n, x, dy, dx); break;
    case ACT_SWISH: swishBwd(n, x, dy, dx); break;
    case ACT_MISH: mishBwd(n, x, dy, dx); break;
    case ACT_SOFTSIGN: softsignBwd(n, y, dy, dx); break;
    case ACT_HARD_SIGMOID: windowBwd(n, y, dy, dx, 1, 6); break;
    case ACT_SOFTMAX: softmaxBwd(rows, cols, y, dy, dx); break;
    case ACT_HARD_SIGMOID_TFJS: windowBwd(n, y, dy, dx, 1, 5); break;
    default: unreachable();
  }
}

// ---------------------------------------------------------------------------------------------------
// Vector math

// exp's valid input window: below EXP_MIN the result rounds to 0, above EXP_MAX it is +Inf.
const EXP_MIN: f32 = -104.0;
const EXP_MAX: f32 = 89.0;

/**
 * e^(hi + lo) lane-wise, lo a tiny correction (0 when unused). Cody–Waite reduction hi = k·ln2 + r,
 * Cephes' degree-6 minimax polynomial for e^r (≈1 ulp), then 2^k applied as two halves so results
 * that land in the subnormal range are rounded once. No lane overflows to NaN.
 */
@inline function expv(hi: v128, lo: v128): v128 {
  const x = f32x4.min(f32x4.max(hi, f32x4.splat(EXP_MIN)), f32x4.splat(EXP_MAX));
  const k = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  // ln2 = 0.693359375 − 2.12194440e-4; the first part has 9 bits, so k·0.693359375 is exact.
  let r = f32x4.sub(x, f32x4.mul(k, f32x4.splat(0.693359375)));
  r = f32x4.add(f32x4.add(r, f32x4.mul(k, f32x4.splat(2.12194440e-4))), lo);
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1)); // 1 + r + r²·p
  const ki = i32x4.trunc_sat_f32x4_s(k); // k ∈ [−150, 128]
  const k1 = i32x4.shr_s(ki, 1);
  const k2 = i32x4.sub(ki, k1); // both halves in [−75, 64]: 2^k1 and 2^k2 are normal floats
  const bias = i32x4.splat(127);
  const s1 = i32x4.shl(i32x4.add(k1, bias), 23);
  const s2 = i32x4.shl(i32x4.add(k2, bias), 23);
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

/** σ(x) lane-wise: e = e^−|x| never overflows; σ(|x|) = 1/(1+e) and σ(−|x|) = e/(1+e), one division. */
@inline function sigmoidV(x: v128): v128 {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  const e = expv(f32x4.neg(f32x4.abs(x)), zero);
  return f32x4.div(v128.bitselect(one, e, f32x4.ge(x, zero)), f32x4.add(one, e));
}

/** x·σ(x) lane-wise, as x/(1+e^−x) or x·e^x/(1+e^x) so it rounds twice at most. */
@inline function swishV(x: v128): v128 {
  const zero = f32x4.splat(0);
  const e = expv(f32x4.neg(f32x4.abs(x)), zero);
  const num = v128.bitselect(x, f32x4.mul(x, e), f32x4.ge(x, zero));
  return f32x4.div(num, f32x4.add(f32x4.splat(1), e));
}

/**
 * tanh lane-wise. Below |x| = 0.625 an odd polynomial |x| + |x|³·Q(x²) (Q: degree-5 Chebyshev fit,
 * relative error 6e-10), where (1 − e)/(1 + e) would cancel; above it (1 − e)/(1 + e) with e = e^−2|x|.
 * The sign of x is copied back at the end (so tanh(−0) = −0).
 */
@inline function tanhV(x: v128): v128 {
  const one = f32x4.splat(1);
  const a = f32x4.abs(x);
  const s = f32x4.mul(a, a);
  let q = f32x4.splat(0.002292744815608617);
  q = f32x4.add(f32x4.mul(q, s), f32x4.splat(-0.008343945515321423));
  q = f32x4.add(f32x4.mul(q, s), f32x4.splat(0.021768918650862862));
  q = f32x4.add(f32x4.mul(q, s), f32x4.splat(-0.05395925957718374));
  q = f32x4.add(f32x4.mul(q, s), f32x4.splat(0.13333303556915665));
  q = f32x4.add(f32x4.mul(q, s), f32x4.splat(-0.3333333317214036));
  const small = f32x4.add(a, f32x4.mul(f32x4.mul(a, s), q));
  const e = expv(f32x4.mul(a, f32x4.splat(-2)), f32x4.splat(0));
  const large = f32x4.div(f32x4.sub(one, e), f32x4.add(one, e));
  const r = v128.bitselect(small, large, f32x4.lt(a, f32x4.splat(0.625)));
  return v128.or(r, v128.and(x, i32x4.splat(0x80000000)));
}

// ---------------------------------------------------------------------------------------------------
// Scalar f64 math (one rounding to f32 at the store)

/** σ(x) in f64, stable for any x. */
@inline function sigmoid64(x: f64): f64 {
  const e = Math.exp(-Math.abs(x));
  return (x >= 0 ? 1.0 : e) / (1.0 + e);
}

/** log(1 + e^x) = max(x, 0) + log1p(e^−|x|): no overflow, full precision in both tails. */
@inline function softplus64(x: f64): f64 {
  return max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/**
 * erfc(z) for z ≥ 0. Numerical Recipes' form t·exp(−z² + P(t)), t = 2/(2+z), with P refitted as a
 * degree-16 Chebyshev interpolant in t: relative error below 2e-11 on all of [0, ∞).
 */
@inline function erfc64(z: f64): f64 {
  const t = 2.0 / (2.0 + z);
  let p = 0.2219489867243176;
  p = p * t - 1.8981381211168846;
  p = p * t + 7.222516575355034;
  p = p * t - 15.983265157218929;
  p = p * t + 22.550279426769706;
  p = p * t - 20.973414148244217;
  p = p * t + 13.082243294016969;
  p = p * t - 5.817244705891651;
  p = p * t + 2.0927434405306555;
  p = p * t - 0.4410761992835998;
  p = p * t - 0.010745687204211943;
  p = p * t - 0.1534666089757401;
  p = p * t - 0.08516582114392854;
  p = p * t + 0.08329589502900316;
  p = p * t + 0.3750009640490564;
  p = p * t + 0.9999999900811154;
  p = p * t - 1.265512123467529;
  return t * Math.exp(p - z * z);
}

/** Standard normal CDF Φ(x) = ½·erfc(−x/√2), taken from the tail that has no cancellation. */
@inline function normalCdf64(x: f64): f64 {
  const q = 0.5 * erfc64(Math.abs(x) * Math.SQRT1_2);
  return x < 0 ? q : 1.0 - q;
}

/** Standard normal density φ(x). */
@inline function normalPdf64(x: f64): f64 {
  return Math.exp(-0.5 * x * x) * 0.3989422804014327;
}

// ---------------------------------------------------------------------------------------------------
// Forward, SIMD families

/** y = x (nothing to do in place). */
function copy(n: i32, x: usize, y: usize): void {
  if (x == y) return;
  let i = 0;
  for (; i + 4 <= n; i += 4) stv(y, i, ldv(x, i));
  for (; i < n; i++) stf(y, i, ldf(x, i));
}

/** relu (hi = ∞) and relu6 (hi = 6): min(max(x, 0), hi). */
function clampFwd(n: i32, x: usize, y: usize, hi: f32): void {
  const lo = f32x4.splat(0);
  const top = f32x4.splat(hi);
  let i = 0;
  for (; i + 4 <= n; i += 4) stv(y, i, f32x4.min(f32x4.max(ldv(x, i), lo), top));
  if (i < n) stvPart(y, i, n - i, f32x4.min(f32x4.max(ldvPart(x, i, n - i), lo), top));
}

@inline function leakyReluV(x: v128, alpha: v128): v128 {
  return v128.bitselect(x, f32x4.mul(x, alpha), f32x4.gt(x, f32x4.splat(0)));
}

function leakyReluFwd(n: i32, x: usize, y: usize, alpha: f32): void {
  const a = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) stv(y, i, leakyReluV(ldv(x, i), a));
  if (i < n) stvPart(y, i, n - i, leakyReluV(ldvPart(x, i, n - i), a));
}

/** Keras 3: relu6(x + 3) / 6. x + 3 is exact near −3 (Sterbenz) and the division rounds once. */
@inline function hardSigmoidV(x: v128): v128 {
  const t = f32x4.min(f32x4.max(f32x4.add(x, f32x4.splat(3)), f32x4.splat(0)), f32x4.splat(6));
  return f32x4.div(t, f32x4.splat(6));
}

function hardSigmoidFwd(n: i32, x: usize, y: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) stv(y, i, hardSigmoidV(ldv(x, i)));
  if (i < n) stvPart(y, i, n - i, hardSigmoidV(ldvPart(x, i, n - i)));
}

/**
 * tfjs and Keras 2: clip(0.2·x + 0.5, 0, 1), computed as clip(x + 2.5, 0, 5) / 5: x + 2.5 is exact near
 * −2.5 (Sterbenz) and the division rounds once, so outputs near 0 keep their relative precision (tfjs's
 * 0.2·x + 0.5 differs from it by at most a few ulps of 0.5).
 */
@inline function hardSigmoidTfjsV(x: v128): v128 {
  const t = f32x4.min(f32x4.max(f32x4.add(x, f32x4.splat(2.5)), f32x4.splat(0)), f32x4.splat(5));
  return f32x4.div(t, f32x4.splat(5));
}

function hardSigmoidTfjsFwd(n: i32, x: usize, y: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) stv(y, i, hardSigmoidTfjsV(ldv(x, i)));
  if (i < n) stvPart(y, i, n - i, hardSigmoidTfjsV(ldvPart(x, i, n - i)));
}

@inline function softsignV(x: v128): v128 {
  return f32x4.div(x, f32x4.add(f32x4.splat(1), f32x4.abs(x)));
}

function softsignFwd(n: i32, x: usize, y: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) stv(y, i, softsignV(ldv(x, i)));
  if (i < n) stvPart(y, i, n - i, softsignV(ldvPart(x, i, n - i)));
}

function sigmoidFwd(n: i32, x: usize, y: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) stv(y, i, sigmoidV(ldv(x, i)));
  if (i < n) stvPart(y, i, n - i, sigmoidV(ldvPart(x, i, n - i)));
}

function tanhFwd(n: i32, x: usize, y: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) stv(y, i, tanhV(ldv(x, i)));
  if (i < n) stvPart(y, i, n - i, tanhV(ldvPart(x, i, n - i)));
}

function swishFwd(n: i32, x: usize, y: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) stv(y, i, swishV(ldv(x, i)));
  if (i < n) stvPart(y, i, n - i, swishV(ldvPart(x, i, n - i)));
}

// ---------------------------------------------------------------------------------------------------
// Forward, scalar f64 families

function softplusFwd(n: i32, x: usize, y: usize): void {
  for (let i = 0; i < n; i++) stf(y, i, <f32>softplus64(<f64>ldf(x, i)));
}

/** elu (scale 1) and selu: scale·(x > 0 ? x : α(e^x − 1)); expm1 keeps small negative x precise. */
function eluFwd(n: i32, x: usize, y: usize, alpha: f64, scale: f64): void {
  for (let i = 0; i < n; i++) {
    const v = <f64>ldf(x, i);
    stf(y, i, <f32>(scale * (v > 0 ? v : alpha * Math.expm1(v))));
  }
}

/** Exact gelu: x·Φ(x). */
function geluFwd(n: i32, x: usize, y: usize): void {
  for (let i = 0; i < n; i++) {
    const v = <f64>ldf(x, i);
    stf(y, i, <f32>(v * normalCdf64(v)));
  }
}

/** x·tanh(softplus(x)); softplus ≥ 0 has no overflow, so neither tail makes NaN. */
function mishFwd(n: i32, x: usize, y: usize): void {
  for (let i = 0; i < n; i++) {
    const v = <f64>ldf(x, i);
    stf(y, i, <f32>(v * Math.tanh(softplus64(v))));
  }
}

// ---------------------------------------------------------------------------------------------------
// Softmax, row-wise

function softmaxFwd(rows: i32, cols: i32, x: usize, y: usize): void {
  if (cols <= 0) return;
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes;
    const yr = y + <usize>r * rowBytes;
    const m = rowMax(xr, cols);
    const sum = <f32>expShiftedRow(xr, yr, cols, m);
    divideRow(yr, cols, sum);
  }
}

/** max_i p[i] over n ≥ 1 floats (max is exact, so lane order does not matter). */
function rowMax(p: usize, n: i32): f32 {
  let m = ldf(p, 0);
  let i = 0;
  if (n >= 4) {
    let v = ldv(p, 0);
    for (i = 4; i + 4 <= n; i += 4) v = f32x4.max(v, ldv(p, i));
    m = max(max(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), max(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
  }
  for (; i < n; i++) m = max(m, ldf(p, i));
  return m;
}

/**
 * exp(x − m) lane-wise. x − m is rounded to d, and its rounding error (TwoSum, exact without FMA) is
 * fed to exp as the low part, so small probabilities keep full relative precision.
 */
@inline function expDiffV(x: v128, m: v128): v128 {
  const negM = f32x4.neg(m);
  const d = f32x4.sub(x, m);
  const t = f32x4.sub(d, x);
  const err = f32x4.add(f32x4.sub(x, f32x4.sub(d, t)), f32x4.sub(negM, t));
  // Where x − m overflowed to −Inf, err is NaN; exp is 0 there anyway, so drop it.
  return expv(d, v128.and(err, f32x4.gt(d, f32x4.splat(EXP_MIN))));
}

/** Writes y[i] = exp(x[i] − m) and returns Σ y[i], accumulated in f64 in a fixed order. */
function expShiftedRow(x: usize, y: usize, n: i32, m: f32): f64 {
  const vm = f32x4.splat(m);
  let lo = f64x2.splat(0);
  let hi = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const e = expDiffV(ldv(x, i), vm);
    stv(y, i, e);
    lo = f64x2.add(lo, f64x2.promote_low_f32x4(e));
    hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(e, e, 2, 3, 0, 1)));
  }
  let sum = (f64x2.extract_lane(lo, 0) + f64x2.extract_lane(lo, 1)) + (f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1));
  if (i < n) {
    stvPart(y, i, n - i, expDiffV(ldvPart(x, i, n - i), vm));
    for (; i < n; i++) sum += <f64>ldf(y, i);
  }
  return sum;
}

/** p[i] /= s: a true division, not a multiply by 1/s, so each element rounds once. */
function divideRow(p: usize, n: i32, s: f32): void {
  const vs = f32x4.splat(s);
  let i = 0;
  for (; i + 4 <= n; i += 4) stv(p, i, f32x4.div(ldv(p, i), vs));
  if (i < n) stvPart(p, i, n - i, f32x4.div(ldvPart(p, i, n - i), vs));
}

/** Σ a[i]·b[i] in f64 (each product of two floats is exact in f64), in a fixed order. */
function dotRow(a: usize, b: usize, n: i32): f64 {
  let lo = f64x2.splat(0);
  let hi = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const va = ldv(a, i);
    const vb = ldv(b, i);
    lo = f64x2.add(lo, f64x2.mul(f64x2.promote_low_f32x4(va), f64x2.promote_low_f32x4(vb)));
    hi = f64x2.add(hi, f64x2.mul(f64x2.promote_low_f32x4(v128.shuffle<f32>(va, va, 2, 3, 0, 1)), f64x2.promote_low_f32x4(v128.shuffle<f32>(vb, vb, 2, 3, 0, 1))));
  }
  let sum = (f64x2.extract_lane(lo, 0) + f64x2.extract_lane(lo, 1)) + (f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1));
  for (; i < n; i++) sum += <f64>ldf(a, i) * <f64>ldf(b, i);
  return sum;
}

/** Row-wise vector-Jacobian product: dx_i = y_i · (dy_i − Σ_j dy_j·y_j). */
function softmaxBwd(rows: i32, cols: i32, y: usize, dy: usize, dx: usize): void {
  if (cols <= 0) return;
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * rowBytes;
    const yr = y + off;
    const dyr = dy + off;
    const dxr = dx + off;
    const s = f32x4.splat(<f32>dotRow(yr, dyr, cols));
    let i = 0;
    for (; i + 4 <= cols; i += 4) stv(dxr, i, f32x4.mul(ldv(yr, i), f32x4.sub(ldv(dyr, i), s)));
    if (i < cols) {
      const k = cols - i;
      stvPart(dxr, i, k, f32x4.mul(ldvPart(yr, i, k), f32x4.sub(ldvPart(dyr, i, k), s)));
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Backward from y, SIMD families

/** σ' = y(1 − y); 1 − y is exact for y ≥ ½ (Sterbenz). */
function sigmoidBwd(n: i32, y: usize, dy: usize, dx: usize): void {
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = ldv(y, i);
    stv(dx, i, f32x4.mul(ldv(dy, i), f32x4.mul(v, f32x4.sub(one, v))));
  }
  if (i < n) {
    const k = n - i;
    const v = ldvPart(y, i, k);
    stvPart(dx, i, k, f32x4.mul(ldvPart(dy, i, k), f32x4.mul(v, f32x4.sub(one, v))));
  }
}

/** tanh' = 1 − y², as (1 − y)(1 + y), which keeps its precision as |y| → 1. */
function tanhBwd(n: i32, y: usize, dy: usize, dx: usize): void {
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = ldv(y, i);
    stv(dx, i, f32x4.mul(ldv(dy, i), f32x4.mul(f32x4.sub(one, v), f32x4.add(one, v))));
  }
  if (i < n) {
    const k = n - i;
    const v = ldvPart(y, i, k);
    stvPart(dx, i, k, f32x4.mul(ldvPart(dy, i, k), f32x4.mul(f32x4.sub(one, v), f32x4.add(one, v))));
  }
}

/** softsign' = (1 − |y|)². */
function softsignBwd(n: i32, y: usize, dy: usize, dx: usize): void {
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const t = f32x4.sub(one, f32x4.abs(ldv(y, i)));
    stv(dx, i, f32x4.mul(ldv(dy, i), f32x4.mul(t, t)));
  }
  if (i < n) {
    const k = n - i;
    const t = f32x4.sub(one, f32x4.abs(ldvPart(y, i, k)));
    stvPart(dx, i, k, f32x4.mul(ldvPart(dy, i, k), f32x4.mul(t, t)));
  }
}

/**
 * relu (hi = ∞, slope 1), relu6 (hi = 6), hardSigmoid (hi = 1, dy/6) and hardSigmoidTfjs (hi = 1, dy/5):
 * dy/div where 0 < y < hi, else 0.
 */
function windowBwd(n: i32, y: usize, dy: usize, dx: usize, hi: f32, div: f32): void {
  const zero = f32x4.splat(0);
  const top = f32x4.splat(hi);
  const d = f32x4.splat(div);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = ldv(y, i);
    const inside = v128.and(f32x4.gt(v, zero), f32x4.lt(v, top));
    stv(dx, i, v128.and(f32x4.div(ldv(dy, i), d), inside));
  }
  if (i < n) {
    const k = n - i;
    const v = ldvPart(y, i, k);
    const inside = v128.and(f32x4.gt(v, zero), f32x4.lt(v, top));
    stvPart(dx, i, k, v128.and(f32x4.div(ldvPart(dy, i, k), d), inside));
  }
}

/** leakyRelu' = y > 0 ? 1 : α. */
function leakyReluBwd(n: i32, y: usize, dy: usize, dx: usize, alpha: f32): void {
  const zero = f32x4.splat(0);
  const a = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const g = ldv(dy, i);
    stv(dx, i, v128.bitselect(g, f32x4.mul(g, a), f32x4.gt(ldv(y, i), zero)));
  }
  if (i < n) {
    const k = n - i;
    const g = ldvPart(dy, i, k);
    stvPart(dx, i, k, v128.bitselect(g, f32x4.mul(g, a), f32x4.gt(ldvPart(y, i, k), zero)));
  }
}

/**
 * elu (scale 1, c = α) and selu (scale, c = scale·α): y > 0 ? scale : y + c, since for x ≤ 0
 * y = c(e^x − 1) gives c·e^x = y + c (exact near saturation by Sterbenz).
 */
function eluBwd(n: i32, y: usize, dy: usize, dx: usize, c: f32, scale: f32): void {
  const zero = f32x4.splat(0);
  const vc = f32x4.splat(c);
  const vs = f32x4.splat(scale);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = ldv(y, i);
    const g = ldv(dy, i);
    stv(dx, i, v128.bitselect(f32x4.mul(g, vs), f32x4.mul(g, f32x4.add(v, vc)), f32x4.gt(v, zero)));
  }
  if (i < n) {
    const k = n - i;
    const v = ldvPart(y, i, k);
    const g = ldvPart(dy, i, k);
    stvPart(dx, i, k, v128.bitselect(f32x4.mul(g, vs), f32x4.mul(g, f32x4.add(v, vc)), f32x4.gt(v, zero)));
  }
}

// ---------------------------------------------------------------------------------------------------
// Backward, scalar f64 families

/** softplus' = σ(x) = 1 − e^−y, as −expm1(−y) so it keeps precision as y → 0. */
function softplusBwd(n: i32, y: usize, dy: usize, dx: usize): void {
  for (let i = 0; i < n; i++) {
    stf(dx, i, <f32>(<f64>ldf(dy, i) * -Math.expm1(-<f64>ldf(y, i))));
  }
}

/** gelu' = Φ(x) + x·φ(x). */
function geluBwd(n: i32, x: usize, dy: usize, dx: usize): void {
  for (let i = 0; i < n; i++) {
    const v = <f64>ldf(x, i);
    stf(dx, i, <f32>(<f64>ldf(dy, i) * (normalCdf64(v) + v * normalPdf64(v))));
  }
}

/** swish' = σ(x)·(1 + x·(1 − σ(x))). */
function swishBwd(n: i32, x: usize, dy: usize, dx: usize): void {
  for (let i = 0; i < n; i++) {
    const v = <f64>ldf(x, i);
    const s = sigmoid64(v);
    stf(dx, i, <f32>(<f64>ldf(dy, i) * (s * (1.0 + v * (1.0 - s)))));
  }
}

/** mish' = tanh(sp) + x·σ(x)·(1 − tanh²(sp)), sp = softplus(x). */
function mishBwd(n: i32, x: usize, dy: usize, dx: usize): void {
  for (let i = 0; i < n; i++) {
    const v = <f64>ldf(x, i);
    const t = Math.tanh(softplus64(v));
    stf(dx, i, <f32>(<f64>ldf(dy, i) * (t + v * sigmoid64(v) * (1.0 - t * t))));
  }
}
