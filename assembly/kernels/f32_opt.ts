// Optimizer steps: each updates n contiguous f32 parameters (and its state slots) in one pass, with
// Keras 3's formulas in Keras 3's operation order, in f32 arithmetic.
//
// Shape of every optimizer: an @inline `…At(i, one, …)` holds the formula for four elements at `i`
// (or, with `one`, the single element `i` of the scalar tail: see ldvOr1 in core/ptr.ts), and the
// exported function splats the hyperparameters and runs it over the SIMD body, then the tail.
// A new optimizer is one more such pair.

import { ldvOr1, stvOr1 } from "../core/ptr";

// ---- SGD (keras/src/optimizers/sgd.py, momentum == 0) ----

/** p -= g·lr */
export function f32_sgd(n: i32, p: usize, g: usize, lr: f32): void {
  const lrv = f32x4.splat(lr);
  let i = 0;
  for (; i + 4 <= n; i += 4) sgdAt(i, false, p, g, lrv);
  for (; i < n; i++) sgdAt(i, true, p, g, lrv);
}

@inline function sgdAt(i: i32, one: bool, p: usize, g: usize, lr: v128): void {
  stvOr1(p, i, f32x4.sub(ldvOr1(p, i, one), f32x4.mul(ldvOr1(g, i, one), lr)), one);
}

// ---- SGD with momentum (sgd.py, momentum > 0) ----

/** m = m·momentum − g·lr;  p += nesterov ? m·momentum − g·lr : m */
export function f32_momentum(n: i32, p: usize, g: usize, m: usize, lr: f32, momentum: f32, nesterov: i32): void {
  const lrv = f32x4.splat(lr);
  const mu = f32x4.splat(momentum);
  let i = 0;
  // The nesterov branch is hoisted out of the loops (a literal per call site, folded when inlined).
  if (nesterov) {
    for (; i + 4 <= n; i += 4) momentumAt(i, false, p, g, m, lrv, mu, true);
    for (; i < n; i++) momentumAt(i, true, p, g, m, lrv, mu, true);
  } else {
    for (; i + 4 <= n; i += 4) momentumAt(i, false, p, g, m, lrv, mu, false);
    for (; i < n; i++) momentumAt(i, true, p, g, m, lrv, mu, false);
  }
}

@inline function momentumAt(i: i32, one: bool, p: usize, g: usize, m: usize, lr: v128, mu: v128, nesterov: bool): void {
  const gLr = f32x4.mul(ldvOr1(g, i, one), lr);
  const mNew = f32x4.sub(f32x4.mul(ldvOr1(m, i, one), mu), gLr);
  stvOr1(m, i, mNew, one);
  // Nesterov looks ahead: the step is the velocity applied once more, not the velocity itself.
  const step = nesterov ? f32x4.sub(f32x4.mul(mNew, mu), gLr) : mNew;
  stvOr1(p, i, f32x4.add(ldvOr1(p, i, one), step), one);
}

// ---- Adam and AMSGrad (keras/src/optimizers/adam.py) ----
// alpha = lr·√(1−β2ᵗ)/(1−β1ᵗ) comes from the facade per step: Keras's "epsilon hat" form, where
// the bias corrections are folded into the step size and eps is added to √v unscaled.

/** m += (g − m)·(1−β1);  v += (g² − v)·(1−β2);  p -= (m·alpha) / (√v + eps) */
export function f32_adam(n: i32, p: usize, g: usize, m: usize, v: usize, alpha: f32, beta1: f32, beta2: f32, eps: f32): void {
  const a = f32x4.splat(alpha);
  const c1 = f32x4.splat(1 - beta1);
  const c2 = f32x4.splat(1 - beta2);
  const e = f32x4.splat(eps);
  let i = 0;
  for (; i + 4 <= n; i += 4) adamAt(i, false, p, g, m, v, 0, a, c1, c2, e);
  for (; i < n; i++) adamAt(i, true, p, g, m, v, 0, a, c1, c2, e);
}

/** As Adam, then vhat = max(vhat, v) and the step divides by √vhat instead of √v. */
export function f32_amsgrad(n: i32, p: usize, g: usize, m: usize, v: usize, vhat: usize, alpha: f32, beta1: f32, beta2: f32, eps: f32): void {
  const a = f32x4.splat(alpha);
  const c1 = f32x4.splat(1 - beta1);
  const c2 = f32x4.splat(1 - beta2);
  const e = f32x4.splat(eps);
  let i = 0;
  for (; i + 4 <= n; i += 4) adamAt(i, false, p, g, m, v, vhat, a, c1, c2, e);
  for (; i < n; i++) adamAt(i, true, p, g, m, v, vhat, a, c1, c2, e);
}

/** One Adam step; `vhat` == 0 (a literal in f32_adam, so it folds away) means plain Adam. */
@inline function adamAt(
  i: i32, one: bool, p: usize, g: usize, m: usize, v: usize, vhat: usize,
  alpha: v128, oneMinusBeta1: v128, oneMinusBeta2: v128, eps: v128,
): void {
  const gi = ldvOr1(g, i, one);
  const m0 = ldvOr1(m, i, one);
  const mi = f32x4.add(m0, f32x4.mul(f32x4.sub(gi, m0), oneMinusBeta1));
  stvOr1(m, i, mi, one);
  const v0 = ldvOr1(v, i, one);
  let vi = f32x4.add(v0, f32x4.mul(f32x4.sub(f32x4.mul(gi, gi), v0), oneMinusBeta2));
  stvOr1(v, i, vi, one);
  if (vhat) {
    // AMSGrad: the denominator never shrinks.
    vi = f32x4.max(ldvOr1(vhat, i, one), vi);
    stvOr1(vhat, i, vi, one);
  }
  const step = f32x4.div(f32x4.mul(mi, alpha), f32x4.add(f32x4.sqrt(vi), eps));
  stvOr1(p, i, f32x4.sub(ldvOr1(p, i, one), step), one);
}
