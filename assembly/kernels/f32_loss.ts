// Losses and metric statistics over a batch of `rows` predictions of `cols` values each (row-major).
//
// f32_loss returns Keras 3's value: the per-row loss (mean over the last axis for elementwise losses,
// sum for cross-entropies), averaged over rows. Per-row losses and the average are computed in f64
// from the f32 inputs; gradients are written as f32 (SIMD where the formula is elementwise). Every
// loss computes its value before writing any gradient, and reads each pred element before writing
// the gradient at the same index, so `grad` may alias `pred`.

import {
  LOSS_MSE, LOSS_MAE, LOSS_HUBER, LOSS_BCE, LOSS_CCE, LOSS_SPARSE_CCE,
  STAT_BINARY_CORRECT, STAT_CATEGORICAL_CORRECT, STAT_SPARSE_CORRECT, STAT_SQUARED_ERROR, STAT_ABSOLUTE_ERROR,
} from "../../src/shared/ids";
import { ldf, stf, ldvOr1, stvOr1 } from "../core/ptr";

// Keras clips probabilities to [ε, 1 − ε] with ε = 1e-7; for float32 tensors both bounds are f32.
const EPS: f32 = 1e-7;
const ONE_MINUS_EPS: f32 = <f32>(1.0 - 1e-7);

/** Mean loss over rows; writes d(mean loss)/d(pred) into grad (d/dz of the activation when fused). */
export function f32_loss(loss: i32, rows: i32, cols: i32, pred: usize, target: usize, grad: usize, fused: i32, delta: f32): f64 {
  if (rows <= 0 || cols <= 0) return 0;
  switch (loss) {
    case LOSS_MSE: return meanSquaredError(rows, cols, pred, target, grad);
    case LOSS_MAE: return meanAbsoluteError(rows, cols, pred, target, grad);
    case LOSS_HUBER: return huber(rows, cols, pred, target, grad, delta);
    case LOSS_BCE: return binaryCrossentropy(rows, cols, pred, target, grad, fused != 0);
    case LOSS_CCE: return categoricalCrossentropy(rows, cols, pred, target, grad, fused != 0);
    case LOSS_SPARSE_CCE: return sparseCategoricalCrossentropy(rows, cols, pred, target, grad, fused != 0);
  }
  return NaN;
}

// ---- Elementwise losses: value per row in f64, gradient over the whole block in f32x4 ----

/** grad = (p − y)·scale: MSE's gradient (scale 2/(rows·cols)) and BCE∘sigmoid's fused one. */
@inline function differenceGradAt(i: i32, one: bool, pred: usize, target: usize, grad: usize, scale: v128): void {
  stvOr1(grad, i, f32x4.mul(f32x4.sub(ldvOr1(pred, i, one), ldvOr1(target, i, one)), scale), one);
}

function meanSquaredError(rows: i32, cols: i32, pred: usize, target: usize, grad: usize): f64 {
  let total = 0.0;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let sum = 0.0;
    for (let j = base; j < base + cols; j++) {
      const e = <f64>ldf(pred, j) - <f64>ldf(target, j);
      sum += e * e;
    }
    total += sum / cols;
  }
  if (grad) {
    const n = rows * cols;
    const scale = f32x4.splat(<f32>(2.0 / (<f64>rows * <f64>cols)));
    let i = 0;
    for (; i + 4 <= n; i += 4) differenceGradAt(i, false, pred, target, grad, scale);
    for (; i < n; i++) differenceGradAt(i, true, pred, target, grad, scale);
  }
  return total / rows;
}

function meanAbsoluteError(rows: i32, cols: i32, pred: usize, target: usize, grad: usize): f64 {
  let total = 0.0;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let sum = 0.0;
    for (let j = base; j < base + cols; j++) sum += Math.abs(<f64>ldf(pred, j) - <f64>ldf(target, j));
    total += sum / cols;
  }
  if (grad) {
    const n = rows * cols;
    const scale = <f32>(1.0 / (<f64>rows * <f64>cols));
    const plus = f32x4.splat(scale);
    const minus = f32x4.splat(-scale);
    let i = 0;
    for (; i + 4 <= n; i += 4) absoluteErrorGradAt(i, false, pred, target, grad, plus, minus);
    for (; i < n; i++) absoluteErrorGradAt(i, true, pred, target, grad, plus, minus);
  }
  return total / rows;
}

/** grad = sign(p − y)/(rows·cols), 0 where p == y (f32 p − y is 0 exactly when p == y). */
@inline function absoluteErrorGradAt(i: i32, one: bool, pred: usize, target: usize, grad: usize, plus: v128, minus: v128): void {
  const e = f32x4.sub(ldvOr1(pred, i, one), ldvOr1(target, i, one));
  const zero = f32x4.splat(0);
  const sign = v128.or(v128.and(f32x4.gt(e, zero), plus), v128.and(f32x4.lt(e, zero), minus));
  stvOr1(grad, i, sign, one);
}

function huber(rows: i32, cols: i32, pred: usize, target: usize, grad: usize, delta: f32): f64 {
  const d = <f64>delta;
  let total = 0.0;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let sum = 0.0;
    for (let j = base; j < base + cols; j++) {
      const e = <f64>ldf(pred, j) - <f64>ldf(target, j);
      const a = Math.abs(e);
      // Quadratic near zero, linear (slope δ) beyond δ: continuous value and slope at |e| = δ.
      sum += a <= d ? 0.5 * e * e : d * a - 0.5 * d * d;
    }
    total += sum / cols;
  }
  if (grad) {
    const n = rows * cols;
    const scale = f32x4.splat(<f32>(1.0 / (<f64>rows * <f64>cols)));
    const hi = f32x4.splat(delta);
    const lo = f32x4.splat(-delta);
    let i = 0;
    for (; i + 4 <= n; i += 4) huberGradAt(i, false, pred, target, grad, lo, hi, scale);
    for (; i < n; i++) huberGradAt(i, true, pred, target, grad, lo, hi, scale);
  }
  return total / rows;
}

/** grad = clip(p − y, −δ, δ)/(rows·cols) */
@inline function huberGradAt(i: i32, one: bool, pred: usize, target: usize, grad: usize, lo: v128, hi: v128, scale: v128): void {
  const e = f32x4.sub(ldvOr1(pred, i, one), ldvOr1(target, i, one));
  stvOr1(grad, i, f32x4.mul(f32x4.min(f32x4.max(e, lo), hi), scale), one);
}

// ---- Binary cross-entropy from probabilities ----

@inline function clipProbability(p: f32): f32 {
  return min(max(p, EPS), ONE_MINUS_EPS);
}

function binaryCrossentropy(rows: i32, cols: i32, pred: usize, target: usize, grad: usize, fused: bool): f64 {
  let total = 0.0;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let sum = 0.0;
    for (let j = base; j < base + cols; j++) {
      const pc = <f64>clipProbability(ldf(pred, j));
      const y = <f64>ldf(target, j);
      sum -= y * Math.log(pc) + (1 - y) * Math.log(1 - pc);
    }
    total += sum / cols;
  }
  if (grad) {
    const n = rows * cols;
    const scale = 1.0 / (<f64>rows * <f64>cols);
    if (fused) {
      // d/dz of BCE(sigmoid(z)) is p − y: the 1/(p(1−p)) cancels sigmoid's derivative.
      const s = f32x4.splat(<f32>scale);
      let i = 0;
      for (; i + 4 <= n; i += 4) differenceGradAt(i, false, pred, target, grad, s);
      for (; i < n; i++) differenceGradAt(i, true, pred, target, grad, s);
    } else {
      for (let i = 0; i < n; i++) {
        const p = ldf(pred, i);
        const y = <f64>ldf(target, i);
        const pc = <f64>p;
        // The clip passes no gradient outside (ε, 1 − ε).
        const g = p > EPS && p < ONE_MINUS_EPS ? (pc - y) / (pc * (1 - pc)) * scale : 0.0;
        stf(grad, i, <f32>g);
      }
    }
  }
  return total / rows;
}

// ---- Categorical cross-entropy from probabilities (Keras: normalise each row, then clip) ----

/** Whether the clip on the normalised probability q passes its gradient. */
@inline function insideClip(q: f64): bool {
  return q > <f64>EPS && q < <f64>ONE_MINUS_EPS;
}

@inline function clipNormalised(q: f64): f64 {
  return min(max(q, <f64>EPS), <f64>ONE_MINUS_EPS);
}

@inline function rowSum(p: usize, cols: i32): f64 {
  let s = 0.0;
  for (let j = 0; j < cols; j++) s += <f64>ldf(p, j);
  return s;
}

function categoricalCrossentropy(rows: i32, cols: i32, pred: usize, target: usize, grad: usize, fused: bool): f64 {
  const scale = 1.0 / <f64>rows;
  let total = 0.0;
  for (let r = 0; r < rows; r++) {
    const offset = <usize>(r * cols) << 2;
    const p = pred + offset;
    const y = target + offset;
    const s = rowSum(p, cols);
    // loss = −Σ y·log(clip(p/S)); gq = Σ gᵢqᵢ with gᵢ = −yᵢ/qᵢ (so gᵢqᵢ = −yᵢ) inside the clip.
    let loss = 0.0;
    let gq = 0.0;
    for (let j = 0; j < cols; j++) {
      const q = <f64>ldf(p, j) / s;
      const yj = <f64>ldf(y, j);
      // A zero target adds 0·log(q) = −0, which changes no sum: one log per row for one-hot targets.
      if (yj != 0) loss -= yj * Math.log(clipNormalised(q));
      if (insideClip(q)) gq -= yj;
    }
    total += loss;
    if (!grad) continue;
    const g = grad + offset;
    if (fused) {
      fusedSoftmaxGradRow(cols, p, y, g, <f32>rowSum(y, cols), <f32>scale);
    } else {
      // Through the normalisation q = p/S: dL/dpⱼ = (gⱼ − Σ gᵢqᵢ)/S.
      for (let j = 0; j < cols; j++) {
        const q = <f64>ldf(p, j) / s;
        const gj = insideClip(q) ? -<f64>ldf(y, j) / q : 0.0;
        stf(g, j, <f32>((gj - gq) / s * scale));
      }
    }
  }
  return total * scale;
}

/** d/dz of CCE(softmax(z)) for one row: (p·Σy − y)·scale (Σy is 1 for a distribution). */
function fusedSoftmaxGradRow(cols: i32, p: usize, y: usize, g: usize, sumY: f32, scale: f32): void {
  const sy = f32x4.splat(sumY);
  const s = f32x4.splat(scale);
  let j = 0;
  for (; j + 4 <= cols; j += 4) fusedSoftmaxGradAt(j, false, p, y, g, sy, s);
  for (; j < cols; j++) fusedSoftmaxGradAt(j, true, p, y, g, sy, s);
}

@inline function fusedSoftmaxGradAt(j: i32, one: bool, p: usize, y: usize, g: usize, sumY: v128, scale: v128): void {
  const d = f32x4.sub(f32x4.mul(ldvOr1(p, j, one), sumY), ldvOr1(y, j, one));
  stvOr1(g, j, f32x4.mul(d, scale), one);
}

function scaleRow(cols: i32, p: usize, g: usize, scale: v128): void {
  let j = 0;
  for (; j + 4 <= cols; j += 4) scaleAt(j, false, p, g, scale);
  for (; j < cols; j++) scaleAt(j, true, p, g, scale);
}

@inline function scaleAt(j: i32, one: bool, p: usize, g: usize, scale: v128): void {
  stvOr1(g, j, f32x4.mul(ldvOr1(p, j, one), scale), one);
}

/** The row's class index from its f32 label, or −1 when it is not in [0, cols) (an all-zero target). */
@inline function labelIndex(target: usize, r: i32, cols: i32): i32 {
  const label = ldf(target, r);
  return label >= 0 && label < <f32>cols ? <i32>label : -1;
}

function sparseCategoricalCrossentropy(rows: i32, cols: i32, pred: usize, target: usize, grad: usize, fused: bool): f64 {
  const scale = 1.0 / <f64>rows;
  let total = 0.0;
  for (let r = 0; r < rows; r++) {
    const k = labelIndex(target, r, cols);
    const p = pred + (<usize>(r * cols) << 2);
    const s = rowSum(p, cols);
    const q = k >= 0 ? <f64>ldf(p, k) / s : 0.0;
    if (k >= 0) total -= Math.log(clipNormalised(q));
    if (!grad) continue;
    const g = grad + (<usize>(r * cols) << 2);
    if (fused) {
      // (p − onehot)·scale: p·scale over the row, then the label's entry (read first: g may alias p).
      const pk = k >= 0 ? ldf(p, k) : 0;
      scaleRow(cols, p, g, f32x4.splat(<f32>scale));
      if (k >= 0) stf(g, k, (pk - 1) * <f32>scale);
    } else if (k >= 0 && insideClip(q)) {
      // CCE's (gⱼ − Σ gᵢqᵢ)/S with g = −1/q at the label only, so Σ gᵢqᵢ = −1.
      const other = <f32>(1.0 / s * scale);
      for (let j = 0; j < cols; j++) stf(g, j, other);
      stf(g, k, <f32>((1.0 - 1.0 / q) / s * scale));
    } else {
      for (let j = 0; j < cols; j++) stf(g, j, 0);
    }
  }
  return total * scale;
}

// ---- Metric statistics, accumulated into f64 slots ----

/** Adds this batch's counts and error sums into stats[STAT_*] (STAT_LOSS / STAT_ROWS are the caller's). */
export function f32_stats(rows: i32, cols: i32, pred: usize, target: usize, sparse: i32, stats: usize): void {
  if (rows <= 0 || cols <= 0) return;
  if (sparse) {
    let correct = 0;
    for (let r = 0; r < rows; r++) {
      // Compare as f32 so a label that is not an integer index never traps or matches.
      if (<f32>argmaxRow(pred + (<usize>(r * cols) << 2), cols) == ldf(target, r)) correct++;
    }
    addStat(stats, STAT_SPARSE_CORRECT, <f64>correct);
    return;
  }
  let binary = 0;
  let categorical = 0;
  let squared = 0.0;
  let absolute = 0.0;
  for (let r = 0; r < rows; r++) {
    const offset = <usize>(r * cols) << 2;
    if (argmaxRow(pred + offset, cols) == argmaxRow(target + offset, cols)) categorical++;
  }
  const n = rows * cols;
  for (let i = 0; i < n; i++) {
    const p = ldf(pred, i);
    const y = ldf(target, i);
    // Keras binary_accuracy: threshold the prediction at 0.5, then exact equality with the target.
    if ((p > 0.5 ? <f32>1 : <f32>0) == y) binary++;
    const e = <f64>p - <f64>y;
    squared += e * e;
    absolute += Math.abs(e);
  }
  addStat(stats, STAT_BINARY_CORRECT, <f64>binary);
  addStat(stats, STAT_CATEGORICAL_CORRECT, <f64>categorical);
  addStat(stats, STAT_SQUARED_ERROR, squared);
  addStat(stats, STAT_ABSOLUTE_ERROR, absolute);
}

/** Index of the row's largest value; the first one on ties. */
@inline function argmaxRow(p: usize, cols: i32): i32 {
  let best = ldf(p, 0);
  let at = 0;
  for (let j = 1; j < cols; j++) {
    const v = ldf(p, j);
    if (v > best) {
      best = v;
      at = j;
    }
  }
  return at;
}

@inline function addStat(stats: usize, slot: i32, value: f64): void {
  const at = stats + (<usize>slot << 3);
  store<f64>(at, load<f64>(at) + value);
}
