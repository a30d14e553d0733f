// Recurrent layers (SimpleRNN, LSTM, GRU; one direction or two): the whole time loop in one call. The
// input projection of every step is one GEMM (rows·steps × features → gates), the recurrent product one
// small GEMM per step, the gate math SIMD over each row; backward runs back through the steps (BPTT),
// then dW, dR, db and δ_prev are one GEMM (or column sum) each over all steps.
//
// A layer's weights are contiguous from L_W (gradients from L_DW): per direction kernel [F × G],
// recurrent kernel [U × G], bias (G floats; GRU reset_after: 2·G, input bias then recurrent bias).
// The aux buffer holds, per direction, arrays over the workspace's `cap` rows (so each is one matrix a
// GEMM can read): gates [cap·T × G] (after their activations; in backward, dLoss/d(pre-activation)),
// states [cap·T × U] (the state entering the step at each position), cells [cap·T × U] (LSTM's c; GRU:
// the recurrent h-part), cellAct [cap·T × U] (LSTM's act(c)), then per-step rows: rec [cap × G] (h·R),
// dh, dc, tmp, direct [cap × U] each; with two directions, dxBack [cap·T × F] last.
import {
  L_OUT, L_ACT, L_ALPHA, L_W, L_DW, L_Y, L_AUX, L_ARGS, L_IN,
  R_CELL, R_STEPS, R_FEATURES, R_UNITS, R_BIAS, R_DIRS, R_BACKWARDS, R_SEQUENCES, R_MASKED, R_ZERO_MASKED,
  R_REC_ACT, R_REC_ALPHA, R_ROW, CELL_SIMPLE, CELL_LSTM, CELL_GRU, CELL_GRU_BEFORE,
} from "../../src/shared/plan";
import { ACT_LINEAR } from "../../src/shared/ids";
import { word, ptr, real } from "../train/record";
import { ldvOr1, stvOr1 } from "../core/ptr";
import { f32_vact, f32_vact_bwd } from "../kernels/f32_vact";
import { gemm_nn, gemm_tn, gemm_nt, colsum } from "../threads/dispatch";
// The per-step products (rows × gates × units, once per time step) stay on the calling thread: split
// across workers, their synchronisation cost more than the halves saved (LSTM(128), batch 64: 2 threads
// ran at 0.64–0.75× one). The all-steps GEMMs go through the pool.
import { f32_gemm_nn as step_nn, f32_gemm_nt as step_nt } from "../kernels/f32_gemm";

/** Gates per unit: LSTM i, f, c, o; GRU z, r, h; SimpleRNN one. */
@inline function gatesOf(cell: i32): i32 {
  return cell == CELL_LSTM ? 4 : cell == CELL_SIMPLE ? 1 : 3;
}

/** Aux floats per row the planner gives a layer (src/model/recurrent-base.ts computes the same). */
@inline function rowFloats(T: i32, F: i32, U: i32, G: i32, dirs: i32): i32 {
  return dirs * (T * G + 3 * T * U + G + 4 * U) + (dirs == 2 ? T * F : 0);
}

@inline function at(p: usize, floats: i32): usize {
  return p + (<usize>floats << 2);
}

// One direction's view of the record: its weights, gradients and buffers.
let cell: i32 = 0, T: i32 = 0, F: i32 = 0, U: i32 = 0, G: i32 = 0, dirs: i32 = 1;
let act: i32 = 0, alpha: f32 = 0, recAct: i32 = 0, recAlpha: f32 = 0;
let back: bool = false, reverseOut: bool = false, sequences: bool = false, masked: bool = false, zeroMasked: bool = false;
let W: usize = 0, R: usize = 0, B: usize = 0, dW: usize = 0, dR: usize = 0, dB: usize = 0;
let gates: usize = 0, states: usize = 0, cells: usize = 0, cellAct: usize = 0;
let rec: usize = 0, dh: usize = 0, dc: usize = 0, tmp: usize = 0, direct: usize = 0, dxBack: usize = 0;
let y: usize = 0, outWidth: i32 = 0, outOffset: i32 = 0;

/** Reads direction `d` of the layer at `record` for a workspace of `cap` rows. */
function view(record: usize, d: i32, cap: i32): void {
  const a = record + (<usize>L_ARGS << 2);
  cell = word(a, R_CELL); T = word(a, R_STEPS); F = word(a, R_FEATURES); U = word(a, R_UNITS);
  G = gatesOf(cell) * U; dirs = word(a, R_DIRS);
  if (word(a, R_ROW) != rowFloats(T, F, U, G, dirs) || word(record, L_IN) != T * F) unreachable();
  act = word(record, L_ACT); alpha = real(record, L_ALPHA);
  recAct = word(a, R_REC_ACT); recAlpha = real(a, R_REC_ALPHA);
  back = (word(a, R_BACKWARDS) != 0) != (d == 1);
  reverseOut = d == 1;
  sequences = word(a, R_SEQUENCES) != 0;
  masked = word(a, R_MASKED) != 0;
  zeroMasked = word(a, R_ZERO_MASKED) != 0;
  const perDir = F * G + U * G + word(a, R_BIAS);
  W = at(ptr(record, L_W), d * perDir); R = at(W, F * G); B = word(a, R_BIAS) ? at(R, U * G) : 0;
  dW = at(ptr(record, L_DW), d * perDir); dR = at(dW, F * G); dB = B ? at(dR, U * G) : 0;
  const steps = cap * T;
  gates = at(ptr(record, L_AUX), d * cap * (T * G + 3 * T * U + G + 4 * U));
  states = at(gates, steps * G); cells = at(states, steps * U); cellAct = at(cells, steps * U);
  rec = at(cellAct, steps * U); dh = at(rec, cap * G); dc = at(dh, cap * U); tmp = at(dc, cap * U); direct = at(tmp, cap * U);
  dxBack = at(ptr(record, L_AUX), dirs * cap * (T * G + 3 * T * U + G + 4 * U));
  y = ptr(record, L_Y); outWidth = word(record, L_OUT); outOffset = d * U;
}

/** The input position of processing step s. */
@inline function position(s: i32): i32 {
  return back ? T - 1 - s : s;
}

/** Where step s's output goes in a returned sequence: processing order, or (a backward direction of a Bidirectional) back in input order. */
@inline function outIndex(s: i32): i32 {
  return reverseOut ? T - 1 - s : s;
}

/** Whether row b's input position p is a real step (not padding of an Embedding with maskZero); the mask is the model input's index ≠ 0. */
@inline function live(source: usize, b: i32, p: i32): bool {
  return !masked || load<f32>(at(source, b * T + p)) != 0;
}

/** Row b at position p of a [cap·T × width] array. */
@inline function cellOf(base: usize, b: i32, p: i32, width: i32): usize {
  return at(base, (b * T + p) * width);
}

/** The row of the output where row b's step s lands (a sequence), or its only row. */
@inline function outRow(b: i32, s: i32): usize {
  return at(y, b * outWidth + (sequences ? outIndex(s) * dirs * U : 0) + outOffset);
}

// ------------------------------------------------------------------------------------------------
// Elementwise pieces (four lanes, or one for the tail: the same IEEE operations either way).

@inline function addTo(dst: usize, src: usize, k: i32, one: bool): void {
  stvOr1(dst, k, f32x4.add(ldvOr1(dst, k, one), ldvOr1(src, k, one)), one);
}

function addRow(dst: usize, src: usize, n: i32): void {
  let k = 0;
  for (; k + 4 <= n; k += 4) addTo(dst, src, k, false);
  for (; k < n; k++) addTo(dst, src, k, true);
}

/** LSTM: c = f·c_prev + i·c̃ (c_prev 0 at the first step). */
@inline function lstmCell(g: usize, cPrev: usize, c: usize, k: i32, one: bool): void {
  const i = ldvOr1(g, k, one), f = ldvOr1(g, U + k, one), cc = ldvOr1(g, 2 * U + k, one);
  const prev = cPrev ? ldvOr1(cPrev, k, one) : f32x4.splat(0);
  stvOr1(c, k, f32x4.add(f32x4.mul(f, prev), f32x4.mul(i, cc)), one);
}

@inline function mulTo(dst: usize, a: usize, b: usize, k: i32, one: bool): void {
  stvOr1(dst, k, f32x4.mul(ldvOr1(a, k, one), ldvOr1(b, k, one)), one);
}

/** GRU: h = z·h_prev + (1 − z)·hh. */
@inline function gruMix(g: usize, hPrev: usize, h: usize, k: i32, one: bool): void {
  const z = ldvOr1(g, k, one), hh = ldvOr1(g, 2 * U + k, one);
  stvOr1(h, k, f32x4.add(f32x4.mul(z, ldvOr1(hPrev, k, one)), f32x4.mul(f32x4.sub(f32x4.splat(1), z), hh)), one);
}

/** GRU reset_after: hh's pre-activation x_h + r·(h·R_h + b_rh); the recurrent part kept for backward. */
@inline function gruResetAfter(g: usize, r: usize, keep: usize, k: i32, one: bool): void {
  const hz = ldvOr1(r, 2 * U + k, one);
  stvOr1(keep, k, hz, one);
  stvOr1(g, 2 * U + k, f32x4.add(ldvOr1(g, 2 * U + k, one), f32x4.mul(ldvOr1(g, U + k, one), hz)), one);
}

// ------------------------------------------------------------------------------------------------
// Forward

/** Runs every direction over `rows` rows of x ([T × F] each); source: the model's input rows, read for the mask. */
export function recurrent_forward(record: usize, x: usize, source: usize, rows: i32, cap: i32, scratch: usize): void {
  const n = word(record + (<usize>L_ARGS << 2), R_DIRS);
  for (let d = 0; d < n; d++) {
    view(record, d, cap);
    forwardDirection(x, source, rows, scratch);
  }
}

function forwardDirection(x: usize, source: usize, rows: i32, scratch: usize): void {
  // Every step's input projection (and input bias) at once.
  gemm_nn(rows * T, G, F, x, F, W, G, gates, G, B, ACT_LINEAR, 0, scratch);
  const recBias = cell == CELL_GRU && B ? at(B, G) : 0;
  const recWidth = cell == CELL_GRU_BEFORE ? 2 * U : G;
  for (let b = 0; b < rows; b++) memory.fill(cellOf(states, b, position(0), U), 0, <usize>U << 2);
  for (let s = 0; s < T; s++) {
    const p = position(s);
    // h_{s−1}·R for every row: the states entering this step sit T·U floats apart.
    step_nn(rows, recWidth, U, cellOf(states, 0, p, U), T * U, R, G, rec, G, recBias, ACT_LINEAR, 0, scratch);
    if (cell == CELL_GRU_BEFORE) gruResetBefore(source, rows, p, scratch);
    for (let b = 0; b < rows; b++) {
      const hPrev = cellOf(states, b, p, U), h = at(tmp, b * U);
      if (!live(source, b, p)) {
        memory.copy(h, hPrev, <usize>U << 2);
        // A skipped step carries the cell too (c_prev is 0 before the first step).
        if (cell == CELL_LSTM && s > 0) memory.copy(cellOf(cells, b, p, U), cellOf(cells, b, position(s - 1), U), <usize>U << 2);
        else if (cell == CELL_LSTM) memory.fill(cellOf(cells, b, p, U), 0, <usize>U << 2);
      } else {
        stepForward(cellOf(gates, b, p, G), at(rec, b * G), hPrev, h, b, s, p);
      }
      // The state entering the next step, and the output.
      if (s + 1 < T) memory.copy(cellOf(states, b, position(s + 1), U), h, <usize>U << 2);
      if (sequences) {
        if (zeroMasked && !live(source, b, p)) memory.fill(outRow(b, s), 0, <usize>U << 2);
        else memory.copy(outRow(b, s), h, <usize>U << 2);
      } else if (s == T - 1) {
        memory.copy(outRow(b, s), h, <usize>U << 2);
      }
    }
  }
}

/** One row's step: gates from x·W + b (in g) and h·R (in r), the new state into h. */
function stepForward(g: usize, r: usize, hPrev: usize, h: usize, b: i32, s: i32, p: i32): void {
  if (cell == CELL_SIMPLE) {
    addRow(g, r, U);
    f32_vact(act, alpha, 1, U, g, g);
    memory.copy(h, g, <usize>U << 2);
    return;
  }
  if (cell == CELL_LSTM) {
    addRow(g, r, G);
    f32_vact(recAct, recAlpha, 1, 2 * U, g, g);
    f32_vact(act, alpha, 1, U, at(g, 2 * U), at(g, 2 * U));
    f32_vact(recAct, recAlpha, 1, U, at(g, 3 * U), at(g, 3 * U));
    const c = cellOf(cells, b, p, U), cPrev = s > 0 ? cellOf(cells, b, position(s - 1), U) : 0, ac = cellOf(cellAct, b, p, U);
    let k = 0;
    for (; k + 4 <= U; k += 4) lstmCell(g, cPrev, c, k, false);
    for (; k < U; k++) lstmCell(g, cPrev, c, k, true);
    f32_vact(act, alpha, 1, U, c, ac);
    k = 0;
    for (; k + 4 <= U; k += 4) mulTo(h, at(g, 3 * U), ac, k, false);
    for (; k < U; k++) mulTo(h, at(g, 3 * U), ac, k, true);
    return;
  }
  if (cell == CELL_GRU) {
    addRow(g, r, 2 * U);
    f32_vact(recAct, recAlpha, 1, 2 * U, g, g);
    const keep = cellOf(cells, b, p, U);
    let k = 0;
    for (; k + 4 <= U; k += 4) gruResetAfter(g, r, keep, k, false);
    for (; k < U; k++) gruResetAfter(g, r, keep, k, true);
  } else {
    // reset_before: z, r already activated and (r·h)·R_h in r's last U (gruResetBefore).
    addRow(at(g, 2 * U), at(r, 2 * U), U);
  }
  f32_vact(act, alpha, 1, U, at(g, 2 * U), at(g, 2 * U));
  let k = 0;
  for (; k + 4 <= U; k += 4) gruMix(g, hPrev, h, k, false);
  for (; k < U; k++) gruMix(g, hPrev, h, k, true);
}

/** GRU with reset_after false (tfjs's GRU): z and r first, then (r ⊙ h_prev)·R_h as a second GEMM. */
function gruResetBefore(source: usize, rows: i32, p: i32, scratch: usize): void {
  for (let b = 0; b < rows; b++) {
    const g = cellOf(gates, b, p, G), rh = cellOf(cells, b, p, U);
    addRow(g, at(rec, b * G), 2 * U);
    f32_vact(recAct, recAlpha, 1, 2 * U, g, g);
    let k = 0;
    for (; k + 4 <= U; k += 4) mulTo(rh, at(g, U), cellOf(states, b, p, U), k, false);
    for (; k < U; k++) mulTo(rh, at(g, U), cellOf(states, b, p, U), k, true);
    if (!live(source, b, p)) memory.fill(rh, 0, <usize>U << 2);
  }
  step_nn(rows, U, U, cellOf(cells, 0, p, U), T * U, at(R, 2 * U), G, at(rec, 2 * U), G, 0, ACT_LINEAR, 0, scratch);
}

// ------------------------------------------------------------------------------------------------
// Backward

/** BPTT over every direction: d is dLoss/d(output) [rows × out]; gradients into L_DW…, δ for the layer before into dPrev (0: none). */
export function recurrent_backward(record: usize, x: usize, source: usize, d: usize, dPrev: usize, rows: i32, cap: i32, scratch: usize): void {
  const n = word(record + (<usize>L_ARGS << 2), R_DIRS);
  for (let dir = 0; dir < n; dir++) {
    view(record, dir, cap);
    backwardDirection(x, source, d, rows, scratch);
    if (!dPrev) continue;
    // δ_prev = dG·Wᵀ over all steps; the second direction's adds onto the first's.
    const dx = dir == 0 ? dPrev : dxBack;
    gemm_nt(rows * T, F, G, gates, G, W, G, dx, F, scratch);
    if (dir == 1) addRow(dPrev, dxBack, rows * T * F);
  }
}

function backwardDirection(x: usize, source: usize, d: usize, rows: i32, scratch: usize): void {
  memory.fill(dh, 0, <usize>(rows * U) << 2);
  memory.fill(dc, 0, <usize>(rows * U) << 2);
  for (let s = T - 1; s >= 0; s--) {
    const p = position(s);
    for (let b = 0; b < rows; b++) {
      const dhb = at(dh, b * U), isLive = live(source, b, p);
      // The loss's gradient at this step's output joins the one carried back from later steps.
      if (sequences ? !(zeroMasked && !isLive) : s == T - 1) addRow(dhb, at(d, b * outWidth + (sequences ? outIndex(s) * dirs * U : 0) + outOffset), U);
      if (!isLive) {
        // A skipped step: no gradient into its weights; dh and dc pass to the step before unchanged.
        memory.fill(cellOf(gates, b, p, G), 0, <usize>G << 2);
        if (cell == CELL_GRU || cell == CELL_GRU_BEFORE) memory.fill(cellOf(cells, b, p, U), 0, <usize>U << 2);
        if (cell == CELL_GRU) memory.fill(at(rec, b * G), 0, <usize>G << 2);
        memory.fill(at(direct, b * U), 0, <usize>U << 2);
        continue;
      }
      stepBackward(cellOf(gates, b, p, G), at(rec, b * G), dhb, b, s, p);
    }
    if (cell == CELL_GRU_BEFORE) gruResetBeforeBackward(source, rows, p, scratch);
    // dh_{s−1} = dG·Rᵀ (+ the direct path through z for a GRU); a skipped row keeps its dh.
    if (cell == CELL_GRU) step_nt(rows, U, G, rec, G, R, G, tmp, U, scratch);
    else step_nt(rows, U, cell == CELL_GRU_BEFORE ? 2 * U : G, cellOf(gates, 0, p, G), T * G, R, G, tmp, U, scratch);
    for (let b = 0; b < rows; b++) {
      if (!live(source, b, p)) continue;
      const dhb = at(dh, b * U);
      memory.copy(dhb, at(tmp, b * U), <usize>U << 2);
      if (cell == CELL_GRU || cell == CELL_GRU_BEFORE) addRow(dhb, at(direct, b * U), U);
    }
  }
  // The weights' gradients over all rows and steps at once.
  const steps = rows * T;
  gemm_tn(F, G, steps, x, F, gates, G, dW, G, scratch);
  if (cell == CELL_GRU) {
    gemm_tn(U, 2 * U, steps, states, U, gates, G, dR, G, scratch);
    gemm_tn(U, U, steps, states, U, cells, U, at(dR, 2 * U), G, scratch);
  } else if (cell == CELL_GRU_BEFORE) {
    gemm_tn(U, 2 * U, steps, states, U, gates, G, dR, G, scratch);
    gemm_tn(U, U, steps, cells, U, at(gates, 2 * U), G, at(dR, 2 * U), G, scratch);
  } else {
    gemm_tn(U, G, steps, states, U, gates, G, dR, G, scratch);
  }
  if (!dB) return;
  colsum(steps, G, gates, G, dB);
  if (cell == CELL_GRU) {
    colsum(steps, 2 * U, gates, G, at(dB, G));
    colsum(steps, U, cells, U, at(dB, G + 2 * U));
  }
}

/** LSTM's raw gate gradients before their activations' derivatives. */
@inline function lstmBack(g: usize, raw: usize, cPrev: usize, ac: usize, dhb: usize, dca: usize, dcb: usize, k: i32, one: bool): void {
  const i = ldvOr1(g, k, one), f = ldvOr1(g, U + k, one), cc = ldvOr1(g, 2 * U + k, one);
  const dcv = f32x4.add(ldvOr1(dcb, k, one), ldvOr1(dca, k, one));
  const prev = cPrev ? ldvOr1(cPrev, k, one) : f32x4.splat(0);
  stvOr1(raw, k, f32x4.mul(dcv, cc), one);
  stvOr1(raw, U + k, f32x4.mul(dcv, prev), one);
  stvOr1(raw, 2 * U + k, f32x4.mul(dcv, i), one);
  stvOr1(raw, 3 * U + k, f32x4.mul(ldvOr1(dhb, k, one), ldvOr1(ac, k, one)), one);
  stvOr1(dcb, k, f32x4.mul(dcv, f), one);
}

/** GRU's dz (before σ'), d(hh) (before act') and the direct path dh·z. */
@inline function gruBack(g: usize, raw: usize, hPrev: usize, dhb: usize, dir: usize, k: i32, one: bool): void {
  const z = ldvOr1(g, k, one), hh = ldvOr1(g, 2 * U + k, one), dhv = ldvOr1(dhb, k, one);
  stvOr1(raw, k, f32x4.mul(dhv, f32x4.sub(ldvOr1(hPrev, k, one), hh)), one);
  stvOr1(raw, 2 * U + k, f32x4.mul(dhv, f32x4.sub(f32x4.splat(1), z)), one);
  stvOr1(dir, k, f32x4.mul(dhv, z), one);
}

/** GRU reset_after: dr (before σ') = d(hh_pre)·hz_h, and the recurrent h-part d(hh_pre)·r in place of hz_h. */
@inline function gruAfterBack(g: usize, raw: usize, keep: usize, k: i32, one: bool): void {
  const dpre = ldvOr1(g, 2 * U + k, one);
  stvOr1(raw, U + k, f32x4.mul(dpre, ldvOr1(keep, k, one)), one);
  stvOr1(keep, k, f32x4.mul(dpre, ldvOr1(g, U + k, one)), one);
}

/** One row's step backward: g's gate values become dLoss/d(pre-activation); `r` (h·R's row) serves as room. */
function stepBackward(g: usize, r: usize, dhb: usize, b: i32, s: i32, p: i32): void {
  if (cell == CELL_SIMPLE) {
    f32_vact_bwd(act, alpha, 1, U, 0, g, dhb, g);
    return;
  }
  if (cell == CELL_LSTM) {
    const c = cellOf(cells, b, p, U), ac = cellOf(cellAct, b, p, U), cPrev = s > 0 ? cellOf(cells, b, position(s - 1), U) : 0;
    const dca = at(tmp, b * U), dcb = at(dc, b * U);
    // dc gains dh·o·act'(c).
    let k = 0;
    for (; k + 4 <= U; k += 4) mulTo(dca, dhb, at(g, 3 * U), k, false);
    for (; k < U; k++) mulTo(dca, dhb, at(g, 3 * U), k, true);
    f32_vact_bwd(act, alpha, 1, U, c, ac, dca, dca);
    k = 0;
    for (; k + 4 <= U; k += 4) lstmBack(g, r, cPrev, ac, dhb, dca, dcb, k, false);
    for (; k < U; k++) lstmBack(g, r, cPrev, ac, dhb, dca, dcb, k, true);
    f32_vact_bwd(recAct, recAlpha, 1, 2 * U, 0, g, r, g);
    f32_vact_bwd(act, alpha, 1, U, 0, at(g, 2 * U), at(r, 2 * U), at(g, 2 * U));
    f32_vact_bwd(recAct, recAlpha, 1, U, 0, at(g, 3 * U), at(r, 3 * U), at(g, 3 * U));
    return;
  }
  const hPrev = cellOf(states, b, p, U), dir = at(direct, b * U);
  let k = 0;
  for (; k + 4 <= U; k += 4) gruBack(g, r, hPrev, dhb, dir, k, false);
  for (; k < U; k++) gruBack(g, r, hPrev, dhb, dir, k, true);
  f32_vact_bwd(act, alpha, 1, U, 0, at(g, 2 * U), at(r, 2 * U), at(g, 2 * U));
  f32_vact_bwd(recAct, recAlpha, 1, U, 0, g, r, g);
  if (cell == CELL_GRU_BEFORE) return;
  const keep = cellOf(cells, b, p, U);
  k = 0;
  for (; k + 4 <= U; k += 4) gruAfterBack(g, r, keep, k, false);
  for (; k < U; k++) gruAfterBack(g, r, keep, k, true);
  f32_vact_bwd(recAct, recAlpha, 1, U, 0, at(g, U), at(r, U), at(g, U));
  // The recurrent side's gradient row for this step: dz, dr as the input side's, then d(hh_pre)·r.
  memory.copy(r, g, <usize>(2 * U) << 2);
  memory.copy(at(r, 2 * U), keep, <usize>U << 2);
}

/** GRU reset_before: d(r⊙h) = d(hh_pre)·R_hᵀ for every row, then dr (through σ') and r's share of dh_prev. */
function gruResetBeforeBackward(source: usize, rows: i32, p: i32, scratch: usize): void {
  step_nt(rows, U, U, at(cellOf(gates, 0, p, G), 2 * U), T * G, at(R, 2 * U), G, tmp, U, scratch);
  for (let b = 0; b < rows; b++) {
    if (!live(source, b, p)) continue;
    const g = cellOf(gates, b, p, G), raw = at(rec, b * G), hPrev = cellOf(states, b, p, U), drh = at(tmp, b * U), dir = at(direct, b * U);
    let k = 0;
    for (; k + 4 <= U; k += 4) resetBeforeBack(g, raw, hPrev, drh, dir, k, false);
    for (; k < U; k++) resetBeforeBack(g, raw, hPrev, drh, dir, k, true);
    f32_vact_bwd(recAct, recAlpha, 1, U, 0, at(g, U), at(raw, U), at(g, U));
  }
}

@inline function resetBeforeBack(g: usize, raw: usize, hPrev: usize, drh: usize, dir: usize, k: i32, one: bool): void {
  const d = ldvOr1(drh, k, one);
  stvOr1(raw, U + k, f32x4.mul(d, ldvOr1(hPrev, k, one)), one);
  stvOr1(dir, k, f32x4.add(ldvOr1(dir, k, one), f32x4.mul(d, ldvOr1(g, U + k, one))), one);
}
