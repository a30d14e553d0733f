// A float64 reference for the image layers, with plain loops and no code shared with src/ beyond the id
// constants: each layer kind's forward pass and its analytic backward pass (Keras 3 semantics), and a
// sequential runner over a list of layer specs that computes the batch-averaged loss and the gradient of
// every trainable weight, given the weights as model.getWeights() returns them. The runner's analytic
// gradients are themselves checked against central finite differences of its float64 loss, so the
// model-level tests (test/model/images.test.ts) can trust them as their oracle.
//
// Rows are NHWC, row-major: an image [h, w, c] is h·w positions of c channels. A conv kernel is
// [kh, kw, c, filters] and a dense kernel [in, units], as Keras keeps them.

import * as ids from '../../src/shared/ids.js';
import { ACTIVATIONS, softmaxRef, softmaxVjpRef, type RefActivation } from './activations.js';
import { refLoss, refLossGrad } from './losses.js';

type Vec = ArrayLike<number>;
export type Padding = 'valid' | 'same';
type Pair = [number, number];

// ---- Layer specs: what the runner and the model-level tests build from ----

export type LayerSpec =
  | { kind: 'conv2d'; filters: number; kernel: Pair; strides?: Pair; dilation?: Pair; padding?: Padding; activation?: string; useBias?: boolean }
  | { kind: 'dense'; units: number; activation?: string; useBias?: boolean }
  | { kind: 'maxPooling2d' | 'averagePooling2d'; pool: Pair; strides?: Pair; padding?: Padding }
  | { kind: 'globalAveragePooling2d' | 'globalMaxPooling2d' }
  | { kind: 'flatten' }
  | { kind: 'reshape'; targetShape: number[] }
  | { kind: 'upSampling2d'; size: Pair }
  | { kind: 'zeroPadding2d'; padding: [Pair, Pair] }
  | { kind: 'batchNormalization'; epsilon?: number; momentum?: number; center?: boolean; scale?: boolean }
  | { kind: 'leakyReLU'; alpha?: number }
  | { kind: 'activation'; activation: string };

export interface WeightShape {
  name: string;
  shape: number[];
  trainable: boolean;
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

// ---- Activations by name: test/ref/activations.ts's float64 f and f' (softmax row-wise) ----

const key = (name: string) => name.toLowerCase().replace(/[_\-\s]/g, '');
const byName = new Map<string, RefActivation>(Object.values(ACTIVATIONS).map((a) => [key(a.name), a]));
const activationAliases: Record<string, string> = { none: 'linear', identity: 'linear', silu: 'swish' };

interface Act {
  softmax: boolean;
  f(x: number): number;
  df(x: number): number;
  kinks: readonly number[];
}

function activationOf(name = 'linear'): Act {
  const k = activationAliases[key(name)] ?? key(name);
  if (k === 'softmax') return { softmax: true, f: () => NaN, df: () => NaN, kinks: [] };
  const a = byName.get(k);
  if (!a) throw new Error(`image reference: unknown activation '${name}'`);
  const alpha = a.alpha ?? 0;
  return { softmax: false, f: (x) => a.f(x, alpha), df: (x) => a.df(x, alpha), kinks: a.kinks };
}

/** act(z) over `groups` groups of `width` values (softmax within each group). */
function activate(act: Act, z: Float64Array, groups: number, width: number): Float64Array {
  return act.softmax ? softmaxRef(z, groups, width) : z.map(act.f);
}

/** dL/dz from dL/dy. */
function activateBack(act: Act, z: Float64Array, y: Float64Array, dy: Float64Array, groups: number, width: number): Float64Array {
  if (act.softmax) return softmaxVjpRef(y, dy, groups, width);
  return dy.map((d, i) => d * act.df(z[i]));
}

/**
 * The smallest |z − kink|. With `exactOk`, values exactly at a kink are left out: a structural zero (a
 * relu's output, zero padding, a tap-less window) is exactly zero in f32 too, and both sides then take
 * the same one-sided derivative.
 */
function kinkMargin(act: Act, z: Vec, exactOk = false): number {
  let m = Infinity;
  for (const k of act.kinks)
    for (let i = 0; i < z.length; i++) {
      const d = Math.abs(z[i] - k);
      if (!(exactOk && d === 0)) m = Math.min(m, d);
    }
  return m;
}

// ---- Window geometry, as TensorFlow computes it ----

/** Output size along one axis and the padding before it: 'same' pads (out − 1)·s + span − n in total, floor(total/2) before. */
export function windowAxis(n: number, k: number, s: number, d: number, padding: Padding): { out: number; before: number } {
  const span = (k - 1) * d + 1;
  if (padding === 'valid') return { out: n >= span ? Math.floor((n - span) / s) + 1 : 0, before: 0 };
  const out = Math.ceil(n / s);
  const total = Math.max((out - 1) * s + span - n, 0);
  return { out, before: Math.floor(total / 2) };
}

interface Slide {
  h: number; w: number; c: number; oh: number; ow: number; pt: number; pl: number;
  kh: number; kw: number; sh: number; sw: number; dh: number; dw: number;
}

function slide(inShape: number[], kernel: Pair, strides: Pair, dilation: Pair, padding: Padding, what: string): Slide {
  if (inShape.length !== 3) throw new Error(`image reference: ${what} needs images [h, w, c], got [${inShape}]`);
  const [h, w, c] = inShape;
  const r = windowAxis(h, kernel[0], strides[0], dilation[0], padding);
  const q = windowAxis(w, kernel[1], strides[1], dilation[1], padding);
  if (r.out <= 0 || q.out <= 0) throw new Error(`image reference: ${what}'s window does not fit [${inShape}]`);
  return { h, w, c, oh: r.out, ow: q.out, pt: r.before, pl: q.before, kh: kernel[0], kw: kernel[1], sh: strides[0], sw: strides[1], dh: dilation[0], dw: dilation[1] };
}

/** Calls fn(a, b, ii, jj) for each window tap of output (oi, oj) that lands inside the image, in window order. */
function taps(g: Slide, oi: number, oj: number, fn: (a: number, b: number, ii: number, jj: number) => void): void {
  for (let a = 0; a < g.kh; a++) {
    const ii = oi * g.sh - g.pt + a * g.dh;
    if (ii < 0 || ii >= g.h) continue;
    for (let b = 0; b < g.kw; b++) {
      const jj = oj * g.sw - g.pl + b * g.dw;
      if (jj < 0 || jj >= g.w) continue;
      fn(a, b, ii, jj);
    }
  }
}

// ---- Layers ----

interface Pass {
  y: Float64Array;
  /** Whatever backward needs. */
  cache: Record<string, unknown>;
}

interface RefLayer {
  readonly inShape: number[];
  readonly outShape: number[];
  /** The layer's weights in its own (Keras's) order. */
  readonly weights: WeightShape[];
  /** `perturb`, if given, changes intermediate results in place (batch norm's batch statistics and x̂): a rounding model. */
  forward(x: Float64Array, rows: number, w: Float64Array[], training: boolean, perturb?: (a: Float64Array) => void): Pass;
  /** dL/dx and dL/d(each trainable weight, in the layer's order) from dL/dy; `perturb` as forward's (batch norm's means of δ). */
  backward(x: Float64Array, pass: Pass, dy: Float64Array, rows: number, w: Float64Array[], perturb?: (a: Float64Array) => void): { dx: Float64Array; dw: Float64Array[] };
  /** The smallest distance of anything in this pass from a kink (relu's 0, a max's runner-up). */
  margin?(x: Float64Array, pass: Pass, rows: number, exactOk: boolean): number;
}

class Conv2DRef implements RefLayer {
  readonly outShape: number[];
  readonly weights: WeightShape[];
  private readonly g: Slide;
  private readonly act: Act;
  constructor(readonly inShape: number[], private readonly s: Extract<LayerSpec, { kind: 'conv2d' }>) {
    this.g = slide(inShape, s.kernel, s.strides ?? [1, 1], s.dilation ?? [1, 1], s.padding ?? 'valid', 'conv2d');
    this.act = activationOf(s.activation);
    if (this.act.softmax) throw new Error('image reference: conv2d softmax');
    this.outShape = [this.g.oh, this.g.ow, s.filters];
    this.weights = [{ name: 'kernel', shape: [s.kernel[0], s.kernel[1], this.g.c, s.filters], trainable: true }];
    if (s.useBias ?? true) this.weights.push({ name: 'bias', shape: [s.filters], trainable: true });
  }

  forward(x: Float64Array, rows: number, w: Float64Array[]): Pass {
    const { g } = this;
    const f = this.s.filters;
    const [kernel, bias] = w;
    const inSize = g.h * g.w * g.c;
    const outSize = g.oh * g.ow * f;
    const z = new Float64Array(rows * outSize);
    for (let r = 0; r < rows; r++)
      for (let oi = 0; oi < g.oh; oi++)
        for (let oj = 0; oj < g.ow; oj++) {
          const o = r * outSize + (oi * g.ow + oj) * f;
          for (let q = 0; q < f; q++) z[o + q] = bias ? bias[q] : 0;
          taps(g, oi, oj, (a, b, ii, jj) => {
            const xi = r * inSize + (ii * g.w + jj) * g.c;
            const ki = (a * g.kw + b) * g.c * f;
            for (let ci = 0; ci < g.c; ci++) {
              const v = x[xi + ci];
              for (let q = 0; q < f; q++) z[o + q] += v * kernel[ki + ci * f + q];
            }
          });
        }
    return { y: activate(this.act, z, z.length, 1), cache: { z } };
  }

  backward(x: Float64Array, pass: Pass, dy: Float64Array, rows: number, w: Float64Array[]) {
    const { g } = this;
    const f = this.s.filters;
    const z = pass.cache.z as Float64Array;
    const dz = activateBack(this.act, z, pass.y, dy, dy.length, 1);
    const kernel = w[0];
    const dk = new Float64Array(kernel.length);
    const db = new Float64Array(f);
    const dx = new Float64Array(x.length);
    const inSize = g.h * g.w * g.c;
    const outSize = g.oh * g.ow * f;
    for (let r = 0; r < rows; r++)
      for (let oi = 0; oi < g.oh; oi++)
        for (let oj = 0; oj < g.ow; oj++) {
          const o = r * outSize + (oi * g.ow + oj) * f;
          for (let q = 0; q < f; q++) db[q] += dz[o + q];
          taps(g, oi, oj, (a, b, ii, jj) => {
            const xi = r * inSize + (ii * g.w + jj) * g.c;
            const ki = (a * g.kw + b) * g.c * f;
            for (let ci = 0; ci < g.c; ci++)
              for (let q = 0; q < f; q++) {
                dk[ki + ci * f + q] += x[xi + ci] * dz[o + q];
                dx[xi + ci] += kernel[ki + ci * f + q] * dz[o + q];
              }
          });
        }
    return { dx, dw: this.weights.length === 2 ? [dk, db] : [dk] };
  }

  margin(_x: Float64Array, pass: Pass, _rows: number, exactOk: boolean): number {
    return kinkMargin(this.act, pass.cache.z as Float64Array, exactOk);
  }
}

/** Dense over the last axis: every position before it is a row of its own. */
class DenseRef implements RefLayer {
  readonly outShape: number[];
  readonly weights: WeightShape[];
  private readonly act: Act;
  private readonly fanIn: number;
  private readonly positions: number;
  constructor(readonly inShape: number[], private readonly s: Extract<LayerSpec, { kind: 'dense' }>) {
    this.fanIn = inShape[inShape.length - 1];
    this.positions = sizeOf(inShape) / this.fanIn;
    this.outShape = [...inShape.slice(0, -1), s.units];
    this.act = activationOf(s.activation);
    this.weights = [{ name: 'kernel', shape: [this.fanIn, s.units], trainable: true }];
    if (s.useBias ?? true) this.weights.push({ name: 'bias', shape: [s.units], trainable: true });
  }

  forward(x: Float64Array, rows: number, w: Float64Array[]): Pass {
    const m = rows * this.positions;
    const k = this.fanIn;
    const n = this.s.units;
    const [kernel, bias] = w;
    const z = new Float64Array(m * n);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = bias ? bias[j] : 0;
        for (let t = 0; t < k; t++) s += x[i * k + t] * kernel[t * n + j];
        z[i * n + j] = s;
      }
    return { y: activate(this.act, z, m, n), cache: { z } };
  }

  backward(x: Float64Array, pass: Pass, dy: Float64Array, rows: number, w: Float64Array[]) {
    const m = rows * this.positions;
    const k = this.fanIn;
    const n = this.s.units;
    const dz = activateBack(this.act, pass.cache.z as Float64Array, pass.y, dy, m, n);
    const kernel = w[0];
    const dk = new Float64Array(k * n);
    const db = new Float64Array(n);
    const dx = new Float64Array(m * k);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        const d = dz[i * n + j];
        db[j] += d;
        for (let t = 0; t < k; t++) {
          dk[t * n + j] += x[i * k + t] * d;
          dx[i * k + t] += kernel[t * n + j] * d;
        }
      }
    return { dx, dw: this.weights.length === 2 ? [dk, db] : [dk] };
  }

  margin(_x: Float64Array, pass: Pass, _rows: number, exactOk: boolean): number {
    return kinkMargin(this.act, pass.cache.z as Float64Array, exactOk);
  }
}

/** Max pooling: padding never wins (only taps inside the image count); ties go to the first tap in window order. Average pooling: the mean over the taps inside the image. */
class Pool2DRef implements RefLayer {
  readonly outShape: number[];
  readonly weights: WeightShape[] = [];
  private readonly g: Slide;
  private readonly max: boolean;
  constructor(readonly inShape: number[], s: Extract<LayerSpec, { kind: 'maxPooling2d' | 'averagePooling2d' }>) {
    this.max = s.kind === 'maxPooling2d';
    this.g = slide(inShape, s.pool, s.strides ?? s.pool, [1, 1], s.padding ?? 'valid', s.kind);
    this.outShape = [this.g.oh, this.g.ow, this.g.c];
  }

  /** Per output, the input index it reads (max) or the list of them (average). */
  private windows(rows: number): number[][] {
    const { g } = this;
    const out: number[][] = [];
    for (let r = 0; r < rows; r++)
      for (let oi = 0; oi < g.oh; oi++)
        for (let oj = 0; oj < g.ow; oj++)
          for (let ci = 0; ci < g.c; ci++) {
            const list: number[] = [];
            taps(g, oi, oj, (_a, _b, ii, jj) => list.push(r * g.h * g.w * g.c + (ii * g.w + jj) * g.c + ci));
            out.push(list);
          }
    return out;
  }

  forward(x: Float64Array, rows: number): Pass {
    return poolForward(this.max, x, this.windows(rows));
  }

  backward(x: Float64Array, pass: Pass, dy: Float64Array) {
    return poolBackward(this.max, x, pass, dy);
  }

  margin(x: Float64Array, pass: Pass): number {
    return this.max ? runnerUpGap(x, pass.cache.windows as number[][]) : Infinity;
  }
}

/** The smallest gap between a window's max and its largest smaller value (exact ties move together: ignored). */
function runnerUpGap(x: Float64Array, windows: number[][]): number {
  let m = Infinity;
  for (const list of windows) {
    let best = -Infinity;
    for (const i of list) best = Math.max(best, x[i]);
    let second = -Infinity;
    for (const i of list) if (x[i] < best) second = Math.max(second, x[i]);
    m = Math.min(m, best - second);
  }
  return m;
}

class GlobalPoolRef implements RefLayer {
  readonly outShape: number[];
  readonly weights: WeightShape[] = [];
  private readonly max: boolean;
  constructor(readonly inShape: number[], s: Extract<LayerSpec, { kind: 'globalAveragePooling2d' | 'globalMaxPooling2d' }>) {
    if (inShape.length !== 3) throw new Error(`image reference: ${s.kind} needs images`);
    this.max = s.kind === 'globalMaxPooling2d';
    this.outShape = [inShape[2]];
  }

  private windows(rows: number): number[][] {
    const [h, w, c] = this.inShape;
    const out: number[][] = [];
    for (let r = 0; r < rows; r++)
      for (let ci = 0; ci < c; ci++) out.push(Array.from({ length: h * w }, (_, p) => r * h * w * c + p * c + ci));
    return out;
  }

  forward(x: Float64Array, rows: number): Pass {
    return poolForward(this.max, x, this.windows(rows));
  }

  backward(x: Float64Array, pass: Pass, dy: Float64Array) {
    return poolBackward(this.max, x, pass, dy);
  }

  margin(x: Float64Array, pass: Pass): number {
    return this.max ? runnerUpGap(x, pass.cache.windows as number[][]) : Infinity;
  }
}

/** The max (the first in list order on ties) or the mean over each window's list of input indices. */
function poolForward(max: boolean, x: Float64Array, windows: number[][]): Pass {
  const y = new Float64Array(windows.length);
  const argmax = new Int32Array(windows.length);
  windows.forEach((list, o) => {
    if (max) {
      let best = list[0];
      for (const i of list) if (x[i] > x[best]) best = i;
      argmax[o] = best;
      y[o] = x[best];
    } else {
      let s = 0;
      for (const i of list) s += x[i];
      y[o] = s / list.length;
    }
  });
  return { y, cache: { windows, argmax } };
}

function poolBackward(max: boolean, x: Float64Array, pass: Pass, dy: Float64Array): { dx: Float64Array; dw: Float64Array[] } {
  const dx = new Float64Array(x.length);
  const windows = pass.cache.windows as number[][];
  const argmax = pass.cache.argmax as Int32Array;
  windows.forEach((list, o) => {
    if (max) dx[argmax[o]] += dy[o];
    else for (const i of list) dx[i] += dy[o] / list.length;
  });
  return { dx, dw: [] };
}

/** Flatten and Reshape: the same values in the same order. */
class ReshapeRef implements RefLayer {
  readonly outShape: number[];
  readonly weights: WeightShape[] = [];
  constructor(readonly inShape: number[], target?: number[]) {
    const n = sizeOf(inShape);
    if (!target) this.outShape = [n];
    else {
      const known = sizeOf(target.filter((d) => d !== -1));
      this.outShape = target.map((d) => (d === -1 ? n / known : d));
      if (sizeOf(this.outShape) !== n || !this.outShape.every((d) => Number.isInteger(d))) throw new Error(`image reference: cannot reshape [${inShape}] to [${target}]`);
    }
  }
  forward(x: Float64Array): Pass {
    return { y: Float64Array.from(x), cache: {} };
  }
  backward(_x: Float64Array, _pass: Pass, dy: Float64Array) {
    return { dx: Float64Array.from(dy), dw: [] };
  }
}

/** Nearest-neighbour upsampling: out[i, j] = in[⌊i/sh⌋, ⌊j/sw⌋]. */
class UpSamplingRef implements RefLayer {
  readonly outShape: number[];
  readonly weights: WeightShape[] = [];
  constructor(readonly inShape: number[], private readonly size: Pair) {
    const [h, w, c] = inShape;
    this.outShape = [h * size[0], w * size[1], c];
  }
  private source(rows: number): Int32Array {
    const [h, w, c] = this.inShape;
    const [oh, ow] = this.outShape;
    const src = new Int32Array(rows * oh * ow * c);
    let o = 0;
    for (let r = 0; r < rows; r++)
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++)
          for (let ci = 0; ci < c; ci++) src[o++] = r * h * w * c + (Math.floor(i / this.size[0]) * w + Math.floor(j / this.size[1])) * c + ci;
    return src;
  }
  forward(x: Float64Array, rows: number): Pass {
    const src = this.source(rows);
    return { y: Float64Array.from(src, (i) => x[i]), cache: { src } };
  }
  backward(x: Float64Array, pass: Pass, dy: Float64Array) {
    const dx = new Float64Array(x.length);
    (pass.cache.src as Int32Array).forEach((i, o) => (dx[i] += dy[o]));
    return { dx, dw: [] };
  }
}

/** Zeros around each image: [[top, bottom], [left, right]]. */
class ZeroPaddingRef implements RefLayer {
  readonly outShape: number[];
  readonly weights: WeightShape[] = [];
  constructor(readonly inShape: number[], private readonly pad: [Pair, Pair]) {
    const [h, w, c] = inShape;
    this.outShape = [h + pad[0][0] + pad[0][1], w + pad[1][0] + pad[1][1], c];
  }
  /** Output index → input index, or −1 for padding. */
  private source(rows: number): Int32Array {
    const [h, w, c] = this.inShape;
    const [oh, ow] = this.outShape;
    const src = new Int32Array(rows * oh * ow * c).fill(-1);
    let o = 0;
    for (let r = 0; r < rows; r++)
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++)
          for (let ci = 0; ci < c; ci++, o++) {
            const ii = i - this.pad[0][0];
            const jj = j - this.pad[1][0];
            if (ii >= 0 && ii < h && jj >= 0 && jj < w) src[o] = r * h * w * c + (ii * w + jj) * c + ci;
          }
    return src;
  }
  forward(x: Float64Array, rows: number): Pass {
    const src = this.source(rows);
    return { y: Float64Array.from(src, (i) => (i < 0 ? 0 : x[i])), cache: { src } };
  }
  backward(x: Float64Array, pass: Pass, dy: Float64Array) {
    const dx = new Float64Array(x.length);
    (pass.cache.src as Int32Array).forEach((i, o) => {
      if (i >= 0) dx[i] += dy[o];
    });
    return { dx, dw: [] };
  }
}

/**
 * BatchNormalization over the last axis. Training: the batch's mean and biased variance over every
 * other axis (rows × positions values per channel), as functions of x in the gradient. Inference: the
 * moving statistics. Weights: gamma (scale), beta (center), then moving_mean, moving_variance.
 */
class BatchNormRef implements RefLayer {
  readonly outShape: number[];
  readonly weights: WeightShape[];
  readonly epsilon: number;
  readonly momentum: number;
  private readonly c: number;
  constructor(readonly inShape: number[], private readonly s: Extract<LayerSpec, { kind: 'batchNormalization' }>) {
    this.outShape = inShape;
    this.c = inShape[inShape.length - 1];
    this.epsilon = s.epsilon ?? 1e-3;
    this.momentum = s.momentum ?? 0.99;
    const c = [this.c];
    this.weights = [
      ...((s.scale ?? true) ? [{ name: 'gamma', shape: c, trainable: true }] : []),
      ...((s.center ?? true) ? [{ name: 'beta', shape: c, trainable: true }] : []),
      { name: 'moving_mean', shape: c, trainable: false },
      { name: 'moving_variance', shape: c, trainable: false },
    ];
  }

  private parts(w: Float64Array[]) {
    let i = 0;
    const gamma = (this.s.scale ?? true) ? w[i++] : null;
    const beta = (this.s.center ?? true) ? w[i++] : null;
    return { gamma, beta, movingMean: w[i], movingVariance: w[i + 1] };
  }

  /** Per-channel mean and biased variance of x viewed as [n, c]. */
  stats(x: Float64Array): { mean: Float64Array; variance: Float64Array } {
    const c = this.c;
    const n = x.length / c;
    const mean = new Float64Array(c);
    const variance = new Float64Array(c);
    for (let j = 0; j < c; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += x[i * c + j];
      mean[j] = s / n;
      let q = 0;
      for (let i = 0; i < n; i++) q += (x[i * c + j] - mean[j]) ** 2;
      variance[j] = q / n;
    }
    return { mean, variance };
  }

  forward(x: Float64Array, _rows: number, w: Float64Array[], training: boolean, perturb?: (a: Float64Array) => void): Pass {
    const c = this.c;
    const { gamma, beta, movingMean, movingVariance } = this.parts(w);
    const { mean, variance } = training ? this.stats(x) : { mean: movingMean, variance: movingVariance };
    if (training && perturb) {
      perturb(mean);
      perturb(variance);
    }
    const xhat = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) xhat[i] = (x[i] - mean[i % c]) / Math.sqrt(variance[i % c] + this.epsilon);
    if (training) perturb?.(xhat);
    const y = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) y[i] = xhat[i] * (gamma ? gamma[i % c] : 1) + (beta ? beta[i % c] : 0);
    return { y, cache: { xhat, mean, variance, training } };
  }

  backward(x: Float64Array, pass: Pass, dy: Float64Array, _rows: number, w: Float64Array[], perturb?: (a: Float64Array) => void) {
    if (!pass.cache.training) throw new Error('image reference: batch norm backward needs a training-mode pass');
    const c = this.c;
    const n = x.length / c;
    const { gamma } = this.parts(w);
    const xhat = pass.cache.xhat as Float64Array;
    const variance = pass.cache.variance as Float64Array;
    const dgamma = new Float64Array(c);
    const dbeta = new Float64Array(c);
    for (let i = 0; i < x.length; i++) {
      dgamma[i % c] += dy[i] * xhat[i];
      dbeta[i % c] += dy[i];
    }
    // The means of dy and dy·x̂ that dx subtracts (perturbed copies under a rounding model).
    const md = dbeta.map((v) => v / n);
    const mp = dgamma.map((v) => v / n);
    if (perturb) {
      perturb(md);
      perturb(mp);
    }
    const dx = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const j = i % c;
      const scale = (gamma ? gamma[j] : 1) / Math.sqrt(variance[j] + this.epsilon);
      dx[i] = scale * (dy[i] - md[j] - xhat[i] * mp[j]);
    }
    const dw: Float64Array[] = [];
    if (this.s.scale ?? true) dw.push(dgamma);
    if (this.s.center ?? true) dw.push(dbeta);
    return { dx, dw };
  }
}

/** LeakyReLU as a layer: x for x > 0, alpha·x otherwise (alpha default 0.3). */
class LeakyReLURef implements RefLayer {
  readonly outShape: number[];
  readonly weights: WeightShape[] = [];
  private readonly alpha: number;
  constructor(readonly inShape: number[], alpha = 0.3) {
    this.outShape = inShape;
    this.alpha = alpha;
  }
  forward(x: Float64Array): Pass {
    return { y: x.map((v) => (v > 0 ? v : this.alpha * v)), cache: {} };
  }
  backward(x: Float64Array, _pass: Pass, dy: Float64Array) {
    return { dx: dy.map((d, i) => (x[i] > 0 ? d : this.alpha * d)), dw: [] };
  }
  margin(x: Float64Array, _pass: Pass, _rows: number, exactOk: boolean): number {
    return kinkMargin({ softmax: false, f: (v) => v, df: () => 1, kinks: [0] }, x, exactOk);
  }
}

class ActivationRef implements RefLayer {
  readonly outShape: number[];
  readonly weights: WeightShape[] = [];
  private readonly act: Act;
  private readonly width: number;
  constructor(readonly inShape: number[], name: string) {
    this.outShape = inShape;
    this.act = activationOf(name);
    this.width = inShape[inShape.length - 1];
  }
  forward(x: Float64Array): Pass {
    return { y: activate(this.act, x, x.length / this.width, this.width), cache: {} };
  }
  backward(x: Float64Array, pass: Pass, dy: Float64Array) {
    return { dx: activateBack(this.act, x, pass.y, dy, x.length / this.width, this.width), dw: [] };
  }
  margin(x: Float64Array, _pass: Pass, _rows: number, exactOk: boolean): number {
    return kinkMargin(this.act, x, exactOk);
  }
}

function makeLayer(inShape: number[], s: LayerSpec): RefLayer {
  switch (s.kind) {
    case 'conv2d':
      return new Conv2DRef(inShape, s);
    case 'dense':
      return new DenseRef(inShape, s);
    case 'maxPooling2d':
    case 'averagePooling2d':
      return new Pool2DRef(inShape, s);
    case 'globalAveragePooling2d':
    case 'globalMaxPooling2d':
      return new GlobalPoolRef(inShape, s);
    case 'flatten':
      return new ReshapeRef(inShape);
    case 'reshape':
      return new ReshapeRef(inShape, s.targetShape);
    case 'upSampling2d':
      return new UpSamplingRef(inShape, s.size);
    case 'zeroPadding2d':
      return new ZeroPaddingRef(inShape, s.padding);
    case 'batchNormalization':
      return new BatchNormRef(inShape, s);
    case 'leakyReLU':
      return new LeakyReLURef(inShape, s.alpha);
    case 'activation':
      return new ActivationRef(inShape, s.activation);
  }
}

// ---- Losses (Keras 3, mean over the batch), by name ----

const LOSSES: Record<string, number> = {
  mse: ids.LOSS_MSE,
  meansquarederror: ids.LOSS_MSE,
  bce: ids.LOSS_BCE,
  binarycrossentropy: ids.LOSS_BCE,
  cce: ids.LOSS_CCE,
  categoricalcrossentropy: ids.LOSS_CCE,
};

function lossId(name: string): number {
  const id = LOSSES[key(name)];
  if (id === undefined) throw new Error(`image reference: unknown loss '${name}' (mse, binaryCrossentropy, categoricalCrossentropy)`);
  return id;
}

// ---- The sequential runner ----

export interface RefForward {
  out: Float64Array;
  /** Each layer's input and pass. */
  inputs: Float64Array[];
  passes: Pass[];
}

export class ReferenceNet {
  readonly layers: RefLayer[];
  readonly outShape: number[];
  /** For each getWeights() entry: its layer and its index in that layer's own order. */
  private readonly order: { layer: number; index: number; shape: WeightShape }[] = [];

  constructor(readonly inShape: number[], readonly specs: readonly LayerSpec[]) {
    let shape = inShape;
    this.layers = specs.map((s) => {
      const l = makeLayer(shape, s);
      shape = l.outShape;
      return l;
    });
    this.outShape = shape;
    // tfjs's getWeights() order: every trainable weight layer by layer, then every non-trainable one.
    for (const trainable of [true, false])
      this.layers.forEach((l, layer) => l.weights.forEach((w, index) => w.trainable === trainable && this.order.push({ layer, index, shape: w })));
  }

  get outputWidth(): number {
    return sizeOf(this.outShape);
  }

  /** Every weight in getWeights() order. */
  weightShapes(): WeightShape[] {
    return this.order.map((o) => o.shape);
  }

  /** The trainable weights' shapes: computeGradients()'s order. */
  gradientShapes(): number[][] {
    return this.order.filter((o) => o.shape.trainable).map((o) => o.shape.shape);
  }

  /** Whether a layer's forward pass depends on the whole batch (batch norm in training). */
  get batchCoupled(): boolean {
    return this.layers.some((l) => l instanceof BatchNormRef);
  }

  private perLayer(weights: readonly Vec[]): Float64Array[][] {
    if (weights.length !== this.order.length) throw new Error(`image reference: expected ${this.order.length} weight arrays, got ${weights.length}`);
    const out: Float64Array[][] = this.layers.map((l) => new Array(l.weights.length));
    this.order.forEach((o, i) => {
      if (weights[i].length !== sizeOf(o.shape.shape)) throw new Error(`image reference: weights[${i}] (${o.shape.name}) has ${weights[i].length} values, expected ${sizeOf(o.shape.shape)}`);
      out[o.layer][o.index] = Float64Array.from(weights[i]);
    });
    return out;
  }

  /**
   * The forward pass; `training` uses batch norm's batch statistics (as fit and computeGradients do), else
   * the moving ones (predict). `perturb`, if given, changes each layer's output in place before the next
   * layer reads it, and batch norm's batch statistics and x̂ (a rounding model, for conditioning estimates).
   */
  forward(weights: readonly Vec[], x: Vec, rows: number, training: boolean, perturb?: (y: Float64Array) => void): RefForward {
    if (x.length !== rows * sizeOf(this.inShape)) throw new Error(`image reference: x has ${x.length} values, expected ${rows} × [${this.inShape}]`);
    const w = this.perLayer(weights);
    let input: Float64Array = Float64Array.from(x);
    const inputs: Float64Array[] = [];
    const passes: Pass[] = [];
    this.layers.forEach((l, i) => {
      const pass = l.forward(input, rows, w[i], training, perturb);
      perturb?.(pass.y);
      inputs.push(input);
      passes.push(pass);
      input = pass.y;
    });
    return { out: input, inputs, passes };
  }

  /** predict(): inference mode. */
  predict(weights: readonly Vec[], x: Vec, rows: number): Float64Array {
    return this.forward(weights, x, rows, false).out;
  }

  /** The batch-averaged loss; training mode by default, as computeGradients computes it. */
  loss(loss: string, weights: readonly Vec[], x: Vec, y: Vec, rows: number, training = true): number {
    return refLoss(lossId(loss), rows, this.outputWidth, this.forward(weights, x, rows, training).out, y);
  }

  /** Analytic gradients (training mode) of every trainable weight, in computeGradients() order, and of the input; `perturb` as forward's, and each layer's δ too. */
  backprop(loss: string, weights: readonly Vec[], x: Vec, y: Vec, rows: number, perturb?: (y: Float64Array) => void): { grads: Float64Array[]; dx: Float64Array } {
    const w = this.perLayer(weights);
    const f = this.forward(weights, x, rows, true, perturb);
    let d = refLossGrad(lossId(loss), rows, this.outputWidth, f.out, y);
    perturb?.(d);
    const perLayer: Float64Array[][] = this.layers.map(() => []);
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const b = this.layers[i].backward(f.inputs[i], f.passes[i], d, rows, w[i], perturb);
      perLayer[i] = b.dw;
      d = b.dx;
      perturb?.(d);
    }
    // A layer's trainable weights come first in its own order, so dw[index] is the index-th weight's gradient.
    const grads = this.order.filter((o) => o.shape.trainable).map((o) => perLayer[o.layer][o.index]);
    return { grads, dx: d };
  }

  gradients(loss: string, weights: readonly Vec[], x: Vec, y: Vec, rows: number, perturb?: (y: Float64Array) => void): Float64Array[] {
    return this.backprop(loss, weights, x, y, rows, perturb).grads;
  }

  /**
   * Central finite differences (L(w + h) − L(w − h)) / 2h of the float64 training-mode loss, for the
   * trainable weights, at the indices `pick(t, size)` of tensor t (NaN elsewhere).
   */
  finiteDifferences(loss: string, weights: readonly Vec[], x: Vec, y: Vec, rows: number, pick: (t: number, size: number) => number[], h = 1e-6): Float64Array[] {
    const ws = weights.map((w) => Float64Array.from(w));
    const trainable = this.order.map((o, i) => [o, i] as const).filter(([o]) => o.shape.trainable);
    return trainable.map(([, i], t) => {
      const w = ws[i];
      const g = new Float64Array(w.length).fill(NaN);
      for (const k of pick(t, w.length)) {
        const w0 = w[k];
        w[k] = w0 + h;
        const up = this.loss(loss, ws, x, y, rows);
        w[k] = w0 - h;
        const down = this.loss(loss, ws, x, y, rows);
        w[k] = w0;
        g[k] = (up - down) / (2 * h);
      }
      return g;
    });
  }

  /** Finite differences of the loss w.r.t. the input x (all of it). */
  inputFiniteDifferences(loss: string, weights: readonly Vec[], x: Vec, y: Vec, rows: number, h = 1e-6): Float64Array {
    const xs = Float64Array.from(x);
    const g = new Float64Array(xs.length);
    for (let k = 0; k < xs.length; k++) {
      const x0 = xs[k];
      xs[k] = x0 + h;
      const up = this.loss(loss, weights, xs, y, rows);
      xs[k] = x0 - h;
      const down = this.loss(loss, weights, xs, y, rows);
      xs[k] = x0;
      g[k] = (up - down) / (2 * h);
    }
    return g;
  }

  /**
   * Per trainable weight, the mean over rows of |each row's own gradient|: the size of the terms the
   * batch gradient averages (only meaningful when rows are independent, i.e. without batch norm).
   */
  rowGradientScale(loss: string, weights: readonly Vec[], x: Vec, y: Vec, rows: number): Float64Array[] {
    const xw = sizeOf(this.inShape);
    const yw = this.outputWidth;
    const scale = this.gradientShapes().map((s) => new Float64Array(sizeOf(s)));
    for (let r = 0; r < rows; r++) {
      const xr = Array.prototype.slice.call(x, r * xw, (r + 1) * xw) as number[];
      const yr = Array.prototype.slice.call(y, r * yw, (r + 1) * yw) as number[];
      this.gradients(loss, weights, xr, yr, 1).forEach((g, t) => g.forEach((v, i) => (scale[t][i] += Math.abs(v) / rows)));
    }
    return scale;
  }

  /**
   * The smallest distance, over every layer of a training-mode pass, from a kink: a pre-activation from
   * relu's 0, a max's winner from its runner-up. Finite differences and an f32 model only agree with
   * the analytic float64 gradient when this is well above the perturbations. `exactOk` leaves out values
   * exactly at a kink (no finite differences then: they straddle it).
   */
  kinkMargin(weights: readonly Vec[], x: Vec, rows: number, training = true, exactOk = false): number {
    const f = this.forward(weights, x, rows, training);
    let m = Infinity;
    this.layers.forEach((l, i) => {
      if (l.margin) m = Math.min(m, l.margin(f.inputs[i], f.passes[i], rows, exactOk));
    });
    return m;
  }

  /**
   * The non-trainable weights (getWeights() order) after one applied training step on (x): each batch
   * norm's moving statistics moved by momentum toward the batch's mean and biased variance,
   * moving·momentum + batch·(1 − momentum).
   */
  movedStatistics(weights: readonly Vec[], x: Vec, rows: number): Float64Array[] {
    const f = this.forward(weights, x, rows, true);
    const w = this.perLayer(weights);
    const moved = w.map((ws) => ws.map((a) => Float64Array.from(a)));
    this.layers.forEach((l, i) => {
      if (!(l instanceof BatchNormRef)) return;
      const { mean, variance } = f.passes[i].cache as { mean: Float64Array; variance: Float64Array };
      const n = l.weights.length;
      const [mm, mv] = [moved[i][n - 2], moved[i][n - 1]];
      for (let j = 0; j < mm.length; j++) {
        mm[j] = mm[j] * l.momentum + mean[j] * (1 - l.momentum);
        mv[j] = mv[j] * l.momentum + variance[j] * (1 - l.momentum);
      }
    });
    return this.order.filter((o) => !o.shape.trainable).map((o) => moved[o.layer][o.index]);
  }
}
