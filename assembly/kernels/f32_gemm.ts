// GEMM kernels: C = act(A·B + bias), C = Aᵀ·B, C = A·Bᵀ, and column sums, in f32x4 SIMD.
//
// All three layouts run the same register-blocked microkernels over 4-row tiles of C. A microkernel
// gets four A row pointers plus the byte step that moves them to the next p (nn: 4, along A's rows;
// tn: lda·4, down A's columns, or 16 in a packed A panel) and a B panel plus its byte step per p (B
// itself, step ldb·4, or a block of B (Bᵀ for nt) packed into `scratch`, step = panel width; see
// Drivers). Rows past m alias the last valid row (duplicate identical stores, no branch on m inside a
// tile). Columns: 8-wide tiles, one 4-wide tile, then a 1–3-wide tile using partial loads and stores,
// so nothing outside the matrices is ever read or written.
//
// Determinism: every C element is acc = bias (or 0), then acc = acc + a·b for p = 0..k−1 in order,
// mul and add rounded separately (never fused), in whichever lane, tile, k block or column block it
// lands, packed or not. So a value never depends on m, n, its tile, the blocking, or how the rows are
// split across calls or threads.
// (The opt-in relaxed build fuses each step instead, see mulAdd: still independent of m, n, tile and
// split on one machine, but not bit-identical to this build or across CPUs.)

import { ACT_LINEAR, ACT_SOFTMAX } from "../../src/shared/ids";
import { GEMM_SCRATCH_FLOATS } from "../../src/shared/plan";
import { f32_vact } from "./f32_vact";
import { ldvPart, stvPart } from "../core/ptr";

/** Rows of C per tile. */
const MR = 4;
/** Columns of C per full tile (two v128). 4×8 beat 5×8, 6×8 (register spills) and 2×16 here. */
const NR = 8;

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

/**
 * 4×8 tile over a broadcast A panel (each A value stored as four equal lanes: row r of p at a + 64p + 16r)
 * and a packed 8-wide B panel (32 bytes per p): every load is a plain vector load at a fixed offset, two p
 * per trip. Same operations in the same order as 4×8.
 */
function f32_gemm_bc_4x8(
  k: i32, a: usize, b: usize, c0: usize, c1: usize, c2: usize, c3: usize, bias: usize, resume: bool,
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
    b += 32;
    let va = v128.load(a);
    acc00 = mulAdd(acc00, va, b0);
    acc01 = mulAdd(acc01, va, b1);
    va = v128.load(a, 16);
    acc10 = mulAdd(acc10, va, b0);
    acc11 = mulAdd(acc11, va, b1);
    va = v128.load(a, 32);
    acc20 = mulAdd(acc20, va, b0);
    acc21 = mulAdd(acc21, va, b1);
    va = v128.load(a, 48);
    a += 64;
    acc30 = mulAdd(acc30, va, b0);
    acc31 = mulAdd(acc31, va, b1);
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
// Cache blocking, as in BLIS and XNNPACK, around the row-tile loop the unblocked drivers ran: C's
// columns go in blocks of about NC (a multiple of NR), k in equal blocks of about KC, and each
// (column block, k block) of B — kc×nc floats, at most 256 KB — is packed once into the caller's
// scratch as contiguous NR-wide panels (the layout below). Every 4-row tile of C then streams that block
// from L2 sequentially, whatever B's stride, while its own A values (4 × kc) stay in L1. A is packed too
// when B is: tn's MC_TN columns of the stored A at a time, read along its rows; nn's and nt's each 4-row
// stripe as the row loop reaches it (default build only, see BROADCAST_A). A panel holds the tile's four
// A values per p, each broadcast to a whole vector (64 bytes per p; the relaxed build: 4-interleaved
// floats, 16 bytes per p). Packing costs one copy per B element per column block (A: per C column
// block), repaid across m rows (A: n columns): below PACK_B_MIN_M rows (tn: PACK_TN_MIN_M; A: below
// PACK_A_MIN_N columns), or without scratch, the operand is read in place, as before the blocking.
//
// A's element (i, p) sits at a + i·aRow + p·aStep (bytes). Unpacked B: element (p, j) at
// b + p·ldb·4 + j·4. Packed B block (kc rows × nb columns): the panel of C columns starting at j (8, 4
// or w wide, as gemm_rows walks them) is a kc×width row-major block at b + j·kc·4.

/**
 * Packed B blocks: kc·nc ≤ B_BLOCK floats (256 KB, half of a 512 KB L2), normally kc ≤ KC and nc ≤ NC;
 * a short k (< KC) widens the column blocks instead, a narrow n lengthens the k blocks up to KC_MAX
 * (fewer passes over A and C: a tall convolution GEMM, n = 64, runs k = 288 in one block, not two).
 */
const KC = 256;
const NC = 256;
const KC_MAX = 512;
const B_BLOCK = KC * NC;
/** Columns of the stored A (rows of C) tn packs at a time: one 64-byte line per p. */
const MC_TN = 16;
/** Longest k block when B is read in place: nn's B block then stays in L2, tn's (kc × n floats) in L1. */
const KC_NN_UNPACKED = 128;
const KC_TN_UNPACKED = 64;
/**
 * Fewest rows of C for which nn and tn pack B (nt always does), and fewest columns for which A is packed
 * (tn: PACK_A_MIN_N; nn and nt: PACK_A_ROWS_MIN_N, two column tiles reusing each stripe's panel).
 * tn packs both or neither, and only from 128 rows: below, its copies cost more than they save (64³:
 * −8%), while A's stride (m floats) is still short enough to read in place.
 */
const PACK_B_MIN_M = 16;
const PACK_TN_MIN_M = 128;
const PACK_A_MIN_N = 16;
const PACK_A_ROWS_MIN_N = 16;
/**
 * The default build packs A as broadcast panels (each value as four equal lanes), so its microkernel loads
 * whole vectors at offsets V8 folds into the load (a load-and-splat costs an extra add per value): +12% on
 * the MLP's GEMMs, which were bound by instruction count. The relaxed build's fused multiply-adds leave
 * room for those adds, and the 4× larger panels cost it more than they save: it keeps 16-byte panels (tn)
 * and reads nn's and nt's A in place.
 */
const BROADCAST_A: bool = !ASC_FEATURE_RELAXED_SIMD;
/** Bytes per p in a packed A panel. */
const A_PANEL_STEP: usize = BROADCAST_A ? 64 : 16;
/** How gemm_rows reads A: in place, or packed as broadcast panels from tn's stored columns or from A's rows. */
const A_IN_PLACE = 0;
const A_COLUMNS = 1;
const A_ROWS = 2;

// The scratch that holds the packed blocks: B's at scratch (kc·nc floats ≤ B_BLOCK), then A's panels
// (broadcast: 4·MC_TN·kc floats ≤ 4·MC_TN·KC_MAX). src/shared/plan.ts's GEMM_SCRATCH_FLOATS is their sum.
const SCRATCH_FLOATS = B_BLOCK + 4 * MC_TN * KC_MAX;
if (SCRATCH_FLOATS != GEMM_SCRATCH_FLOATS) ERROR("GEMM_SCRATCH_FLOATS (src/shared/plan.ts) must equal B_BLOCK + 4·MC_TN·KC_MAX");

/** Byte offset of row `r` of a tile with `rows` valid rows: rows past the end alias the last one. */
@inline function rowOffset(r: i32, rows: i32, rowBytes: usize): usize {
  return <usize>min(r, rows - 1) * rowBytes;
}

/** Address of B's panel for C columns j.. (`width` wide): in a packed block of kc rows, or in place. */
@inline function bPanel(b: usize, packed: bool, kc: i32, j: i32, width: i32): usize {
  return packed ? b + ((<usize>j * kc) << 2) : b + (<usize>j << 2);
}

/** Bytes from one p to the next in that panel. */
@inline function bPanelStep(packed: bool, ldb: i32, width: i32): usize {
  return packed ? <usize>width << 2 : <usize>ldb << 2;
}

/**
 * One k block (kLen values of p, `a` and `b` already at its first) over m rows and n columns of C:
 * 4-row tiles, all columns, then the activation of the tile's rows over actN columns from actC (act is
 * ACT_LINEAR except in the last k block). packA: how A is read (A_IN_PLACE, or packed into `apack`:
 * A_COLUMNS, the stored A of tn, `aStep` its row stride in bytes, MC_TN columns at a time; A_ROWS, each
 * 4-row stripe of A as it comes).
 */
@inline function gemm_rows(
  m: i32, n: i32, kLen: i32, a: usize, aRow: usize, aStep: usize, packA: i32, apack: usize,
  b: usize, ldb: i32, packed: bool, c: usize, ldc: i32, bias: usize, resume: bool,
  act: i32, alpha: f32, actC: usize, actN: i32,
): void {
  const cRow = <usize>ldc << 2;
  for (let i = 0; i < m; i += MR) {
    const rows = min(MR, m - i);
    let a0: usize, a1: usize, a2: usize, a3: usize, sa: usize;
    if (packA != A_IN_PLACE) {
      if (packA == A_COLUMNS) {
        const t = i % MC_TN;
        if (t == 0) {
          if (BROADCAST_A) packColumnsBroadcast(kLen, min(MC_TN, m - i), a + (<usize>i << 2), aStep, apack);
          else packAt(kLen, min(MC_TN, m - i), a + (<usize>i << 2), aStep, apack);
        }
        a0 = apack + <usize>(t >> 2) * <usize>kLen * A_PANEL_STEP;
      } else {
        packRowsBroadcast(kLen, rows, a + <usize>i * aRow, aRow, apack);
        a0 = apack;
      }
      // Row r's value for p: lane 0 of the vector at a0 + r·16 (broadcast panels), or the float at a0 + r·4.
      a1 = a0 + A_PANEL_STEP / 4;
      a2 = a0 + A_PANEL_STEP / 2;
      a3 = a0 + 3 * A_PANEL_STEP / 4;
      sa = A_PANEL_STEP;
    } else {
      const ap = a + <usize>i * aRow;
      a0 = ap;
      a1 = ap + rowOffset(1, rows, aRow);
      a2 = ap + rowOffset(2, rows, aRow);
      a3 = ap + rowOffset(3, rows, aRow);
      sa = aStep;
    }
    const cp = c + <usize>i * cRow;
    const c0 = cp, c1 = cp + rowOffset(1, rows, cRow), c2 = cp + rowOffset(2, rows, cRow), c3 = cp + rowOffset(3, rows, cRow);
    // The four A values per p are contiguous: packed tn panels, or a full tile of the stored A of tn.
    const adjacent = (packA != A_IN_PLACE && !BROADCAST_A) || (aRow == 4 && rows == MR);
    let j = 0;
    if (rows == 1 && !packed) {
      for (; j + 32 <= n; j += 32) {
        const cj = <usize>j << 2;
        f32_gemm_1x32(kLen, a0, sa, bPanel(b, false, kLen, j, 32), <usize>ldb << 2, c0 + cj, bias ? bias + cj : 0, resume);
      }
    }
    for (; j + NR <= n; j += NR) {
      const cj = <usize>j << 2;
      const bj = bPanel(b, packed, kLen, j, NR);
      const sb = bPanelStep(packed, ldb, NR);
      const bb = bias ? bias + cj : 0;
      if (BROADCAST_A && packA != A_IN_PLACE) f32_gemm_bc_4x8(kLen, a0, bj, c0 + cj, c1 + cj, c2 + cj, c3 + cj, bb, resume);
      else if (adjacent) f32_gemm_tn_4x8(kLen, a0, sa, bj, sb, c0 + cj, c1 + cj, c2 + cj, c3 + cj, bb, resume);
      else f32_gemm_4x8(kLen, a0, a1, a2, a3, sa, bj, sb, c0 + cj, c1 + cj, c2 + cj, c3 + cj, bb, resume);
    }
    if (n - j >= 4) {
      const cj = <usize>j << 2;
      const bj = bPanel(b, packed, kLen, j, 4);
      const sb = bPanelStep(packed, ldb, 4);
      f32_gemm_4x4(kLen, a0, a1, a2, a3, sa, bj, sb, c0 + cj, c1 + cj, c2 + cj, c3 + cj, bias ? bias + cj : 0, resume);
      j += 4;
    }
    const w = n - j;
    if (w > 0) {
      const cj = <usize>j << 2;
      const bj = bPanel(b, packed, kLen, j, w);
      const sb = bPanelStep(packed, ldb, w);
      const bb = bias ? bias + cj : 0;
      if (w == 3) f32_gemm_4x3(kLen, a0, a1, a2, a3, sa, bj, sb, c0 + cj, c1 + cj, c2 + cj, c3 + cj, bb, resume);
      else if (w == 2) f32_gemm_4x2(kLen, a0, a1, a2, a3, sa, bj, sb, c0 + cj, c1 + cj, c2 + cj, c3 + cj, bb, resume);
      else f32_gemm_4x1(kLen, a0, a1, a2, a3, sa, bj, sb, c0 + cj, c1 + cj, c2 + cj, c3 + cj, bb, resume);
    }
    if (act != ACT_LINEAR) activatePanel(act, alpha, rows, actN, actC + <usize>i * cRow, ldc);
  }
}

// Three instances of gemm_rows, so each microkernel has several callers and Binaryen keeps it a separate
// function (tight register allocation in V8, early tier-up) instead of inlining all into one body.

function gemm_rows_unpacked(
  m: i32, n: i32, kLen: i32, a: usize, aRow: usize, aStep: usize, b: usize, ldb: i32,
  c: usize, ldc: i32, bias: usize, resume: bool, act: i32, alpha: f32, actC: usize, actN: i32,
): void {
  gemm_rows(m, n, kLen, a, aRow, aStep, A_IN_PLACE, 0, b, ldb, false, c, ldc, bias, resume, act, alpha, actC, actN);
}

function gemm_rows_packed(
  m: i32, n: i32, kLen: i32, a: usize, aRow: usize, aStep: usize, b: usize,
  c: usize, ldc: i32, bias: usize, resume: bool, act: i32, alpha: f32, actC: usize, actN: i32,
): void {
  gemm_rows(m, n, kLen, a, aRow, aStep, A_IN_PLACE, 0, b, 0, true, c, ldc, bias, resume, act, alpha, actC, actN);
}

function gemm_rows_packed_ab(
  m: i32, n: i32, kLen: i32, a: usize, aRow: usize, aStep: usize, packA: i32, apack: usize, b: usize,
  c: usize, ldc: i32, bias: usize, resume: bool, act: i32, alpha: f32, actC: usize, actN: i32,
): void {
  gemm_rows(m, n, kLen, a, aRow, aStep, packA, apack, b, 0, true, c, ldc, bias, resume, act, alpha, actC, actN);
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

const NN = 0;
const TN = 1;
const NT = 2;

@inline function roundUp(x: i32, to: i32): i32 {
  return ((x + to - 1) / to) * to;
}

/**
 * C = act(op(A)·op(B) + bias) for one layout, blocked as described above. k runs in equal blocks, each
 * resuming from the f32 partial sums the previous one stored in C: an element's operation sequence is
 * the same as in one pass, whatever the blocks (and whether anything is packed). The bias enters in the
 * first k block, the activation after the last (softmax, which needs whole rows, after the last column
 * block's last k block).
 */
function gemm_blocked(
  layout: i32, m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32,
  bias: usize, act: i32, alpha: f32, scratch: usize,
): void {
  const tn = layout == TN, nt = layout == NT;
  const aRow: usize = tn ? 4 : <usize>lda << 2;
  const aStep: usize = tn ? <usize>lda << 2 : 4;
  const bRow = <usize>ldb << 2;
  const packB = nt || (scratch != 0 && m >= (tn ? PACK_TN_MIN_M : PACK_B_MIN_M));
  // A packed as broadcast panels when B is and enough column tiles reuse them (tn: its columns, else its rows).
  const packA = !packB ? A_IN_PLACE : tn ? (n >= PACK_A_MIN_N ? A_COLUMNS : A_IN_PLACE) : BROADCAST_A && n >= PACK_A_ROWS_MIN_N ? A_ROWS : A_IN_PLACE;
  // Column blocks (packed only): equal, rounded up to whole panels, so only the last has the 4/w tails.
  const ncMax = packB ? max(NC, (B_BLOCK / max(1, min(k, KC))) & ~(NR - 1)) : n;
  const nBlocks = (n + ncMax - 1) / ncMax;
  const nc = nBlocks > 1 ? min(n, roundUp((n + nBlocks - 1) / nBlocks, NR)) : n;
  // k blocks: equal (784 → 4 × 196, not 3 × 256 + 16), kc·nc ≤ B_BLOCK when packed.
  const kcMax = packB ? min(KC_MAX, max(KC, B_BLOCK / roundUp(nc, NR))) : tn ? KC_TN_UNPACKED : KC_NN_UNPACKED;
  const kBlocks = max(1, (k + kcMax - 1) / kcMax);
  const kc = (k + kBlocks - 1) / kBlocks;
  const apack = scratch + ((<usize>kc * nc) << 2);
  const rowWise = act == ACT_SOFTMAX;
  for (let jc = 0; jc < n; jc += nc) {
    const nb = min(nc, n - jc);
    const cj = c + (<usize>jc << 2);
    const bj = bias ? bias + (<usize>jc << 2) : 0;
    const actC = rowWise ? c : cj, actN = rowWise ? n : nb;
    const actHere = !rowWise || jc + nb >= n;
    let k0 = 0;
    do {
      const kLen = min(kc, k - k0);
      const resume = k0 > 0;
      const blockAct = actHere && k0 + kLen >= k ? act : ACT_LINEAR;
      const aBlock = a + <usize>k0 * aStep;
      if (nt) {
        packBtBlock(nb, kLen, b + <usize>jc * bRow + (<usize>k0 << 2), ldb, scratch);
      } else if (packB) {
        packBBlock(kLen, nb, b + <usize>k0 * bRow + (<usize>jc << 2), ldb, scratch);
      }
      if (packA != A_IN_PLACE) {
        gemm_rows_packed_ab(m, nb, kLen, aBlock, aRow, aStep, packA, apack, scratch, cj, ldc, resume ? 0 : bj, resume, blockAct, alpha, actC, actN);
      } else if (packB) {
        gemm_rows_packed(m, nb, kLen, aBlock, aRow, aStep, scratch, cj, ldc, resume ? 0 : bj, resume, blockAct, alpha, actC, actN);
      } else {
        gemm_rows_unpacked(m, nb, kLen, aBlock, aRow, aStep, b + <usize>k0 * bRow + (<usize>jc << 2), ldb, cj, ldc, resume ? 0 : bj, resume, blockAct, alpha, actC, actN);
      }
      k0 += kLen;
    } while (k0 < k);
  }
}

// ---------------------------------------------------------------------------------------------
// Packing.

/**
 * Packs kLen rows × nb columns of a row-major B (`b` at the block's first element, stride ldb) into
 * `out` in the panel layout above. Row by row: B is read sequentially, each panel row is 32 bytes.
 */
function packBBlock(kLen: i32, nb: i32, b: usize, ldb: i32, out: usize): void {
  const bRow = <usize>ldb << 2;
  const panel8 = <usize>kLen << 5; // bytes of one 8-wide panel
  const n8 = nb & ~7;
  const tail = nb - n8; // 0..7: a 4-wide panel if ≥ 4, then 1..3 columns
  const o4 = out + ((<usize>n8 * kLen) << 2);
  const ow = o4 + (tail >= 4 ? panel8 >> 1 : 0);
  const w = tail & 3;
  const ws = <usize>w << 2;
  for (let p = 0; p < kLen; p++) {
    const src = b + <usize>p * bRow;
    let o = out + (<usize>p << 5);
    for (let j = 0; j < n8; j += NR) {
      const s = src + (<usize>j << 2);
      v128.store(o, v128.load(s));
      v128.store(o, v128.load(s, 16), 16);
      o += panel8;
    }
    if (tail >= 4) v128.store(o4 + (<usize>p << 4), v128.load(src + (<usize>n8 << 2)));
    if (w) {
      const s = src + (<usize>(nb - w) << 2);
      const d = ow + <usize>p * ws;
      store<f32>(d, load<f32>(s));
      if (w > 1) store<f32>(d, load<f32>(s, 4), 4);
      if (w > 2) store<f32>(d, load<f32>(s, 8), 8);
    }
  }
}

/**
 * Packs columns 0..mb−1 of the stored A of tn (`a` at the block's first element, `aRowBytes` between
 * its rows), kLen rows, into ⌈mb/4⌉ panels of kLen×4 floats at `out`: panel t holds A[p, 4t..4t+3] at
 * out + (t·kLen + p)·16. Lanes past mb repeat column mb−1, as rows past m alias the last row of C.
 */
function packAt(kLen: i32, mb: i32, a: usize, aRowBytes: usize, out: usize): void {
  const full = mb >> 2, rem = mb & 3;
  const ps = <usize>kLen << 4; // bytes of one panel
  for (let p = 0; p < kLen; p++) {
    const src = a + <usize>p * aRowBytes;
    const dst = out + (<usize>p << 4);
    for (let t = 0; t < full; t++) v128.store(dst + <usize>t * ps, v128.load(src + (<usize>t << 4)));
    if (rem) {
      const s = src + (<usize>full << 4);
      let v = f32x4.splat(load<f32>(s + (<usize>(rem - 1) << 2)));
      v = f32x4.replace_lane(v, 0, load<f32>(s));
      if (rem > 1) v = f32x4.replace_lane(v, 1, load<f32>(s, 4));
      v128.store(dst + <usize>full * ps, v);
    }
  }
}

/**
 * packAt with every value broadcast to four lanes: panel t holds A[p, 4t + r] × 4 at out + (t·kLen + p)·64 + r·16,
 * so the microkernel loads whole vectors (V8 folds their offsets; a load-and-splat needs an extra add per value).
 */
function packColumnsBroadcast(kLen: i32, mb: i32, a: usize, aRowBytes: usize, out: usize): void {
  const panels = (mb + 3) >> 2;
  const ps = <usize>kLen << 6; // bytes of one panel
  for (let p = 0; p < kLen; p++) {
    const src = a + <usize>p * aRowBytes;
    const dst = out + (<usize>p << 6);
    for (let t = 0; t < panels; t++) {
      const s = src + (<usize>t << 4), d = dst + <usize>t * ps;
      const last = min(mb - (t << 2), 4) - 1;
      v128.store(d, v128.load32_splat(s));
      v128.store(d, v128.load32_splat(s + (<usize>min(1, last) << 2)), 16);
      v128.store(d, v128.load32_splat(s + (<usize>min(2, last) << 2)), 32);
      v128.store(d, v128.load32_splat(s + (<usize>min(3, last) << 2)), 48);
    }
  }
}

/**
 * Packs `rows` (1..4) rows of A (`a` at the first row's block start, `aRowBytes` apart), kLen values each,
 * as one broadcast panel: A[r, p] × 4 at out + p·64 + r·16; rows past `rows` repeat the last, as C's do.
 */
function packRowsBroadcast(kLen: i32, rows: i32, a: usize, aRowBytes: usize, out: usize): void {
  const r0 = a, r1 = a + rowOffset(1, rows, aRowBytes), r2 = a + rowOffset(2, rows, aRowBytes), r3 = a + rowOffset(3, rows, aRowBytes);
  for (let p = 0; p < kLen; p++) {
    const at = <usize>p << 2, d = out + (<usize>p << 6);
    v128.store(d, v128.load32_splat(r0 + at));
    v128.store(d, v128.load32_splat(r1 + at), 16);
    v128.store(d, v128.load32_splat(r2 + at), 32);
    v128.store(d, v128.load32_splat(r3 + at), 48);
  }
}

// Bᵀ packing for nt: B is stored n×k (stride ldb), so a block is nb stored rows × kLen of their columns.

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

/** Packs stored B rows j0..j0+width−1 (C's columns), k of their columns from `b`, into `out` as a k×width block. */
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

/** Packs nb stored rows of B × k columns (`b` at the block's first element) in the panel layout: k·nb floats. */
function packBtBlock(nb: i32, k: i32, b: usize, ldb: i32, out: usize): void {
  let j = 0;
  for (; j + NR <= nb; j += NR) packPanel(k, b, ldb, j, NR, out + ((<usize>j * k) << 2));
  if (nb - j >= 4) {
    packPanel(k, b, ldb, j, 4, out + ((<usize>j * k) << 2));
    j += 4;
  }
  if (j < nb) packPanel(k, b, ldb, j, nb - j, out + ((<usize>j * k) << 2));
}

// ---------------------------------------------------------------------------------------------
// Exports. `scratch`: GEMM_SCRATCH_FLOATS floats (src/shared/plan.ts) for the packed blocks, one region
// per thread calling at once; nn and tn read their operands in place when it is 0 (nt needs it).

/** C[i,j] = act(Σ_p A[i,p]·B[p,j] + bias[j]); A m×k (lda), B k×n (ldb), C m×n (ldc); bias 0 = none. */
export function f32_gemm_nn(
  m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32,
  bias: usize, act: i32, alpha: f32, scratch: usize,
): void {
  if (m <= 0 || n <= 0) return;
  gemm_blocked(NN, m, n, max(k, 0), a, lda, b, ldb, c, ldc, bias, act, alpha, scratch);
}

/** C[i,j] = Σ_p A[p,i]·B[p,j]; A stored k×m (lda), B k×n (ldb), C m×n (ldc). */
export function f32_gemm_tn(
  m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, scratch: usize,
): void {
  if (m <= 0 || n <= 0) return;
  gemm_blocked(TN, m, n, max(k, 0), a, lda, b, ldb, c, ldc, 0, ACT_LINEAR, 0, scratch);
}

/**
 * C[i,j] = Σ_p A[i,p]·B[j,p]; A m×k (lda), B stored n×k (ldb), C m×n (ldc). Always packs Bᵀ (and A's
 * rows, from 16 columns of C) into the GEMM_SCRATCH_FLOATS floats of scratch (never 0).
 */
export function f32_gemm_nt(
  m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, scratch: usize,
): void {
  if (m <= 0 || n <= 0) return;
  gemm_blocked(NT, m, n, max(k, 0), a, lda, b, ldb, c, ldc, 0, ACT_LINEAR, 0, scratch);
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
