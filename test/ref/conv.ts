// Float64 references for the image kernels (kernels/f32_conv.ts, kernels/f32_pool.ts): plain loops over
// NHWC arrays, written from the definitions rather than from the kernels' loop structure. im2col copies,
// col2im is its adjoint as a scatter (so it is checked against a different formulation from the kernel's
// gather), pooling sees only the non-padding taps of each window. Sums also return Σ|terms| per element,
// the scale a float summation's error is proportional to.

/** The 16 geometry words of shared/plan.ts, by name. */
export interface Geometry {
  H: number;
  W: number;
  C: number;
  KH: number;
  KW: number;
  SH: number;
  SW: number;
  DH: number;
  DW: number;
  PT: number;
  PL: number;
  PB: number;
  PR: number;
  OH: number;
  OW: number;
  OC: number;
}

export type Padding = 'valid' | 'same';

/** Output size and padding along one axis as Keras computes them (conv_utils / TensorFlow's 'SAME'). */
export function kerasAxis(n: number, k: number, s: number, d: number, padding: Padding): { out: number; before: number; after: number } {
  const span = (k - 1) * d + 1;
  if (padding === 'valid') return { out: Math.floor((n - span) / s) + 1, before: 0, after: 0 };
  const out = Math.ceil(n / s);
  const total = Math.max((out - 1) * s + span - n, 0);
  const before = Math.floor(total / 2);
  return { out, before, after: total - before };
}

/** The geometry a Keras Conv2D/pooling layer would fill in (OC = C unless given). OH or OW < 1: no such layer. */
export function kerasGeometry(
  H: number, W: number, C: number, KH: number, KW: number, S: number, D: number, padding: Padding, OC = C,
): Geometry {
  const y = kerasAxis(H, KH, S, D, padding);
  const x = kerasAxis(W, KW, S, D, padding);
  return { H, W, C, KH, KW, SH: S, SW: S, DH: D, DW: D, PT: y.before, PL: x.before, PB: y.after, PR: x.after, OH: y.out, OW: x.out, OC };
}

/** Calls f for every tap of every output window (output order, then ky, kx), with whether it lands inside the image. */
function forEachTap(g: Geometry, f: (oy: number, ox: number, ky: number, kx: number, iy: number, ix: number, inside: boolean) => void): void {
  for (let oy = 0; oy < g.OH; oy++)
    for (let ox = 0; ox < g.OW; ox++)
      for (let ky = 0; ky < g.KH; ky++)
        for (let kx = 0; kx < g.KW; kx++) {
          const iy = oy * g.SH - g.PT + ky * g.DH;
          const ix = ox * g.SW - g.PL + kx * g.DW;
          f(oy, ox, ky, kx, iy, ix, iy >= 0 && iy < g.H && ix >= 0 && ix < g.W);
        }
}

/** col [OH·OW, KH·KW·C] for one image x [H, W, C]. */
export function im2colRef(g: Geometry, x: ArrayLike<number>): Float64Array {
  const K = g.KH * g.KW * g.C;
  const col = new Float64Array(g.OH * g.OW * K);
  forEachTap(g, (oy, ox, ky, kx, iy, ix, inside) => {
    if (!inside) return;
    for (let ci = 0; ci < g.C; ci++) col[(oy * g.OW + ox) * K + (ky * g.KW + kx) * g.C + ci] = x[(iy * g.W + ix) * g.C + ci];
  });
  return col;
}

/** dx [H, W, C] = im2colᵀ·col, as a scatter; `scale` = Σ|terms| per element. */
export function col2imRef(g: Geometry, col: ArrayLike<number>): { dx: Float64Array; scale: Float64Array } {
  const K = g.KH * g.KW * g.C;
  const dx = new Float64Array(g.H * g.W * g.C);
  const scale = new Float64Array(dx.length);
  forEachTap(g, (oy, ox, ky, kx, iy, ix, inside) => {
    if (!inside) return;
    for (let ci = 0; ci < g.C; ci++) {
      const v = col[(oy * g.OW + ox) * K + (ky * g.KW + kx) * g.C + ci];
      dx[(iy * g.W + ix) * g.C + ci] += v;
      scale[(iy * g.W + ix) * g.C + ci] += Math.abs(v);
    }
  });
  return { dx, scale };
}

/** Σ a[i]·b[i] in float64. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** The non-padding input positions iy·W + ix of one output's window, in window order. */
function windowTaps(g: Geometry, oy: number, ox: number): number[] {
  const out: number[] = [];
  for (let ky = 0; ky < g.KH; ky++)
    for (let kx = 0; kx < g.KW; kx++) {
      const iy = oy * g.SH - g.PT + ky * g.DH;
      const ix = ox * g.SW - g.PL + kx * g.DW;
      if (iy >= 0 && iy < g.H && ix >= 0 && ix < g.W) out.push(iy * g.W + ix);
    }
  return out;
}

/** Max pooling over `rows` images: y, and idx = the flat index of the first maximum (−1 and y = 0 for an empty window). */
export function maxpoolRef(g: Geometry, rows: number, x: ArrayLike<number>): { y: Float64Array; idx: Int32Array } {
  const xs = g.H * g.W * g.C;
  const ys = g.OH * g.OW * g.C;
  const y = new Float64Array(rows * ys);
  const idx = new Int32Array(rows * ys).fill(-1);
  for (let r = 0; r < rows; r++)
    for (let oy = 0; oy < g.OH; oy++)
      for (let ox = 0; ox < g.OW; ox++) {
        const taps = windowTaps(g, oy, ox);
        for (let ci = 0; ci < g.C; ci++) {
          const o = r * ys + (oy * g.OW + ox) * g.C + ci;
          for (const t of taps) {
            const i = t * g.C + ci;
            if (idx[o] < 0 || x[r * xs + i] > y[o]) {
              y[o] = x[r * xs + i];
              idx[o] = i;
            }
          }
        }
      }
  return { y, idx };
}

/** dx = Σ over outputs of dy routed to its idx (per image); `scale` = Σ|terms|. */
export function maxpoolBwdRef(g: Geometry, rows: number, dy: ArrayLike<number>, idx: ArrayLike<number>): { dx: Float64Array; scale: Float64Array } {
  const xs = g.H * g.W * g.C;
  const ys = g.OH * g.OW * g.C;
  const dx = new Float64Array(rows * xs);
  const scale = new Float64Array(rows * xs);
  for (let r = 0; r < rows; r++)
    for (let o = 0; o < ys; o++) {
      const i = idx[r * ys + o];
      if (i < 0) continue;
      dx[r * xs + i] += dy[r * ys + o];
      scale[r * xs + i] += Math.abs(dy[r * ys + o]);
    }
  return { dx, scale };
}

/** Average pooling over the non-padding taps (0 for an empty window); `scale` = mean of |terms|. */
export function avgpoolRef(g: Geometry, rows: number, x: ArrayLike<number>): { y: Float64Array; scale: Float64Array } {
  const xs = g.H * g.W * g.C;
  const ys = g.OH * g.OW * g.C;
  const y = new Float64Array(rows * ys);
  const scale = new Float64Array(rows * ys);
  for (let r = 0; r < rows; r++)
    for (let oy = 0; oy < g.OH; oy++)
      for (let ox = 0; ox < g.OW; ox++) {
        const taps = windowTaps(g, oy, ox);
        if (taps.length === 0) continue;
        for (let ci = 0; ci < g.C; ci++) {
          const o = r * ys + (oy * g.OW + ox) * g.C + ci;
          let s = 0;
          let a = 0;
          for (const t of taps) {
            s += x[r * xs + t * g.C + ci];
            a += Math.abs(x[r * xs + t * g.C + ci]);
          }
          y[o] = s / taps.length;
          scale[o] = a / taps.length;
        }
      }
  return { y, scale };
}

/** The adjoint of average pooling: each dy / count spread over its window's non-padding taps; `scale` = Σ|terms|. */
export function avgpoolBwdRef(g: Geometry, rows: number, dy: ArrayLike<number>): { dx: Float64Array; scale: Float64Array } {
  const xs = g.H * g.W * g.C;
  const ys = g.OH * g.OW * g.C;
  const dx = new Float64Array(rows * xs);
  const scale = new Float64Array(rows * xs);
  for (let r = 0; r < rows; r++)
    for (let oy = 0; oy < g.OH; oy++)
      for (let ox = 0; ox < g.OW; ox++) {
        const taps = windowTaps(g, oy, ox);
        for (let ci = 0; ci < g.C; ci++) {
          const q = dy[r * ys + (oy * g.OW + ox) * g.C + ci] / taps.length;
          for (const t of taps) {
            dx[r * xs + t * g.C + ci] += q;
            scale[r * xs + t * g.C + ci] += Math.abs(q);
          }
        }
      }
  return { dx, scale };
}

/** [rows, hw, c] → [rows, c] means; `scale` = mean of |terms|. */
export function globalAvgpoolRef(rows: number, hw: number, c: number, x: ArrayLike<number>): { y: Float64Array; scale: Float64Array } {
  const y = new Float64Array(rows * c);
  const scale = new Float64Array(rows * c);
  for (let r = 0; r < rows; r++)
    for (let ci = 0; ci < c; ci++) {
      let s = 0;
      let a = 0;
      for (let p = 0; p < hw; p++) {
        s += x[(r * hw + p) * c + ci];
        a += Math.abs(x[(r * hw + p) * c + ci]);
      }
      y[r * c + ci] = s / hw;
      scale[r * c + ci] = a / hw;
    }
  return { y, scale };
}

/** dx[r, p, ci] = dy[r, ci] / hw. */
export function globalAvgpoolBwdRef(rows: number, hw: number, c: number, dy: ArrayLike<number>): Float64Array {
  const dx = new Float64Array(rows * hw * c);
  for (let r = 0; r < rows; r++) for (let p = 0; p < hw; p++) for (let ci = 0; ci < c; ci++) dx[(r * hw + p) * c + ci] = dy[r * c + ci] / hw;
  return dx;
}

/** [rows, hw, c] → [rows, c] maxima, idx = the first position p holding each. */
export function globalMaxpoolRef(rows: number, hw: number, c: number, x: ArrayLike<number>): { y: Float64Array; idx: Int32Array } {
  const y = new Float64Array(rows * c);
  const idx = new Int32Array(rows * c);
  for (let r = 0; r < rows; r++)
    for (let ci = 0; ci < c; ci++) {
      let best = x[r * hw * c + ci];
      let at = 0;
      for (let p = 1; p < hw; p++)
        if (x[(r * hw + p) * c + ci] > best) {
          best = x[(r * hw + p) * c + ci];
          at = p;
        }
      y[r * c + ci] = best;
      idx[r * c + ci] = at;
    }
  return { y, idx };
}

/** dx = dy routed to the recorded position of each channel, zero elsewhere. */
export function globalMaxpoolBwdRef(rows: number, hw: number, c: number, dy: ArrayLike<number>, idx: ArrayLike<number>): Float64Array {
  const dx = new Float64Array(rows * hw * c);
  for (let r = 0; r < rows; r++) for (let ci = 0; ci < c; ci++) dx[(r * hw + idx[r * c + ci]) * c + ci] += dy[r * c + ci];
  return dx;
}
