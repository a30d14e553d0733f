// Weight regularization (Keras's L1L2): the penalty l1·Σ|w| + l2·Σw² a layer's kernel or bias adds to
// the loss, and its gradient l1·sign(w) + 2·l2·w added to the weight gradient, over n contiguous floats.
//
// The sums are accumulated in f64 (|w| and w² of an f32 are exact in f64) in an order that depends on
// n only, as f32_sumsq does: four lane sums over the SIMD body, combined as (l0 + l1) + (l2 + l3), then
// the tail in index order. sign(0) is 0, as TensorFlow's gradient of |w|.

import { ldf, ldv, ldvOr1, stvOr1 } from "../core/ptr";

/** l1·Σ|w| + l2·Σw², in f64. */
export function f32_penalty(n: i32, w: usize, l1: f32, l2: f32): f64 {
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = ldv(w, i);
    const lo = f64x2.promote_low_f32x4(v);
    const hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
    a0 = f64x2.add(a0, f64x2.abs(lo));
    a1 = f64x2.add(a1, f64x2.abs(hi));
    s0 = f64x2.add(s0, f64x2.mul(lo, lo));
    s1 = f64x2.add(s1, f64x2.mul(hi, hi));
  }
  let abs = (f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1)) + (f64x2.extract_lane(a1, 0) + f64x2.extract_lane(a1, 1));
  let sq = (f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1)) + (f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1));
  for (; i < n; i++) {
    const x = <f64>ldf(w, i);
    abs += Math.abs(x);
    sq += x * x;
  }
  return <f64>l1 * abs + <f64>l2 * sq;
}

/** g += l1·sign(w) + l2·(2·w), in f32. */
export function f32_penalty_grad(n: i32, w: usize, g: usize, l1: f32, l2: f32): void {
  const l1v = f32x4.splat(l1), l2v = f32x4.splat(l2);
  let i = 0;
  for (; i + 4 <= n; i += 4) gradAt(i, false, w, g, l1v, l2v);
  for (; i < n; i++) gradAt(i, true, w, g, l1v, l2v);
}

@inline function gradAt(i: i32, one: bool, w: usize, g: usize, l1: v128, l2: v128): void {
  const x = ldvOr1(w, i, one);
  const zero = f32x4.splat(0);
  // sign(x): +1 where x > 0, −1 where x < 0, 0 at ±0 (and NaN).
  const sign = v128.or(
    v128.and(f32x4.gt(x, zero), f32x4.splat(1)),
    v128.and(f32x4.lt(x, zero), f32x4.splat(-1)),
  );
  const reg = f32x4.add(f32x4.mul(l1, sign), f32x4.mul(l2, f32x4.add(x, x)));
  stvOr1(g, i, f32x4.add(ldvOr1(g, i, one), reg), one);
}
