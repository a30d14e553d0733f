// Backpropagation through time by hand, in float64, for the "vanishing gradient through time" panel: a
// SimpleRNN or LSTM layer followed by Dense(1), with deltaflow's weights (model.getWeights()) and mse.
// deltaflow gives gradients for weights only, so this is the panel's teaching code for ‖∂L/∂h_t‖, the
// error reaching each time step's state. Layouts as Keras: kernel [F, g·U], recurrent kernel [U, g·U],
// bias [g·U], gates of the LSTM in the order i, f, c, o.
//   SimpleRNN:  h_t = tanh(x_t·K + h_{t−1}·R + b)
//   LSTM:       [i f g o] = [σ σ tanh σ](x_t·K + h_{t−1}·R + b),  c_t = f·c_{t−1} + i·g,  h_t = o·tanh(c_t)
// Going back one step multiplies ∂L/∂h by R and the step's derivative (tanh′ ≤ 1, σ′ ≤ 0.25) — as a
// deep network multiplies it once per layer — except along the LSTM's cell, where it is only scaled by f.

export type Cell = 'simpleRNN' | 'lstm';

/** The weights of [cell, Dense(1)] as getWeights() returns them, each flattened row-major. */
export interface RecurrentNet {
  cell: Cell;
  features: number;
  units: number;
  kernel: ArrayLike<number>;
  recurrent: ArrayLike<number>;
  bias: ArrayLike<number>;
  dense: ArrayLike<number>;
  denseBias: number;
}

export interface Bptt {
  /** Mean over the sequences of ‖∂ℓ/∂h_t‖, t = 1 … T, where ℓ = (ŷ − y)² is that sequence's squared error. */
  stateNorms: number[];
  /** mse over the batch, as deltaflow's loss. */
  loss: number;
  /** ∂mse/∂(kernel, recurrent kernel, bias), to check against model.computeGradients. */
  grads: [Float64Array, Float64Array, Float64Array];
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Forward and backward through time over `x` [rows, T, F] against targets `y` [rows]. */
export function bptt(net: RecurrentNet, x: ArrayLike<number>, y: ArrayLike<number>, rows: number, steps: number): Bptt {
  const { cell, features: F, units: U, kernel: K, recurrent: R, bias } = net;
  const G = cell === 'lstm' ? 4 * U : U;
  const gK = new Float64Array(F * G);
  const gR = new Float64Array(U * G);
  const gb = new Float64Array(G);
  const norms = new Array<number>(steps).fill(0);
  let loss = 0;
  for (let r = 0; r < rows; r++) {
    // Forward: keep every step's input, gates (after their activations) and states.
    const xs: Float64Array[] = [];
    const gates: Float64Array[] = [];
    const hs = [new Float64Array(U)];
    const cs = [new Float64Array(U)];
    for (let t = 0; t < steps; t++) {
      const xt = Float64Array.from({ length: F }, (_, f) => x[(r * steps + t) * F + f]);
      const z = Float64Array.from(bias);
      for (let f = 0; f < F; f++) for (let j = 0; j < G; j++) z[j] += xt[f] * K[f * G + j];
      for (let u = 0; u < U; u++) for (let j = 0; j < G; j++) z[j] += hs[t][u] * R[u * G + j];
      const h = new Float64Array(U);
      const c = new Float64Array(U);
      for (let u = 0; u < U; u++) {
        if (cell === 'simpleRNN') h[u] = z[u] = Math.tanh(z[u]);
        else {
          const [i, fg, g, o] = [sigmoid(z[u]), sigmoid(z[U + u]), Math.tanh(z[2 * U + u]), sigmoid(z[3 * U + u])];
          [z[u], z[U + u], z[2 * U + u], z[3 * U + u]] = [i, fg, g, o];
          c[u] = fg * cs[t][u] + i * g;
          h[u] = o * Math.tanh(c[u]);
        }
      }
      xs.push(xt);
      gates.push(z);
      hs.push(h);
      cs.push(c);
    }
    let out = net.denseBias;
    for (let u = 0; u < U; u++) out += hs[steps][u] * net.dense[u];
    loss += (out - y[r]) ** 2 / rows;
    // Backward: dh = ∂ℓ/∂h_t (everything after step t included), dc = ∂ℓ/∂c_t through the cell only.
    let dh = Float64Array.from({ length: U }, (_, u) => 2 * (out - y[r]) * net.dense[u]);
    let dc = new Float64Array(U);
    for (let t = steps - 1; t >= 0; t--) {
      norms[t] += Math.hypot(...dh) / rows;
      const a = gates[t];
      const dz = new Float64Array(G);
      const dcPrev = new Float64Array(U);
      for (let u = 0; u < U; u++) {
        if (cell === 'simpleRNN') dz[u] = dh[u] * (1 - a[u] * a[u]);
        else {
          const [i, fg, g, o] = [a[u], a[U + u], a[2 * U + u], a[3 * U + u]];
          const tc = Math.tanh(cs[t + 1][u]);
          const dct = dc[u] + dh[u] * o * (1 - tc * tc);
          dz[u] = dct * g * i * (1 - i);
          dz[U + u] = dct * cs[t][u] * fg * (1 - fg);
          dz[2 * U + u] = dct * i * (1 - g * g);
          dz[3 * U + u] = dh[u] * tc * o * (1 - o);
          dcPrev[u] = dct * fg;
        }
      }
      const dhPrev = new Float64Array(U);
      for (let j = 0; j < G; j++) {
        gb[j] += dz[j] / rows;
        for (let f = 0; f < F; f++) gK[f * G + j] += (xs[t][f] * dz[j]) / rows;
        for (let u = 0; u < U; u++) {
          gR[u * G + j] += (hs[t][u] * dz[j]) / rows;
          dhPrev[u] += R[u * G + j] * dz[j];
        }
      }
      dh = dhPrev;
      dc = dcPrev;
    }
  }
  return { stateNorms: norms, loss, grads: [gK, gR, gb] };
}
