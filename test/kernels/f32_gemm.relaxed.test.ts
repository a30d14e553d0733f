// The relaxed-SIMD build's GEMM (build/deltaflow.relaxed.wasm, each multiply-add an f32x4.relaxed_madd),
// run with relaxed SIMD enabled (vitest.config.ts): every layout, tile and k block against the float64
// reference within the bound of one rounding per step, and bit for bit one of the two results the relaxed
// SIMD spec allows (fused, or rounded twice as in the default build) — on x86 with FMA, the fused one.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready, getRuntime, wasmSimd, type Runtime } from '../../src/wasm/load.js';
import { get, put } from '../helpers/kernels.js';
import { rng, uniform } from '../helpers/random.js';
import { fmaF32, gemmAbsRef, gemmF32Fused, gemmF32Sequential, gemmRef, type GemmArgs, type Layout } from '../ref/gemm.js';
import { ACT_LINEAR, ACT_RELU } from '../../src/shared/ids.js';
import { GEMM_SCRATCH_FLOATS } from '../../src/shared/plan.js';

const U = 2 ** -24; // f32 unit roundoff
const GUARD = 8;
const SENTINEL = -7777.25;
const LAYOUTS: Layout[] = ['nn', 'tn', 'nt'];
const DIMS = [1, 3, 4, 5, 8, 9, 17, 33];

let rt: Runtime;
/** Whether relaxed_madd fuses on this machine (else it rounds twice, like the default build). */
let fused: boolean;
/** The packing scratch of every call. */
let scratch = 0;

beforeAll(async () => {
  await ready({ relaxedSimd: true });
  rt = getRuntime();
  scratch = put(rt, GEMM_SCRATCH_FLOATS);
  // a·b = 1 + 2⁻³⁶ and c = 2²⁴: the exact sum lies just above the midpoint 2²⁴ + 1, so an FMA gives
  // 2²⁴ + 2 and mul-then-add (a·b rounds to 1, the tie to even) gives 2²⁴.
  const c = gemm({ layout: 'nn', m: 1, n: 1, k: 1, a: [1 + 2 ** -12], lda: 1, b: [1 - 2 ** -12 + 2 ** -24], ldb: 1, bias: [2 ** 24], act: ACT_LINEAR });
  fused = c[0] === 2 ** 24 + 2;
  if (!fused) expect(c[0]).toBe(2 ** 24);
});

interface Case {
  layout: Layout;
  m: number;
  n: number;
  k: number;
  bias?: boolean;
  act?: number;
  pad?: number;
}

function inputs(c: Case): GemmArgs {
  const next = rng(c.m * 7919 + c.n * 104729 + c.k * 31 + c.layout.charCodeAt(1));
  const pad = c.pad ?? 0;
  const [aRows, aCols] = c.layout === 'tn' ? [c.k, c.m] : [c.m, c.k];
  const [bRows, bCols] = c.layout === 'nt' ? [c.n, c.k] : [c.k, c.n];
  const matrix = (rows: number, cols: number) => {
    const out = new Float32Array(Math.max(0, rows * (cols + pad))).fill(NaN); // padding must never be read
    for (let r = 0; r < rows; r++) out.set(uniform(next, cols), r * (cols + pad));
    return out;
  };
  return {
    layout: c.layout, m: c.m, n: c.n, k: c.k,
    a: matrix(aRows, aCols), lda: aCols + pad,
    b: matrix(bRows, bCols), ldb: bCols + pad,
    bias: c.bias ? uniform(next, c.n) : null,
    act: c.act ?? ACT_LINEAR,
  };
}

/** The kernel's C (dense m×n); checks it wrote nothing outside C. */
function gemm(g: GemmArgs): Float32Array {
  const { layout, m, n, k, lda, ldb } = g;
  const a = put(rt, Float32Array.from(g.a));
  const b = put(rt, Float32Array.from(g.b));
  const bias = g.bias ? put(rt, Float32Array.from(g.bias)) : 0;
  const cBuf = put(rt, new Float32Array(m * n + 2 * GUARD).fill(SENTINEL));
  const c = cBuf + GUARD * 4;
  const K = rt.kernels;
  if (layout === 'nn') K.f32_gemm_nn(m, n, k, a, lda, b, ldb, c, n, bias, g.act ?? ACT_LINEAR, 0, scratch);
  else if (layout === 'tn') K.f32_gemm_tn(m, n, k, a, lda, b, ldb, c, n, scratch);
  else K.f32_gemm_nt(m, n, k, a, lda, b, ldb, c, n, scratch);
  const all = get(rt, cBuf, m * n + 2 * GUARD);
  for (let i = 0; i < GUARD; i++) {
    if (all[i] !== SENTINEL || all[GUARD + m * n + i] !== SENTINEL) throw new Error(`${layout} ${m}x${n}x${k}: wrote outside C`);
  }
  return all.subarray(GUARD, GUARD + m * n);
}

const bits = (x: Float32Array) => new Uint32Array(Float32Array.from(x).buffer);

/**
 * Within (k+1)·u·(|bias| + Σ|a·b|) of the float64 product: k fused steps round k times (γ_k), one fewer
 * than the default build's bound allows for; and equal, bit for bit, to the emulation of this machine's mode.
 */
function check(c: Case): void {
  const g = inputs(c);
  const got = gemm(g);
  const want = gemmRef(g);
  const mag = gemmAbsRef(g);
  for (let i = 0; i < want.length; i++) {
    const tol = (g.k + 1) * U * mag[i];
    if (!(Math.abs(got[i] - want[i]) <= tol)) throw new Error(`${c.layout} ${c.m}x${c.n}x${c.k}: C[${i}] = ${got[i]}, want ${want[i]} ± ${tol}`);
  }
  const exact = fused ? gemmF32Fused(g) : gemmF32Sequential(g);
  expect(bits(got)).toEqual(bits(exact));
}

describe('the relaxed build', () => {
  it('is what ready({ relaxedSimd: true }) loaded', () => {
    expect(wasmSimd()).toBe('relaxed-simd');
    expect(typeof rt.kernels.simd_relaxed).toBe('function');
  });

  // Linux on x86-64: V8 lowers relaxed_madd to vfmadd wherever the CPU has FMA3.
  const cpuFma = (() => {
    try {
      return process.arch === 'x64' && / fma( |$)/m.test(readFileSync('/proc/cpuinfo', 'utf8'));
    } catch {
      return false;
    }
  })();
  it.runIf(cpuFma)('fuses on this CPU, which has FMA', () => expect(fused).toBe(true));

  it('the fused emulation is an exact FMA (double-rounding cases included)', () => {
    expect(fmaF32(1 + 2 ** -12, 1 - 2 ** -12 + 2 ** -24, 2 ** 24)).toBe(2 ** 24 + 2);
    expect(fmaF32(-(1 + 2 ** -12), 1 - 2 ** -12 + 2 ** -24, -(2 ** 24))).toBe(-(2 ** 24 + 2));
    expect(fmaF32(1 + 2 ** -12, 1 - 2 ** -12 + 2 ** -24, -(2 ** 24))).toBe(-(2 ** 24) + 1);
    expect(fmaF32(0.5, 0.25, 1)).toBe(1.125);
  });
});

describe.each(LAYOUTS)('relaxed f32_gemm_%s', (layout) => {
  const cases: Case[] = [];
  DIMS.forEach((d, t) => {
    const o1 = DIMS[(t * 3 + 1) % DIMS.length];
    const o2 = DIMS[(t * 5 + 4) % DIMS.length];
    cases.push({ layout, m: d, n: o1, k: o2 }, { layout, m: o2, n: d, k: o1 }, { layout, m: o1, n: o2, k: d });
  });
  it.each(cases.map((c) => [`m=${c.m} n=${c.n} k=${c.k}`, c] as const))('edge sizes: %s', (_, c) => check(c));

  it('k blocks, strides, one-row tiles', () => {
    check({ layout, m: 9, n: 13, k: 300, pad: 3, bias: layout === 'nn', act: layout === 'nn' ? ACT_RELU : ACT_LINEAR });
    check({ layout, m: 5, n: 21, k: 771, pad: 1 });
    check({ layout, m: 1, n: 70, k: 129 }); // the 1×32 tile (nn, tn) and the tails
  });

  it('cache blocks: packed B (and tn\'s packed A), column blocks, equal k blocks', () => {
    const m = layout === 'tn' ? 141 : 21; // tn packs from 128 rows
    check({ layout, m, n: 270, k: 300, pad: 3, bias: layout === 'nn', act: layout === 'nn' ? ACT_RELU : ACT_LINEAR });
    check({ layout, m: m + 13, n: 17, k: 513 });
  });

  it('784-128-10 MLP shapes at batch 128', () => {
    const shapes: Record<Layout, [number, number, number][]> = {
      nn: [[128, 128, 784], [128, 10, 128]],
      tn: [[784, 128, 128], [128, 10, 128]],
      nt: [[128, 784, 128], [128, 128, 10]],
    };
    for (const [m, n, k] of shapes[layout]) check({ layout, m, n, k, bias: layout === 'nn' });
  });

  it('a row split (4 + 4 + 1) gives the same bits as the whole, on this machine', () => {
    const g = inputs({ layout, m: 9, n: 13, k: 200 });
    const whole = gemm(g);
    for (const [i0, rows] of [[0, 4], [4, 4], [8, 1]]) {
      const sub = { ...g, m: rows, a: (g.a as Float32Array).subarray(layout === 'tn' ? i0 : i0 * g.lda) };
      expect(bits(gemm(sub))).toEqual(bits(whole.subarray(i0 * g.n, (i0 + rows) * g.n)));
    }
  });
});

describe('relaxed vs default build', () => {
  it('differ by at most the two builds’ error bounds, and (where fused) do differ', () => {
    const g = inputs({ layout: 'nn', m: 32, n: 32, k: 784, bias: true });
    const relaxed = gemm(g);
    const standard = gemmF32Sequential(g);
    const mag = gemmAbsRef(g);
    let differ = 0;
    for (let i = 0; i < relaxed.length; i++) {
      expect(Math.abs(relaxed[i] - standard[i])).toBeLessThanOrEqual((2 * g.k + 3) * U * mag[i]);
      if (relaxed[i] !== standard[i]) differ++;
    }
    if (fused) expect(differ).toBeGreaterThan(0);
    else expect(differ).toBe(0);
  });
});
