// Float64 reference for the batch-normalization kernels (assembly/kernels/f32_norm.ts), Keras
// BatchNormalization over the last axis: x is [n, c], statistics per channel over the n rows.
// The backward pass is the textbook training-mode gradient (mean and biased variance are functions of x);
// test/kernels/f32_norm.test.ts checks it against finite differences of bnTrainRef.

export interface BnStats {
  mean: Float64Array;
  variance: Float64Array;
}

/** Per-channel mean and biased variance (÷ n), two passes. */
export function bnStatsRef(n: number, c: number, x: ArrayLike<number>): BnStats {
  const mean = new Float64Array(c);
  const variance = new Float64Array(c);
  for (let j = 0; j < c; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i * c + j];
    const m = s / n;
    let q = 0;
    for (let i = 0; i < n; i++) q += (x[i * c + j] - m) ** 2;
    mean[j] = m;
    variance[j] = q / n;
  }
  return { mean, variance };
}

/** xhat = (x − mean)/√(variance + eps), y = xhat·γ + β (γ null: 1, β null: 0), with the given statistics. */
export function bnForwardRef(
  n: number,
  c: number,
  x: ArrayLike<number>,
  mean: ArrayLike<number>,
  variance: ArrayLike<number>,
  eps: number,
  gamma: ArrayLike<number> | null,
  beta: ArrayLike<number> | null,
): { y: Float64Array; xhat: Float64Array } {
  const y = new Float64Array(n * c);
  const xhat = new Float64Array(n * c);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < c; j++) {
      const k = i * c + j;
      xhat[k] = (x[k] - mean[j]) / Math.sqrt(variance[j] + eps);
      y[k] = xhat[k] * (gamma ? gamma[j] : 1) + (beta ? beta[j] : 0);
    }
  return { y, xhat };
}

/** Training mode: the batch's own statistics, then bnForwardRef. */
export function bnTrainRef(
  n: number,
  c: number,
  x: ArrayLike<number>,
  eps: number,
  gamma: ArrayLike<number> | null,
  beta: ArrayLike<number> | null,
): { y: Float64Array; xhat: Float64Array } & BnStats {
  const s = bnStatsRef(n, c, x);
  return { ...s, ...bnForwardRef(n, c, x, s.mean, s.variance, eps, gamma, beta) };
}

/**
 * The training-mode gradient at x for output gradient dy: dγ = Σ dy·xhat, dβ = Σ dy,
 * dx = γ/√(var + eps)·(dy − mean(dy) − xhat·mean(dy·xhat)).
 */
export function bnBackwardRef(
  n: number,
  c: number,
  x: ArrayLike<number>,
  dy: ArrayLike<number>,
  eps: number,
  gamma: ArrayLike<number> | null,
): { dx: Float64Array; dgamma: Float64Array; dbeta: Float64Array } {
  const { xhat, variance } = bnTrainRef(n, c, x, eps, null, null);
  const dx = new Float64Array(n * c);
  const dgamma = new Float64Array(c);
  const dbeta = new Float64Array(c);
  for (let j = 0; j < c; j++) {
    let s = 0;
    let p = 0;
    for (let i = 0; i < n; i++) {
      s += dy[i * c + j];
      p += dy[i * c + j] * xhat[i * c + j];
    }
    dgamma[j] = p;
    dbeta[j] = s;
    const k = (gamma ? gamma[j] : 1) / Math.sqrt(variance[j] + eps);
    for (let i = 0; i < n; i++) dx[i * c + j] = k * (dy[i * c + j] - s / n - xhat[i * c + j] * (p / n));
  }
  return { dx, dgamma, dbeta };
}

/** moving·momentum + batch·(1 − momentum), elementwise. */
export function bnMovingRef(moving: ArrayLike<number>, batch: ArrayLike<number>, momentum: number): Float64Array {
  return Float64Array.from(moving, (m, j) => m * momentum + batch[j] * (1 - momentum));
}
