// Float64 reference for the resizing kernels (assembly/kernels/f32_resize.ts): Keras UpSampling2D
// (interpolation='nearest') and ZeroPadding2D on NHWC images, and their gradients, written index by
// index from the definitions, plus the geometry words the kernels read (src/shared/plan.ts G_*).
import { ARG_WORDS, G_C, G_H, G_OC, G_OH, G_OW, G_PB, G_PL, G_PR, G_PT, G_SH, G_SW, G_W } from '../../src/shared/plan.js';

export interface Geometry {
  h: number;
  w: number;
  c: number;
  oh: number;
  ow: number;
  sh?: number;
  sw?: number;
  pt?: number;
  pl?: number;
  pb?: number;
  pr?: number;
}

export function upsampleGeometry(h: number, w: number, c: number, sh: number, sw: number): Geometry {
  return { h, w, c, sh, sw, oh: h * sh, ow: w * sw };
}

export function zeropadGeometry(h: number, w: number, c: number, pt: number, pl: number, pb: number, pr: number): Geometry {
  return { h, w, c, pt, pl, pb, pr, oh: pt + h + pb, ow: pl + w + pr };
}

/** The 16 geometry words (unused ones 0). */
export function geometryWords(g: Geometry): Int32Array {
  const words = new Int32Array(ARG_WORDS);
  words[G_H] = g.h;
  words[G_W] = g.w;
  words[G_C] = g.c;
  words[G_SH] = g.sh ?? 0;
  words[G_SW] = g.sw ?? 0;
  words[G_PT] = g.pt ?? 0;
  words[G_PL] = g.pl ?? 0;
  words[G_PB] = g.pb ?? 0;
  words[G_PR] = g.pr ?? 0;
  words[G_OH] = g.oh;
  words[G_OW] = g.ow;
  words[G_OC] = g.c;
  return words;
}

export const inSize = (g: Geometry) => g.h * g.w * g.c;
export const outSize = (g: Geometry) => g.oh * g.ow * g.c;

/** y[r, oy, ox, c] = x[r, ⌊oy/sh⌋, ⌊ox/sw⌋, c]. */
export function upsampleRef(g: Geometry, rows: number, x: ArrayLike<number>): Float64Array {
  const { h, w, c, oh, ow } = g;
  const y = new Float64Array(rows * outSize(g));
  for (let r = 0; r < rows; r++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let k = 0; k < c; k++) {
          const iy = Math.floor(oy / g.sh!);
          const ix = Math.floor(ox / g.sw!);
          y[((r * oh + oy) * ow + ox) * c + k] = x[((r * h + iy) * w + ix) * c + k];
        }
  return y;
}

/** The transpose of upsampleRef: each dy element added into the x element it was copied from. */
export function upsampleBwdRef(g: Geometry, rows: number, dy: ArrayLike<number>): Float64Array {
  const { h, w, c, oh, ow } = g;
  const dx = new Float64Array(rows * inSize(g));
  for (let r = 0; r < rows; r++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let k = 0; k < c; k++) {
          const iy = Math.floor(oy / g.sh!);
          const ix = Math.floor(ox / g.sw!);
          dx[((r * h + iy) * w + ix) * c + k] += dy[((r * oh + oy) * ow + ox) * c + k];
        }
  return dx;
}

/** y[r, oy, ox, c] = x[r, oy − pt, ox − pl, c] inside, 0 outside. */
export function zeropadRef(g: Geometry, rows: number, x: ArrayLike<number>): Float64Array {
  const { h, w, c, oh, ow } = g;
  const y = new Float64Array(rows * outSize(g));
  for (let r = 0; r < rows; r++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let k = 0; k < c; k++) {
          const iy = oy - g.pt!;
          const ix = ox - g.pl!;
          const inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
          y[((r * oh + oy) * ow + ox) * c + k] = inside ? x[((r * h + iy) * w + ix) * c + k] : 0;
        }
  return y;
}

/** dx[r, iy, ix, c] = dy[r, iy + pt, ix + pl, c]. */
export function zeropadBwdRef(g: Geometry, rows: number, dy: ArrayLike<number>): Float64Array {
  const { h, w, c, oh, ow } = g;
  const dx = new Float64Array(rows * inSize(g));
  for (let r = 0; r < rows; r++)
    for (let iy = 0; iy < h; iy++)
      for (let ix = 0; ix < w; ix++)
        for (let k = 0; k < c; k++) dx[((r * h + iy) * w + ix) * c + k] = dy[((r * oh + iy + g.pt!) * ow + ix + g.pl!) * c + k];
  return dx;
}
