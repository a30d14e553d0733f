// GEMM kernels: C = act(A·B + bias), C = Aᵀ·B, C = A·Bᵀ, and column sums, in f32x4 SIMD.
//
// All three layouts run the same register-blocked microkernels over 4-row tiles of C. A microkernel
// gets four A row pointers plus the byte step that moves them to the next p (nn: 4, along A's rows;
// tn: lda·4, down A's columns) and a B panel plus its byte step per p (nn/tn: B itself, step ldb·4;
// nt: a packed copy of Bᵀ in `scratch`). Rows past m alias the last valid row (duplicate identical
// stores, no branch on m inside a tile). Columns: 8-wide tiles, one 4-wide tile, then a 1–3-wide
// tile using partial loads and stores, so nothing outside the matrices is ever read or written.
//
// Determinism: every C element is acc = bias (or 0), then acc = acc + a·b for p = 0..k−1 in order,
// mul and add rounded separately (never fused), in whichever lane, tile or k block it lands. So a
// value never depends on m, n, its tile, or how the rows are split across calls or threads.
// (The opt-in relaxed build fuses each step instead, see mulAdd: still independent of m, n, tile and
// split on one machine, but not bit-identical to this build or across CPUs.)

import { ACT_LINEAR } from "../../src/shared/ids";
import { f32_vact } from "./f32_vact";
import { ldvPart, stvPart } from "../core/ptr";

/** Rows of C per tile. */
const MR = 4;
/** Columns of C per full tile (two v128). 4×8 beat 5×8, 6×8 (register spills) and 2×16 here. */
const NR = 8;
/** Longest k block for nn and nt (see gemm_kblocks). */
const KC_NN = 128;
/** Longest k block for tn: its B block (kc × n floats) then stays in L1 across row tiles (n = 128: 32 KB). */
const KC_TN = 64;

// ---------------------------------------------------------------------------------------------
// Lane helpers.

/** acc + a·b, multiply and add rounded separately: bit-identical on every runtime (the default build). */
@inline function mulAdd(acc: v128, a: v128, b: v128): v128 {
  // The opt-in relaxed build fuses them: one rounding where the CPU has FMA, so results vary by CPU.
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

/** Four bias lanes at byte `offset` from `bias`, or zeros when there is no bias. */
@inline function loadBias(bias: usize, offset: usize): v128 {
  return bias ? v128.load(bias + offset) : f32x4.splat(0);
}

// ---------------------------------------------------------------------------------------------
// Microkernels. k: the p count of this k block; a0..a3: A row pointers, advanced by `sa` bytes per p;
// b: B panel, advanced by `sb` per p; c0..c3: C row pointers; bias: bias at the tile's first column
// (or 0); resume: start from the partial sums already in C (a later k block) instead of the bias.
// Stores go row 3 first, so when rows alias the valid row's store lands last (same value anyway).

/** 4×8 tile: 8 accumulators, 2 B vectors and 1 broadcast A value per row per p. */
function f32_gemm_4x8(
  k: i32, a0: usize, a1: usize, a2: usize, a3: usize, sa: usize, b: usize, sb: usize,
  c0: usize, c1: usize, c2: usize, c3: usize, bias: usize, resume: bool,
): void {
  let acc00 = loadBias(bias, 0), acc01 = loadBias(bias, 16);
  let acc10 = acc00, acc11 = acc01;
  let acc20 = acc00, acc21 = acc01;
  let acc30 = acc00, acc31 = acc01;
  if (resume) {
    acc00 = v128.load(c0); acc01 = v128.load(c0, 16);
    acc10 = v128.load(c1); acc11 = v128.load(c1, 16);
    acc20 = v128.load(c2); acc21 = v128.load(c2, 16);
    acc30 = v128.load(c3); acc31 = v128.load(c3, 16);
  }
  for (let p = 0; p < k; p++) {
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    b += sb;
    const va0 = v128.load32_splat(a0);
    a0 += sa;
    acc00 = mulAdd(acc00, va0, b0);
    acc01 = mulAdd(acc01, va0, b1);
    const va1 = v128.load32_splat(a1);
    a1 += sa;
    acc10 = mulAdd(acc10, va1, b0);
    acc11 = mulAdd(acc11, va1, b1);
    const va2 = v128.load32_splat(a2);
    a2 += sa;
    acc20 = mulAdd(acc20, va2, b0);
    acc21 = mulAdd(acc21, va2, b1);
    const va3 = v128.load32_splat(a3);
    a3 += sa;
    acc30 = mulAdd(acc30, va3, b0);
    acc31 = mulAdd(acc31, va3, b1);
  }
  v128.store(c3, acc30); v128.store(c3, acc31, 16);
  v128.store(c2, acc20); v128.store(c2, acc21, 16);
  v128.store(c1, acc10); v128.store(c1, acc11, 16);
  v128.store(c0, acc00); v128.store(c0, acc01, 16);
}

/**
 * 4×8 tile whose four A values per p are adjacent floats (tn: A[p, i..i+3]): one A pointer with
 * immediate offsets instead of four advancing pointers. Same operations in the same order as 4×8.
 */
function f32_gemm_tn_4x8(
  k: i32, a: usize, sa: usize, b: usize, sb: usize,
  c0: usize, c1: usize, c2: usize, c3: usize, bias: usize, resume: bool,
): void {
  let acc00 = loadBias(bias, 0), acc01 = loadBias(bias, 16);
  let acc10 = acc00, acc11 = acc01;
  let acc20 = acc00, acc21 = acc01;
  let acc30 = acc00, acc31 = acc01;
  if (resume) {
    acc00 = v128.load(c0); acc01 = v128.load(c0, 16);
    acc10 = v128.load(c1); acc11 = v128.load(c1, 16);
    acc20 = v128.load(c2); acc21 = v128.load(c2, 16);
    acc30 = v128.load(c3); acc31 = v128.load(c3, 16);
  }
  for (let p = 0; p < k; p++) {
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    b += sb;
    const va0 = v128.load32_splat(a);
    acc00 = mulAdd(acc00, va0, b0);
    acc01 = mulAdd(acc01, va0, b1);
    const va1 = v128.load32_splat(a, 4);
    acc10 = mulAdd(acc10, va1, b0);
    acc11 = mulAdd(acc11, va1, b1);
    const va2 = v128.load32_splat(a, 8);
    acc20 = mulAdd(acc20, va2, b0);
    acc21 = mulAdd(acc21, va2, b1);
    const va3 = v128.load32_splat(a, 12);
    a += sa;
    acc30 = mulAdd(acc30, va3, b0);
    acc31 = mulAdd(acc31, va3, b1);
  }
  v128.store(c3, acc30); v128.store(c3, acc31, 16);
  v128.store(c2, acc20); v128.store(c2, acc21, 16);
  v128.store(c1, acc10); v128.store(c1, acc11, 16);
  v128.store(c0, acc00); v128.store(c0, acc01, 16);
}

/** 4×4 tile: the column tail when 4..7 columns remain. */
function f32_gemm_4x4(
  k: i32, a0: usize, a1: usize, a2: usize, a3: usize, sa: usize, b: usize, sb: usize,
  c0: usize, c1: usize, c2: usize, c3: usize, bias: usize, resume: bool,
): void {
  let acc0 = loadBias(bias, 0);
  let acc1 = acc0, acc2 = acc0, acc3 = acc0;
  if (resume) {
    acc0 = v128.load(c0); acc1 = v128.load(c1); acc2 = v128.load(c2); acc3 = v128.load(c3);
  }
  for (let p = 0; p < k; p++) {
    const b0 = v128.load(b);
    b += sb;
    acc0 = mulAdd(acc0, v128.load32_splat(a0), b0);
    a0 += sa;
    acc1 = mulAdd(acc1, v128.load32_splat(a1), b0);
    a1 += sa;
    acc2 = mulAdd(acc2, v128.load32_splat(a2), b0);
    a2 += sa;
    acc3 = mulAdd(acc3, v128.load32_splat(a3), b0);
    a3 += sa;
  }
  v128.store(c3, acc3);
  v128.store(c2, acc2);
  v128.store(c1, acc1);
  v128.store(c0, acc0);
}

/**
 * 1×32 tile for a lone row (a batch of one, or m ≡ 1 mod 4): eight independent accumulators across
 * columns keep the adds pipelined, where an aliased 4-row tile would compute the row four times.
 * Same operations per element, in the same order, as the 4-row tiles.
 */
function f32_gemm_1x32(k: i32, a0: usize, sa: usize, b: usize, sb: usize, c0: usize, bias: usize, resume: bool): void {
  let acc0 = loadBias(bias, 0), acc1 = loadBias(bias, 16), acc2 = loadBias(bias, 32), acc3 = loadBias(bias, 48);
  let acc4 = loadBias(bias, 64), acc5 = loadBias(bias, 80), acc6 = loadBias(bias, 96), acc7 = loadBias(bias, 112);
  if (resume) {
    acc0 = v128.load(c0); acc1 = v128.load(c0, 16); acc2 = v128.load(c0, 32); acc3 = v128.load(c0, 48);
    acc4 = v128.load(c0, 64); acc5 = v128.load(c0, 80); acc6 = v128.load(c0, 96); acc7 = v128.load(c0, 112);
  }
  for (let p = 0; p < k; p++) {
    const va = v128.load32_splat(a0);
    a0 += sa;
    acc0 = mulAdd(acc0, va, v128.load(b));
    acc1 = mulAdd(acc1, va, v128.load(b, 16));
    acc2 = mulAdd(acc2, va, v128.load(b, 32));
    acc3 = mulAdd(acc3, va, v128.load(b, 48));
    acc4 = mulAdd(acc4, va, v128.load(b, 64));
    acc5 = mulAdd(acc5, va, v128.load(b, 80));
    acc6 = mulAdd(acc6, va, v128.load(b, 96));
    acc7 = mulAdd(acc7, va, v128.load(b, 112));
    b += sb;
  }
  v128.store(c0, acc0); v128.store(c0, acc1, 16); v128.store(c0, acc2, 32); v128.store(c0, acc3, 48);
  v128.store(c0, acc4, 64); v128.store(c0, acc5, 80); v128.store(c0, acc6, 96); v128.store(c0, acc7, 112);
}

/** 4×w tile for the last w = 1..3 columns; each caller passes a literal w, so its branches fold away. */
@inline function gemm_4xw(
  w: i32, k: i32, a0: usize, a1: usize, a2: usize, a3: usize, sa: usize, b: usize, sb: usize,
  c0: usize, c1: usize, c2: usize, c3: usize, bias: usize, resume: bool,
): void {
  let acc0 = bias ? ldvPart(bias, 0, w) : f32x4.splat(0);
  let acc1 = acc0, acc2 = acc0, acc3 = acc0;
  if (resume) {
    acc0 = ldvPart(c0, 0, w); acc1 = ldvPart(c1, 0, w); acc2 = ldvPart(c2, 0, w); acc3 = ldvPart(c3, 0, w);
  }
  for (let p = 0; p < k; p++) {
    const b0 = ldvPart(b, 0, w);
    b += sb;
    acc0 = mulAdd(acc0, v128.load32_splat(a0), b0);
    a0 += sa;
    acc1 = mulAdd(acc1, v128.load32_splat(a1), b0);
    a1 += sa;
    acc2 = mulAdd(acc2, v128.load32_splat(a2), b0);
    a2 += sa;
    acc3 = mulAdd(acc3, v128.load32_splat(a3), b0);
    a3 += sa;
  }
  stvPart(c3, 0, w, acc3);
  stvPart(c2, 0, w, acc2);
  stvPart(c1, 0, w, acc1);
  stvPart(c0, 0, w, acc0);
}

function f32_gemm_4x3(
  k: i32, a0: usize, a1: usize, a2: usize, a3: usize, sa: usize, b: usize, sb: usize,
  c0: usize, c1: usize, c2: usize, c3: usize, bias: usize, resume: bool,
): void {
  gemm_4xw(3, k, a0, a1, a2, a3, sa, b, sb, c0, c1, c2, c3, bias, resume);
}

function f32_gemm_4x2(
  k: i32, a0: usize, a1: usize, a2: usize, a3: usize, sa: usize, b: usize, sb: usize,
  c0: usize, c1: usize, c2: usize, c3: usize, bias: usize, resume: bool,
): void {
  gemm_4xw(2, k, a0, a1, a2, a3, sa, b, sb, c0, c1, c2, c3, bias, resume);
}

function f32_gemm_4x1(
  k: i32, a0: usize, a1: usize, a2: usize, a3: usize, sa: usize, b: usize, sb: usize,
  c0: usize, c1: usize, c2: usize, c3: usize, bias: usize, resume: bool,
): void {
  gemm_4xw(1, k, a0, a1, a2, a3, sa, b, sb, c0, c1, c2, c3, bias, resume);
}

// ---------------------------------------------------------------------------------------------
// Drivers.
//
// A's element (i, p) sits at a + i·aRow + p·aStep (bytes). B is either unpacked, element (p, j) at
// b + p·ldb·4 + j·4, or packed by packBt: the panel of C columns starting at j (8, 4 or w wide, as
// gemm_rows walks them) is a k×width row-major block at b + j·k·4.

/** Byte offset of row `r` of a tile with `rows` valid rows: rows past the end alias the last one. */
@inline function rowOffset(r: i32, rows: i32, rowBytes: usize): usize {
  return <usize>min(r, rows - 1) * rowBytes;
}

/** Address of B's panel for C columns j.. (`width` wide) at p = k0. */
@inline function bPanel(b: usize, packed: bool, k: i32, ldb: i32, k0: i32, j: i32, width: i32): usize {
  return packed ? b + ((<usize>j * k + <usize>k0 * width) << 2) : b + ((<usize>k0 * ldb + j) << 2);
}

/** Bytes from one p to the next in that panel. */
@inline function bPanelStep(packed: bool, ldb: i32, width: i32): usize {
  return packed ? <usize>width << 2 : <usize>ldb << 2;
}

/**
 * Runs k in equal blocks of at most kcMax, each resuming from the f32 partial sums the previous one
 * stored in C: an element's operation sequence is unchanged, and a B panel (kc rows) stays cache
 * resident even at power-of-two strides, where one unblocked panel's rows all land in a few cache sets
 * (1024² nn goes from ~7 to ~29 GFLOP/s). Bias enters in the first block, the activation after the last.
 */
function gemm_kblocks(
  m: i32, n: i32, k: i32, kcMax: i32, a: usize, aRow: usize, aStep: usize, b: usize, ldb: i32, packed: bool,
  c: usize, ldc: i32, bias: usize, act: i32, alpha: f32,
): void {
  const blocks = max(1, (k + kcMax - 1) / kcMax);
  const kc = (k + blocks - 1) / blocks; // equal blocks: 784 → 7 × 112, not 6 × 128 + 16
  let k0 = 0;
  do {
    const kLen = min(kc, k - k0);
    const resume = k0 > 0;
    const blockAct = k0 + kLen >= k ? act : ACT_LINEAR;
    if (packed) gemm_rows_packed(m, n, k, k0, kLen, a, aRow, aStep, b, c, ldc, resume);
    else gemm_rows_unpacked(m, n, k0, kLen, a, aRow, aStep, b, ldb, c, ldc, resume ? 0 : bias, resume, blockAct, alpha);
    k0 += kLen;
  } while (k0 < k);
}

/** One k block [k0, k0+kLen) over all of C: 4-row panels, all columns, then the activation. */
@inline function gemm_rows(
  m: i32, n: i32, k: i32, k0: i32, kLen: i32, a: usize, aRow: usize, aStep: usize,
  b: usize, ldb: i32, packed: bool, c: usize, ldc: i32, bias: usize, resume: bool, act: i32, alpha: f32,
): void {
  const cRow = <usize>ldc << 2;
  const aBlock = a + <usize>k0 * aStep;
  for (let i = 0; i < m; i += MR) {
    const rows = min(MR, m - i);
    const ap = aBlock + <usize>i * aRow;
    const a0 = ap, a1 = ap + rowOffset(1, rows, aRow), a2 = ap + rowOffset(2, rows, aRow), a3 = ap + rowOffset(3, rows, aRow);
    const cp = c + <usize>i * cRow;
    const c0 = cp, c1 = cp + rowOffset(1, rows, cRow), c2 = cp + rowOffset(2, rows, cRow), c3 = cp + rowOffset(3, rows, cRow);
    const adjacent = aRow == 4 && rows == MR; // tn full tile: the four A values per p are contiguous
    let j = 0;
    if (rows == 1 && !packed) {
      for (; j + 32 <= n; j += 32) {
        const cj = <usize>j << 2;
        f32_gemm_1x32(kLen, a0, aStep, bPanel(b, false, k, ldb, k0, j, 32), <usize>ldb << 2, c0 + cj, bias ? bias + cj : 0, resume);
      }
    }
    for (; j + NR <= n; j += NR) {
      const cj = <usize>j << 2;
      const bj = bPanel(b, packed, k, ldb, k0, j, NR);
      const sb = bPanelStep(packed, ldb, NR);
      const bb = bias ? bias + cj : 0;
      if (adjacent) f32_gemm_tn_4x8(kLen, a0, aStep, bj, sb, c0 + cj, c1 + cj, c2 + cj, c3 + cj, bb, resume);
      else f32_gemm_4x8(kLen, a0, a1, a2, a3, aStep, bj, sb, c0 + cj, c1 + cj, c2 + cj, c3 + cj, bb, resume);
    }
    if (n - j >= 4) {
      const cj = <usize>j << 2;
      const bj = bPanel(b, packed, k, ldb, k0, j, 4);
      const sb = bPanelStep(packed, ldb, 4);
      f32_gemm_4x4(kLen, a0, a1, a2, a3, aStep, bj, sb, c0 + cj, c1 + cj, c2 + cj, c3 + cj, bias ? bias + cj : 0, resume);
      j += 4;
    }
    const w = n - j;
    if (w > 0) {
      const cj = <usize>j << 2;
      const bj = bPanel(b, packed, k, ldb, k0, j, w);
      const sb = bPanelStep(packed, ldb, w);
      const bb = bias ? bias + cj : 0;
      if (w == 3) f32_gemm_4x3(kLen, a0, a1, a2, a3, aStep, bj, sb, c0 + cj, c1 + cj, c2 + cj, c3 + cj, bb, resume);
      else if (w == 2) f32_gemm_4x2(kLen, a0, a1, a2, a3, aStep, bj, sb, c0 + cj, c1 + cj, c2 + cj, c3 + cj, bb, resume);
      else f32_gemm_4x1(kLen, a0, a1, a2, a3, aStep, bj, sb, c0 + cj, c1 + cj, c2 + cj, c3 + cj, bb, resume);
    }
    if (act != ACT_LINEAR) activatePanel(act, alpha, rows, n, cp, ldc);
  }
}

// Two instances of gemm_rows, so each microkernel has two callers and Binaryen keeps it a separate
// function (tight register allocation in V8, early tier-up) instead of inlining all into one body.

function gemm_rows_unpacked(
  m: i32, n: i32, k0: i32, kLen: i32, a: usize, aRow: usize, aStep: usize, b: usize, ldb: i32,
  c: usize, ldc: i32, bias: usize, resume: bool, act: i32, alpha: f32,
): void {
  gemm_rows(m, n, 0, k0, kLen, a, aRow, aStep, b, ldb, false, c, ldc, bias, resume, act, alpha);
}

function gemm_rows_packed(
  m: i32, n: i32, k: i32, k0: i32, kLen: i32, a: usize, aRow: usize, aStep: usize, b: usize,
  c: usize, ldc: i32, resume: bool,
): void {
  gemm_rows(m, n, k, k0, kLen, a, aRow, aStep, b, 0, true, c, ldc, 0, resume, ACT_LINEAR, 0);
}

/** f32_vact in place on `rows` rows of C (n wide): one call when the rows are contiguous. */
function activatePanel(act: i32, alpha: f32, rows: i32, n: i32, c: usize, ldc: i32): void {
  if (ldc == n) {
    f32_vact(act, alpha, rows, n, c, c);
    return;
  }
  for (let r = 0; r < rows; r++) {
    const cr = c + ((<usize>r * ldc) << 2);
    f32_vact(act, alpha, 1, n, cr, cr);
  }
}

// ---------------------------------------------------------------------------------------------
// Bᵀ packing for nt: B is stored n×k (stride ldb). Each column panel of C (8 wide, then 4, then the
// 1–3 tail, as gemm_rows walks them) becomes a k×width row-major block at out + j·k floats, so the
// whole copy is exactly n·k floats and every microkernel reads its panel sequentially.

/** Transposes the 4×4 block whose rows start at r0..r3 into 4 rows of `out`, `os` bytes apart. */
@inline function transpose4x4(r0: usize, r1: usize, r2: usize, r3: usize, out: usize, os: usize): void {
  const x0 = v128.load(r0), x1 = v128.load(r1), x2 = v128.load(r2), x3 = v128.load(r3);
  const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5); // x0[0] x1[0] x0[1] x1[1]
  const t1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5); // x2[0] x3[0] x2[1] x3[1]
  const t2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7); // x0[2] x1[2] x0[3] x1[3]
  const t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7); // x2[2] x3[2] x2[3] x3[3]
  v128.store(out, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
  v128.store(out + os, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
  v128.store(out + 2 * os, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
  v128.store(out + 3 * os, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
}

/** Packs stored B rows j0..j0+width−1 (C's columns) into `out` as a k×width block. */
function packPanel(k: i32, b: usize, ldb: i32, j0: i32, width: i32, out: usize): void {
  const os = <usize>width << 2;
  const bRow = <usize>ldb << 2;
  const src = b + <usize>j0 * bRow;
  let p = 0;
  if (width >= 4) {
    // Width 8 or 4: 4×4 SIMD transposes, 4 p at a time.
    for (; p + 4 <= k; p += 4) {
      const o = out + <usize>p * os;
      for (let jj = 0; jj < width; jj += 4) {
        const r = src + <usize>jj * bRow + (<usize>p << 2);
        transpose4x4(r, r + bRow, r + 2 * bRow, r + 3 * bRow, o + (<usize>jj << 2), os);
      }
    }
  }
  for (; p < k; p++) {
    const o = out + <usize>p * os;
    for (let jj = 0; jj < width; jj++) {
      store<f32>(o + (<usize>jj << 2), load<f32>(src + <usize>jj * bRow + (<usize>p << 2)));
    }
  }
}

function packBt(n: i32, k: i32, b: usize, ldb: i32, out: usize): void {
  let j = 0;
  for (; j + NR <= n; j += NR) packPanel(k, b, ldb, j, NR, out + ((<usize>j * k) << 2));
  if (n - j >= 4) {
    packPanel(k, b, ldb, j, 4, out + ((<usize>j * k) << 2));
    j += 4;
  }
  if (j < n) packPanel(k, b, ldb, j, n - j, out + ((<usize>j * k) << 2));
}

// ---------------------------------------------------------------------------------------------
// Exports.

/** C[i,j] = act(Σ_p A[i,p]·B[p,j] + bias[j]); A m×k (lda), B k×n (ldb), C m×n (ldc); bias 0 = none. */
export function f32_gemm_nn(
  m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32,
  bias: usize, act: i32, alpha: f32,
): void {
  if (m <= 0 || n <= 0) return;
  gemm_kblocks(m, n, max(k, 0), KC_NN, a, <usize>lda << 2, 4, b, ldb, false, c, ldc, bias, act, alpha);
}

/** C[i,j] = Σ_p A[p,i]·B[p,j]; A stored k×m (lda), B k×n (ldb), C m×n (ldc). */
export function f32_gemm_tn(
  m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32,
): void {
  if (m <= 0 || n <= 0) return;
  gemm_kblocks(m, n, max(k, 0), KC_TN, a, 4, <usize>lda << 2, b, ldb, false, c, ldc, 0, ACT_LINEAR, 0);
}

/** C[i,j] = Σ_p A[i,p]·B[j,p]; A m×k (lda), B stored n×k (ldb), C m×n (ldc); uses n·k floats of scratch. */
export function f32_gemm_nt(
  m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, scratch: usize,
): void {
  if (m <= 0 || n <= 0) return;
  k = max(k, 0);
  packBt(n, k, b, ldb, scratch);
  gemm_kblocks(m, n, k, KC_NN, a, <usize>lda << 2, 4, scratch, 0, true, c, ldc, 0, ACT_LINEAR, 0);
}

/** out[j] = Σ_i A[i,j], summed i = 0..rows−1 in order from 0 (the same in every lane and the tail). */
export function f32_colsum(rows: i32, cols: i32, a: usize, lda: i32, out: usize): void {
  const rowBytes = <usize>lda << 2;
  let j = 0;
  for (; j + 16 <= cols; j += 16) {
    let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0;
    let p = a + (<usize>j << 2);
    for (let i = 0; i < rows; i++) {
      s0 = f32x4.add(s0, v128.load(p));
      s1 = f32x4.add(s1, v128.load(p, 16));
      s2 = f32x4.add(s2, v128.load(p, 32));
      s3 = f32x4.add(s3, v128.load(p, 48));
      p += rowBytes;
    }
    const o = out + (<usize>j << 2);
    v128.store(o, s0);
    v128.store(o, s1, 16);
    v128.store(o, s2, 32);
    v128.store(o, s3, 48);
  }
  for (; j + 4 <= cols; j += 4) {
    let s = f32x4.splat(0);
    let p = a + (<usize>j << 2);
    for (let i = 0; i < rows; i++) {
      s = f32x4.add(s, v128.load(p));
      p += rowBytes;
    }
    v128.store(out + (<usize>j << 2), s);
  }
  if (j < cols) {
    // Last 1–3 columns: partial lanes, reading and writing only those columns.
    const w = cols - j;
    let s = f32x4.splat(0);
    let p = a + (<usize>j << 2);
    for (let i = 0; i < rows; i++) {
      s = f32x4.add(s, ldvPart(p, 0, w));
      p += rowBytes;
    }
    stvPart(out + (<usize>j << 2), 0, w, s);
  }
}
