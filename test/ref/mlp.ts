// A float64 reference MLP with plain loops and no code shared with src/ beyond the id constants:
// the forward pass (activations from test/ref/activations.ts), the batch-averaged loss (Keras 3
// definitions from test/ref/losses.ts), and the gradient of that loss w.r.t. every weight by central
// finite differences. The model-level tests trust it as their oracle.
//
// Weights come in getWeights() order: [kernel0 [in, out] row-major, bias0 [out], kernel1, …].

import * as ids from '../../src/shared/ids.js';
import { ACTIVATIONS, softmaxRef, type RefActivation } from './activations.js';
import { refLoss } from './losses.js';

type Vec = ArrayLike<number>;

/** 'leaky_relu', 'leakyRelu' and 'leaky-relu' all become 'leakyrelu'. */
const key = (name: string) => name.toLowerCase().replace(/[_\-\s]/g, '');

// ---- Activations: test/ref/activations.ts's float64 definitions (Keras 3), by name ----

const SOFTMAX = 'softmax';
const byName = new Map<string, RefActivation>(Object.values(ACTIVATIONS).map((a) => [key(a.name), a]));
const aliases: Record<string, string> = { none: 'linear', identity: 'linear', silu: 'swish' };

function activationKey(name: string): string {
  const k = aliases[key(name)] ?? key(name);
  if (k !== SOFTMAX && !byName.has(k)) throw new Error(`reference MLP: unknown activation '${name}'`);
  return k;
}

/** The activation of `rows` rows of `cols` pre-activations (softmax row-wise, max-shifted). */
export function activate(name: string, rows: number, cols: number, z: Float64Array): Float64Array {
  const k = activationKey(name);
  if (k === SOFTMAX) return softmaxRef(z, rows, cols);
  const a = byName.get(k)!;
  const alpha = a.alpha ?? 0;
  return z.map((v) => a.f(v, alpha));
}

/** Where the activation's first derivative jumps (relu's 0, hardSigmoid's ±3, …). */
function kinksOf(name: string): readonly number[] {
  const k = activationKey(name);
  return k === SOFTMAX ? [] : byName.get(k)!.kinks;
}

// ---- Losses: test/ref/losses.ts's float64 Keras definitions, by name ----

const lossIds: Record<string, number> = {
  meansquarederror: ids.LOSS_MSE,
  meanabsoluteerror: ids.LOSS_MAE,
  binarycrossentropy: ids.LOSS_BCE,
  categoricalcrossentropy: ids.LOSS_CCE,
  sparsecategoricalcrossentropy: ids.LOSS_SPARSE_CCE,
  huber: ids.LOSS_HUBER,
};

const lossAliases: Record<string, string> = {
  mse: 'meansquarederror',
  mae: 'meanabsoluteerror',
  bce: 'binarycrossentropy',
  cce: 'categoricalcrossentropy',
  scce: 'sparsecategoricalcrossentropy',
  huberloss: 'huber',
};

function lossKey(name: string): string {
  const k = lossAliases[key(name)] ?? key(name);
  if (!(k in lossIds)) throw new Error(`reference MLP: unknown loss '${name}'`);
  return k;
}

/** True for sparse categorical crossentropy: targets are one integer label per row. */
export function isSparse(loss: string): boolean {
  return lossKey(loss) === 'sparsecategoricalcrossentropy';
}

/** Huber's δ: the Keras default. */
const HUBER_DELTA = 1;

/**
 * The batch-averaged loss of predictions `pred` (rows × cols) against `target` (rows × cols, or one
 * label per row for sparse CCE): per-row mean over the last axis (sum for cross-entropies, which
 * scale each row to sum 1 and clip to [ε, 1 − ε] first), then the mean over rows.
 */
export function referenceLoss(loss: string, rows: number, cols: number, pred: Vec, target: Vec): number {
  return refLoss(lossIds[lossKey(loss)], rows, cols, pred, target, HUBER_DELTA);
}

// ---- The network ----

export interface MLPSpec {
  /** [inputWidth, units0, units1, …]. */
  sizes: readonly number[];
  /** One activation name per layer. */
  activations: readonly string[];
}

export interface ForwardPass {
  /** The output, rows × units of the last layer. */
  out: Float64Array;
  /** Each layer's pre-activation z = input · kernel + bias. */
  pre: Float64Array[];
}

export class ReferenceMLP {
  readonly sizes: number[];
  readonly activations: string[];

  constructor(spec: MLPSpec) {
    if (spec.sizes.length !== spec.activations.length + 1) throw new Error('reference MLP: need one activation per layer');
    this.sizes = [...spec.sizes];
    this.activations = spec.activations.map((a) => {
      activationKey(a);
      return a;
    });
  }

  get outputWidth(): number {
    return this.sizes[this.sizes.length - 1];
  }

  /** Shapes of the weights in getWeights() order. */
  weightShapes(): number[][] {
    const shapes: number[][] = [];
    for (let l = 0; l + 1 < this.sizes.length; l++) shapes.push([this.sizes[l], this.sizes[l + 1]], [this.sizes[l + 1]]);
    return shapes;
  }

  /** The forward pass on `rows` rows of x (row-major). */
  forward(weights: readonly Vec[], x: Vec, rows: number): ForwardPass {
    this.checkWeights(weights);
    if (x.length !== rows * this.sizes[0]) throw new Error(`reference MLP: x has ${x.length} values, expected ${rows}×${this.sizes[0]}`);
    let input: Vec = x;
    const pre: Float64Array[] = [];
    for (let l = 0; l + 1 < this.sizes.length; l++) {
      const fanIn = this.sizes[l];
      const units = this.sizes[l + 1];
      const w = weights[2 * l];
      const b = weights[2 * l + 1];
      const z = new Float64Array(rows * units);
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < units; j++) {
          let s = b[j];
          for (let k = 0; k < fanIn; k++) s += input[r * fanIn + k] * w[k * units + j];
          z[r * units + j] = s;
        }
      }
      pre.push(z);
      input = activate(this.activations[l], rows, units, z);
    }
    return { out: Float64Array.from(input), pre };
  }

  predict(weights: readonly Vec[], x: Vec, rows: number): Float64Array {
    return this.forward(weights, x, rows).out;
  }

  /** The batch-averaged loss of the network on (x, y). */
  loss(loss: string, weights: readonly Vec[], x: Vec, y: Vec, rows: number): number {
    return referenceLoss(loss, rows, this.outputWidth, this.predict(weights, x, rows), y);
  }

  /**
   * d loss / d weight for every weight, by central differences in float64: (L(w + h) − L(w − h)) / 2h.
   * With h = 1e-6 the truncation error is O(h²·L‴) ≈ 1e-12 and the rounding error O(ε₆₄·L/h) ≈ 1e-10.
   */
  gradients(loss: string, weights: readonly Vec[], x: Vec, y: Vec, rows: number, h = 1e-6): Float64Array[] {
    const ws = weights.map((w) => Float64Array.from(w));
    return ws.map((w) => {
      const g = new Float64Array(w.length);
      for (let i = 0; i < w.length; i++) {
        const w0 = w[i];
        w[i] = w0 + h;
        const up = this.loss(loss, ws, x, y, rows);
        w[i] = w0 - h;
        const down = this.loss(loss, ws, x, y, rows);
        w[i] = w0;
        g[i] = (up - down) / (2 * h);
      }
      return g;
    });
  }

  /**
   * For every weight, the mean over rows of |d loss_r / d weight| (each row's own gradient, by the same
   * finite differences): the size of the terms the batch gradient averages. Where they cancel, the
   * batch gradient is much smaller than this, and f32 rounding error is relative to this, not to it.
   */
  rowGradientScale(loss: string, weights: readonly Vec[], x: Vec, y: Vec, rows: number, h = 1e-6): Float64Array[] {
    const xw = this.sizes[0];
    const yw = isSparse(loss) ? 1 : this.outputWidth;
    const scale = weights.map((w) => new Float64Array(w.length));
    for (let r = 0; r < rows; r++) {
      const xr = Array.prototype.slice.call(x, r * xw, (r + 1) * xw) as number[];
      const yr = Array.prototype.slice.call(y, r * yw, (r + 1) * yw) as number[];
      this.gradients(loss, weights, xr, yr, 1, h).forEach((g, t) => g.forEach((v, i) => (scale[t][i] += Math.abs(v) / rows)));
    }
    return scale;
  }

  /**
   * Per entry, the scale an f32 gradient's error is measured against: max(|reference|, 0.1 × the mean
   * per-row |gradient|, 0.05 × the largest |reference| in the same tensor). Rounding error is relative
   * to the terms summed to make an entry, not to the entry: across the batch (the rows' own gradients,
   * which can cancel to a far smaller mean) and across the paths within a row (bounded by the tensor's
   * scale). Over 1000 random 3- and 4-layer networks the f32 backprop stays within 1.8e-5 of this.
   */
  gradientScales(loss: string, weights: readonly Vec[], x: Vec, y: Vec, rows: number, reference: readonly Vec[]): Float64Array[] {
    const perRow = this.rowGradientScale(loss, weights, x, y, rows);
    return reference.map((g, t) => {
      let max = 0;
      for (let i = 0; i < g.length; i++) max = Math.max(max, Math.abs(g[i]));
      return Float64Array.from({ length: g.length }, (_, i) => Math.max(Math.abs(g[i]), 0.1 * perRow[t][i], 0.05 * max));
    });
  }

  /**
   * The smallest distance from any pre-activation to a kink of its activation (relu's 0, relu6's 0 and
   * 6, hardSigmoid's ±3, …), and for mae from any prediction to its target: central differences are
   * only valid when this is well above h. Infinity when nothing in the network or loss has a kink.
   */
  kinkMargin(weights: readonly Vec[], x: Vec, rows: number, loss?: string, y?: Vec): number {
    const { out, pre } = this.forward(weights, x, rows);
    let margin = Infinity;
    pre.forEach((z, l) => {
      const points = kinksOf(this.activations[l]);
      for (const v of z) for (const k of points) margin = Math.min(margin, Math.abs(v - k));
    });
    if (loss !== undefined && y !== undefined && lossKey(loss) === 'meanabsoluteerror') {
      for (let i = 0; i < out.length; i++) margin = Math.min(margin, Math.abs(out[i] - y[i]));
    }
    return margin;
  }

  private checkWeights(weights: readonly Vec[]): void {
    const shapes = this.weightShapes();
    if (weights.length !== shapes.length) throw new Error(`reference MLP: expected ${shapes.length} weight arrays, got ${weights.length}`);
    shapes.forEach((s, i) => {
      const size = s.reduce((a, b) => a * b, 1);
      if (weights[i].length !== size) throw new Error(`reference MLP: weights[${i}] has ${weights[i].length} values, expected ${size}`);
    });
  }
}
