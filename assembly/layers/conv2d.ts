// Conv2D, one image at a time: patches = im2col(x) [positions × k], y = act(patches·W + b) [positions × filters]
// (NHWC output is exactly that matrix); backward: dW = Σ patchesᵀ·δ, db = Σδ, δ_prev = col2im(δ·Wᵀ).
import { L_IN, L_OUT, L_ACT, L_ALPHA, L_W, L_B, L_DW, L_DB, L_Z, L_Y, L_ARGS, GEMM_SCRATCH_FLOATS, G_C, G_KH, G_KW, G_OH, G_OW, G_OC, G_SH, G_SW, G_PT, G_PL, G_PB, G_PR } from "../../src/shared/plan";
import { ACT_LINEAR } from "../../src/shared/ids";
import { word, ptr, real } from "../train/record";
import { gemm_nn, gemm_tn, gemm_nt, colsum, vact, vact_bwd, im2col, col2im } from "../threads/dispatch";

/** A 1×1 window moved one step without padding reads the image itself: no patches to copy. */
@inline function pointwise(g: usize): bool {
  return word(g, G_KH) == 1 && word(g, G_KW) == 1 && word(g, G_SH) == 1 && word(g, G_SW) == 1 &&
    (word(g, G_PT) | word(g, G_PL) | word(g, G_PB) | word(g, G_PR)) == 0;
}

/** `scratch`: the GEMM kernels' packing region, then this layer's own (one image's patches). */
export function conv2d_forward(rec: usize, x: usize, rows: i32, scratch: usize): void {
  const own = scratch + (<usize>GEMM_SCRATCH_FLOATS << 2);
  const g = rec + (<usize>L_ARGS << 2);
  const p = word(g, G_OH) * word(g, G_OW), f = word(g, G_OC), k = word(g, G_KH) * word(g, G_KW) * word(g, G_C);
  const inBytes = <usize>word(rec, L_IN) << 2, outBytes = <usize>word(rec, L_OUT) << 2;
  const act = word(rec, L_ACT), alpha = real(rec, L_ALPHA), y = ptr(rec, L_Y), z = ptr(rec, L_Z);
  const direct = pointwise(g);
  for (let i = 0; i < rows; i++) {
    const xi = x + <usize>i * inBytes;
    let col = xi;
    if (!direct) {
      col = own;
      im2col(g, xi, col);
    }
    // With the pre-activation kept, the GEMM writes z and the activation follows over the whole batch.
    if (z) gemm_nn(p, f, k, col, k, ptr(rec, L_W), f, z + <usize>i * outBytes, f, ptr(rec, L_B), ACT_LINEAR, 0, scratch);
    else gemm_nn(p, f, k, col, k, ptr(rec, L_W), f, y + <usize>i * outBytes, f, ptr(rec, L_B), act, alpha, scratch);
  }
  if (z) vact(act, alpha, rows * p, f, z, y);
}

export function conv2d_backward(rec: usize, x: usize, d: usize, dPrev: usize, rows: i32, turned: bool, scratch: usize): void {
  const g = rec + (<usize>L_ARGS << 2);
  const p = word(g, G_OH) * word(g, G_OW), f = word(g, G_OC), k = word(g, G_KH) * word(g, G_KW) * word(g, G_C);
  const inBytes = <usize>word(rec, L_IN) << 2, outBytes = <usize>word(rec, L_OUT) << 2;
  if (!turned) vact_bwd(word(rec, L_ACT), real(rec, L_ALPHA), rows * p, f, ptr(rec, L_Z), ptr(rec, L_Y), d, d);
  if (ptr(rec, L_B)) colsum(rows * p, f, d, f, ptr(rec, L_DB));
  const direct = pointwise(g);
  // The layer's own region: one image's patches, then a [k × filters] kernel gradient.
  const patches = scratch + (<usize>GEMM_SCRATCH_FLOATS << 2), part = patches + (<usize>(p * k) << 2);
  const dw = ptr(rec, L_DW);
  for (let i = 0; i < rows; i++) {
    const xi = x + <usize>i * inBytes, di = d + <usize>i * outBytes;
    let col = xi;
    if (!direct) {
      col = patches;
      im2col(g, xi, col);
    }
    // Image by image in a fixed order, so every build sums dW the same way.
    if (i == 0) gemm_tn(k, f, p, col, k, di, f, dw, f, scratch);
    else {
      gemm_tn(k, f, p, col, k, di, f, part, f, scratch);
      accumulate(k * f, part, dw);
    }
    if (!dPrev) continue;
    const dpi = dPrev + <usize>i * inBytes;
    if (direct) gemm_nt(p, k, f, di, f, ptr(rec, L_W), f, dpi, k, scratch);
    else {
      // The patches are spent: their room takes δ·Wᵀ, which col2im folds back onto the image.
      gemm_nt(p, k, f, di, f, ptr(rec, L_W), f, patches, k, scratch);
      col2im(g, patches, dpi);
    }
  }
}

/** acc += v over n floats. */
function accumulate(n: i32, v: usize, acc: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(acc + o, f32x4.add(v128.load(acc + o), v128.load(v + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(acc + o, load<f32>(acc + o) + load<f32>(v + o));
  }
}
