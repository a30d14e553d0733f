// Pooling over NHWC images, `rows` images per call (image strides H·W·C in, OH·OW·C out; OC = C), geometry
// words at `g` (G_* in shared/plan.ts). Windows see only their non-padding taps: max pooling takes the
// first maximum in window order (ky, then kx) and records its flat index (iy·W + ix)·C + ci within the
// image; average pooling divides by the count of non-padding taps (TensorFlow's 'same' convention). A
// window with no such tap (possible only with dilation) gives 0, and index −1, which backward skips.
// Channels go four at a time in f32x4 with a scalar tail; backward passes zero dx, then add in output
// order, so every sum has one fixed order.

import {
  G_H, G_W, G_C, G_KH, G_KW, G_SH, G_SW, G_DH, G_DW, G_PT, G_PL, G_OH, G_OW,
} from "../../src/shared/plan";
import { ldf, stf, ldv, stv, ldvPart, stvPart } from "../core/ptr";

// ---------------------------------------------------------------------------------------------------
// Helpers (module-private: index.ts re-exports everything this file exports).

/** Geometry word `w` of the block at `g`. */
@inline function gw(g: usize, w: i32): i32 {
  return load<i32>(g + (<usize>w << 2));
}

/** Byte offset of `n` floats (or i32s). */
@inline function fb(n: i32): usize {
  return <usize>n << 2;
}

/** Writes n zero floats at dst. */
@inline function zeroRun(dst: usize, n: i32): void {
  const z = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) stv(dst, i, z);
  const t = n - i;
  if (t > 0) stvPart(dst, i, t, z);
}

/** Non-padding taps along one axis for an output whose first tap is at i0: the count of i0 + k·d in [0, n). */
@inline function taps(i0: i32, k: i32, d: i32, n: i32): i32 {
  let c = 0;
  for (let j = 0; j < k; j++) c += i32(<u32>(i0 + j * d) < <u32>n);
  return c;
}

// ---------------------------------------------------------------------------------------------------
// Windowed pooling

/** y = max over each window's non-padding taps; idx (i32 per output) = the first maximum's flat index. */
export function f32_maxpool(g: usize, rows: i32, x: usize, y: usize, idx: usize): void {
  const H = gw(g, G_H), W = gw(g, G_W), C = gw(g, G_C);
  const KH = gw(g, G_KH), KW = gw(g, G_KW);
  const SH = gw(g, G_SH), SW = gw(g, G_SW), DH = gw(g, G_DH), DW = gw(g, G_DW);
  const PT = gw(g, G_PT), PL = gw(g, G_PL), OH = gw(g, G_OH), OW = gw(g, G_OW);
  const lanes = i32x4(0, 1, 2, 3);
  for (let r = 0; r < rows; r++) {
    const xi = x + fb(r) * <usize>(H * W * C);
    const yo = y + fb(r) * <usize>(OH * OW * C);
    const io = idx + fb(r) * <usize>(OH * OW * C);
    for (let oy = 0; oy < OH; oy++) {
      const iy0 = oy * SH - PT;
      for (let ox = 0; ox < OW; ox++) {
        const ix0 = ox * SW - PL;
        const o = (oy * OW + ox) * C;
        let c = 0;
        for (; c + 4 <= C; c += 4) {
          let best = f32x4.splat(0), at = i32x4.splat(-1);
          let seen = false;
          for (let ky = 0; ky < KH; ky++) {
            const iy = iy0 + ky * DH;
            if (<u32>iy >= <u32>H) continue;
            for (let kx = 0; kx < KW; kx++) {
              const ix = ix0 + kx * DW;
              if (<u32>ix >= <u32>W) continue;
              const p = (iy * W + ix) * C + c;
              const v = ldv(xi, p);
              // Strictly greater: a tie keeps the earlier tap. The first tap is taken whatever it holds (−Inf, NaN).
              const m = seen ? f32x4.gt(v, best) : i32x4.splat(-1);
              best = v128.bitselect(v, best, m);
              at = v128.bitselect(i32x4.add(i32x4.splat(p), lanes), at, m);
              seen = true;
            }
          }
          stv(yo, o + c, best);
          v128.store(io + fb(o + c), at);
        }
        for (; c < C; c++) {
          let best: f32 = 0, at = -1;
          for (let ky = 0; ky < KH; ky++) {
            const iy = iy0 + ky * DH;
            if (<u32>iy >= <u32>H) continue;
            for (let kx = 0; kx < KW; kx++) {
              const ix = ix0 + kx * DW;
              if (<u32>ix >= <u32>W) continue;
              const p = (iy * W + ix) * C + c;
              const v = ldf(xi, p);
              if (at < 0 || v > best) {
                best = v;
                at = p;
              }
            }
          }
          stf(yo, o + c, best);
          store<i32>(io + fb(o + c), at);
        }
      }
    }
  }
}

/** dx (overwritten) = 0, then dx[idx] += dy for every output in order (idx −1: an empty window, skipped). */
export function f32_maxpool_bwd(g: usize, rows: i32, dy: usize, idx: usize, dx: usize): void {
  const xs = gw(g, G_H) * gw(g, G_W) * gw(g, G_C);
  const ys = gw(g, G_OH) * gw(g, G_OW) * gw(g, G_C);
  for (let r = 0; r < rows; r++) {
    const di = dx + fb(r) * <usize>xs;
    const go = dy + fb(r) * <usize>ys;
    const io = idx + fb(r) * <usize>ys;
    zeroRun(di, xs);
    // A scatter: the indices go anywhere in the window, so there is nothing for SIMD here.
    for (let o = 0; o < ys; o++) {
      const i = load<i32>(io + fb(o));
      if (i >= 0) stf(di, i, ldf(di, i) + ldf(go, o));
    }
  }
}

/** y = mean over each window's non-padding taps (sum in window order, then one division by the count). */
export function f32_avgpool(g: usize, rows: i32, x: usize, y: usize): void {
  const H = gw(g, G_H), W = gw(g, G_W), C = gw(g, G_C);
  const KH = gw(g, G_KH), KW = gw(g, G_KW);
  const SH = gw(g, G_SH), SW = gw(g, G_SW), DH = gw(g, G_DH), DW = gw(g, G_DW);
  const PT = gw(g, G_PT), PL = gw(g, G_PL), OH = gw(g, G_OH), OW = gw(g, G_OW);
  for (let r = 0; r < rows; r++) {
    const xi = x + fb(r) * <usize>(H * W * C);
    const yo = y + fb(r) * <usize>(OH * OW * C);
    for (let oy = 0; oy < OH; oy++) {
      const iy0 = oy * SH - PT;
      const ny = taps(iy0, KH, DH, H);
      for (let ox = 0; ox < OW; ox++) {
        const ix0 = ox * SW - PL;
        const count = ny * taps(ix0, KW, DW, W);
        const o = (oy * OW + ox) * C;
        if (count == 0) {
          zeroRun(yo + fb(o), C);
          continue;
        }
        const n = f32x4.splat(<f32>count);
        // The tail runs the same lane arithmetic on a partial vector: identical rounding to the body.
        for (let c = 0; c < C; c += 4) {
          const part = min(C - c, 4);
          let sum = f32x4.splat(0);
          for (let ky = 0; ky < KH; ky++) {
            const iy = iy0 + ky * DH;
            if (<u32>iy >= <u32>H) continue;
            for (let kx = 0; kx < KW; kx++) {
              const ix = ix0 + kx * DW;
              if (<u32>ix >= <u32>W) continue;
              const p = (iy * W + ix) * C + c;
              sum = f32x4.add(sum, part == 4 ? ldv(xi, p) : ldvPart(xi, p, part));
            }
          }
          const mean = f32x4.div(sum, n);
          if (part == 4) stv(yo, o + c, mean);
          else stvPart(yo, o + c, part, mean);
        }
      }
    }
  }
}

/** dx (overwritten) = 0, then each output's dy / count added onto its window's non-padding taps, in output order. */
export function f32_avgpool_bwd(g: usize, rows: i32, dy: usize, dx: usize): void {
  const H = gw(g, G_H), W = gw(g, G_W), C = gw(g, G_C);
  const KH = gw(g, G_KH), KW = gw(g, G_KW);
  const SH = gw(g, G_SH), SW = gw(g, G_SW), DH = gw(g, G_DH), DW = gw(g, G_DW);
  const PT = gw(g, G_PT), PL = gw(g, G_PL), OH = gw(g, G_OH), OW = gw(g, G_OW);
  for (let r = 0; r < rows; r++) {
    const di = dx + fb(r) * <usize>(H * W * C);
    const go = dy + fb(r) * <usize>(OH * OW * C);
    zeroRun(di, H * W * C);
    for (let oy = 0; oy < OH; oy++) {
      const iy0 = oy * SH - PT;
      const ny = taps(iy0, KH, DH, H);
      for (let ox = 0; ox < OW; ox++) {
        const ix0 = ox * SW - PL;
        const count = ny * taps(ix0, KW, DW, W);
        if (count == 0) continue;
        const n = f32x4.splat(<f32>count);
        const o = (oy * OW + ox) * C;
        for (let c = 0; c < C; c += 4) {
          const part = min(C - c, 4);
          const q = f32x4.div(part == 4 ? ldv(go, o + c) : ldvPart(go, o + c, part), n);
          for (let ky = 0; ky < KH; ky++) {
            const iy = iy0 + ky * DH;
            if (<u32>iy >= <u32>H) continue;
            for (let kx = 0; kx < KW; kx++) {
              const ix = ix0 + kx * DW;
              if (<u32>ix >= <u32>W) continue;
              const p = (iy * W + ix) * C + c;
              if (part == 4) stv(di, p, f32x4.add(ldv(di, p), q));
              else stvPart(di, p, part, f32x4.add(ldvPart(di, p, part), q));
            }
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Global pooling: [rows, hw, c] → [rows, c]

/** y[r, ci] = the mean of x[r, ·, ci] (sum over p in order, then one division by hw). */
export function f32_global_avgpool(rows: i32, hw: i32, c: i32, x: usize, y: usize): void {
  const n = f32x4.splat(<f32>hw);
  for (let r = 0; r < rows; r++) {
    const xi = x + fb(r) * <usize>(hw * c);
    const yo = y + fb(r * c);
    for (let ci = 0; ci < c; ci += 4) {
      const part = min(c - ci, 4);
      let sum = f32x4.splat(0);
      for (let p = 0; p < hw; p++) {
        const i = p * c + ci;
        sum = f32x4.add(sum, part == 4 ? ldv(xi, i) : ldvPart(xi, i, part));
      }
      const mean = hw > 0 ? f32x4.div(sum, n) : sum;
      if (part == 4) stv(yo, ci, mean);
      else stvPart(yo, ci, part, mean);
    }
  }
}

/** dx[r, p, ci] (overwritten) = dy[r, ci] / hw. */
export function f32_global_avgpool_bwd(rows: i32, hw: i32, c: i32, dy: usize, dx: usize): void {
  const n = f32x4.splat(<f32>hw);
  for (let r = 0; r < rows; r++) {
    const go = dy + fb(r * c);
    const di = dx + fb(r) * <usize>(hw * c);
    for (let ci = 0; ci < c; ci += 4) {
      const part = min(c - ci, 4);
      const q = f32x4.div(part == 4 ? ldv(go, ci) : ldvPart(go, ci, part), n);
      for (let p = 0; p < hw; p++) {
        if (part == 4) stv(di, p * c + ci, q);
        else stvPart(di, p * c + ci, part, q);
      }
    }
  }
}

/** y[r, ci] = max over p of x[r, p, ci]; idx[r, ci] (i32) = the first p holding it. */
export function f32_global_maxpool(rows: i32, hw: i32, c: i32, x: usize, y: usize, idx: usize): void {
  for (let r = 0; r < rows; r++) {
    const xi = x + fb(r) * <usize>(hw * c);
    const yo = y + fb(r * c);
    const io = idx + fb(r * c);
    let ci = 0;
    for (; ci + 4 <= c; ci += 4) {
      let best = f32x4.splat(0), at = i32x4.splat(-1);
      if (hw > 0) {
        best = ldv(xi, ci);
        at = i32x4.splat(0);
      }
      for (let p = 1; p < hw; p++) {
        const v = ldv(xi, p * c + ci);
        // Strictly greater: a tie keeps the earlier position.
        const m = f32x4.gt(v, best);
        best = v128.bitselect(v, best, m);
        at = v128.bitselect(i32x4.splat(p), at, m);
      }
      stv(yo, ci, best);
      v128.store(io + fb(ci), at);
    }
    for (; ci < c; ci++) {
      let best: f32 = 0, at = -1;
      if (hw > 0) {
        best = ldf(xi, ci);
        at = 0;
      }
      for (let p = 1; p < hw; p++) {
        const v = ldf(xi, p * c + ci);
        if (v > best) {
          best = v;
          at = p;
        }
      }
      stf(yo, ci, best);
      store<i32>(io + fb(ci), at);
    }
  }
}

/** dx (overwritten) = 0, then dx[r, idx[r, ci], ci] += dy[r, ci]. */
export function f32_global_maxpool_bwd(rows: i32, hw: i32, c: i32, dy: usize, idx: usize, dx: usize): void {
  for (let r = 0; r < rows; r++) {
    const di = dx + fb(r) * <usize>(hw * c);
    const go = dy + fb(r * c);
    const io = idx + fb(r * c);
    zeroRun(di, hw * c);
    for (let ci = 0; ci < c; ci++) {
      const p = load<i32>(io + fb(ci));
      if (p >= 0) stf(di, p * c + ci, ldf(di, p * c + ci) + ldf(go, ci));
    }
  }
}
