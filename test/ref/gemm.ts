// Reference GEMMs for the kernel tests: plain loops in float64 over strided row-major f32 inputs,
// returning dense m×n (stride n) results. Layouts and arguments mirror the WASM exports.

import { ACT_LINEAR, ACT_RELU } from '../../src/shared/ids.js';

export type Layout = 'nn' | 'tn' | 'nt';

export interface GemmArgs {
  layout: Layout;
  m: number;
  n: number;
  k: number;
  /** nn/nt: m×k with stride lda; tn: k×m with stride lda. */
  a: ArrayLike<number>;
  lda: number;
  /** nn/tn: k×n with stride ldb; nt: n×k with stride ldb. */
  b: ArrayLike<number>;
  ldb: number;
  /** n floats or null (nn only). */
  bias?: ArrayLike<number> | null;
  /** ACT_LINEAR or ACT_RELU (nn only). */
  act?: number;
}

/** A[i,p] in the layout's storage. */
export function aAt(g: GemmArgs, i: number, p: number): number {
  return g.layout === 'tn' ? g.a[p * g.lda + i] : g.a[i * g.lda + p];
}

/** B[p,j] in the layout's storage. */
export function bAt(g: GemmArgs, p: number, j: number): number {
  return g.layout === 'nt' ? g.b[j * g.ldb + p] : g.b[p * g.ldb + j];
}

/** C = act(A·B + bias) in float64. */
export function gemmRef(g: GemmArgs): Float64Array {
  const { m, n, k } = g;
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = g.bias ? g.bias[j] : 0;
      for (let p = 0; p < k; p++) s += aAt(g, i, p) * bAt(g, p, j);
      c[i * n + j] = activate(g.act ?? ACT_LINEAR, s);
    }
  }
  return c;
}

/** |bias[j]| + Σ_p |A[i,p]|·|B[p,j]|: the magnitude the rounding error of C[i,j] scales with. */
export function gemmAbsRef(g: GemmArgs): Float64Array {
  const { m, n, k } = g;
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = g.bias ? Math.abs(g.bias[j]) : 0;
      for (let p = 0; p < k; p++) s += Math.abs(aAt(g, i, p) * bAt(g, p, j));
      c[i * n + j] = s;
    }
  }
  return c;
}

/**
 * The kernels' exact f32 arithmetic, emulated: acc = bias (or 0), then acc = f32(acc + f32(a·b)) for
 * p = 0..k−1. Exact because a product of two f32 is exact in f64 and rounding an f64 sum/product of
 * f32 operands to f32 equals the correctly rounded f32 operation. The kernels must match it bit for bit.
 */
export function gemmF32Sequential(g: GemmArgs): Float32Array {
  const { m, n, k } = g;
  const f = Math.fround;
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = g.bias ? f(g.bias[j]) : 0;
      for (let p = 0; p < k; p++) acc = f(acc + f(aAt(g, i, p) * bAt(g, p, j)));
      c[i * n + j] = activate(g.act ?? ACT_LINEAR, acc);
    }
  }
  return c;
}

/**
 * The relaxed build's arithmetic where the CPU fuses (f32x4.relaxed_madd as an FMA): acc = bias (or 0),
 * then acc = fma(a, b, acc), one rounding per step, for p = 0..k−1.
 */
export function gemmF32Fused(g: GemmArgs): Float32Array {
  const { m, n, k } = g;
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = g.bias ? Math.fround(g.bias[j]) : 0;
      for (let p = 0; p < k; p++) acc = fmaF32(aAt(g, i, p), bAt(g, p, j), acc);
      c[i * n + j] = activate(g.act ?? ACT_LINEAR, acc);
    }
  }
  return c;
}

const one = new Float32Array(1);
const oneBits = new Uint32Array(one.buffer);

/**
 * a·b + c for f32 a, b, c, rounded once to f32 (an FMA instruction's result). a·b is exact in f64; s = a·b + c
 * is rounded, but TwoSum gives its error e exactly. Rounding s to f32 is then right unless s sits exactly
 * halfway between two f32 values (f32 midpoints are f64 values, and |e| is below half an f64 ulp of s):
 * there the sign of e decides.
 */
export function fmaF32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const bv = s - p;
  const e = p - (s - bv) + (c - bv);
  const r = Math.fround(s);
  if (e === 0 || r === s || !Number.isFinite(s)) return r;
  const other = nextF32(r, s > r);
  if (s !== (r + other) / 2) return r;
  return e > 0 === other > r ? other : r;
}

/** The f32 next to f32 `x`, upwards or downwards. */
function nextF32(x: number, up: boolean): number {
  if (x === 0) return up ? 2 ** -149 : -(2 ** -149);
  one[0] = x;
  oneBits[0] += up === x > 0 ? 1 : -1;
  return one[0];
}

/** out[j] = Σ_i A[i,j] in float64. */
export function colsumRef(rows: number, cols: number, a: ArrayLike<number>, lda: number): Float64Array {
  const out = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j] += a[i * lda + j];
  return out;
}

/** Σ_i |A[i,j]|, the error scale of out[j]. */
export function colsumAbsRef(rows: number, cols: number, a: ArrayLike<number>, lda: number): Float64Array {
  const out = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j] += Math.abs(a[i * lda + j]);
  return out;
}

function activate(act: number, x: number): number {
  if (act === ACT_LINEAR) return x;
  if (act === ACT_RELU) return Math.max(0, x);
  throw new Error(`reference: activation ${act} not supported`);
}
