// Dense: y = act(x·W + b) over the last axis; every position before it is a row of its own.
import { L_IN, L_OUT, L_ACT, L_ALPHA, L_W, L_B, L_DW, L_DB, L_Z, L_Y, L_ARGS } from "../../src/shared/plan";
import { ACT_LINEAR } from "../../src/shared/ids";
import { word, ptr, real } from "../train/record";
import { gemm_nn, gemm_tn, gemm_nt, colsum, vact, vact_bwd } from "../threads/dispatch";

/** `scratch`: the GEMM kernels' packing region. */
export function dense_forward(rec: usize, x: usize, rows: i32, scratch: usize): void {
  const pos = word(rec, L_ARGS), m = rows * pos, k = word(rec, L_IN) / pos, n = word(rec, L_OUT) / pos;
  const act = word(rec, L_ACT), alpha = real(rec, L_ALPHA), y = ptr(rec, L_Y), z = ptr(rec, L_Z);
  if (z) {
    // The derivative needs the pre-activation: keep z, then activate into y.
    gemm_nn(m, n, k, x, k, ptr(rec, L_W), n, z, n, ptr(rec, L_B), ACT_LINEAR, 0, scratch);
    vact(act, alpha, m, n, z, y);
  } else {
    gemm_nn(m, n, k, x, k, ptr(rec, L_W), n, y, n, ptr(rec, L_B), act, alpha, scratch);
  }
}

/** δ ⊙ act' (skipped when the loss already gave dLoss/dz), dW = xᵀ·δ, db = Σδ, δ_prev = δ·Wᵀ. */
export function dense_backward(rec: usize, x: usize, d: usize, dPrev: usize, rows: i32, turned: bool, scratch: usize): void {
  const pos = word(rec, L_ARGS), m = rows * pos, k = word(rec, L_IN) / pos, n = word(rec, L_OUT) / pos;
  if (!turned) vact_bwd(word(rec, L_ACT), real(rec, L_ALPHA), m, n, ptr(rec, L_Z), ptr(rec, L_Y), d, d);
  gemm_tn(k, n, m, x, k, d, n, ptr(rec, L_DW), n, scratch);
  if (ptr(rec, L_B)) colsum(m, n, d, n, ptr(rec, L_DB));
  if (dPrev) gemm_nt(m, k, n, d, n, ptr(rec, L_W), n, dPrev, k, scratch);
}
