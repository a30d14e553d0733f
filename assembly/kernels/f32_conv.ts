// Convolution lowering for NHWC images: im2col copies each output position's receptive field into one
// row of a [OH·OW, KH·KW·C] matrix (column (ky·KW + kx)·C + ci, so a Keras kernel [KH, KW, C, F] read
// as [K, F] multiplies it directly), and col2im is its exact adjoint, summing every col entry back onto
// the input position it was copied from. Geometry: 16 i32 words at `g` (G_* in shared/plan.ts).
//
// Both work on row ranges (output rows for im2col, input rows for col2im) so threads can split an image;
// every written value depends only on its own position, so any split gives identical bytes. col2im gathers
// per input position, adding the taps in a fixed order (ky, then kx, ascending): deterministic, no scratch.

import {
  G_H, G_W, G_C, G_KH, G_KW, G_SH, G_SW, G_DH, G_DW, G_PT, G_PL, G_OH, G_OW,
} from "../../src/shared/plan";
import { ldv, stv, ldvPart, stvPart } from "../core/ptr";

// ---------------------------------------------------------------------------------------------------
// Helpers (module-private: index.ts re-exports everything this file exports).

/** Geometry word `w` of the block at `g`. */
@inline function gw(g: usize, w: i32): i32 {
  return load<i32>(g + (<usize>w << 2));
}

/** Byte offset of `n` floats (sizes are i32 element counts; the product is taken in usize). */
@inline function fb(n: i32): usize {
  return <usize>n << 2;
}

/** Copies n floats src → dst: 16 at a time, then 4, then a 1..3 partial vector (never past n). */
@inline function copyRun(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const a = ldv(src, i), b = ldv(src, i + 4), c = ldv(src, i + 8), d = ldv(src, i + 12);
    stv(dst, i, a); stv(dst, i + 4, b); stv(dst, i + 8, c); stv(dst, i + 12, d);
  }
  for (; i + 4 <= n; i += 4) stv(dst, i, ldv(src, i));
  const t = n - i;
  if (t > 0) stvPart(dst, i, t, ldvPart(src, i, t));
}

/** Writes n zero floats at dst. */
@inline function zeroRun(dst: usize, n: i32): void {
  const z = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) stv(dst, i, z);
  const t = n - i;
  if (t > 0) stvPart(dst, i, t, z);
}

/** dst[i] += src[i] for n floats (lane-wise IEEE adds: the tail rounds exactly like the body). */
@inline function addRun(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) stv(dst, i, f32x4.add(ldv(dst, i), ldv(src, i)));
  const t = n - i;
  if (t > 0) stvPart(dst, i, t, f32x4.add(ldvPart(dst, i, t), ldvPart(src, i, t)));
}

// ---------------------------------------------------------------------------------------------------
// Entry points

/** col [OH·OW, KH·KW·C] = the receptive fields of one image x [H, W, C]; padding taps are 0. */
export function f32_im2col(g: usize, x: usize, col: usize): void {
  f32_im2col_rows(g, x, col, 0, gw(g, G_OH));
}

/** im2col for output rows oy ∈ [oy0, oy1) only: writes col rows oy0·OW .. oy1·OW − 1. */
export function f32_im2col_rows(g: usize, x: usize, col: usize, oy0: i32, oy1: i32): void {
  const H = gw(g, G_H), W = gw(g, G_W), C = gw(g, G_C);
  const KH = gw(g, G_KH), KW = gw(g, G_KW);
  const SH = gw(g, G_SH), SW = gw(g, G_SW), DH = gw(g, G_DH), DW = gw(g, G_DW);
  const PT = gw(g, G_PT), PL = gw(g, G_PL), OW = gw(g, G_OW);
  const KWC = KW * C;
  let dst = col + fb(oy0 * OW) * <usize>(KH * KWC);
  for (let oy = oy0; oy < oy1; oy++) {
    const iy0 = oy * SH - PT;
    for (let ox = 0; ox < OW; ox++) {
      const ix0 = ox * SW - PL;
      for (let ky = 0; ky < KH; ky++) {
        const iy = iy0 + ky * DH;
        // One unsigned compare covers both iy < 0 and iy ≥ H.
        if (<u32>iy >= <u32>H) {
          zeroRun(dst, KWC);
        } else {
          const src = x + fb(iy * W) * <usize>C;
          if (DW == 1) {
            // Undilated: the in-range taps kx ∈ [ka, kb) are one contiguous run in both x and col.
            const ka = min(max(-ix0, 0), KW);
            const kb = max(min(W - ix0, KW), ka);
            zeroRun(dst, ka * C);
            copyRun(src + fb((ix0 + ka) * C), dst + fb(ka * C), (kb - ka) * C);
            zeroRun(dst + fb(kb * C), (KW - kb) * C);
          } else {
            for (let kx = 0; kx < KW; kx++) {
              const ix = ix0 + kx * DW;
              const d = dst + fb(kx * C);
              if (<u32>ix >= <u32>W) zeroRun(d, C);
              else copyRun(src + fb(ix * C), d, C);
            }
          }
        }
        dst += fb(KWC);
      }
    }
  }
}

/** dx [H, W, C] (overwritten) = the adjoint of im2col applied to col [OH·OW, KH·KW·C]. */
export function f32_col2im(g: usize, col: usize, dx: usize): void {
  f32_col2im_rows(g, col, dx, 0, gw(g, G_H));
}

/** col2im for input rows iy ∈ [iy0, iy1) only, each row complete (a gather: no other row is touched). */
export function f32_col2im_rows(g: usize, col: usize, dx: usize, iy0: i32, iy1: i32): void {
  const W = gw(g, G_W), C = gw(g, G_C);
  const KH = gw(g, G_KH), KW = gw(g, G_KW);
  const SH = gw(g, G_SH), SW = gw(g, G_SW), DH = gw(g, G_DH), DW = gw(g, G_DW);
  const PT = gw(g, G_PT), PL = gw(g, G_PL), OH = gw(g, G_OH), OW = gw(g, G_OW);
  const K = KH * KW * C;
  for (let iy = iy0; iy < iy1; iy++) {
    let d = dx + fb(iy * W) * <usize>C;
    for (let ix = 0; ix < W; ix++) {
      zeroRun(d, C);
      for (let ky = 0; ky < KH; ky++) {
        // Tap ky of output row oy reads iy when oy·SH = iy + PT − ky·DH; t only falls as ky grows.
        const t = iy + PT - ky * DH;
        if (t < 0) break;
        const oy = t / SH;
        if (oy * SH != t || oy >= OH) continue;
        for (let kx = 0; kx < KW; kx++) {
          const u = ix + PL - kx * DW;
          if (u < 0) break;
          const ox = u / SW;
          if (ox * SW != u || ox >= OW) continue;
          addRun(d, col + fb(oy * OW + ox) * <usize>K + fb((ky * KW + kx) * C), C);
        }
      }
      d += fb(C);
    }
  }
}
