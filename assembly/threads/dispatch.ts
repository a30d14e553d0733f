// The kernels the training entry calls, resolved when the module is compiled: the threaded build
// (--enable threads) gets the pool's split versions for passes above the pool's size thresholds and the
// kernels themselves below them (a tiny model's passes never enter the pool: 1% of an XOR epoch), the
// single-thread build the kernels themselves.
// ASC_FEATURE_THREADS is a compile-time constant, so the branch not taken is never compiled: the
// single-thread module is exactly what it was before the pool existed.

import { f32_gemm_nn, f32_gemm_tn, f32_gemm_nt, f32_colsum } from "../kernels/f32_gemm";
import { f32_vact, f32_vact_bwd } from "../kernels/f32_vact";
import { f32_vmul, f32_gather_rows } from "../core/rows";
import { mt_gemm_nn, mt_gemm_tn, mt_gemm_nt, mt_colsum, mt_vact, mt_vact_bwd, mt_vmul, mt_gather_rows, mt_optimizer, gemmMaySplit, elemsMaySplit } from "./pool";
import { optimizer_range } from "../train/update";
import { f32_im2col, f32_col2im } from "../kernels/f32_conv";
import { mt_im2col, mt_col2im, mt_images, IMG_MAXPOOL, IMG_MAXPOOL_BWD, IMG_AVGPOOL, IMG_AVGPOOL_BWD, IMG_UPSAMPLE, IMG_UPSAMPLE_BWD, IMG_ZEROPAD, IMG_ZEROPAD_BWD } from "./pool";
import { f32_maxpool, f32_maxpool_bwd, f32_avgpool, f32_avgpool_bwd } from "../kernels/f32_pool";
import { f32_upsample, f32_upsample_bwd, f32_zeropad, f32_zeropad_bwd } from "../kernels/f32_resize";

// `scratch`: the calling thread's GEMM_SCRATCH_FLOATS region (src/shared/plan.ts); workers use their own.

@inline export function gemm_nn(
  m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, bias: usize, act: i32, alpha: f32,
  scratch: usize,
): void {
  if (ASC_FEATURE_THREADS && gemmMaySplit(<i64>m * n * max(k, 1))) mt_gemm_nn(m, n, k, a, lda, b, ldb, c, ldc, bias, act, alpha, scratch);
  else f32_gemm_nn(m, n, k, a, lda, b, ldb, c, ldc, bias, act, alpha, scratch);
}

@inline export function gemm_tn(
  m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, scratch: usize,
): void {
  if (ASC_FEATURE_THREADS && gemmMaySplit(<i64>m * n * max(k, 1))) mt_gemm_tn(m, n, k, a, lda, b, ldb, c, ldc, scratch);
  else f32_gemm_tn(m, n, k, a, lda, b, ldb, c, ldc, scratch);
}

@inline export function gemm_nt(
  m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, scratch: usize,
): void {
  if (ASC_FEATURE_THREADS && gemmMaySplit(<i64>m * n * max(k, 1))) mt_gemm_nt(m, n, k, a, lda, b, ldb, c, ldc, scratch);
  else f32_gemm_nt(m, n, k, a, lda, b, ldb, c, ldc, scratch);
}

@inline export function colsum(rows: i32, cols: i32, a: usize, lda: i32, out: usize): void {
  if (ASC_FEATURE_THREADS && elemsMaySplit(rows * cols, 0)) mt_colsum(rows, cols, a, lda, out);
  else f32_colsum(rows, cols, a, lda, out);
}

@inline export function vact(act: i32, alpha: f32, rows: i32, cols: i32, x: usize, y: usize): void {
  if (ASC_FEATURE_THREADS && elemsMaySplit(rows * cols, 4)) mt_vact(act, alpha, rows, cols, x, y);
  else f32_vact(act, alpha, rows, cols, x, y);
}

@inline export function vact_bwd(act: i32, alpha: f32, rows: i32, cols: i32, x: usize, y: usize, dy: usize, dx: usize): void {
  if (ASC_FEATURE_THREADS && elemsMaySplit(rows * cols, 4)) mt_vact_bwd(act, alpha, rows, cols, x, y, dy, dx);
  else f32_vact_bwd(act, alpha, rows, cols, x, y, dy, dx);
}

@inline export function vmul(n: i32, a: usize, b: usize, out: usize): void {
  if (ASC_FEATURE_THREADS && elemsMaySplit(n, 0)) mt_vmul(n, a, b, out);
  else f32_vmul(n, a, b, out);
}

@inline export function gather_rows(src: usize, cols: i32, idx: usize, start: i32, count: i32, dst: usize): void {
  if (ASC_FEATURE_THREADS && elemsMaySplit(count * cols, 0)) mt_gather_rows(src, cols, idx, start, count, dst);
  else f32_gather_rows(src, cols, idx, start, count, dst);
}

/** Weight decay and the optimizer's update over all n trainable parameters (elementwise, so any split gives the same bits). */
@inline export function optimizer_update(plan: usize, scalars: usize, n: i32): void {
  if (ASC_FEATURE_THREADS && elemsMaySplit(n, 2)) mt_optimizer(plan, scalars, n);
  else optimizer_range(plan, scalars, 0, n);
}

@inline export function im2col(g: usize, x: usize, col: usize): void {
  if (ASC_FEATURE_THREADS) mt_im2col(g, x, col);
  else f32_im2col(g, x, col);
}

@inline export function col2im(g: usize, col: usize, dx: usize): void {
  if (ASC_FEATURE_THREADS) mt_col2im(g, col, dx);
  else f32_col2im(g, col, dx);
}

// Image passes over a batch, split by images in the threaded build.
@inline export function maxpool(g: usize, rows: i32, x: usize, y: usize, idx: usize): void {
  if (ASC_FEATURE_THREADS) mt_images(IMG_MAXPOOL, g, rows, x, y, idx);
  else f32_maxpool(g, rows, x, y, idx);
}
@inline export function maxpool_bwd(g: usize, rows: i32, dy: usize, idx: usize, dx: usize): void {
  if (ASC_FEATURE_THREADS) mt_images(IMG_MAXPOOL_BWD, g, rows, dy, dx, idx);
  else f32_maxpool_bwd(g, rows, dy, idx, dx);
}
@inline export function avgpool(g: usize, rows: i32, x: usize, y: usize): void {
  if (ASC_FEATURE_THREADS) mt_images(IMG_AVGPOOL, g, rows, x, y, 0);
  else f32_avgpool(g, rows, x, y);
}
@inline export function avgpool_bwd(g: usize, rows: i32, dy: usize, dx: usize): void {
  if (ASC_FEATURE_THREADS) mt_images(IMG_AVGPOOL_BWD, g, rows, dy, dx, 0);
  else f32_avgpool_bwd(g, rows, dy, dx);
}
@inline export function upsample(g: usize, rows: i32, x: usize, y: usize): void {
  if (ASC_FEATURE_THREADS) mt_images(IMG_UPSAMPLE, g, rows, x, y, 0);
  else f32_upsample(g, rows, x, y);
}
@inline export function upsample_bwd(g: usize, rows: i32, dy: usize, dx: usize): void {
  if (ASC_FEATURE_THREADS) mt_images(IMG_UPSAMPLE_BWD, g, rows, dy, dx, 0);
  else f32_upsample_bwd(g, rows, dy, dx);
}
@inline export function zeropad(g: usize, rows: i32, x: usize, y: usize): void {
  if (ASC_FEATURE_THREADS) mt_images(IMG_ZEROPAD, g, rows, x, y, 0);
  else f32_zeropad(g, rows, x, y);
}
@inline export function zeropad_bwd(g: usize, rows: i32, dy: usize, dx: usize): void {
  if (ASC_FEATURE_THREADS) mt_images(IMG_ZEROPAD_BWD, g, rows, dy, dx, 0);
  else f32_zeropad_bwd(g, rows, dy, dx);
}
