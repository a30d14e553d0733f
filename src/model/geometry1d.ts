// Sequence geometry for the 1-D layers (Conv1D, the 1-D poolings): a row [steps, channels] is planned as a
// [1, steps, channels] image under a 1×k window, so the 2-D kernels run it; Keras's 'causal' pads only before.
import { axis, geometryArgs, type Geometry, type Window } from './geometry.js';

/** 'valid', 'same' (TensorFlow's split: floor(total/2) before) or, for Conv1D only, 'causal' (all of it before). */
export type Padding1D = 'valid' | 'same' | 'causal';

/** A 1-D window: its size, step, tap spacing and padding. */
export interface Window1D {
  kernel: number;
  strides: number;
  dilation: number;
  padding: Padding1D;
}

/** A positive integer, or a one-element array of one as Keras and tfjs write kernel_size, strides, pool_size. */
export function single(what: string, v: unknown, fallback?: number): number {
  if (v === undefined || v === null) {
    if (fallback !== undefined) return fallback;
    throw new Error(`${what} is required (a positive integer)`);
  }
  const n = Array.isArray(v) && v.length === 1 ? v[0] : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0 || n > 1 << 16) {
    throw new Error(`${what} must be a positive integer (or [n]), got ${JSON.stringify(v)}`);
  }
  return n;
}

/** The padding option, case-insensitive; `allowed` lists what this layer takes. */
export function padding1d(what: string, v: unknown, allowed: readonly Padding1D[]): Padding1D {
  const p = typeof v === 'string' ? v.toLowerCase() : v ?? 'valid';
  if (!allowed.includes(p as Padding1D)) throw new Error(`${what} must be ${allowed.map((a) => `'${a}'`).join(' or ')}, got ${JSON.stringify(v)}`);
  return p as Padding1D;
}

/** [steps, channels] of a sequence input, or an error naming the layer. */
export function sequenceShape(inShape: number[], fail: (what: string) => Error): [number, number] {
  if (inShape.length !== 2) throw fail(`expects sequences [steps, channels], got rows of shape [${inShape.join(', ')}]`);
  return [inShape[0], inShape[1]];
}

/** The window as the 2-D planner sees it: one row high. */
export function asImageWindow(win: Window1D): Window {
  return { kernel: [1, win.kernel], strides: [1, win.strides], dilation: [1, win.dilation], padding: win.padding === 'same' ? 'same' : 'valid' };
}

/** The geometry of a 1-D window over sequences [steps, c], as the image [1, steps, c]; `fail` names the layer when it does not fit. */
export function slide1d(inShape: number[], win: Window1D, oc: number | undefined, fail: (what: string) => Error): Geometry {
  const [n, c] = sequenceShape(inShape, fail);
  const span = (win.kernel - 1) * win.dilation + 1;
  // Causal: Keras pads (k − 1)·d zeros before the sequence, then slides as 'valid'.
  const [ow, pl, pr] = win.padding === 'causal'
    ? [Math.floor((n - 1) / win.strides) + 1, span - 1, 0]
    : axis(n, win.kernel, win.strides, win.dilation, win.padding);
  if (ow === 0) {
    throw fail(`a window of ${win.kernel}${win.dilation > 1 ? ` dilated by ${win.dilation}` : ''} does not fit in a sequence of ${n} steps with padding 'valid'`);
  }
  return { h: 1, w: n, c, oh: 1, ow, oc: oc ?? c, pt: 0, pl, pb: 0, pr };
}

/** The G_* argument words of a 1-D window. */
export function geometryArgs1d(g: Geometry, win?: Window1D): number[] {
  return geometryArgs(g, win && asImageWindow(win));
}
