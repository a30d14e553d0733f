// Forward, loss, backward and optimizer step over the layer records the TS planner wrote: the whole
// training step runs here, so a batch (or an epoch) is a single call across the boundary. The kernels
// come through threads/dispatch: the threaded build splits them across its workers, bit-identically.

import {
  H_LAYERS, H_LOSS, H_FUSED, H_SPARSE, H_CAP, H_IN, H_OUT, H_TW, H_X, H_Y, 
  H_SCRATCH, H_LOSS_DELTA, H_SW, H_WORDS,
  L_OUT, L_Y, L_D, L_KIND, LAYER_WORDS, STEP_WORDS,
  LAYER_DENSE, LAYER_ACTIVATION, LAYER_DROPOUT, LAYER_CONV2D, LAYER_MAX_POOL, LAYER_AVG_POOL,
  LAYER_GLOBAL_AVG_POOL, LAYER_GLOBAL_MAX_POOL, LAYER_RESHAPE, LAYER_UP_SAMPLING, LAYER_ZERO_PADDING, LAYER_BATCH_NORM,
  LAYER_EMBEDDING, LAYER_RECURRENT, LAYER_MASKED_MEAN,
} from "../../src/shared/plan";
import { word, ptr, real } from "./record";
import { STAT_LOSS, STAT_ROWS, LOSS_EXTERNAL } from "../../src/shared/ids";
import { gather_rows } from "../threads/dispatch";
import { f32_loss, f32_stats } from "../kernels/f32_loss";
import { f32_scale } from "../kernels/f32_clip";
import { optimizer_step } from "./step";
import { penalty, regularize } from "./regularize";
import { dense_forward, dense_backward } from "../layers/dense";
import { activation_forward, activation_backward } from "../layers/activation";
import { dropout_forward, dropout_backward } from "../layers/dropout";
import { conv2d_forward, conv2d_backward } from "../layers/conv2d";
import {
  maxpool_forward, maxpool_backward, avgpool_forward, avgpool_backward,
  global_avgpool_forward, global_avgpool_backward, global_maxpool_forward, global_maxpool_backward,
} from "../layers/pooling";
import { reshape_forward, reshape_backward } from "../layers/reshape";
import { upsample_forward, upsample_backward, zeropad_forward, zeropad_backward } from "../layers/resize";
import { batchnorm_forward, batchnorm_backward } from "../layers/batch_norm";
import { embedding_forward, embedding_backward } from "../layers/embedding";
import { recurrent_forward, recurrent_backward } from "../layers/recurrent";
import { masked_mean_forward, masked_mean_backward } from "../layers/masked_mean";

// How a forward pass runs: for predictions, for gradients only, or for a step that is applied.
const MODE_INFER = 0;
const MODE_TRAIN = 1;
const MODE_STEP = 2;

@inline function layer(plan: usize, l: i32): usize {
  return plan + (<usize>(H_WORDS + l * LAYER_WORDS) << 2);
}

/** The input of layer l: the previous layer's output, or the batch itself for the first. */
@inline function inputOf(plan: usize, l: i32, x: usize): usize {
  return l > 0 ? ptr(layer(plan, l - 1), L_Y) : x;
}

/**
 * Runs every layer on `rows` input rows at x; each layer's output lands in its L_Y cache. mode: MODE_INFER,
 * MODE_TRAIN (dropout masks, batch statistics), MODE_STEP (also moves batch norm's moving statistics: a step is applied).
 */
function forward(plan: usize, x: usize, rows: i32, mode: i32): void {
  const scratch = ptr(plan, H_SCRATCH), cap = word(plan, H_CAP);
  for (let l = 0, L = word(plan, H_LAYERS); l < L; l++) {
    const rec = layer(plan, l), input = inputOf(plan, l, x);
    switch (word(rec, L_KIND)) {
      case LAYER_DENSE: dense_forward(rec, input, rows, scratch); break;
      case LAYER_ACTIVATION: activation_forward(rec, input, rows); break;
      case LAYER_DROPOUT: dropout_forward(rec, input, rows, mode != MODE_INFER); break;
      case LAYER_CONV2D: conv2d_forward(rec, input, rows, scratch); break;
      case LAYER_MAX_POOL: maxpool_forward(rec, input, rows); break;
      case LAYER_AVG_POOL: avgpool_forward(rec, input, rows); break;
      case LAYER_GLOBAL_AVG_POOL: global_avgpool_forward(rec, input, rows); break;
      case LAYER_GLOBAL_MAX_POOL: global_maxpool_forward(rec, input, rows); break;
      case LAYER_RESHAPE: reshape_forward(rec, input, rows); break;
      case LAYER_UP_SAMPLING: upsample_forward(rec, input, rows); break;
      case LAYER_ZERO_PADDING: zeropad_forward(rec, input, rows); break;
      case LAYER_BATCH_NORM: batchnorm_forward(rec, input, rows, mode != MODE_INFER, mode == MODE_STEP); break;
      case LAYER_EMBEDDING: embedding_forward(rec, input, rows); break;
      case LAYER_RECURRENT: recurrent_forward(rec, input, x, rows, cap, scratch); break;
      case LAYER_MASKED_MEAN: masked_mean_forward(rec, input, x, rows); break;
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
 * Backpropagation, last layer first: each layer turns δ = dLoss/d(its output) into the gradients of its
 * weights and δ for the layer before (see each kind's file in assembly/layers/).
 */
function backward(plan: usize, x: usize, rows: i32): void {
  const scratch = ptr(plan, H_SCRATCH), last = word(plan, H_LAYERS) - 1, fused = word(plan, H_FUSED), cap = word(plan, H_CAP);
  for (let l = last; l >= 0; l--) {
    const rec = layer(plan, l), input = inputOf(plan, l, x);
    const d = ptr(rec, L_D), dPrev = l > 0 ? ptr(layer(plan, l - 1), L_D) : 0;
    const turned = l == last && fused != 0;
    switch (word(rec, L_KIND)) {
      case LAYER_DENSE: dense_backward(rec, input, d, dPrev, rows, turned, scratch); break;
      case LAYER_ACTIVATION: activation_backward(rec, input, d, dPrev, rows, turned); break;
      case LAYER_DROPOUT: dropout_backward(rec, d, dPrev, rows); break;
      case LAYER_CONV2D: conv2d_backward(rec, input, d, dPrev, rows, turned, scratch); break;
      case LAYER_MAX_POOL: maxpool_backward(rec, d, dPrev, rows); break;
      case LAYER_AVG_POOL: avgpool_backward(rec, d, dPrev, rows); break;
      case LAYER_GLOBAL_AVG_POOL: global_avgpool_backward(rec, d, dPrev, rows); break;
      case LAYER_GLOBAL_MAX_POOL: global_maxpool_backward(rec, d, dPrev, rows); break;
      case LAYER_RESHAPE: reshape_backward(rec, d, dPrev, rows); break;
      case LAYER_UP_SAMPLING: upsample_backward(rec, d, dPrev, rows); break;
      case LAYER_ZERO_PADDING: zeropad_backward(rec, d, dPrev, rows); break;
      case LAYER_BATCH_NORM: batchnorm_backward(rec, d, dPrev, rows); break;
      case LAYER_EMBEDDING: embedding_backward(rec, input, d, rows); break;
      case LAYER_RECURRENT: recurrent_backward(rec, input, x, d, dPrev, rows, cap, scratch); break;
      case LAYER_MASKED_MEAN: masked_mean_backward(rec, d, dPrev, x, rows); break;
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

// Where batch b's inputs, targets and loss weights are (set by locate).
let batchX: usize = 0, batchY: usize = 0, batchW: usize = 0;

/**
 * Points batchX/Y/W at the rows of batch `b` (rows [b·batchSize, (b+1)·batchSize) of the permutation idx,
 * or in place when idx = 0) and returns their count; with `gather`, copies permuted rows into H_X/H_Y/H_SW.
 */
function locate(plan: usize, xData: usize, yData: usize, wData: usize, idx: usize, n: i32, batchSize: i32, b: i32, gather: bool): i32 {
  const fanIn = word(plan, H_IN), tw = word(plan, H_TW);
  const start = b * batchSize;
  const rows = min(batchSize, n - start);
  if (rows <= 0) return 0;
  batchX = xData + (<usize>start * <usize>fanIn << 2);
  batchY = yData + (<usize>start * <usize>tw << 2);
  batchW = wData ? wData + (<usize>start << 2) : 0;
  if (idx) {
    batchX = ptr(plan, H_X);
    batchY = ptr(plan, H_Y);
    if (gather) {
      gather_rows(xData, fanIn, idx, start, rows, batchX);
      gather_rows(yData, tw, idx, start, rows, batchY);
    }
    if (batchW) {
      batchW = ptr(plan, H_SW);
      if (gather) gather_rows(wData, 1, idx, start, rows, batchW);
    }
  }
  return rows;
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
  for (let s = 0; s < count; s++) {
    const rows = locate(plan, xData, yData, wData, idx, n, batchSize, firstBatch + s, true);
    if (rows <= 0) break;
    forward(plan, batchX, rows, apply ? MODE_STEP : MODE_TRAIN);
    // The training loss includes the regularizers' penalty on the weights this step starts from (Keras).
    record(plan, batchY, rows, loss(plan, batchY, batchW, rows, true) + penalty(plan), stats);
    backward(plan, batchX, rows);
    regularize(plan);
    if (apply) optimizer_step(plan, steps + (<usize>(s * STEP_WORDS) << 2));
  }
}

/**
 * net_train's batch `b` in two calls, for a loss or metric written in JS: this one gathers the batch and
 * runs the forward pass (predictions in the last layer's output, targets at H_Y or in place); returns its rows.
 */
export function net_train_forward(plan: usize, xData: usize, yData: usize, wData: usize, idx: usize, n: i32, batchSize: i32, b: i32, apply: i32): i32 {
  const rows = locate(plan, xData, yData, wData, idx, n, batchSize, b, true);
  if (rows > 0) forward(plan, batchX, rows, apply ? MODE_STEP : MODE_TRAIN);
  return rows;
}

/**
 * The rest of batch `b` after net_train_forward (same arguments): the loss — the kernel's, or `external`
 * for LOSS_EXTERNAL, whose gradient the facade has written into the last layer's delta — then statistics,
 * backward and (apply) the step with the scalars at `steps`.
 */
export function net_train_backward(
  plan: usize, xData: usize, yData: usize, wData: usize, idx: usize, n: i32, batchSize: i32, b: i32,
  steps: usize, stats: usize, apply: i32, external: f64,
): void {
  const rows = locate(plan, xData, yData, wData, idx, n, batchSize, b, false);
  if (rows <= 0) return;
  const value = word(plan, H_LOSS) == LOSS_EXTERNAL ? external : loss(plan, batchY, batchW, rows, true);
  record(plan, batchY, rows, value + penalty(plan), stats);
  backward(plan, batchX, rows);
  regularize(plan);
  if (apply) optimizer_step(plan, steps);
}

/** Adds the statistics of the last forward pass (≤ cap rows, e.g. net_predict's) with a loss the facade computed, plus the regularizers' penalty as net_evaluate. */
export function net_record(plan: usize, y: usize, rows: i32, loss: f64, stats: usize): void {
  record(plan, y, rows, loss + penalty(plan), stats);
}

/** Loss (with the regularizers' penalty) and metric counts over n rows, forward only, in chunks of the arena's capacity. */
export function net_evaluate(plan: usize, xData: usize, yData: usize, n: i32, stats: usize): void {
  const cap = word(plan, H_CAP), fanIn = word(plan, H_IN), tw = word(plan, H_TW);
  // Keras 3's evaluate() reports the loss with the regularizers' penalty, as training does.
  const reg = penalty(plan);
  for (let start = 0; start < n; start += cap) {
    const rows = min(cap, n - start);
    const y = yData + (<usize>start * <usize>tw << 2);
    forward(plan, xData + (<usize>start * <usize>fanIn << 2), rows, MODE_INFER);
    record(plan, y, rows, loss(plan, y, 0, rows, false) + reg, stats);
  }
}

/** Predictions for n rows into out (n × units), forward only, in chunks of the arena's capacity. */
export function net_predict(plan: usize, xData: usize, n: i32, out: usize): void {
  const cap = word(plan, H_CAP), fanIn = word(plan, H_IN), units = word(plan, H_OUT);
  const last = layer(plan, word(plan, H_LAYERS) - 1);
  for (let start = 0; start < n; start += cap) {
    const rows = min(cap, n - start);
    forward(plan, xData + (<usize>start * <usize>fanIn << 2), rows, MODE_INFER);
    memory.copy(out + (<usize>start * <usize>units << 2), ptr(last, L_Y), <usize>rows * <usize>units << 2);
  }
}
