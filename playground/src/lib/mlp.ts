// Backpropagation by hand, in float64, for the step-by-step panel: a sigmoid network (2-2-1 or 2-1) with
// the deck's error E = ½(y_o − y)² and its delta rule:
//   output:  δ_o = (y_o − y) · y_o(1 − y_o)                 ∂E/∂w = δ_o · y_h
//   hidden:  δ_h = (Σ_k δ_k · w_hk) · y_h(1 − y_h)          ∂E/∂w = δ_h · x
// Weights use deltaflow's layout: W[l][i][j] joins unit i of layer l to unit j of layer l + 1.

export interface Net {
  sizes: number[];
  W: number[][][];
  b: number[][];
}

export interface Pass {
  /** Activations per layer, the input first. */
  acts: number[][];
  /** δ per non-input layer (deltas[0] belongs to the first hidden layer). */
  deltas: number[][];
  gW: number[][][];
  gb: number[][];
  /** E = ½ Σ (y_o − y)². */
  error: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function forward(net: Net, x: number[]): number[][] {
  const acts = [x];
  for (let l = 0; l < net.W.length; l++) {
    const prev = acts[l];
    acts.push(net.b[l].map((bj, j) => sigmoid(prev.reduce((s, a, i) => s + a * net.W[l][i][j], bj))));
  }
  return acts;
}

export function backprop(net: Net, x: number[], target: number[]): Pass {
  const acts = forward(net, x);
  const L = net.W.length;
  const deltas: number[][] = new Array(L);
  const out = acts[L];
  deltas[L - 1] = out.map((y, k) => (y - target[k]) * y * (1 - y));
  for (let l = L - 2; l >= 0; l--) {
    const h = acts[l + 1];
    deltas[l] = h.map((hj, j) => deltas[l + 1].reduce((s, d, k) => s + d * net.W[l + 1][j][k], 0) * hj * (1 - hj));
  }
  const gW = net.W.map((Wl, l) => Wl.map((row, i) => row.map((_, j) => deltas[l][j] * acts[l][i])));
  const gb = deltas.map((d) => d.slice());
  const error = out.reduce((s, y, k) => s + 0.5 * (y - target[k]) ** 2, 0);
  return { acts, deltas, gW, gb, error };
}

/** w ← w − η ∂E/∂w, rounded to float32 so the page and deltaflow hold identical weights. */
export function update(net: Net, pass: Pass, lr: number): void {
  net.W.forEach((Wl, l) => Wl.forEach((row, i) => row.forEach((w, j) => (row[j] = Math.fround(w - lr * pass.gW[l][i][j])))));
  net.b.forEach((bl, l) => bl.forEach((b, j) => (bl[j] = Math.fround(b - lr * pass.gb[l][j]))));
}

/** The net as deltaflow's getWeights()/setWeights() list: [kernel0 [in, out], bias0, kernel1, bias1, …]. */
export function toTensors(net: Net): { data: Float32Array; shape: [number, number] }[] {
  const out: { data: Float32Array; shape: [number, number] }[] = [];
  net.W.forEach((Wl, l) => {
    out.push({ data: Float32Array.from(Wl.flat()), shape: [Wl.length, Wl[0].length] });
    out.push({ data: Float32Array.from(net.b[l]), shape: [1, net.b[l].length] });
  });
  return out;
}

/** Reads the flat [kernel, bias, …] arrays back into W and b. */
export function fromFlat(sizes: number[], flat: ArrayLike<number>[]): Net {
  const W: number[][][] = [];
  const b: number[][] = [];
  for (let l = 0; l < sizes.length - 1; l++) {
    const [n, m] = [sizes[l], sizes[l + 1]];
    W.push(Array.from({ length: n }, (_, i) => Array.from({ length: m }, (_, j) => flat[2 * l][i * m + j])));
    b.push(Array.from(flat[2 * l + 1]));
  }
  return { sizes, W, b };
}
