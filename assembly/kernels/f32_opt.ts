// Optimizer steps: each updates n contiguous f32 parameters (and its state slots) in one pass, with
// Keras 3's formulas in Keras 3's operation order, in f32 arithmetic.
//
// Complements such as 1 − β come from the facade: Keras forms most of them in float64 from Python
// floats (Adam, Adamax, RMSprop, Adadelta) and some in f32 after a cast (Nadam, Lion), and each
// optimizer's facade class does as Keras does, so no kernel forms 1 − x itself.
//
// Shape of every optimizer: an @inline `…At(i, one, …)` holds the formula for four elements at `i`
// (or, with `one`, the single element `i` of the scalar tail: see ldvOr1 in core/ptr.ts), and the
// exported function splats the hyperparameters and runs it over the SIMD body, then the tail.
// A new optimizer is one more such pair.

import { ldvOr1, stvOr1 } from "../core/ptr";

/**
 * State that decays towards zero (moments of parameters whose gradient stays 0, e.g. always-blank
 * pixels) would turn subnormal, and x86 computes on subnormals ~100× slower: every optimizer flushes
 * its decaying state to 0, as TensorFlow's CPU kernels do. A plain lane mask, so every runtime gets the same bits.
 */
@inline function flushSubnormal(x: v128): v128 {
  return v128.andnot(x, f32x4.lt(f32x4.abs(x), f32x4.splat(1.17549435e-38)));
}

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
  const mNew = flushSubnormal(f32x4.sub(f32x4.mul(ldvOr1(m, i, one), mu), gLr));
  stvOr1(m, i, mNew, one);
  // Nesterov looks ahead: the step is the velocity applied once more, not the velocity itself.
  const step = nesterov ? f32x4.sub(f32x4.mul(mNew, mu), gLr) : mNew;
  stvOr1(p, i, f32x4.add(ldvOr1(p, i, one), step), one);
}

// ---- Adam and AMSGrad (keras/src/optimizers/adam.py) ----
// alpha = lr·√(1−β2ᵗ)/(1−β1ᵗ) comes from the facade per step: Keras's "epsilon hat" form, where
// the bias corrections are folded into the step size and eps is added to √v unscaled.

/** m += (g − m)·(1−β1);  v += (g² − v)·(1−β2);  p -= (m·alpha) / (√v + eps) */
export function f32_adam(n: i32, p: usize, g: usize, m: usize, v: usize, alpha: f32, oneMinusBeta1: f32, oneMinusBeta2: f32, eps: f32): void {
  const a = f32x4.splat(alpha);
  const c1 = f32x4.splat(oneMinusBeta1);
  const c2 = f32x4.splat(oneMinusBeta2);
  const e = f32x4.splat(eps);
  let i = 0;
  for (; i + 4 <= n; i += 4) adamAt(i, false, p, g, m, v, 0, a, c1, c2, e);
  for (; i < n; i++) adamAt(i, true, p, g, m, v, 0, a, c1, c2, e);
}

/** As Adam, then vhat = max(vhat, v) and the step divides by √vhat instead of √v. */
export function f32_amsgrad(n: i32, p: usize, g: usize, m: usize, v: usize, vhat: usize, alpha: f32, oneMinusBeta1: f32, oneMinusBeta2: f32, eps: f32): void {
  const a = f32x4.splat(alpha);
  const c1 = f32x4.splat(oneMinusBeta1);
  const c2 = f32x4.splat(oneMinusBeta2);
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
  const mi = flushSubnormal(f32x4.add(m0, f32x4.mul(f32x4.sub(gi, m0), oneMinusBeta1)));
  stvOr1(m, i, mi, one);
  const v0 = ldvOr1(v, i, one);
  let vi = flushSubnormal(f32x4.add(v0, f32x4.mul(f32x4.sub(f32x4.mul(gi, gi), v0), oneMinusBeta2)));
  stvOr1(v, i, vi, one);
  if (vhat) {
    // AMSGrad: the denominator never shrinks.
    vi = f32x4.max(ldvOr1(vhat, i, one), vi);
    stvOr1(vhat, i, vi, one);
  }
  const step = f32x4.div(f32x4.mul(mi, alpha), f32x4.add(f32x4.sqrt(vi), eps));
  stvOr1(p, i, f32x4.sub(ldvOr1(p, i, one), step), one);
}

// ---- Decoupled weight decay (keras/src/optimizers/base_optimizer.py, _apply_weight_decay) ----
// Keras runs it for every optimizer built with weight_decay (AdamW only makes it mandatory), after
// gradient clipping and before the update step, with the unscaled learning rate of the step.

/** p -= (p·wd)·lr */
export function f32_decay(n: i32, p: usize, wd: f32, lr: f32): void {
  const w = f32x4.splat(wd);
  const lrv = f32x4.splat(lr);
  let i = 0;
  for (; i + 4 <= n; i += 4) decayAt(i, false, p, w, lrv);
  for (; i < n; i++) decayAt(i, true, p, w, lrv);
}

@inline function decayAt(i: i32, one: bool, p: usize, wd: v128, lr: v128): void {
  const pi = ldvOr1(p, i, one);
  stvOr1(p, i, f32x4.sub(pi, f32x4.mul(f32x4.mul(pi, wd), lr)), one);
}

// ---- Adagrad (keras/src/optimizers/adagrad.py) ----
// The facade fills acc with initial_accumulator_value (Keras default 0.1) when the slots are made.

/** acc += g²;  p -= (lr·g) / √(acc + eps) */
export function f32_adagrad(n: i32, p: usize, g: usize, acc: usize, lr: f32, eps: f32): void {
  const lrv = f32x4.splat(lr);
  const e = f32x4.splat(eps);
  let i = 0;
  for (; i + 4 <= n; i += 4) adagradAt(i, false, p, g, acc, lrv, e);
  for (; i < n; i++) adagradAt(i, true, p, g, acc, lrv, e);
}

@inline function adagradAt(i: i32, one: bool, p: usize, g: usize, acc: usize, lr: v128, eps: v128): void {
  const gi = ldvOr1(g, i, one);
  const a = f32x4.add(ldvOr1(acc, i, one), f32x4.mul(gi, gi));
  stvOr1(acc, i, a, one);
  const step = f32x4.div(f32x4.mul(lr, gi), f32x4.sqrt(f32x4.add(a, eps)));
  stvOr1(p, i, f32x4.sub(ldvOr1(p, i, one), step), one);
}

// ---- RMSprop (keras/src/optimizers/rmsprop.py) ----
// Slots: v always; mom only when momentum > 0, avg only when centered (0 otherwise: never touched).

/**
 * v = ρ·v + (1−ρ)·g²;  centered: avg = ρ·avg + (1−ρ)·g, denom = (v − avg²) + eps, else denom = v + eps;
 * inc = (lr·g) / √denom;  momentum > 0: mom = momentum·mom + inc, p -= mom;  else p -= inc
 */
export function f32_rmsprop(
  n: i32, p: usize, g: usize, v: usize, mom: usize, avg: usize,
  lr: f32, rho: f32, oneMinusRho: f32, momentum: f32, eps: f32, centered: i32,
): void {
  const lrv = f32x4.splat(lr);
  const r = f32x4.splat(rho);
  const c = f32x4.splat(oneMinusRho);
  const mu = f32x4.splat(momentum);
  const e = f32x4.splat(eps);
  // Both flags are hoisted out of the loops: four literal combinations, each folded when inlined.
  if (centered) {
    if (momentum > 0) rmspropLoop(n, p, g, v, mom, avg, lrv, r, c, mu, e, true, true);
    else rmspropLoop(n, p, g, v, mom, avg, lrv, r, c, mu, e, true, false);
  } else {
    if (momentum > 0) rmspropLoop(n, p, g, v, mom, avg, lrv, r, c, mu, e, false, true);
    else rmspropLoop(n, p, g, v, mom, avg, lrv, r, c, mu, e, false, false);
  }
}

@inline function rmspropLoop(
  n: i32, p: usize, g: usize, v: usize, mom: usize, avg: usize,
  lr: v128, rho: v128, oneMinusRho: v128, momentum: v128, eps: v128, centered: bool, useMomentum: bool,
): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) rmspropAt(i, false, p, g, v, mom, avg, lr, rho, oneMinusRho, momentum, eps, centered, useMomentum);
  for (; i < n; i++) rmspropAt(i, true, p, g, v, mom, avg, lr, rho, oneMinusRho, momentum, eps, centered, useMomentum);
}

@inline function rmspropAt(
  i: i32, one: bool, p: usize, g: usize, v: usize, mom: usize, avg: usize,
  lr: v128, rho: v128, oneMinusRho: v128, momentum: v128, eps: v128, centered: bool, useMomentum: bool,
): void {
  const gi = ldvOr1(g, i, one);
  const vi = flushSubnormal(f32x4.add(f32x4.mul(rho, ldvOr1(v, i, one)), f32x4.mul(oneMinusRho, f32x4.mul(gi, gi))));
  stvOr1(v, i, vi, one);
  let denom: v128;
  if (centered) {
    const ai = flushSubnormal(f32x4.add(f32x4.mul(rho, ldvOr1(avg, i, one)), f32x4.mul(oneMinusRho, gi)));
    stvOr1(avg, i, ai, one);
    denom = f32x4.add(f32x4.sub(vi, f32x4.mul(ai, ai)), eps);
  } else {
    denom = f32x4.add(vi, eps);
  }
  let step = f32x4.div(f32x4.mul(lr, gi), f32x4.sqrt(denom));
  if (useMomentum) {
    step = flushSubnormal(f32x4.add(f32x4.mul(momentum, ldvOr1(mom, i, one)), step));
    stvOr1(mom, i, step, one);
  }
  stvOr1(p, i, f32x4.sub(ldvOr1(p, i, one), step), one);
}

// ---- Adadelta (keras/src/optimizers/adadelta.py) ----

/**
 * accGrad = ρ·accGrad + (1−ρ)·g²;  delta = −((√(accDelta + eps)·g) / √(accGrad + eps))  (new accGrad);
 * accDelta = ρ·accDelta + (1−ρ)·delta²;  p += lr·delta
 */
export function f32_adadelta(n: i32, p: usize, g: usize, accGrad: usize, accDelta: usize, lr: f32, rho: f32, oneMinusRho: f32, eps: f32): void {
  const lrv = f32x4.splat(lr);
  const r = f32x4.splat(rho);
  const c = f32x4.splat(oneMinusRho);
  const e = f32x4.splat(eps);
  let i = 0;
  for (; i + 4 <= n; i += 4) adadeltaAt(i, false, p, g, accGrad, accDelta, lrv, r, c, e);
  for (; i < n; i++) adadeltaAt(i, true, p, g, accGrad, accDelta, lrv, r, c, e);
}

@inline function adadeltaAt(
  i: i32, one: bool, p: usize, g: usize, accGrad: usize, accDelta: usize,
  lr: v128, rho: v128, oneMinusRho: v128, eps: v128,
): void {
  const gi = ldvOr1(g, i, one);
  const ag = flushSubnormal(f32x4.add(f32x4.mul(rho, ldvOr1(accGrad, i, one)), f32x4.mul(oneMinusRho, f32x4.mul(gi, gi))));
  stvOr1(accGrad, i, ag, one);
  const ad0 = ldvOr1(accDelta, i, one);
  const delta = f32x4.neg(f32x4.div(f32x4.mul(f32x4.sqrt(f32x4.add(ad0, eps)), gi), f32x4.sqrt(f32x4.add(ag, eps))));
  stvOr1(accDelta, i, flushSubnormal(f32x4.add(f32x4.mul(rho, ad0), f32x4.mul(oneMinusRho, f32x4.mul(delta, delta)))), one);
  stvOr1(p, i, f32x4.add(ldvOr1(p, i, one), f32x4.mul(lr, delta)), one);
}

// ---- Adamax (keras/src/optimizers/adamax.py) ----
// beta1Power = β1ᵗ (t from 1) comes from the facade per step; 1 − β1ᵗ is an f32 tensor op in Keras, so
// it is formed here in f32.

/** m += (g − m)·(1−β1);  u = max(β2·u, |g|);  p -= (lr·m) / ((1 − β1ᵗ)·(u + eps)) */
export function f32_adamax(n: i32, p: usize, g: usize, m: usize, u: usize, lr: f32, oneMinusBeta1: f32, beta2: f32, eps: f32, beta1Power: f32): void {
  const lrv = f32x4.splat(lr);
  const c1 = f32x4.splat(oneMinusBeta1);
  const b2 = f32x4.splat(beta2);
  const e = f32x4.splat(eps);
  const bc = f32x4.splat(1 - beta1Power);
  let i = 0;
  for (; i + 4 <= n; i += 4) adamaxAt(i, false, p, g, m, u, lrv, c1, b2, e, bc);
  for (; i < n; i++) adamaxAt(i, true, p, g, m, u, lrv, c1, b2, e, bc);
}

@inline function adamaxAt(
  i: i32, one: bool, p: usize, g: usize, m: usize, u: usize,
  lr: v128, oneMinusBeta1: v128, beta2: v128, eps: v128, correction: v128,
): void {
  const gi = ldvOr1(g, i, one);
  const m0 = ldvOr1(m, i, one);
  const mi = flushSubnormal(f32x4.add(m0, f32x4.mul(f32x4.sub(gi, m0), oneMinusBeta1)));
  stvOr1(m, i, mi, one);
  // f32x4.max, not pmax: a NaN on either side propagates, as ops.maximum does.
  const ui = flushSubnormal(f32x4.max(f32x4.mul(beta2, ldvOr1(u, i, one)), f32x4.abs(gi)));
  stvOr1(u, i, ui, one);
  const step = f32x4.div(f32x4.mul(lr, mi), f32x4.mul(correction, f32x4.add(ui, eps)));
  stvOr1(p, i, f32x4.sub(ldvOr1(p, i, one), step), one);
}

// ---- Nadam (keras/src/optimizers/nadam.py) ----
// The momentum schedule comes from the facade per step t (from 1), as f32 computed in Keras's order:
// ut = β1·(1 − 0.5·0.96ᵗ), ut1 the same at t+1, uProd = Keras's running product _u_product after its
// update for step t, uProd1 = uProd·ut1, beta2Power = β2ᵗ. The complements of these f32 tensors are
// formed here in f32, as Keras does; 1 − β1 and 1 − β2 come in (Keras: 1 − f32(β)).

/**
 * m += (g − m)·(1−β1);  v += (g² − v)·(1−β2);
 * mHat = (ut1·m)/(1 − uProd1) + ((1 − ut)·g)/(1 − uProd);  vHat = v/(1 − β2ᵗ);  p -= (mHat·lr)/(√vHat + eps)
 */
export function f32_nadam(
  n: i32, p: usize, g: usize, m: usize, v: usize, lr: f32, oneMinusBeta1: f32, oneMinusBeta2: f32, eps: f32,
  ut: f32, ut1: f32, uProd: f32, uProd1: f32, beta2Power: f32,
): void {
  const lrv = f32x4.splat(lr);
  const c1 = f32x4.splat(oneMinusBeta1);
  const c2 = f32x4.splat(oneMinusBeta2);
  const e = f32x4.splat(eps);
  const u1 = f32x4.splat(ut1);
  const d1 = f32x4.splat(1 - uProd1);
  const cu = f32x4.splat(1 - ut);
  const d0 = f32x4.splat(1 - uProd);
  const bc = f32x4.splat(1 - beta2Power);
  let i = 0;
  for (; i + 4 <= n; i += 4) nadamAt(i, false, p, g, m, v, lrv, c1, c2, e, u1, d1, cu, d0, bc);
  for (; i < n; i++) nadamAt(i, true, p, g, m, v, lrv, c1, c2, e, u1, d1, cu, d0, bc);
}

@inline function nadamAt(
  i: i32, one: bool, p: usize, g: usize, m: usize, v: usize,
  lr: v128, oneMinusBeta1: v128, oneMinusBeta2: v128, eps: v128,
  ut1: v128, oneMinusUProd1: v128, oneMinusUt: v128, oneMinusUProd: v128, oneMinusBeta2Power: v128,
): void {
  const gi = ldvOr1(g, i, one);
  const m0 = ldvOr1(m, i, one);
  const mi = flushSubnormal(f32x4.add(m0, f32x4.mul(f32x4.sub(gi, m0), oneMinusBeta1)));
  stvOr1(m, i, mi, one);
  const v0 = ldvOr1(v, i, one);
  const vi = flushSubnormal(f32x4.add(v0, f32x4.mul(f32x4.sub(f32x4.mul(gi, gi), v0), oneMinusBeta2)));
  stvOr1(v, i, vi, one);
  const mHat = f32x4.add(
    f32x4.div(f32x4.mul(ut1, mi), oneMinusUProd1),
    f32x4.div(f32x4.mul(oneMinusUt, gi), oneMinusUProd),
  );
  const vHat = f32x4.div(vi, oneMinusBeta2Power);
  const step = f32x4.div(f32x4.mul(mHat, lr), f32x4.add(f32x4.sqrt(vHat), eps));
  stvOr1(p, i, f32x4.sub(ldvOr1(p, i, one), step), one);
}

// ---- Lion (keras/src/optimizers/lion.py) ----

/** p -= lr·sign(m·β1 + g·(1−β1));  m = m·β2 + g·(1−β2)   (both from the old m) */
export function f32_lion(n: i32, p: usize, g: usize, m: usize, lr: f32, beta1: f32, oneMinusBeta1: f32, beta2: f32, oneMinusBeta2: f32): void {
  const lrv = f32x4.splat(lr);
  const b1 = f32x4.splat(beta1);
  const c1 = f32x4.splat(oneMinusBeta1);
  const b2 = f32x4.splat(beta2);
  const c2 = f32x4.splat(oneMinusBeta2);
  let i = 0;
  for (; i + 4 <= n; i += 4) lionAt(i, false, p, g, m, lrv, b1, c1, b2, c2);
  for (; i < n; i++) lionAt(i, true, p, g, m, lrv, b1, c1, b2, c2);
}

@inline function lionAt(
  i: i32, one: bool, p: usize, g: usize, m: usize,
  lr: v128, beta1: v128, oneMinusBeta1: v128, beta2: v128, oneMinusBeta2: v128,
): void {
  const gi = ldvOr1(g, i, one);
  const m0 = ldvOr1(m, i, one);
  const c = f32x4.add(f32x4.mul(m0, beta1), f32x4.mul(gi, oneMinusBeta1));
  stvOr1(p, i, f32x4.sub(ldvOr1(p, i, one), f32x4.mul(lr, signv(c))), one);
  stvOr1(m, i, flushSubnormal(f32x4.add(f32x4.mul(m0, beta2), f32x4.mul(gi, oneMinusBeta2))), one);
}

/** sign per lane: ±1 where x ≠ 0, and x itself (±0, NaN) elsewhere, like ops.sign. */
@inline function signv(x: v128): v128 {
  const unit = v128.bitselect(x, f32x4.splat(1), i32x4.splat(0x80000000)); // copysign(1, x)
  return v128.bitselect(unit, x, f32x4.gt(f32x4.abs(x), f32x4.splat(0)));
}
