// Activation values and derivatives from deltaflow's own kernels, all x at once. The route: a Dense
// layer with one input and N units whose kernel row holds the x values (bias 0), fed the input 1:
//   predict([[1]])                    → f(x_j) for every j
//   computeGradients([[1]], f(x) − c) → ∂/∂w_j of mse = (1/N) Σ (f(x_j) − t_j)² = (2c/N) f′(x_j)
// so f′(x_j) = grad_j · N / (2c). One predict and one backward pass per activation.
// (softmax is row-wise, not elementwise, so it has no curve here.)
import * as df from '../../../src/index.js';

export function activationCurve(name: string, xs: Float32Array): { f: Float32Array; d: Float32Array } {
  const n = xs.length;
  const model = df.sequential({ layers: [df.layers.dense({ units: n, activation: name, inputShape: [1] })] });
  try {
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    model.setWeights([{ data: xs, shape: [1, n] }, { data: new Float32Array(n), shape: [1, n] }]);
    const f = model.predict([[1]]).dataSync();
    const c = 1;
    const target = f.map((v) => v - c);
    const { grads } = model.computeGradients([[1]], { data: target, shape: [1, n] });
    const d = grads[0].dataSync().map((g) => (g * n) / (2 * c));
    return { f, d };
  } finally {
    model.dispose();
  }
}

/**
 * How well the kernel's f′ matches the kernel's own f: over each step between neighbouring x, the slope
 * of f against the mean of f′ at the two ends (trapezoid rule, exact to O(h²) even where f′ has a corner).
 * Steps across a jump of f′ (ReLU at 0, hard sigmoid at ±3) are left out.
 */
export function derivativeCheck(xs: Float32Array, f: Float32Array, d: Float32Array): number {
  let worst = 0;
  for (let i = 0; i + 1 < xs.length; i++) {
    if (Math.abs(d[i + 1] - d[i]) > 0.1) continue;
    const slope = (f[i + 1] - f[i]) / (xs[i + 1] - xs[i]);
    worst = Math.max(worst, Math.abs(slope - (d[i] + d[i + 1]) / 2));
  }
  return worst;
}
