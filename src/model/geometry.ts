// Image geometry shared by the layers that slide a window over NHWC rows (Conv2D, pooling): Keras's
// output sizes and 'same' padding, written as the G_* argument words the kernels read.
import * as P from '../shared/plan.js';

/** 'valid': the window stays inside the input; 'same': zero padding keeps the size (at stride 1). */
export type Padding = 'valid' | 'same';

export interface Window {
  kernel: [number, number];
  strides: [number, number];
  dilation: [number, number];
  padding: Padding;
}

export interface Geometry {
  h: number; w: number; c: number;
  oh: number; ow: number; oc: number;
  pt: number; pl: number; pb: number; pr: number;
}

/** A positive integer or a pair of them, as Keras's kernel_size, strides, pool_size. */
export function pair(what: string, v: unknown, fallback?: [number, number]): [number, number] {
  if (v === undefined || v === null) {
    if (fallback) return fallback;
    throw new Error(`${what} is required (a positive integer or [rows, cols])`);
  }
  const p = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(p) || p.length !== 2 || !p.every((n) => Number.isInteger(n) && n > 0 && n <= 1 << 16)) {
    throw new Error(`${what} must be a positive integer or a pair of them such as [3, 3], got ${JSON.stringify(v)}`);
  }
  return [p[0], p[1]];
}

/** 'valid' or 'same' (Keras's padding), case-insensitive. */
export function padding(what: string, v: unknown): Padding {
  const p = typeof v === 'string' ? v.toLowerCase() : v ?? 'valid';
  if (p !== 'valid' && p !== 'same') throw new Error(`${what} must be 'valid' or 'same', got ${JSON.stringify(v)}`);
  return p;
}

/** Only channels_last images: that is how rows are laid out. */
export function channelsLast(what: string, v: unknown): void {
  if (v === undefined || v === null || v === 'channelsLast' || v === 'channels_last') return;
  throw new Error(`${what} must be 'channelsLast' (images are [height, width, channels]), got ${JSON.stringify(v)}`);
}

/** The output size along one axis and the padding before/after it, as TensorFlow computes them. */
export function axis(n: number, k: number, s: number, d: number, pad: Padding): [number, number, number] {
  const span = (k - 1) * d + 1;
  if (pad === 'valid') return [n >= span ? Math.floor((n - span) / s) + 1 : 0, 0, 0];
  const out = Math.ceil(n / s);
  const total = Math.max((out - 1) * s + span - n, 0);
  return [out, Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** The geometry of a window over images [h, w, c]; `fail` names the layer when the window does not fit. */
export function slide(inShape: number[], win: Window, oc: number | undefined, fail: (what: string) => Error): Geometry {
  const [h, w, c] = imageShape(inShape, fail);
  const [oh, pt, pb] = axis(h, win.kernel[0], win.strides[0], win.dilation[0], win.padding);
  const [ow, pl, pr] = axis(w, win.kernel[1], win.strides[1], win.dilation[1], win.padding);
  if (oh === 0 || ow === 0) {
    throw fail(`a ${win.kernel.join('×')} window${win.dilation.some((d) => d > 1) ? ` dilated by ${win.dilation.join('×')}` : ''} does not fit in an input of ${h}×${w} with padding 'valid'`);
  }
  return { h, w, c, oh, ow, oc: oc ?? c, pt, pl, pb, pr };
}

/** [h, w, c] of an image input, or an error naming the layer. */
export function imageShape(inShape: number[], fail: (what: string) => Error): [number, number, number] {
  if (inShape.length !== 3) throw fail(`expects images [height, width, channels], got rows of shape [${inShape.join(', ')}]`);
  return [inShape[0], inShape[1], inShape[2]];
}

/** The G_* argument words. */
export function geometryArgs(g: Geometry, win?: Window): number[] {
  const a = new Array<number>(P.ARG_WORDS).fill(0);
  a[P.G_H] = g.h; a[P.G_W] = g.w; a[P.G_C] = g.c;
  a[P.G_KH] = win?.kernel[0] ?? 1; a[P.G_KW] = win?.kernel[1] ?? 1;
  a[P.G_SH] = win?.strides[0] ?? 1; a[P.G_SW] = win?.strides[1] ?? 1;
  a[P.G_DH] = win?.dilation[0] ?? 1; a[P.G_DW] = win?.dilation[1] ?? 1;
  a[P.G_PT] = g.pt; a[P.G_PL] = g.pl; a[P.G_PB] = g.pb; a[P.G_PR] = g.pr;
  a[P.G_OH] = g.oh; a[P.G_OW] = g.ow; a[P.G_OC] = g.oc;
  return a;
}
