// Float64 references of the losses, written from the Keras 3 definitions with plain loops: value
// (per-row loss, averaged over rows) and the gradient of that value w.r.t. pred, or w.r.t. the
// pre-activation z of the output activation when fused (sigmoid+BCE, softmax+CCE/sparse CCE).
import { LOSS_MSE, LOSS_MAE, LOSS_HUBER, LOSS_BCE, LOSS_CCE, LOSS_SPARSE_CCE } from '../../src/shared/ids.js';

type Vec = ArrayLike<number>;

// Keras clips float32 probabilities to [ε, 1 − ε], ε = 1e-7: as float32 tensors, so the bounds are f32.
export const EPS = Math.fround(1e-7);
export const ONE_MINUS_EPS = Math.fround(1 - 1e-7);

const clip = (x: number) => Math.min(Math.max(x, EPS), ONE_MINUS_EPS);
const insideClip = (x: number) => x > EPS && x < ONE_MINUS_EPS;

/** The mean over rows of the per-row loss. `target` holds `rows` labels for sparse CCE. */
export function refLoss(loss: number, rows: number, cols: number, pred: Vec, target: Vec, delta = 1): number {
  let total = 0;
  for (let r = 0; r < rows; r++) total += rowLoss(loss, r, cols, pred, target, delta);
  return total / rows;
}

function rowLoss(loss: number, r: number, cols: number, p: Vec, y: Vec, delta: number): number {
  const at = r * cols;
  let sum = 0;
  switch (loss) {
    case LOSS_MSE:
      for (let j = at; j < at + cols; j++) sum += (p[j] - y[j]) ** 2;
      return sum / cols;
    case LOSS_MAE:
      for (let j = at; j < at + cols; j++) sum += Math.abs(p[j] - y[j]);
      return sum / cols;
    case LOSS_HUBER:
      for (let j = at; j < at + cols; j++) {
        const e = p[j] - y[j];
        sum += Math.abs(e) <= delta ? 0.5 * e * e : delta * Math.abs(e) - 0.5 * delta * delta;
      }
      return sum / cols;
    case LOSS_BCE:
      for (let j = at; j < at + cols; j++) {
        const pc = clip(p[j]);
        sum -= y[j] * Math.log(pc) + (1 - y[j]) * Math.log(1 - pc);
      }
      return sum / cols;
    case LOSS_CCE:
    case LOSS_SPARSE_CCE: {
      const s = rowTotal(p, at, cols);
      for (let j = 0; j < cols; j++) sum -= targetAt(loss, y, r, cols, j) * Math.log(clip(p[at + j] / s));
      return sum;
    }
  }
  throw new Error(`unknown loss ${loss}`);
}

/** The gradient of refLoss w.r.t. pred, or w.r.t. z when `fused` (pred = sigmoid(z) / softmax(z)). */
export function refLossGrad(loss: number, rows: number, cols: number, pred: Vec, target: Vec, delta = 1, fused = false): Float64Array {
  const g = new Float64Array(rows * cols);
  const n = rows * cols;
  for (let r = 0; r < rows; r++) {
    const at = r * cols;
    if (loss === LOSS_CCE || loss === LOSS_SPARSE_CCE) {
      const y = (j: number) => targetAt(loss, target, r, cols, j);
      if (fused) {
        // softmax Jacobian pⱼ(δᵢⱼ − pᵢ) times −yᵢ/pᵢ, summed: pⱼΣy − yⱼ.
        let sy = 0;
        for (let j = 0; j < cols; j++) sy += y(j);
        for (let j = 0; j < cols; j++) g[at + j] = (pred[at + j] * sy - y(j)) / rows;
        continue;
      }
      // q = p/S, dqᵢ/dpⱼ = (δᵢⱼ − qᵢ)/S; dL/dqᵢ = −yᵢ/qᵢ where the clip passes, else 0.
      const s = rowTotal(pred, at, cols);
      const dq = (j: number) => (insideClip(pred[at + j] / s) ? -y(j) / (pred[at + j] / s) : 0);
      let dot = 0;
      for (let i = 0; i < cols; i++) dot += dq(i) * (pred[at + i] / s);
      for (let j = 0; j < cols; j++) g[at + j] = (dq(j) - dot) / s / rows;
      continue;
    }
    for (let j = at; j < at + cols; j++) {
      const p = pred[j];
      const y = target[j];
      const e = p - y;
      switch (loss) {
        case LOSS_MSE:
          g[j] = (2 * e) / n;
          break;
        case LOSS_MAE:
          g[j] = Math.sign(e) / n;
          break;
        case LOSS_HUBER:
          g[j] = Math.min(Math.max(e, -delta), delta) / n;
          break;
        case LOSS_BCE:
          // dBCE/dp = (p − y)/(p(1 − p)); times sigmoid' = p(1 − p) when fused.
          if (fused) g[j] = e / n;
          else g[j] = insideClip(p) ? e / (p * (1 - p)) / n : 0;
          break;
        default:
          throw new Error(`unknown loss ${loss}`);
      }
    }
  }
  return g;
}

function rowTotal(p: Vec, at: number, cols: number): number {
  let s = 0;
  for (let j = 0; j < cols; j++) s += p[at + j];
  return s;
}

/** Target entry (r, j): the dense value, or the one-hot of the row's label for sparse CCE. */
function targetAt(loss: number, y: Vec, r: number, cols: number, j: number): number {
  return loss === LOSS_SPARSE_CCE ? (y[r] === j ? 1 : 0) : y[r * cols + j];
}

/** Elementwise logistic sigmoid. */
export function refSigmoid(z: Vec): Float64Array {
  const out = new Float64Array(z.length);
  for (let i = 0; i < z.length; i++) out[i] = 1 / (1 + Math.exp(-z[i]));
  return out;
}

/** Row-wise softmax (max-shifted). */
export function refSoftmax(rows: number, cols: number, z: Vec): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const at = r * cols;
    let max = -Infinity;
    for (let j = 0; j < cols; j++) max = Math.max(max, z[at + j]);
    let s = 0;
    for (let j = 0; j < cols; j++) s += out[at + j] = Math.exp(z[at + j] - max);
    for (let j = 0; j < cols; j++) out[at + j] /= s;
  }
  return out;
}

/** Central finite differences of f at x, for the indices where `use(i)` holds (NaN elsewhere). */
export function finiteDiff(f: (x: Float64Array) => number, x: Vec, h = 1e-6, use: (i: number) => boolean = () => true): Float64Array {
  const xs = Float64Array.from(x);
  const out = new Float64Array(xs.length).fill(NaN);
  for (let i = 0; i < xs.length; i++) {
    if (!use(i)) continue;
    const x0 = xs[i];
    xs[i] = x0 + h;
    const up = f(xs);
    xs[i] = x0 - h;
    const down = f(xs);
    xs[i] = x0;
    out[i] = (up - down) / (2 * h);
  }
  return out;
}
