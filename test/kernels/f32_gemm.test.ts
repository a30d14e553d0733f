// Kernel tests for assembly/kernels/f32_gemm.ts: f32_gemm_nn/tn/nt and f32_colsum against the float64
// reference (test/ref/gemm.ts), bit-exactness against the f32 emulation of the kernels' fixed summation
// order, determinism under row/column slicing, strides, guards and buffers at the very end of memory,
// and shapes on either side of the cache blocks (k, column and row blocks, packed or read in place).
import { beforeAll, describe, expect, it } from 'vitest';
import { get, put, runtime } from '../helpers/kernels.js';
import { rng, uniform } from '../helpers/random.js';
import { colsumAbsRef, colsumRef, gemmAbsRef, gemmF32Sequential, gemmRef, type GemmArgs, type Layout } from '../ref/gemm.js';
import { ACT_LINEAR, ACT_RELU, ACT_SOFTMAX } from '../../src/shared/ids.js';
import { GEMM_SCRATCH_FLOATS } from '../../src/shared/plan.js';
import type { Runtime } from '../../src/wasm/load.js';

let rt: Runtime;
/** The packing scratch nn and tn get (GEMM_SCRATCH_FLOATS floats, then GUARD sentinels). */
let gemmScratch = 0;
beforeAll(async () => {
  rt = await runtime();
  gemmScratch = put(rt, new Float32Array(GEMM_SCRATCH_FLOATS + GUARD).fill(SENTINEL));
});

const U = 2 ** -24; // f32 unit roundoff
const GUARD = 16; // sentinel floats on each side of C and after the nt scratch
const SENTINEL = -7777.25; // C's guards and row padding must keep this value
const LAYOUTS: Layout[] = ['nn', 'tn', 'nt'];
const DIMS = [1, 3, 4, 5, 7, 8, 9, 16, 17, 33]; // below, at and above the 4×8 tile in each dimension

interface Case {
  layout: Layout;
  m: number;
  n: number;
  k: number;
  lda?: number;
  ldb?: number;
  ldc?: number;
  bias?: boolean;
  act?: number;
  seed?: number;
}

interface Inputs extends GemmArgs {
  ldc: number;
}

/** Random operands in the layout's storage; padding past the logical columns is NaN, so a read leaks. */
function inputs(c: Case): Inputs {
  const next = rng(c.seed ?? c.m * 1_000_003 + c.n * 1009 + c.k * 7 + c.layout.charCodeAt(1));
  const [aRows, aCols] = c.layout === 'tn' ? [c.k, c.m] : [c.m, c.k];
  const [bRows, bCols] = c.layout === 'nt' ? [c.n, c.k] : [c.k, c.n];
  const lda = c.lda ?? aCols;
  const ldb = c.ldb ?? bCols;
  return {
    layout: c.layout,
    m: c.m,
    n: c.n,
    k: c.k,
    a: strided(next, aRows, aCols, lda),
    lda,
    b: strided(next, bRows, bCols, ldb),
    ldb,
    bias: c.bias ? uniform(next, c.n) : null,
    act: c.act ?? ACT_LINEAR,
    ldc: c.ldc ?? c.n,
  };
}

function strided(next: () => number, rows: number, cols: number, ld: number): Float32Array {
  const out = new Float32Array(Math.max(0, (rows - 1) * ld + cols)).fill(NaN);
  for (let r = 0; r < rows; r++) out.set(uniform(next, cols), r * ld);
  return out;
}

/** Where each operand goes: normally `put`, or flush against the end of WASM memory. */
type AtEnd = 'a' | 'b' | 'c' | 'bias' | undefined;

/** Reserves the rest of memory (growing it if needed) and returns the offset of the last `floats` floats. */
function atMemoryEnd(floats: number): number {
  for (;;) {
    const probe = rt.heap.alloc(64);
    const rest = rt.heap.memoryBytes - (probe + 64);
    if (rest >= floats * 4 + 64) {
      const block = rt.heap.alloc(rest);
      expect(block + rest).toBe(rt.heap.memoryBytes);
      return rt.heap.memoryBytes - floats * 4;
    }
    rt.heap.alloc(floats * 4 + 65536); // forces growth, then probe again
  }
}

function place(data: Float32Array, end: boolean): number {
  if (!end) return put(rt, data);
  const ptr = atMemoryEnd(data.length);
  rt.heap.f32(ptr, data.length).set(data);
  return ptr;
}

/**
 * Runs the kernel for `g`; checks guards, C's padding and the inputs are untouched; returns dense C.
 * nn and tn get the shared packing scratch unless `inPlace` (scratch 0: operands read in place); nt its own.
 */
function run(g: Inputs, atEnd?: AtEnd, inPlace = false): Float32Array {
  const { layout, m, n, k, lda, ldb, ldc } = g;
  const cLen = Math.max(0, (m - 1) * ldc + n);
  const cBuf = new Float32Array(GUARD + cLen + (atEnd === 'c' ? 0 : GUARD)).fill(SENTINEL);
  // nt always packs: a scratch of its own, GEMM_SCRATCH_FLOATS and guards after, which it must not pass.
  const scratchLen = GEMM_SCRATCH_FLOATS;
  const scratch = layout === 'nt' ? put(rt, new Float32Array(scratchLen + GUARD).fill(SENTINEL)) : inPlace ? 0 : gemmScratch;
  // The buffer that goes flush against the end of memory is placed last: later allocations could grow memory.
  const buffers = { a: g.a as Float32Array, b: g.b as Float32Array, c: cBuf, bias: g.bias as Float32Array | null };
  const order = (['a', 'b', 'c', 'bias'] as const).filter((x) => x !== atEnd).concat(atEnd ? [atEnd] : []);
  const ptr = { a: 0, b: 0, c: 0, bias: 0 };
  for (const x of order) {
    const data = buffers[x];
    if (data) ptr[x] = place(data, x === atEnd);
  }
  const { a, b, bias } = ptr;
  const cBase = ptr.c;
  const c = cBase + GUARD * 4;
  if (atEnd) expect(ptr[atEnd] + buffers[atEnd]!.length * 4).toBe(rt.heap.memoryBytes);

  const K = rt.kernels;
  if (layout === 'nn') K.f32_gemm_nn(m, n, k, a, lda, b, ldb, c, ldc, bias, g.act ?? ACT_LINEAR, 0, scratch);
  else if (layout === 'tn') K.f32_gemm_tn(m, n, k, a, lda, b, ldb, c, ldc, scratch);
  else K.f32_gemm_nt(m, n, k, a, lda, b, ldb, c, ldc, scratch);

  const after = get(rt, cBase, cBuf.length);
  const dense = new Float32Array(m * n);
  for (let idx = 0; idx < after.length; idx++) {
    const off = idx - GUARD;
    const inC = off >= 0 && off < cLen && off % ldc < n;
    if (inC) dense[Math.floor(off / ldc) * n + (off % ldc)] = after[idx];
    else if (after[idx] !== SENTINEL) throw new Error(`C guard/padding overwritten at float ${off} (${layout} ${m}x${n}x${k})`);
  }
  if (scratch) expect(Array.from(get(rt, scratch + scratchLen * 4, GUARD))).toEqual(new Array(GUARD).fill(SENTINEL));
  expectSame(get(rt, a, g.a.length), g.a, 'A changed');
  expectSame(get(rt, b, g.b.length), g.b, 'B changed');
  return dense;
}

/** Bitwise equality (NaN padding included). */
function expectSame(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  const x = new Uint32Array(Float32Array.from(got).buffer);
  const y = new Uint32Array(Float32Array.from(want).buffer);
  for (let i = 0; i < y.length; i++) if (x[i] !== y[i]) throw new Error(`${what}: index ${i}: ${got[i]} vs ${want[i]}`);
}

/**
 * C against the float64 reference. Bound: the kernel sums bias + k rounded products in f32, so
 * (Higham, recursive summation) |C − C_exact| ≤ γ_{k+1}·(|bias| + Σ_p|A[i,p]B[p,j]|) with γ_j ≈ j·u;
 * (k+2)·u is that worst case with margin, sound for every k (a fixed 1e-5 is not, beyond k ≈ 160) and
 * still far below one dropped or doubled term. ReLU is 1-Lipschitz, so the same bound holds after it.
 */
function expectClose(g: Inputs, got: Float32Array): void {
  const want = gemmRef(g);
  const mag = gemmAbsRef(g);
  for (let idx = 0; idx < want.length; idx++) {
    const tol = (g.k + 2) * U * mag[idx];
    if (!(Math.abs(got[idx] - want[idx]) <= tol)) {
      const i = Math.floor(idx / g.n);
      throw new Error(`${g.layout} ${g.m}x${g.n}x${g.k}: C[${i},${idx % g.n}] = ${got[idx]}, want ${want[idx]} ± ${tol}`);
    }
  }
}

/** C equals the f32 emulation of the kernels' summation order exactly (bits, or values after relu). */
function expectExact(g: Inputs, got: Float32Array): void {
  const want = gemmF32Sequential(g);
  if ((g.act ?? ACT_LINEAR) === ACT_LINEAR) expectSame(got, want, `${g.layout} ${g.m}x${g.n}x${g.k} not bit-exact`);
  else for (let i = 0; i < want.length; i++) expect(got[i]).toBe(want[i]);
}

function check(c: Case, atEnd?: AtEnd, inPlace = false): void {
  const g = inputs(c);
  const got = run(g, atEnd, inPlace);
  expectClose(g, got);
  expectExact(g, got);
}

const name = (c: Case) =>
  `${c.layout} m=${c.m} n=${c.n} k=${c.k}` +
  (c.lda || c.ldb || c.ldc ? ` lda=${c.lda} ldb=${c.ldb} ldc=${c.ldc}` : '') +
  (c.bias ? ' +bias' : '') +
  (c.act === ACT_RELU ? ' relu' : '');

// Each dimension takes every edge class while the other two rotate through the classes too.
function edgeCases(layout: Layout): Case[] {
  const cases: Case[] = [];
  DIMS.forEach((d, t) => {
    const o1 = DIMS[(t * 3 + 1) % DIMS.length];
    const o2 = DIMS[(t * 7 + 4) % DIMS.length];
    cases.push({ layout, m: d, n: o1, k: o2 }, { layout, m: o2, n: d, k: o1 }, { layout, m: o1, n: o2, k: d });
  });
  return cases;
}

describe.each(LAYOUTS)('f32_gemm_%s', (layout) => {
  it.each(edgeCases(layout).map((c) => [name(c), c] as const))('edge sizes: %s', (_, c) => check(c));

  it('k = 0 writes zeros (and nothing outside C)', () => {
    for (const [m, n] of [[1, 1], [5, 13], [4, 8], [9, 3]]) check({ layout, m, n, k: 0 });
  });

  it('m = 0 or n = 0 writes nothing', () => {
    check({ layout, m: 0, n: 7, k: 5 });
    check({ layout, m: 6, n: 0, k: 5 });
  });

  it.each([
    [5, 7, 9, 2, 3, 1],
    [17, 13, 3, 5, 11, 7],
    [9, 33, 17, 1, 8, 4],
    [4, 8, 16, 4, 4, 4],
    [3, 1, 2, 9, 1, 2],
  ])('strided m=%i n=%i k=%i (+%i lda, +%i ldb, +%i ldc)', (m, n, k, da, db, dc) => {
    const lda = (layout === 'tn' ? m : k) + da;
    const ldb = (layout === 'nt' ? k : n) + db;
    check({ layout, m, n, k, lda, ldb, ldc: n + dc });
  });

  it('k = 1024', () => {
    check({ layout, m: 6, n: 11, k: 1024 });
    check({ layout, m: 4, n: 8, k: 1024 });
  });

  // Long k runs in k blocks (≤ 128 nn/nt, ≤ 64 tn) resuming from C: uneven splits, strides, tails, bias/act.
  it.each([
    [9, 13, 257],
    [5, 3, 300],
    [17, 21, 513],
    [3, 9, 771],
  ])('k blocks: m=%i n=%i k=%i, strided', (m, n, k) => {
    const lda = (layout === 'tn' ? m : k) + 3;
    const ldb = (layout === 'nt' ? k : n) + 5;
    check({ layout, m, n, k, lda, ldb, ldc: n + 2, bias: layout === 'nn', act: layout === 'nn' ? ACT_RELU : ACT_LINEAR });
  });

  it.each(['a', 'b', 'c', 'bias'] as const)('buffer %s flush against the end of memory', (which) => {
    for (const [m, n, k] of [[5, 7, 3], [1, 1, 1], [6, 13, 9], [4, 10, 4]]) {
      check({ layout, m, n, k, bias: layout === 'nn' }, which === 'bias' && layout !== 'nn' ? 'c' : which);
    }
  });
});

describe('f32_gemm_nn bias and activation epilogue', () => {
  const shapes = [[5, 7, 9], [8, 8, 8], [9, 13, 17], [33, 3, 5], [1, 17, 1]];
  for (const bias of [false, true]) {
    for (const act of [ACT_LINEAR, ACT_RELU]) {
      it.each(shapes)(`${bias ? 'bias' : 'no bias'}, ${act === ACT_RELU ? 'relu' : 'linear'}: m=%i n=%i k=%i`, (m, n, k) => {
        check({ layout: 'nn', m, n, k, bias, act });
        check({ layout: 'nn', m, n, k, bias, act, lda: k + 3, ldb: n + 2, ldc: n + 5 }); // relu per row
      });
    }
  }

  it('k = 0 gives act(bias)', () => {
    check({ layout: 'nn', m: 5, n: 13, k: 0, bias: true, act: ACT_LINEAR });
    check({ layout: 'nn', m: 5, n: 13, k: 0, bias: true, act: ACT_RELU });
    check({ layout: 'nn', m: 6, n: 9, k: 0, bias: true, act: ACT_RELU, ldc: 12 });
  });

  it('relu actually clips (some outputs were negative before it)', () => {
    const g = inputs({ layout: 'nn', m: 9, n: 13, k: 17, bias: true, act: ACT_RELU });
    const pre = gemmRef({ ...g, act: ACT_LINEAR });
    expect(pre.some((v) => v < 0)).toBe(true);
    const got = run(g);
    expect(got.every((v) => v >= 0)).toBe(true);
    expectClose(g, got);
  });
});

describe('784-128-10 MLP shapes at batch 128', () => {
  it.each([
    { layout: 'nn', m: 128, n: 128, k: 784, bias: true, act: ACT_RELU },
    { layout: 'tn', m: 784, n: 128, k: 128 },
    { layout: 'nt', m: 128, n: 784, k: 128 },
    { layout: 'nn', m: 128, n: 10, k: 128, bias: true },
    { layout: 'tn', m: 128, n: 10, k: 128 },
    { layout: 'nt', m: 128, n: 128, k: 10 },
  ] as Case[])('$layout m=$m n=$n k=$k', (c) => check(c));
});

// The drivers' cache blocks (assembly/kernels/f32_gemm.ts), when B is packed (with scratch, nn from
// PACK_B_MIN_M = 16 rows of C and tn from PACK_TN_MIN_M = 128; nt always): equal k blocks and column blocks with
// kc·nc ≤ 256², kc ≤ 256 and nc ≤ 256 unless n ≤ 128 (then kc ≤ 512) or k < 256 (wider columns);
// tn packs A MC_TN = 16 columns at a time from PACK_A_MIN_N = 16 columns of C. Read in place, k blocks
// of ≤ 128 (nn) and ≤ 64 (tn). Every shape below is just under, at or just over one of those.
describe('cache blocks', () => {
  const strides = (layout: Layout, m: number, n: number, k: number) => ({
    lda: (layout === 'tn' ? m : k) + 3,
    ldb: (layout === 'nt' ? k : n) + 5,
    ldc: n + 2,
  });

  describe.each(LAYOUTS)('%s', (layout) => {
    const epilogue = { bias: layout === 'nn', act: layout === 'nn' ? ACT_RELU : ACT_LINEAR };
    // tn packs from 128 rows: its shapes get 120 more (same tails mod 4 and mod 16), so they pack too.
    const M = (m: number) => (layout === 'tn' ? m + 120 : m);

    it.each([255, 256, 257, 511, 512, 513])('k = %i (k blocks)', (k) => {
      check({ layout, m: M(17), n: 13, k, ...epilogue });
      check({ layout, m: M(20), n: 9, k, ...strides(layout, M(20), 9, k), ...epilogue });
    });

    it.each([255, 256, 257, 263, 515])('n = %i (column blocks)', (n) => {
      check({ layout, m: M(20), n, k: 37, ...epilogue });
      check({ layout, m: M(18), n, k: 300, ...strides(layout, M(18), n, 300), ...epilogue });
    });

    it.each([15, 16, 17, 31, 33, 49, 127, 128, 129, 145])('m = %i (packing thresholds, tn row blocks)', (m) => {
      check({ layout, m, n: 21, k: 40, ...epilogue });
      check({ layout, m, n: 15, k: 260, ...strides(layout, m, 15, 260), ...epilogue });
      check({ layout, m, n: 16, k: 9, ...epilogue });
    });

    it('every block boundary at once, strided', () => {
      check({ layout, m: M(35), n: 300, k: 520, ...strides(layout, M(35), 300, 520), ...epilogue });
      check({ layout, m: M(64), n: 264, k: 257, ...epilogue });
      check({ layout, m: M(17), n: 200, k: 330, ...epilogue }); // kc ≤ 65536 / 200
    });

    it('a short k widens the column blocks', () => {
      check({ layout, m: M(17), n: 3500, k: 20, ...epilogue }); // 2 column blocks of 1752
      check({ layout, m: M(16), n: 1030, k: 64, ...strides(layout, M(16), 1030, 64), ...epilogue }); // 1 of 1030
    });

    if (layout !== 'nt') {
      it('without scratch (operands read in place) at the same shapes', () => {
        check({ layout, m: M(35), n: 300, k: 520, ...strides(layout, M(35), 300, 520), ...epilogue }, undefined, true);
        check({ layout, m: M(17), n: 257, k: 256, ...epilogue }, undefined, true);
      });
    }
  });

  // Convolution GEMMs through im2col: M = batch·positions, K = 9·channels, N = filters.
  it.each([
    { layout: 'nn', m: 2704, n: 32, k: 27, bias: true, act: ACT_RELU },
    { layout: 'nn', m: 2704, n: 64, k: 288, bias: true, act: ACT_RELU },
    { layout: 'tn', m: 288, n: 64, k: 2704 },
    { layout: 'tn', m: 27, n: 32, k: 2704 },
    { layout: 'nt', m: 2704, n: 288, k: 64 },
  ] as Case[])('tall conv-like $layout m=$m n=$n k=$k', (c) => check(c), 60_000);

  it('softmax over rows that span several column blocks equals linear, then softmax per row', () => {
    for (const [m, n, k, ldc] of [[20, 300, 30, 300], [17, 520, 9, 523], [33, 257, 260, 260]]) {
      const g = inputs({ layout: 'nn', m, n, k, bias: true, ldc });
      const linear = run(g);
      const x = put(rt, linear);
      const y = put(rt, m * n);
      rt.kernels.f32_vact(ACT_SOFTMAX, 0, m, n, x, y);
      expectSame(run({ ...g, act: ACT_SOFTMAX }), get(rt, y, m * n), `softmax ${m}x${n}x${k}`);
    }
  });
});

// Row and column splits (as threads will make) must reproduce the full result bit for bit.
describe('determinism under slicing', () => {
  /** C for rows [i0, i0+rows) × columns [j0, j0+cols) of `g`, computed by offsetting the pointers. */
  function slice(g: Inputs, i0: number, rows: number, j0: number, cols: number): Float32Array {
    const aOff = g.layout === 'tn' ? i0 : i0 * g.lda; // tn: A is k×m, rows of C are A's columns
    const bOff = g.layout === 'nt' ? j0 * g.ldb : j0; // nt: B is n×k, columns of C are B's rows
    const sub: Inputs = {
      ...g,
      m: rows,
      n: cols,
      a: (g.a as Float32Array).subarray(aOff),
      b: (g.b as Float32Array).subarray(bOff),
      bias: g.bias ? (g.bias as Float32Array).subarray(j0, j0 + cols) : null,
    };
    return run(sub);
  }

  function assemble(g: Inputs, rowParts: number[], colParts: number[]): Float32Array {
    const out = new Float32Array(g.m * g.n);
    let i0 = 0;
    for (const rows of rowParts) {
      let j0 = 0;
      for (const cols of colParts) {
        const part = slice(g, i0, rows, j0, cols);
        for (let i = 0; i < rows; i++) out.set(part.subarray(i * cols, (i + 1) * cols), (i0 + i) * g.n + j0);
        j0 += cols;
      }
      i0 += rows;
    }
    return out;
  }

  for (const [layout, k] of LAYOUTS.flatMap((l) => [[l, 37], [l, 600]] as const)) {
    const g = inputs({ layout, m: 9, n: 13, k, bias: layout === 'nn', act: ACT_LINEAR });
    it(`${layout} k=${k}: rows of m=9 equal m=4+4+1 and m=1 slices`, () => {
      const full = run(g);
      expectSame(assemble(g, [4, 4, 1], [13]), full, 'm=4+4+1');
      expectSame(assemble(g, [1, 1, 1, 1, 1, 1, 1, 1, 1], [13]), full, 'm=1');
      expectSame(assemble(g, [3, 6], [13]), full, 'm=3+6');
    });
    it(`${layout} k=${k}: columns of n=13 equal n=8+4+1, n=1 and n=3+10 slices`, () => {
      const full = run(g);
      expectSame(assemble(g, [9], [8, 4, 1]), full, 'n=8+4+1');
      expectSame(assemble(g, [9], new Array(13).fill(1)), full, 'n=1');
      expectSame(assemble(g, [9], [3, 10]), full, 'n=3+10');
      expectSame(assemble(g, [2, 7], [5, 2, 6]), full, 'both');
    });
  }

  it('nn, tn and nt give the same bits for the same product', () => {
    const m = 9, n = 13, k = 37;
    const g = inputs({ layout: 'nn', m, n, k });
    const at = new Float32Array(k * m); // Aᵀ stored k×m
    const bt = new Float32Array(n * k); // Bᵀ stored n×k
    for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) at[p * m + i] = g.a[i * k + p];
    for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) bt[j * k + p] = g.b[p * n + j];
    const nn = run(g);
    expectSame(run({ ...g, layout: 'tn', a: at, lda: m }), nn, 'tn vs nn');
    expectSame(run({ ...g, layout: 'nt', b: bt, ldb: k }), nn, 'nt vs nn');
  });
});

describe('f32_colsum', () => {
  const SIZES = [1, 3, 4, 5, 17, 1024];

  function colsumCase(rows: number, cols: number, lda = cols, atEnd = false): void {
    const next = rng(rows * 4099 + cols * 13 + lda);
    const a = strided(next, rows, cols, lda);
    const outBuf = put(rt, new Float32Array(cols + 2 * GUARD).fill(SENTINEL));
    const aPtr = place(a, atEnd); // last: allocating after it could grow memory past it
    if (atEnd) expect(aPtr + a.length * 4).toBe(rt.heap.memoryBytes);
    const out = outBuf + GUARD * 4;
    rt.kernels.f32_colsum(rows, cols, aPtr, lda, out);
    const all = get(rt, outBuf, cols + 2 * GUARD);
    for (let i = 0; i < GUARD; i++) {
      expect(all[i]).toBe(SENTINEL);
      expect(all[GUARD + cols + i]).toBe(SENTINEL);
    }
    const got = all.subarray(GUARD, GUARD + cols);
    const want = colsumRef(rows, cols, a, lda);
    const mag = colsumAbsRef(rows, cols, a, lda);
    // rows − 1 rounded additions: same recursive-summation bound as the GEMM, γ_rows·Σ|A|.
    for (let j = 0; j < cols; j++) expect(Math.abs(got[j] - want[j])).toBeLessThanOrEqual((rows + 1) * U * mag[j]);
    // Bit-exact against the sequential f32 sum from 0 over i = 0..rows−1, in every lane and the tail.
    const exact = new Float32Array(cols);
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let i = 0; i < rows; i++) s = Math.fround(s + a[i * lda + j]);
      exact[j] = s;
    }
    expectSame(got, exact, `colsum ${rows}x${cols}`);
  }

  for (const rows of SIZES) {
    it(`rows=${rows}, cols in {${SIZES.join(',')}}`, () => {
      for (const cols of SIZES) colsumCase(rows, cols);
    });
  }

  it('strided (NaN padding must not leak)', () => {
    colsumCase(5, 17, 21);
    colsumCase(17, 3, 4);
    colsumCase(4, 33, 40);
  });

  it('rows = 0 writes zeros; cols = 0 writes nothing', () => {
    colsumCase(0, 5);
    colsumCase(3, 0);
  });

  it('matrix flush against the end of memory', () => {
    for (const [rows, cols] of [[3, 7], [5, 17], [1, 1], [2, 22]]) colsumCase(rows, cols, cols, true);
  });
});
