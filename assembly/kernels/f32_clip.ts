// Gradient clipping (keras/src/optimizers/base_optimizer.py: _clip_gradients, _clip_by_norm,
// clip_by_global_norm) and the reductions it needs, over n contiguous floats, with no allocation.
//
// Sums of squares are accumulated in f64 (each square of an f32 is exact in f64) in an order that
// depends on n only: four lane sums over the SIMD body, combined as (l0 + l1) + (l2 + l3), then the
// tail in index order. So the same data gives the same bits at any address, in any runtime.
//
// Global clipping (clip_by_global_norm) is done by the caller: the f32_sumsq of every gradient
// tensor, summed, gives the norm, Keras's scale is formed from it, and f32_scale applies it.

import { ldf, ldv, ldvOr1, stvOr1 } from "../core/ptr";

/** g = clip(g, −c, c), i.e. min(max(g, −c), c); NaN stays NaN (f32x4.min/max propagate it). */
export function f32_clip_value(n: i32, g: usize, c: f32): void {
  const hi = f32x4.splat(c);
  const lo = f32x4.splat(-c);
  let i = 0;
  for (; i + 4 <= n; i += 4) clipValueAt(i, false, g, lo, hi);
  for (; i < n; i++) clipValueAt(i, true, g, lo, hi);
}

@inline function clipValueAt(i: i32, one: bool, g: usize, lo: v128, hi: v128): void {
  stvOr1(g, i, f32x4.min(f32x4.max(ldvOr1(g, i, one), lo), hi), one);
}

/** Σ x², in f64, in the fixed order described above. */
export function f32_sumsq(n: i32, x: usize): f64 {
  let lo = f64x2.splat(0);
  let hi = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = ldv(x, i);
    const a = f64x2.promote_low_f32x4(v);
    const b = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
    lo = f64x2.add(lo, f64x2.mul(a, a));
    hi = f64x2.add(hi, f64x2.mul(b, b));
  }
  let sum = (f64x2.extract_lane(lo, 0) + f64x2.extract_lane(lo, 1)) + (f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1));
  for (; i < n; i++) {
    const xi = <f64>ldf(x, i);
    sum += xi * xi;
  }
  return sum;
}

/** x *= s */
export function f32_scale(n: i32, x: usize, s: f32): void {
  const sv = f32x4.splat(s);
  let i = 0;
  for (; i + 4 <= n; i += 4) scaleAt(i, false, x, sv);
  for (; i < n; i++) scaleAt(i, true, x, sv);
}

@inline function scaleAt(i: i32, one: bool, x: usize, s: v128): void {
  stvOr1(x, i, f32x4.mul(ldvOr1(x, i, one), s), one);
}

/**
 * Keras's clip_by_norm on one tensor (clipnorm): norm = √Σg²;  g = (g·c) / max(norm, c).
 * Like Keras, this rounds g·c and the quotient even when norm ≤ c (so g may move by an ulp), and
 * leaves g alone when Σg² == 0 (all elements ±0). The norm is √ of the f64 sum, rounded once to f32.
 */
export function f32_clip_norm(n: i32, g: usize, c: f32): void {
  const sumsq = f32_sumsq(n, g);
  if (sumsq == 0) return;
  const norm = <f32>Math.sqrt(sumsq);
  const cv = f32x4.splat(c);
  // f32x4.max, not pmax: a NaN norm (a NaN gradient) makes every element NaN, as in Keras.
  const denom = f32x4.max(f32x4.splat(norm), cv);
  let i = 0;
  for (; i + 4 <= n; i += 4) clipNormAt(i, false, g, cv, denom);
  for (; i < n; i++) clipNormAt(i, true, g, cv, denom);
}

@inline function clipNormAt(i: i32, one: bool, g: usize, c: v128, denom: v128): void {
  stvOr1(g, i, f32x4.div(f32x4.mul(ldvOr1(g, i, one), c), denom), one);
}
