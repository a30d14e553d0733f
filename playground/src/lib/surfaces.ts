// The optimizer race's 2-D loss surfaces, shared by the page (contours) and the worker (paths):
// the lesson's ill-conditioned quadratic, Rosenbrock, Beale (as in examples/optimizers.mjs) and a
// least-squares fit whose stochastic optimizers see mini-batches (figure 9-7's zigzag).
import { rng } from './rng.js';

export type Vec = [number, number];

export interface Surface {
  key: 'leastSquares' | 'quadratic' | 'rosenbrock' | 'beale';
  start: Vec;
  minimum: Vec;
  steps: number;
  view: { x: Vec; y: Vec };
  f(x: number, y: number): number;
  grad(x: number, y: number): Vec;
  /** A noisy gradient: a mini-batch (least squares) or the gradient plus Gaussian noise of size `noise`. */
  sample(x: number, y: number, draw: ReturnType<typeof rng>, noise: number): Vec;
  /** Each optimizer's learning rate here (the lesson example's per-family scales); gd uses sgd's. */
  rates: Record<string, number>;
  /** Default gradient noise (relative) on the analytic surfaces. */
  noise: number;
}

const analytic = (s: Omit<Surface, 'sample'> & { noiseScale: number }): Surface => ({
  ...s,
  sample(x, y, draw, noise) {
    const [gx, gy] = s.grad(x, y);
    return [gx + noise * s.noiseScale * draw.normal(), gy + noise * s.noiseScale * draw.normal()];
  },
});

// Least squares: y = w·x + ε over 256 rows with features of unequal scale, so the valley is long.
function leastSquares(): Surface {
  const n = 256;
  const draw = rng(42);
  const X = new Float64Array(n * 2);
  const Y = new Float64Array(n);
  const truth: Vec = [2, -1];
  for (let i = 0; i < n; i++) {
    X[2 * i] = draw.normal() * 1.6;
    X[2 * i + 1] = draw.normal() * 0.5 + 0.3 * X[2 * i];
    Y[i] = truth[0] * X[2 * i] + truth[1] * X[2 * i + 1] + 0.6 * draw.normal();
  }
  // Normal equations: f(w) = wᵀAw − 2bᵀw + c with A = XᵀX/n, b = XᵀY/n, c = YᵀY/n.
  let [a11, a12, a22, b1, b2, c] = [0, 0, 0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const [x1, x2, y] = [X[2 * i], X[2 * i + 1], Y[i]];
    a11 += (x1 * x1) / n;
    a12 += (x1 * x2) / n;
    a22 += (x2 * x2) / n;
    b1 += (x1 * y) / n;
    b2 += (x2 * y) / n;
    c += (y * y) / n;
  }
  const det = a11 * a22 - a12 * a12;
  const minimum: Vec = [(a22 * b1 - a12 * b2) / det, (a11 * b2 - a12 * b1) / det];
  const batch = 8;
  return {
    key: 'leastSquares',
    start: [-2.5, 3],
    minimum,
    steps: 400,
    view: { x: [-4, 4.5], y: [-4, 4] },
    f: (u, v) => a11 * u * u + 2 * a12 * u * v + a22 * v * v - 2 * (b1 * u + b2 * v) + c,
    grad: (u, v) => [2 * (a11 * u + a12 * v - b1), 2 * (a12 * u + a22 * v - b2)],
    sample(u, v, d) {
      let [g1, g2] = [0, 0];
      for (let k = 0; k < batch; k++) {
        const i = Math.floor(d.next() * n);
        const r = X[2 * i] * u + X[2 * i + 1] * v - Y[i];
        g1 += (2 * r * X[2 * i]) / batch;
        g2 += (2 * r * X[2 * i + 1]) / batch;
      }
      return [g1, g2];
    },
    // Momentum's rate is SGD's × (1 − β): the same step on a straight slope, with the noise averaged.
    rates: { sgd: 0.08, momentum: 0.008, nesterov: 0.008, adagrad: 1, adadelta: 50, rmsprop: 0.05, adam: 0.2, amsgrad: 0.2, adamax: 0.2, nadam: 0.2, adamw: 0.2, lion: 0.03 },
    noise: 0,
  };
}

export const surfaces: Record<Surface['key'], Surface> = {
  leastSquares: leastSquares(),
  quadratic: analytic({
    key: 'quadratic',
    start: [-4, 1.5],
    minimum: [0, 0],
    steps: 300,
    view: { x: [-5, 5], y: [-2.5, 2.5] },
    f: (x, y) => 0.5 * (x * x + 25 * y * y),
    grad: (x, y) => [x, 25 * y],
    rates: { sgd: 0.035, momentum: 0.01, nesterov: 0.01, adagrad: 0.5, adadelta: 50, rmsprop: 0.01, adam: 0.1, amsgrad: 0.1, adamax: 0.1, nadam: 0.1, adamw: 0.1, lion: 0.02 },
    noise: 0,
    noiseScale: 5,
  }),
  rosenbrock: analytic({
    key: 'rosenbrock',
    start: [-1.5, 2],
    minimum: [1, 1],
    steps: 3000,
    view: { x: [-2, 2], y: [-1, 3] },
    f: (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
    grad: (x, y) => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
    rates: { sgd: 0.001, momentum: 0.0002, nesterov: 0.0002, adagrad: 0.5, adadelta: 20, rmsprop: 0.01, adam: 0.05, amsgrad: 0.05, adamax: 0.05, nadam: 0.05, adamw: 0.05, lion: 0.005 },
    noise: 0,
    noiseScale: 20,
  }),
  beale: analytic({
    key: 'beale',
    start: [1, 1.5],
    minimum: [3, 0.5],
    steps: 3000,
    view: { x: [-1, 4.5], y: [-1.5, 2.5] },
    f: (x, y) => (1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2 + (2.625 - x + x * y ** 3) ** 2,
    grad: (x, y) => {
      const a = 1.5 - x + x * y;
      const b = 2.25 - x + x * y * y;
      const c = 2.625 - x + x * y ** 3;
      return [2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y ** 3 - 1), 2 * a * x + 4 * b * x * y + 6 * c * x * y * y];
    },
    rates: { sgd: 0.01, momentum: 0.002, nesterov: 0.002, adagrad: 0.5, adadelta: 20, rmsprop: 0.01, adam: 0.05, amsgrad: 0.05, adamax: 0.05, nadam: 0.05, adamw: 0.05, lion: 0.005 },
    noise: 0,
    noiseScale: 2,
  }),
};

export const surfaceKeys = Object.keys(surfaces) as Surface['key'][];
