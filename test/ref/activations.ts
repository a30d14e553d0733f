// Float64 reference for the activation kernels (assembly/kernels/f32_vact.ts): every activation's f and
// its analytic derivative df, both in the stable textbook form, plus softmax and its vector-Jacobian
// product. Independent of the kernels' methods on purpose (erf here is a series and a continued fraction;
// the kernel uses a fitted rational-exponential form).
import * as ids from '../../src/shared/ids.js';

export interface RefActivation {
  readonly name: string;
  /** f(x); `alpha` is read only by leakyRelu and elu. */
  f(x: number, alpha: number): number;
  /** f'(x), analytic. At a kink it takes the kernels' convention (the one-sided value for x ≤ 0 etc.). */
  df(x: number, alpha: number): number;
  /** Where f' jumps: finite-difference checks skip points near these. */
  readonly kinks: readonly number[];
  /** The facade's default alpha (only for the ids that read it). */
  readonly alpha?: number;
}

export const SELU_SCALE = 1.0507009873554805;
export const SELU_ALPHA = 1.6732632423543772;
const SQRT_PI = Math.sqrt(Math.PI);

/** σ(x) = 1/(1 + e^−x), without overflow for any x. */
export function sigmoid(x: number): number {
  const e = Math.exp(-Math.abs(x));
  return (x >= 0 ? 1 : e) / (1 + e);
}

/** log(1 + e^x) = max(x, 0) + log1p(e^−|x|). */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** 1 − tanh²(x) = 1/cosh²(x), with no cancellation as |x| grows (cosh → ∞ gives 0). */
function sech2(x: number): number {
  const c = Math.cosh(x);
  return 1 / (c * c);
}

// erf(z) = 2/√π · e^−z² · Σ 2ⁿ z^(2n+1) / (1·3·…·(2n+1)): every term is positive, so no cancellation.
function erfSeries(z: number): number {
  let term = z;
  let sum = z;
  for (let n = 1; term > 1e-17 * sum; n++) {
    term *= (2 * z * z) / (2 * n + 1);
    sum += term;
  }
  return (2 / SQRT_PI) * Math.exp(-z * z) * sum;
}

// erfc(z), z ≥ 2, by Laplace's continued fraction e^−z²/√π · 1/(z + ½/(z + 1/(z + 3/2/(z + …)))),
// evaluated bottom-up; 200 levels converge to double precision for z ≥ 2.
function erfcContinuedFraction(z: number): number {
  let f = z;
  for (let k = 200; k >= 1; k--) f = z + k / 2 / f;
  return Math.exp(-z * z) / (SQRT_PI * f);
}

/** erfc(z) to ~1e-14 relative everywhere (including the far tail, where 1 − erf would be 0). */
export function erfc(z: number): number {
  if (z < 0) return 2 - erfc(-z);
  return z < 2 ? 1 - erfSeries(z) : erfcContinuedFraction(z);
}

export function erf(z: number): number {
  if (z < 0) return -erf(-z);
  return z < 2 ? erfSeries(z) : 1 - erfcContinuedFraction(z);
}

/** Standard normal CDF Φ(x) = ½·erfc(−x/√2) and density φ(x). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

export const ACTIVATIONS: Readonly<Record<number, RefActivation>> = {
  [ids.ACT_LINEAR]: { name: 'linear', f: (x) => x, df: () => 1, kinks: [] },
  [ids.ACT_SIGMOID]: { name: 'sigmoid', f: sigmoid, df: (x) => sigmoid(x) * sigmoid(-x), kinks: [] },
  [ids.ACT_RELU]: { name: 'relu', f: (x) => (x > 0 ? x : 0), df: (x) => (x > 0 ? 1 : 0), kinks: [0] },
  [ids.ACT_TANH]: { name: 'tanh', f: Math.tanh, df: sech2, kinks: [] },
  [ids.ACT_SOFTPLUS]: { name: 'softplus', f: softplus, df: sigmoid, kinks: [] },
  [ids.ACT_RELU6]: {
    name: 'relu6',
    f: (x) => Math.min(Math.max(x, 0), 6),
    df: (x) => (x > 0 && x < 6 ? 1 : 0),
    kinks: [0, 6],
  },
  [ids.ACT_LEAKY_RELU]: {
    name: 'leakyRelu',
    f: (x, a) => (x > 0 ? x : a * x),
    df: (x, a) => (x > 0 ? 1 : a),
    kinks: [0],
    alpha: 0.2,
  },
  [ids.ACT_ELU]: {
    name: 'elu',
    f: (x, a) => (x > 0 ? x : a * Math.expm1(x)),
    df: (x, a) => (x > 0 ? 1 : a * Math.exp(x)),
    kinks: [0],
    alpha: 1,
  },
  [ids.ACT_SELU]: {
    name: 'selu',
    f: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
    df: (x) => (x > 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * Math.exp(x)),
    kinks: [0],
  },
  [ids.ACT_GELU]: {
    name: 'gelu',
    f: (x) => x * normalCdf(x),
    df: (x) => normalCdf(x) + x * normalPdf(x),
    kinks: [],
  },
  [ids.ACT_SWISH]: {
    name: 'swish',
    f: (x) => x * sigmoid(x),
    df: (x) => sigmoid(x) + x * sigmoid(x) * sigmoid(-x),
    kinks: [],
  },
  [ids.ACT_MISH]: {
    name: 'mish',
    f: (x) => x * Math.tanh(softplus(x)),
    df: (x) => Math.tanh(softplus(x)) + x * sigmoid(x) * sech2(softplus(x)),
    kinks: [],
  },
  [ids.ACT_SOFTSIGN]: {
    name: 'softsign',
    f: (x) => x / (1 + Math.abs(x)),
    df: (x) => 1 / ((1 + Math.abs(x)) * (1 + Math.abs(x))),
    kinks: [],
  },
  [ids.ACT_HARD_SIGMOID]: {
    name: 'hardSigmoid',
    f: (x) => Math.min(Math.max(x / 6 + 0.5, 0), 1),
    df: (x) => (x > -3 && x < 3 ? 1 / 6 : 0),
    kinks: [-3, 3],
  },
  [ids.ACT_HARD_SIGMOID_TFJS]: {
    name: 'hardSigmoidTfjs',
    f: (x) => Math.min(Math.max(0.2 * x + 0.5, 0), 1),
    df: (x) => (x > -2.5 && x < 2.5 ? 0.2 : 0),
    kinks: [-2.5, 2.5],
  },
};

/** Row-wise softmax of a rows×cols row-major matrix, in float64. */
export function softmaxRef(x: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const y = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let m = -Infinity;
    for (let j = 0; j < cols; j++) m = Math.max(m, x[o + j]);
    let s = 0;
    for (let j = 0; j < cols; j++) s += y[o + j] = Math.exp(x[o + j] - m);
    for (let j = 0; j < cols; j++) y[o + j] /= s;
  }
  return y;
}

/** Softmax's vector-Jacobian product, row-wise: dx_i = y_i · (dy_i − Σ_j dy_j·y_j). */
export function softmaxVjpRef(y: ArrayLike<number>, dy: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const dx = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let s = 0;
    for (let j = 0; j < cols; j++) s += dy[o + j] * y[o + j];
    for (let j = 0; j < cols; j++) dx[o + j] = y[o + j] * (dy[o + j] - s);
  }
  return dx;
}
