// BatchNormalization over the last axis: rows × positions values per channel. Training normalizes with
// the batch's statistics (kept in the aux buffer with x̂ for backward) and, when the step is applied,
// moves the moving statistics; inference normalizes with the moving ones.
import { L_IN, L_Y, L_W, L_B, L_DW, L_DB, L_AUX, L_STATE, L_ALPHA, L_RATE, L_ARGS } from "../../src/shared/plan";
import { word, ptr, real } from "../train/record";
import { f32_bn_stats, f32_bn_forward, f32_bn_backward, f32_bn_moving } from "../kernels/f32_norm";

/** Channels, and whether gamma (scale) and beta (center) exist: they take L_W and L_B in that order. */
@inline function channels(rec: usize): i32 {
  return word(rec, L_ARGS);
}
@inline function gammaOf(rec: usize, w: i32): usize {
  return word(rec, L_ARGS + 1) ? ptr(rec, w) : 0;
}
@inline function betaOf(rec: usize, w: i32, b: i32): usize {
  if (!word(rec, L_ARGS + 2)) return 0;
  return word(rec, L_ARGS + 1) ? ptr(rec, b) : ptr(rec, w);
}

export function batchnorm_forward(rec: usize, x: usize, rows: i32, training: bool, step: bool): void {
  const c = channels(rec), n = rows * (word(rec, L_IN) / c), eps = real(rec, L_ALPHA);
  const movingMean = ptr(rec, L_STATE), movingVar = movingMean + (<usize>c << 2);
  const gamma = gammaOf(rec, L_W), beta = betaOf(rec, L_W, L_B), y = ptr(rec, L_Y);
  if (!training) {
    f32_bn_forward(n, c, x, movingMean, movingVar, eps, gamma, beta, y, 0);
    return;
  }
  const mean = ptr(rec, L_AUX), variance = mean + (<usize>c << 2), xhat = variance + (<usize>c << 2);
  f32_bn_stats(n, c, x, mean, variance);
  f32_bn_forward(n, c, x, mean, variance, eps, gamma, beta, y, xhat);
  if (step) f32_bn_moving(c, mean, variance, movingMean, movingVar, real(rec, L_RATE));
}

export function batchnorm_backward(rec: usize, d: usize, dPrev: usize, rows: i32): void {
  const c = channels(rec), n = rows * (word(rec, L_IN) / c), eps = real(rec, L_ALPHA);
  const mean = ptr(rec, L_AUX), variance = mean + (<usize>c << 2), xhat = variance + (<usize>c << 2);
  // Without a layer before it, dx has nowhere to go but δ itself (it is not read again).
  f32_bn_backward(n, c, d, xhat, variance, eps, gammaOf(rec, L_W), gammaOf(rec, L_DW), betaOf(rec, L_DW, L_DB), dPrev ? dPrev : d);
}
