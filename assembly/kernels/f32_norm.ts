// Batch normalization over the last axis (Keras BatchNormalization, axis=-1): the input is viewed as
// [n, c] (n = rows × positions), with per-channel statistics over the n rows.
//
// Reductions run per block of four channels down all n rows, accumulated in f64 (sums of f32 and products
// of two f32 are exact in f64) in row order, so a channel's result never depends on n's or c's remainder
// mod 4, nor on its position. The scalar tail goes through the same SIMD formula on a splatted lane
// (ldvOr1/stvOr1), so tail channels round exactly like the vector ones. The forward pass walks rows in
// tiles of ROW_TILE, so that 1/√(var + eps) is formed once per channel block per tile while the tile
// stays in cache; the per-element formula is the same for any n.

import { ldvOr1, stvOr1 } from "../core/ptr";

// Rows per forward tile: 64 rows of 64 channels are 16 KiB, well inside L1.
const ROW_TILE = 64;

// ---------------------------------------------------------------------------------------------------
// Entry points

/** Per-channel mean and biased variance (÷ n) of x[n, c]: two f64 passes (mean, then Σ(x − mean)²), stored as f32. */
export function f32_bn_stats(n: i32, c: i32, x: usize, mean: usize, variance: usize): void {
  let j = 0;
  for (; j + 4 <= c; j += 4) statsAt(j, false, n, c, x, mean, variance);
  for (; j < c; j++) statsAt(j, true, n, c, x, mean, variance);
}

/**
 * xhat = (x − mean)·(1/√(variance + eps)); y = xhat·gamma + beta. gamma == 0: γ ≡ 1 (scale=false);
 * beta == 0: β ≡ 0 (center=false); xhat == 0: not stored (inference). y == x is allowed.
 */
export function f32_bn_forward(
  n: i32, c: i32, x: usize, mean: usize, variance: usize, eps: f32, gamma: usize, beta: usize, y: usize, xhat: usize,
): void {
  const e = f32x4.splat(eps);
  for (let i0 = 0; i0 < n; i0 += ROW_TILE) {
    const i1 = min(n, i0 + ROW_TILE);
    let j = 0;
    for (; j + 4 <= c; j += 4) forwardAt(j, false, i0, i1, c, x, mean, variance, e, gamma, beta, y, xhat);
    for (; j < c; j++) forwardAt(j, true, i0, i1, c, x, mean, variance, e, gamma, beta, y, xhat);
  }
}

/**
 * The training-mode gradient (mean and variance are the batch's, functions of x):
 * dgamma = Σ dy·xhat, dbeta = Σ dy (f64 sums; pointer 0 skips), and
 * dx = γ/√(var + eps) · (dy − mean(dy) − xhat·mean(dy·xhat)). gamma == 0: γ ≡ 1. dx == dy is allowed.
 */
export function f32_bn_backward(
  n: i32, c: i32, dy: usize, xhat: usize, variance: usize, eps: f32, gamma: usize, dgamma: usize, dbeta: usize, dx: usize,
): void {
  const e = f32x4.splat(eps);
  let j = 0;
  for (; j + 4 <= c; j += 4) backwardAt(j, false, n, c, dy, xhat, variance, e, gamma, dgamma, dbeta, dx);
  for (; j < c; j++) backwardAt(j, true, n, c, dy, xhat, variance, e, gamma, dgamma, dbeta, dx);
}

/**
 * moving = moving·momentum + batch·(1 − momentum), for the mean and the (biased) variance, as Keras 3 and
 * tfjs do. 1 − momentum is formed in f32 (exact for momentum in [0.5, 1]).
 */
export function f32_bn_moving(c: i32, mean: usize, variance: usize, movingMean: usize, movingVariance: usize, momentum: f32): void {
  const mo = f32x4.splat(momentum);
  const om = f32x4.splat(1 - momentum);
  let j = 0;
  for (; j + 4 <= c; j += 4) {
    movingAt(j, false, mean, movingMean, mo, om);
    movingAt(j, false, variance, movingVariance, mo, om);
  }
  for (; j < c; j++) {
    movingAt(j, true, mean, movingMean, mo, om);
    movingAt(j, true, variance, movingVariance, mo, om);
  }
}

// ---------------------------------------------------------------------------------------------------
// Per channel block (four channels, or one splatted when `one`)

@inline function statsAt(j: i32, one: bool, n: i32, c: i32, x: usize, mean: usize, variance: usize): void {
  let sLo = f64x2.splat(0);
  let sHi = f64x2.splat(0);
  for (let i = 0, k = j; i < n; i++, k += c) {
    const v = ldvOr1(x, k, one);
    sLo = f64x2.add(sLo, lo64(v));
    sHi = f64x2.add(sHi, hi64(v));
  }
  const nn = f64x2.splat(<f64>n);
  const mLo = f64x2.div(sLo, nn);
  const mHi = f64x2.div(sHi, nn);
  // Second pass around the f64 mean: no cancellation of Σx² − n·mean².
  let qLo = f64x2.splat(0);
  let qHi = f64x2.splat(0);
  for (let i = 0, k = j; i < n; i++, k += c) {
    const v = ldvOr1(x, k, one);
    const dLo = f64x2.sub(lo64(v), mLo);
    const dHi = f64x2.sub(hi64(v), mHi);
    qLo = f64x2.add(qLo, f64x2.mul(dLo, dLo));
    qHi = f64x2.add(qHi, f64x2.mul(dHi, dHi));
  }
  stvOr1(mean, j, toF32(mLo, mHi), one);
  stvOr1(variance, j, toF32(f64x2.div(qLo, nn), f64x2.div(qHi, nn)), one);
}

@inline function forwardAt(
  j: i32, one: bool, i0: i32, i1: i32, c: i32, x: usize, mean: usize, variance: usize, e: v128,
  gamma: usize, beta: usize, y: usize, xhat: usize,
): void {
  const m = ldvOr1(mean, j, one);
  const s = f32x4.div(f32x4.splat(1), f32x4.sqrt(f32x4.add(ldvOr1(variance, j, one), e)));
  const ga = gamma ? ldvOr1(gamma, j, one) : f32x4.splat(1);
  const be = beta ? ldvOr1(beta, j, one) : f32x4.splat(0);
  for (let i = i0, k = i0 * c + j; i < i1; i++, k += c) {
    const xh = f32x4.mul(f32x4.sub(ldvOr1(x, k, one), m), s);
    // Both stores come after the load, so y == x is safe.
    if (xhat) stvOr1(xhat, k, xh, one);
    stvOr1(y, k, f32x4.add(f32x4.mul(xh, ga), be), one);
  }
}

@inline function backwardAt(
  j: i32, one: bool, n: i32, c: i32, dy: usize, xhat: usize, variance: usize, e: v128,
  gamma: usize, dgamma: usize, dbeta: usize, dx: usize,
): void {
  let sLo = f64x2.splat(0); // Σ dy
  let sHi = f64x2.splat(0);
  let pLo = f64x2.splat(0); // Σ dy·xhat
  let pHi = f64x2.splat(0);
  for (let i = 0, k = j; i < n; i++, k += c) {
    const d = ldvOr1(dy, k, one);
    const h = ldvOr1(xhat, k, one);
    const dLo = lo64(d);
    const dHi = hi64(d);
    sLo = f64x2.add(sLo, dLo);
    sHi = f64x2.add(sHi, dHi);
    pLo = f64x2.add(pLo, f64x2.mul(dLo, lo64(h)));
    pHi = f64x2.add(pHi, f64x2.mul(dHi, hi64(h)));
  }
  if (dgamma) stvOr1(dgamma, j, toF32(pLo, pHi), one);
  if (dbeta) stvOr1(dbeta, j, toF32(sLo, sHi), one);
  const nn = f64x2.splat(<f64>n);
  const md = toF32(f64x2.div(sLo, nn), f64x2.div(sHi, nn));
  const mp = toF32(f64x2.div(pLo, nn), f64x2.div(pHi, nn));
  const ga = gamma ? ldvOr1(gamma, j, one) : f32x4.splat(1);
  const scale = f32x4.div(ga, f32x4.sqrt(f32x4.add(ldvOr1(variance, j, one), e)));
  // This block's dy is fully read above, and other blocks are other columns: dx == dy is safe.
  for (let i = 0, k = j; i < n; i++, k += c) {
    const t = f32x4.sub(f32x4.sub(ldvOr1(dy, k, one), md), f32x4.mul(ldvOr1(xhat, k, one), mp));
    stvOr1(dx, k, f32x4.mul(t, scale), one);
  }
}

@inline function movingAt(j: i32, one: bool, batch: usize, moving: usize, mo: v128, om: v128): void {
  stvOr1(moving, j, f32x4.add(f32x4.mul(ldvOr1(moving, j, one), mo), f32x4.mul(ldvOr1(batch, j, one), om)), one);
}

// ---------------------------------------------------------------------------------------------------
// f32x4 ↔ two f64x2

/** Lanes 0, 1 widened to f64. */
@inline function lo64(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

/** Lanes 2, 3 widened to f64. */
@inline function hi64(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
}

/** Four f64 lanes (lo, hi) rounded once each to f32. */
@inline function toF32(lo: v128, hi: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}
