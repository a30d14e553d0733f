// Reference optimizer steps from the Keras 3 formulas (keras/src/optimizers/*.py: sgd, adam, adagrad,
// rmsprop, adadelta, adamax, nadam, lion, and base_optimizer.py's weight decay), in Keras's operation order. Float64 by default; pass `round = Math.fround` to round after every
// operation, which emulates float32 arithmetic exactly (f64 → f32 rounding of +, −, ×, ÷, √ of f32
// operands is correctly rounded), so the kernels can also be checked bit for bit.

type Round = (x: number) => number;
const exact: Round = (x) => x;

/** p -= g·lr */
export function refSgd(p: Float64Array, g: ArrayLike<number>, lr: number, round: Round = exact): void {
  const r = round;
  for (let i = 0; i < p.length; i++) p[i] = r(p[i] - r(g[i] * lr));
}

/** m = m·momentum − g·lr;  p += nesterov ? m·momentum − g·lr : m */
export function refMomentum(
  p: Float64Array, g: ArrayLike<number>, m: Float64Array,
  lr: number, momentum: number, nesterov: boolean, round: Round = exact,
): void {
  const r = round;
  for (let i = 0; i < p.length; i++) {
    m[i] = r(r(m[i] * momentum) - r(g[i] * lr));
    const step = nesterov ? r(r(m[i] * momentum) - r(g[i] * lr)) : m[i];
    p[i] = r(p[i] + step);
  }
}

/** The facade's per-step Adam size: alpha = lr·√(1 − β2ᵗ)/(1 − β1ᵗ), t counting from 1. */
export function adamAlpha(lr: number, beta1: number, beta2: number, t: number): number {
  return (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
}

/** m += (g − m)(1 − β1);  v += (g² − v)(1 − β2);  [vhat = max(vhat, v)];  p -= m·alpha/(√v̂ + eps) */
export function refAdam(
  p: Float64Array, g: ArrayLike<number>, m: Float64Array, v: Float64Array, vhat: Float64Array | null,
  alpha: number, beta1: number, beta2: number, eps: number, round: Round = exact,
): void {
  const r = round;
  const c1 = r(1 - beta1);
  const c2 = r(1 - beta2);
  for (let i = 0; i < p.length; i++) {
    m[i] = r(m[i] + r(r(g[i] - m[i]) * c1));
    v[i] = r(v[i] + r(r(r(g[i] * g[i]) - v[i]) * c2));
    let denomV = v[i];
    if (vhat) denomV = vhat[i] = Math.max(vhat[i], v[i]);
    p[i] = r(p[i] - r(r(m[i] * alpha) / r(r(Math.sqrt(denomV)) + eps)));
  }
}

/** Decoupled weight decay (base_optimizer.py _apply_weight_decay): p -= (p·wd)·lr */
export function refDecay(p: Float64Array, wd: number, lr: number, round: Round = exact): void {
  const r = round;
  for (let i = 0; i < p.length; i++) p[i] = r(p[i] - r(r(p[i] * wd) * lr));
}

/** acc += g²;  p -= (lr·g) / √(acc + eps) */
export function refAdagrad(p: Float64Array, g: ArrayLike<number>, acc: Float64Array, lr: number, eps: number, round: Round = exact): void {
  const r = round;
  for (let i = 0; i < p.length; i++) {
    acc[i] = r(acc[i] + r(g[i] * g[i]));
    p[i] = r(p[i] - r(r(lr * g[i]) / r(Math.sqrt(r(acc[i] + eps)))));
  }
}

/**
 * v = ρv + (1−ρ)g²;  centered: avg = ρ·avg + (1−ρ)g, denom = (v − avg²) + eps, else v + eps;
 * inc = lr·g/√denom;  momentum > 0: mom = momentum·mom + inc, p -= mom;  else p -= inc.
 * `mom` / `avg` are only touched when used (pass null otherwise).
 */
export function refRmsprop(
  p: Float64Array, g: ArrayLike<number>, v: Float64Array, mom: Float64Array | null, avg: Float64Array | null,
  lr: number, rho: number, momentum: number, eps: number, round: Round = exact,
): void {
  const r = round;
  const c = r(1 - rho);
  for (let i = 0; i < p.length; i++) {
    v[i] = r(r(rho * v[i]) + r(c * r(g[i] * g[i])));
    let denom: number;
    if (avg) {
      avg[i] = r(r(rho * avg[i]) + r(c * g[i]));
      denom = r(r(v[i] - r(avg[i] * avg[i])) + eps);
    } else {
      denom = r(v[i] + eps);
    }
    let step = r(r(lr * g[i]) / r(Math.sqrt(denom)));
    if (momentum > 0 && mom) step = mom[i] = r(r(momentum * mom[i]) + step);
    p[i] = r(p[i] - step);
  }
}

/** accGrad = ρ·accGrad + (1−ρ)g²;  delta = −(√(accDelta + eps)·g)/√(accGrad + eps);  accDelta = ρ·accDelta + (1−ρ)delta²;  p += lr·delta */
export function refAdadelta(
  p: Float64Array, g: ArrayLike<number>, accGrad: Float64Array, accDelta: Float64Array,
  lr: number, rho: number, eps: number, round: Round = exact,
): void {
  const r = round;
  const c = r(1 - rho);
  for (let i = 0; i < p.length; i++) {
    accGrad[i] = r(r(rho * accGrad[i]) + r(c * r(g[i] * g[i])));
    const delta = -r(r(r(Math.sqrt(r(accDelta[i] + eps))) * g[i]) / r(Math.sqrt(r(accGrad[i] + eps))));
    accDelta[i] = r(r(rho * accDelta[i]) + r(c * r(delta * delta)));
    p[i] = r(p[i] + r(lr * delta));
  }
}

/** m += (g − m)(1−β1);  u = max(β2·u, |g|);  p -= (lr·m) / ((1 − β1ᵗ)(u + eps)) */
export function refAdamax(
  p: Float64Array, g: ArrayLike<number>, m: Float64Array, u: Float64Array,
  lr: number, beta1: number, beta2: number, eps: number, beta1Power: number, round: Round = exact,
): void {
  const r = round;
  const c1 = r(1 - beta1);
  const bc = r(1 - beta1Power);
  for (let i = 0; i < p.length; i++) {
    m[i] = r(m[i] + r(r(g[i] - m[i]) * c1));
    u[i] = Math.max(r(beta2 * u[i]), Math.abs(g[i]));
    p[i] = r(p[i] - r(r(lr * m[i]) / r(bc * r(u[i] + eps))));
  }
}

/** Nadam's per-step scalars (see nadamSchedule). */
export interface NadamScalars {
  ut: number;
  ut1: number;
  uProd: number;
  uProd1: number;
  beta2Power: number;
}

/**
 * Nadam's momentum schedule for steps t = 1..steps, as Keras 3 computes it in f32 (nadam.py):
 *   u_t = β1·(1 − 0.5·0.96ᵗ), u_{t+1} likewise (no 0.004 "schedule_decay": that was Keras 2),
 *   _u_product ← (_u_product·β1)·(1 − 0.5·0.96ᵗ) (in _backend_update_step, before the update; from 1),
 *   u_product_t_1 = u_product·u_{t+1}, β2ᵗ.
 * Every operation is rounded to f32 as the f32 tensors of Keras are; the powers are taken by
 * repeated multiplication in f64 and rounded once (Keras's f32 pow may differ from them by an ulp).
 */
export function nadamSchedule(beta1: number, beta2: number, steps: number): NadamScalars[] {
  const f = Math.fround;
  const b1 = f(beta1);
  const decay = f(0.96);
  const out: NadamScalars[] = [];
  let decayPower = 1; // 0.96ᵗ (of the f32 0.96) in f64
  let beta2Power = 1;
  let uProd = 1;
  for (let t = 1; t <= steps; t++) {
    decayPower *= decay;
    beta2Power *= f(beta2);
    const factor = f(1 - f(0.5 * f(decayPower)));
    const ut = f(b1 * factor);
    const ut1 = f(b1 * f(1 - f(0.5 * f(decayPower * decay))));
    uProd = f(f(uProd * b1) * factor);
    out.push({ ut, ut1, uProd, uProd1: f(uProd * ut1), beta2Power: f(beta2Power) });
  }
  return out;
}

/**
 * m += (g − m)(1−β1);  v += (g² − v)(1−β2);
 * mHat = (ut1·m)/(1 − uProd1) + ((1 − ut)·g)/(1 − uProd);  vHat = v/(1 − β2ᵗ);  p -= (mHat·lr)/(√vHat + eps)
 */
export function refNadam(
  p: Float64Array, g: ArrayLike<number>, m: Float64Array, v: Float64Array,
  lr: number, beta1: number, beta2: number, eps: number, s: NadamScalars, round: Round = exact,
): void {
  const r = round;
  const c1 = r(1 - beta1);
  const c2 = r(1 - beta2);
  const d1 = r(1 - s.uProd1);
  const cu = r(1 - s.ut);
  const d0 = r(1 - s.uProd);
  const bc = r(1 - s.beta2Power);
  for (let i = 0; i < p.length; i++) {
    m[i] = r(m[i] + r(r(g[i] - m[i]) * c1));
    v[i] = r(v[i] + r(r(r(g[i] * g[i]) - v[i]) * c2));
    const mHat = r(r(r(s.ut1 * m[i]) / d1) + r(r(cu * g[i]) / d0));
    const vHat = r(v[i] / bc);
    p[i] = r(p[i] - r(r(mHat * lr) / r(r(Math.sqrt(vHat)) + eps)));
  }
}

/** p -= lr·sign(m·β1 + g·(1−β1));  m = m·β2 + g·(1−β2)  (both from the old m) */
export function refLion(
  p: Float64Array, g: ArrayLike<number>, m: Float64Array,
  lr: number, beta1: number, beta2: number, round: Round = exact,
): void {
  const r = round;
  const c1 = r(1 - beta1);
  const c2 = r(1 - beta2);
  for (let i = 0; i < p.length; i++) {
    const c = r(r(m[i] * beta1) + r(g[i] * c1));
    p[i] = r(p[i] - r(lr * Math.sign(c)));
    m[i] = r(r(m[i] * beta2) + r(g[i] * c2));
  }
}

/** xᵗ by repeated multiplication in f64 (as the facade computes βᵗ), t ≥ 0. */
export function powSteps(x: number, t: number): number {
  let y = 1;
  for (let i = 0; i < t; i++) y *= x;
  return y;
}
