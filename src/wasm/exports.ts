// The WASM module's exports, typed. Pointers are byte offsets into linear memory, strides and sizes
// count elements, `act`/`loss` are ids from shared/ids.ts. Kernels never allocate.

export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  heap_base(): number;
  /** The layout and id-count fingerprint the module was compiled with (shared/plan.ts fingerprint()). */
  layout_signature(): number;
  /** Only in the relaxed-SIMD build (assembly/index.relaxed.ts): tells it apart from the default one. */
  simd_relaxed?(): number;

  // kernels/f32_gemm.ts: C = act(A·B + bias), C = Aᵀ·B, C = A·Bᵀ, column sums. scratch: GEMM_SCRATCH_FLOATS
  // floats (src/shared/plan.ts) to pack blocks into (nt: min(n·k, that) at most; nn, tn: 0 reads in place).
  f32_gemm_nn(m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, bias: number, act: number, alpha: number, scratch: number): void;
  f32_gemm_tn(m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, scratch: number): void;
  f32_gemm_nt(m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, scratch: number): void;
  f32_colsum(rows: number, cols: number, a: number, lda: number, out: number): void;

  // kernels/f32_vact.ts: y = f(x) elementwise (softmax row-wise); dx = dy ⊙ f'(x) from x and/or y.
  f32_vact(act: number, alpha: number, rows: number, cols: number, x: number, y: number): void;
  f32_vact_bwd(act: number, alpha: number, rows: number, cols: number, x: number, y: number, dy: number, dx: number): void;

  // kernels/f32_check.ts: index of the first NaN or ±Infinity among n floats at p, or −1.
  f32_find_nonfinite(p: number, n: number): number;

  // kernels/f32_conv.ts: NHWC convolution lowering; g points at 16 geometry words (shared/plan.ts G_*).
  /** col [OH·OW, KH·KW·C] = the receptive fields of one image x [H, W, C] (column (ky·KW + kx)·C + ci; padding 0). */
  f32_im2col(g: number, x: number, col: number): void;
  /** f32_im2col for output rows [oy0, oy1) only: writes col rows oy0·OW .. oy1·OW − 1. */
  f32_im2col_rows(g: number, x: number, col: number, oy0: number, oy1: number): void;
  /** dx [H, W, C] (overwritten) = the adjoint of im2col applied to col, taps summed in a fixed order. */
  f32_col2im(g: number, col: number, dx: number): void;
  /** f32_col2im for input rows [iy0, iy1) only, each complete; nothing else is written. */
  f32_col2im_rows(g: number, col: number, dx: number, iy0: number, iy1: number): void;

  // kernels/f32_pool.ts: pooling over `rows` NHWC images (OC = C); windows see only their non-padding taps.
  /** y = window max; idx (i32 per output) = flat index (iy·W + ix)·C + ci of the first max (−1: empty window). */
  f32_maxpool(g: number, rows: number, x: number, y: number, idx: number): void;
  /** dx (overwritten) = 0, then dx[idx] += dy per output. */
  f32_maxpool_bwd(g: number, rows: number, dy: number, idx: number, dx: number): void;
  /** y = window mean over the non-padding taps (0 for an empty window). */
  f32_avgpool(g: number, rows: number, x: number, y: number): void;
  /** dx (overwritten) = each dy / count added back onto its window's non-padding taps. */
  f32_avgpool_bwd(g: number, rows: number, dy: number, dx: number): void;
  /** y [rows, c] = the mean of x [rows, hw, c] over hw. */
  f32_global_avgpool(rows: number, hw: number, c: number, x: number, y: number): void;
  /** dx [rows, hw, c] (overwritten) = dy / hw. */
  f32_global_avgpool_bwd(rows: number, hw: number, c: number, dy: number, dx: number): void;
  /** y [rows, c] = the max of x [rows, hw, c] over hw; idx (i32) = the first position p holding it. */
  f32_global_maxpool(rows: number, hw: number, c: number, x: number, y: number, idx: number): void;
  /** dx (overwritten) = 0, then dx[r, idx[r, ci], ci] += dy[r, ci]. */
  f32_global_maxpool_bwd(rows: number, hw: number, c: number, dy: number, idx: number, dx: number): void;

  // kernels/f32_loss.ts: mean loss over rows; writes dLoss/dpred (dLoss/dz when fused) if grad ≠ 0.
  f32_loss(loss: number, rows: number, cols: number, pred: number, target: number, grad: number, fused: number, delta: number): number;
  f32_stats(rows: number, cols: number, pred: number, target: number, sparse: number, stats: number): void;

  // kernels/f32_opt.ts: one pass over n contiguous parameters.
  f32_sgd(n: number, p: number, g: number, lr: number): void;
  f32_momentum(n: number, p: number, g: number, m: number, lr: number, momentum: number, nesterov: number): void;
  f32_adam(n: number, p: number, g: number, m: number, v: number, alpha: number, oneMinusBeta1: number, oneMinusBeta2: number, eps: number): void;
  f32_amsgrad(n: number, p: number, g: number, m: number, v: number, vhat: number, alpha: number, oneMinusBeta1: number, oneMinusBeta2: number, eps: number): void;
  f32_adagrad(n: number, p: number, g: number, acc: number, lr: number, eps: number): void;
  f32_rmsprop(n: number, p: number, g: number, v: number, mom: number, avg: number, lr: number, rho: number, oneMinusRho: number, momentum: number, eps: number, centered: number): void;
  f32_adadelta(n: number, p: number, g: number, accGrad: number, accDelta: number, lr: number, rho: number, oneMinusRho: number, eps: number): void;
  f32_adamax(n: number, p: number, g: number, m: number, u: number, lr: number, oneMinusBeta1: number, beta2: number, eps: number, beta1Power: number): void;
  f32_nadam(n: number, p: number, g: number, m: number, v: number, lr: number, oneMinusBeta1: number, oneMinusBeta2: number, eps: number, ut: number, ut1: number, uProd: number, uProd1: number, beta2Power: number): void;
  f32_lion(n: number, p: number, g: number, m: number, lr: number, beta1: number, oneMinusBeta1: number, beta2: number, oneMinusBeta2: number): void;
  f32_decay(n: number, p: number, wd: number, lr: number): void;

  // kernels/f32_clip.ts: gradient clipping; Σx² in f64 in a fixed order (global clipping = f32_sumsq + f32_scale).
  f32_clip_value(n: number, g: number, c: number): void;
  f32_sumsq(n: number, x: number): number;
  f32_scale(n: number, x: number, s: number): void;
  f32_clip_norm(n: number, g: number, c: number): void;

  // kernels/f32_reg.ts: kernel/bias regularizers; the penalty l1·Σ|w| + l2·Σw² (f64, fixed order) and g += l1·sign(w) + 2·l2·w.
  f32_penalty(n: number, w: number, l1: number, l2: number): number;
  f32_penalty_grad(n: number, w: number, g: number, l1: number, l2: number): void;

  // kernels/f32_resize.ts: UpSampling2D (nearest) and ZeroPadding2D over `rows` NHWC images, geometry words at g (shared/plan.ts G_*).
  f32_upsample(g: number, rows: number, x: number, y: number): void;
  /** dx (overwritten) = Σ dy over each SH×SW block, in a fixed order. */
  f32_upsample_bwd(g: number, rows: number, dy: number, dx: number): void;
  /** y = x with PT/PL/PB/PR zeros around each image. */
  f32_zeropad(g: number, rows: number, x: number, y: number): void;
  /** dx = the inner H×W crop of dy. */
  f32_zeropad_bwd(g: number, rows: number, dy: number, dx: number): void;

  // kernels/f32_norm.ts: batch normalization over the last axis of x viewed as [n, c] (f64 reductions).
  /** Per-channel mean and biased variance (÷ n), stored as f32. */
  f32_bn_stats(n: number, c: number, x: number, mean: number, variance: number): void;
  /** xhat = (x − mean)/√(variance + eps), y = xhat·γ + β; gamma/beta/xhat pointer 0 = γ ≡ 1 / β ≡ 0 / not stored; y may be x. */
  f32_bn_forward(n: number, c: number, x: number, mean: number, variance: number, eps: number, gamma: number, beta: number, y: number, xhat: number): void;
  /** Training-mode gradient: dγ = Σ dy·xhat, dβ = Σ dy (0 = skip), dx = γ/√(var + eps)·(dy − mean(dy) − xhat·mean(dy·xhat)); dx may be dy. */
  f32_bn_backward(n: number, c: number, dy: number, xhat: number, variance: number, eps: number, gamma: number, dgamma: number, dbeta: number, dx: number): void;
  /** moving = moving·momentum + batch·(1 − momentum), for mean and variance. */
  f32_bn_moving(c: number, mean: number, variance: number, movingMean: number, movingVariance: number, momentum: number): void;

  // core/rng.ts: seeded xoshiro128** state (4 words at s), so weights and shuffles match everywhere.
  rng_seed(s: number, seed: number): void;
  rng_uniform(s: number, out: number, n: number, lo: number, hi: number): void;
  rng_normal(s: number, out: number, n: number, mean: number, std: number, truncated: number): void;
  rng_permutation(s: number, idx: number, n: number): void;
  rng_fork(s: number, dst: number): void;
  rng_dropout_mask(s: number, out: number, n: number, rate: number): void;

  // train/network.ts: whole training steps over a planned arena (see shared/plan.ts).
  net_train(plan: number, xData: number, yData: number, wData: number, idx: number, n: number, batchSize: number, firstBatch: number, count: number, steps: number, stats: number, apply: number): void;
  net_train_forward(plan: number, xData: number, yData: number, wData: number, idx: number, n: number, batchSize: number, batch: number, apply: number): number;
  net_train_backward(plan: number, xData: number, yData: number, wData: number, idx: number, n: number, batchSize: number, batch: number, steps: number, stats: number, apply: number, external: number): void;
  net_record(plan: number, y: number, rows: number, loss: number, stats: number): void;
  net_evaluate(plan: number, xData: number, yData: number, n: number, stats: number): void;
  net_predict(plan: number, xData: number, n: number, out: number): void;

  // train/step.ts: clip, weight decay and one optimizer pass over a plan's parameter block.
  optimizer_step(plan: number, scalars: number): void;

  // core/math.ts: scalar math for schedules, identical in every runtime.
  math_pow(x: number, y: number): number;
  math_cos(x: number): number;
}
