// Raw-memory helpers shared by the kernels: f32 element access by byte base and element index.

/** Loads the f32 at element index `i` from byte base `p`. */
@inline export function ldf(p: usize, i: i32): f32 {
  return load<f32>(p + (<usize>i << 2));
}

/** Stores `v` at element index `i` from byte base `p`. */
@inline export function stf(p: usize, i: i32, v: f32): void {
  store<f32>(p + (<usize>i << 2), v);
}

/** Loads four f32 lanes at element index `i` from byte base `p` (no alignment needed). */
@inline export function ldv(p: usize, i: i32): v128 {
  return v128.load(p + (<usize>i << 2));
}

/** Stores four f32 lanes at element index `i` from byte base `p`. */
@inline export function stv(p: usize, i: i32, v: v128): void {
  v128.store(p + (<usize>i << 2), v);
}

/** Sum of the four lanes, in a fixed order (so results are identical everywhere). */
@inline export function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** Four lanes at element `i`, or when `one` (a scalar tail) element `i` splat across the lanes. With
 *  `ldvOr1`/`stvOr1` one SIMD formula serves the main loop and the tail: f32x4 lanes follow scalar f32
 *  IEEE semantics exactly, so both give bit-identical results. Pass `one` as a literal so it folds. */
@inline export function ldvOr1(p: usize, i: i32, one: bool): v128 {
  return one ? f32x4.splat(ldf(p, i)) : ldv(p, i);
}

/** Stores four lanes at element `i`, or when `one` only lane 0 at element `i`. */
@inline export function stvOr1(p: usize, i: i32, v: v128, one: bool): void {
  if (one) stf(p, i, f32x4.extract_lane(v, 0));
  else stv(p, i, v);
}

/** Loads `lanes` (1..3) f32 from element index `i` into the low lanes; the rest are 0. Reads exactly `lanes` floats. */
@inline export function ldvPart(p: usize, i: i32, lanes: i32): v128 {
  const q = p + (<usize>i << 2);
  if (lanes == 1) return v128.load32_zero(q);
  if (lanes == 2) return v128.load64_zero(q);
  return v128.load32_lane(q, v128.load64_zero(q), 2, 8);
}

/** Stores the low `lanes` (1..3) lanes of `v` at element index `i`; memory past them is untouched. */
@inline export function stvPart(p: usize, i: i32, lanes: i32, v: v128): void {
  const q = p + (<usize>i << 2);
  if (lanes == 1) {
    v128.store32_lane(q, v, 0);
  } else {
    v128.store64_lane(q, v, 0);
    if (lanes == 3) v128.store32_lane(q, v, 2, 8);
  }
}
