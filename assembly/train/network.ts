// Forward, loss, backward and optimizer step over the layer records the TS planner wrote: the whole
// training step runs here, so a batch (or an epoch) is a single call across the boundary. The kernels
// come through threads/dispatch: the threaded build splits them across its workers, bit-identically.

import {
  H_LAYERS, H_LOSS, H_FUSED, H_SPARSE, H_CAP, H_IN, H_OUT, H_TW, H_X, H_Y, 
  H_SCRATCH, H_LOSS_DELTA, H_SW, H_WORDS,
  L_IN, L_OUT, L_ACT, L_ALPHA, L_W, L_B, L_DW, L_DB, L_Z, L_Y, L_D, L_KIND, L_RATE, L_MASK, L_RNG, LAYER_WORDS, STEP_WORDS,
  LAYER_DENSE, LAYER_ACTIVATION, LAYER_DROPOUT,
} from "../../src/shared/plan";
import { word, ptr, real } from "./record";
import { ACT_LINEAR, STAT_LOSS, STAT_ROWS } from "../../src/shared/ids";
import { gemm_nn, gemm_tn, gemm_nt, colsum, vact, vact_bwd, vmul, gather_rows } from "../threads/dispatch";
import { f32_loss, f32_stats } from "../kernels/f32_loss";
import { f32_scale } from "../kernels/f32_clip";
import { optimizer_step } from "./step";
import { rng_dropout_mask } from "../core/rng";

@inline function layer(plan: usize, l: i32): usize {
  return plan + (<usize>(H_WORDS + l * LAYER_WORDS) << 2);
}

/** The input of layer l: the previous layer's output, or the batch itself for the first. */
@inline function inputOf(plan: usize, l: i32, x: usize): usize {
  return l > 0 ? ptr(layer(plan, l - 1), L_Y) : x;
}

/** Runs every layer on `rows` input rows at x; each layer's output lands in its L_Y cache. */
function forward(plan: usize, x: usize, rows: i32, training: bool): void {
  for (let l = 0, L = word(plan, H_LAYERS); l < L; l++) {
    const rec = layer(plan, l), input = inputOf(plan, l, x);
    const fanIn = word(rec, L_IN), units = word(rec, L_OUT), act = word(rec, L_ACT), alpha = real(rec, L_ALPHA);
    const y = ptr(rec, L_Y), n = rows * units;
    switch (word(rec, L_KIND)) {
      case LAYER_DENSE: {
        const z = ptr(rec, L_Z);
        if (z) {
          // The derivative needs the pre-activation: keep z, then activate into y.
          gemm_nn(rows, units, fanIn, input, fanIn, ptr(rec, L_W), units, z, units, ptr(rec, L_B), ACT_LINEAR, 0, ptr(plan, H_SCRATCH));
          vact(act, alpha, rows, units, z, y);
        } else {
          gemm_nn(rows, units, fanIn, input, fanIn, ptr(rec, L_W), units, y, units, ptr(rec, L_B), act, alpha, ptr(plan, H_SCRATCH));
        }
        break;
      }
      case LAYER_ACTIVATION:
        vact(act, alpha, rows, units, input, y);
        break;
      case LAYER_DROPOUT:
        if (training) {
          const mask = ptr(rec, L_MASK);
          rng_dropout_mask(rec + (<usize>L_RNG << 2), mask, n, real(rec, L_RATE));
          vmul(n, input, mask, y);
        } else {
          memory.copy(y, input, <usize>n << 2);
        }
        break;
    }
  }
}

/**
 * The loss of the last forward pass against targets y; with `grad`, dLoss/d(output) (or dLoss/dz when
 * fused) into the last delta. With per-row weights w (Keras's sample_weight), Σ w·loss_row / rows.
 */
function loss(plan: usize, y: usize, w: usize, rows: i32, grad: bool): f64 {
  const rec = layer(plan, word(plan, H_LAYERS) - 1);
  const id = word(plan, H_LOSS), units = word(rec, L_OUT), fused = word(plan, H_FUSED), delta = real(plan, H_LOSS_DELTA);
  const pred = ptr(rec, L_Y), d = grad ? ptr(rec, L_D) : 0;
  if (!w) return f32_loss(id, rows, units, pred, y, d, fused, delta);
  // Row by row: each row's loss and gradient as a batch of one, then weighted and averaged.
  const tw = word(plan, H_TW), rowBytes = <usize>units << 2;
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const g = d ? d + <usize>r * rowBytes : 0;
    const wr = load<f32>(w + (<usize>r << 2));
    total += <f64>wr * f32_loss(id, 1, units, pred + <usize>r * rowBytes, y + (<usize>(r * tw) << 2), g, fused, delta);
    if (g) f32_scale(units, g, wr / <f32>rows);
  }
  return total / <f64>rows;
}

/**
 * Backpropagation, last layer first. Each layer turns δ = dLoss/d(its output) into the gradients of
 * its weights and δ for the layer before: Dense: δ ⊙ act' (skipped when the loss already gave dLoss/dz),
 * dW = inputᵀ·δ, db = Σδ, δ_prev = δ·Wᵀ; Activation: δ_prev = δ ⊙ act'; Dropout: δ_prev = δ ⊙ mask.
 */
function backward(plan: usize, x: usize, rows: i32): void {
  const scratch = ptr(plan, H_SCRATCH), last = word(plan, H_LAYERS) - 1, fused = word(plan, H_FUSED);
  for (let l = last; l >= 0; l--) {
    const rec = layer(plan, l), input = inputOf(plan, l, x);
    const fanIn = word(rec, L_IN), units = word(rec, L_OUT), act = word(rec, L_ACT), alpha = real(rec, L_ALPHA);
    const d = ptr(rec, L_D), dPrev = l > 0 ? ptr(layer(plan, l - 1), L_D) : 0;
    const turned = l == last && fused != 0;
    switch (word(rec, L_KIND)) {
      case LAYER_DENSE:
        if (!turned) vact_bwd(act, alpha, rows, units, ptr(rec, L_Z), ptr(rec, L_Y), d, d);
        gemm_tn(fanIn, units, rows, input, fanIn, d, units, ptr(rec, L_DW), units, scratch);
        if (ptr(rec, L_B)) colsum(rows, units, d, units, ptr(rec, L_DB));
        if (dPrev) gemm_nt(rows, fanIn, units, d, units, ptr(rec, L_W), units, dPrev, fanIn, scratch);
        break;
      case LAYER_ACTIVATION:
        if (!dPrev) break;
        if (turned) memory.copy(dPrev, d, <usize>(rows * units) << 2);
        else vact_bwd(act, alpha, rows, units, input, ptr(rec, L_Y), d, dPrev);
        break;
      case LAYER_DROPOUT:
        if (dPrev) vmul(rows * units, d, ptr(rec, L_MASK), dPrev);
        break;
    }
  }
}

/** Adds one batch's loss and metric counts to the f64 statistics at `stats`. */
function record(plan: usize, y: usize, rows: i32, loss: f64, stats: usize): void {
  store<f64>(stats + (<usize>STAT_LOSS << 3), load<f64>(stats + (<usize>STAT_LOSS << 3)) + loss * <f64>rows);
  store<f64>(stats + (<usize>STAT_ROWS << 3), load<f64>(stats + (<usize>STAT_ROWS << 3)) + <f64>rows);
  const last = layer(plan, word(plan, H_LAYERS) - 1);
  f32_stats(rows, word(last, L_OUT), ptr(last, L_Y), y, word(plan, H_SPARSE), stats);
}

/**
 * Trains on `count` mini-batches, batch b covering rows [b·batchSize, (b+1)·batchSize) of the
 * permutation idx (idx = 0: data order, read in place); wData (or 0) holds one loss weight per row. Step s uses the scalars at steps + s·STEP_WORDS.
 * apply = 0 computes gradients without updating (computeGradients).
 */
export function net_train(
  plan: usize, xData: usize, yData: usize, wData: usize, idx: usize, n: i32, batchSize: i32,
  firstBatch: i32, count: i32, steps: usize, stats: usize, apply: i32,
): void {
  const fanIn = word(plan, H_IN), tw = word(plan, H_TW);
  for (let s = 0; s < count; s++) {
    const start = (firstBatch + s) * batchSize;
    const rows = min(batchSize, n - start);
    if (rows <= 0) break;
    let x = xData + (<usize>start * <usize>fanIn << 2);
    let y = yData + (<usize>start * <usize>tw << 2);
    let w = wData ? wData + (<usize>start << 2) : 0;
    if (idx) {
      x = ptr(plan, H_X);
      y = ptr(plan, H_Y);
      gather_rows(xData, fanIn, idx, start, rows, x);
      gather_rows(yData, tw, idx, start, rows, y);
      if (w) {
        w = ptr(plan, H_SW);
        gather_rows(wData, 1, idx, start, rows, w);
      }
    }
    forward(plan, x, rows, true);
    record(plan, y, rows, loss(plan, y, w, rows, true), stats);
    backward(plan, x, rows);
    if (apply) optimizer_step(plan, steps + (<usize>(s * STEP_WORDS) << 2));
  }
}

/** Loss and metric counts over n rows, forward only, in chunks of the arena's capacity. */
export function net_evaluate(plan: usize, xData: usize, yData: usize, n: i32, stats: usize): void {
  const cap = word(plan, H_CAP), fanIn = word(plan, H_IN), tw = word(plan, H_TW);
  for (let start = 0; start < n; start += cap) {
    const rows = min(cap, n - start);
    const y = yData + (<usize>start * <usize>tw << 2);
    forward(plan, xData + (<usize>start * <usize>fanIn << 2), rows, false);
    record(plan, y, rows, loss(plan, y, 0, rows, false), stats);
  }
}

/** Predictions for n rows into out (n × units), forward only, in chunks of the arena's capacity. */
export function net_predict(plan: usize, xData: usize, n: i32, out: usize): void {
  const cap = word(plan, H_CAP), fanIn = word(plan, H_IN), units = word(plan, H_OUT);
  const last = layer(plan, word(plan, H_LAYERS) - 1);
  for (let start = 0; start < n; start += cap) {
    const rows = min(cap, n - start);
    forward(plan, xData + (<usize>start * <usize>fanIn << 2), rows, false);
    memory.copy(out + (<usize>start * <usize>units << 2), ptr(last, L_Y), <usize>rows * <usize>units << 2);
  }
}
