// Reference optimizer steps from the Keras 3 formulas (keras/src/optimizers/sgd.py, adam.py), in
// Keras's operation order. Float64 by default; pass `round = Math.fround` to round after every
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
