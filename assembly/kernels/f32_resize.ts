// Image resizing kernels over `rows` NHWC images (Keras channels_last), geometry words at `g` (shared/plan.ts):
// nearest-neighbour UpSampling2D by (G_SH, G_SW) and ZeroPadding2D by (G_PT, G_PL, G_PB, G_PR), with their
// backward passes. Input images are G_H·G_W·G_C floats apart, outputs G_OH·G_OW·G_OC (G_OC == G_C).
// Forwards only move floats, so they are exact; the upsampling backward sums each block in f32 in a fixed
// order (block row, then block column), the same for every channel, SIMD lane or tail.

import { G_H, G_W, G_C, G_SH, G_SW, G_PT, G_PL, G_OH, G_OW } from "../../src/shared/plan";
import { ldf, stf, ldv, stv, ldvOr1, stvOr1 } from "../core/ptr";

// ---------------------------------------------------------------------------------------------------
// Entry points

/** UpSampling2D (nearest): y[oy, ox, c] = x[oy / SH, ox / SW, c], OH = H·SH, OW = W·SW. x and y must not overlap. */
export function f32_upsample(g: usize, rows: i32, x: usize, y: usize): void {
  const h = word(g, G_H), w = word(g, G_W), c = word(g, G_C);
  const sh = word(g, G_SH), sw = word(g, G_SW);
  const oh = word(g, G_OH), ow = word(g, G_OW);
  const inRow = <usize>w * <usize>c << 2; // bytes per input image row
  const outRow = <usize>ow * <usize>c << 2; // bytes per output image row
  const run = <usize>c << 2; // bytes per pixel
  for (let r = 0; r < rows; r++) {
    const xi = x + <usize>r * <usize>h * inRow;
    const yi = y + <usize>r * <usize>oh * outRow;
    for (let oy = 0; oy < oh; oy++) {
      const dst = yi + <usize>oy * outRow;
      // Every output row after the first of its block repeats the one above it.
      if (oy % sh != 0) {
        memory.copy(dst, dst - outRow, outRow);
        continue;
      }
      const src = xi + <usize>(oy / sh) * inRow;
      for (let ox = 0; ox < ow; ox++) copyRun(dst + <usize>ox * run, src + <usize>(ox / sw) * run, c);
    }
  }
}

/** Its gradient: dx[iy, ix, c] = Σ dy over the SH×SW block (row by row, left to right); dx is overwritten. */
export function f32_upsample_bwd(g: usize, rows: i32, dy: usize, dx: usize): void {
  const h = word(g, G_H), w = word(g, G_W), c = word(g, G_C);
  const sh = word(g, G_SH), sw = word(g, G_SW);
  const oh = word(g, G_OH), ow = word(g, G_OW);
  const oStride = ow * c; // floats per output image row
  for (let r = 0; r < rows; r++) {
    const dyi = dy + (<usize>r * <usize>oh * <usize>oStride << 2);
    const dxi = dx + (<usize>r * <usize>h * <usize>w * <usize>c << 2);
    for (let iy = 0; iy < h; iy++) {
      for (let ix = 0; ix < w; ix++) {
        const src = dyi + (<usize>(iy * sh * oStride + ix * sw * c) << 2); // the block's top-left pixel
        const dst = dxi + (<usize>((iy * w + ix) * c) << 2);
        let j = 0;
        for (; j + 4 <= c; j += 4) blockSumAt(j, false, src, dst, sh, sw, c, oStride);
        for (; j < c; j++) blockSumAt(j, true, src, dst, sh, sw, c, oStride);
      }
    }
  }
}

/** ZeroPadding2D: OH = PT + H + PB, OW = PL + W + PR; zeros around, x inside. x and y must not overlap. */
export function f32_zeropad(g: usize, rows: i32, x: usize, y: usize): void {
  const h = word(g, G_H), w = word(g, G_W), c = word(g, G_C);
  const pt = word(g, G_PT), pl = word(g, G_PL);
  const oh = word(g, G_OH), ow = word(g, G_OW);
  const inRow = <usize>w * <usize>c << 2;
  const outRow = <usize>ow * <usize>c << 2;
  const left = <usize>pl * <usize>c << 2;
  const right = outRow - left - inRow;
  for (let r = 0; r < rows; r++) {
    const xi = x + <usize>r * <usize>h * inRow;
    const yi = y + <usize>r * <usize>oh * outRow;
    for (let oy = 0; oy < oh; oy++) {
      const dst = yi + <usize>oy * outRow;
      const iy = oy - pt;
      if (iy < 0 || iy >= h) {
        memory.fill(dst, 0, outRow);
        continue;
      }
      memory.fill(dst, 0, left);
      memory.copy(dst + left, xi + <usize>iy * inRow, inRow);
      memory.fill(dst + left + inRow, 0, right);
    }
  }
}

/** Its gradient: dx = the inner H×W crop of dy (dx overwritten). */
export function f32_zeropad_bwd(g: usize, rows: i32, dy: usize, dx: usize): void {
  const h = word(g, G_H), w = word(g, G_W), c = word(g, G_C);
  const pt = word(g, G_PT), pl = word(g, G_PL);
  const oh = word(g, G_OH), ow = word(g, G_OW);
  const inRow = <usize>w * <usize>c << 2;
  const outRow = <usize>ow * <usize>c << 2;
  const left = <usize>pl * <usize>c << 2;
  for (let r = 0; r < rows; r++) {
    const dxi = dx + <usize>r * <usize>h * inRow;
    const dyi = dy + <usize>r * <usize>oh * outRow;
    for (let iy = 0; iy < h; iy++) memory.copy(dxi + <usize>iy * inRow, dyi + <usize>(iy + pt) * outRow + left, inRow);
  }
}

// ---------------------------------------------------------------------------------------------------
// Helpers

/** Geometry word k at g. */
@inline function word(g: usize, k: i32): i32 {
  return load<i32>(g + (<usize>k << 2));
}

/** Copies n floats, src to dst (not overlapping): a pixel's channels are often too few for memory.copy to pay. */
@inline function copyRun(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) stv(dst, i, ldv(src, i));
  for (; i < n; i++) stf(dst, i, ldf(src, i));
}

/** dst[j] = Σ src[(a·oStride + b·c) + j] over a < sh, b < sw, in that order; four channels, or one when `one`. */
@inline function blockSumAt(j: i32, one: bool, src: usize, dst: usize, sh: i32, sw: i32, c: i32, oStride: i32): void {
  let acc = ldvOr1(src, j, one);
  for (let a = 0; a < sh; a++) {
    for (let b = a == 0 ? 1 : 0; b < sw; b++) acc = f32x4.add(acc, ldvOr1(src, a * oStride + b * c + j, one));
  }
  stvOr1(dst, j, acc, one);
}
