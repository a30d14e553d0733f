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
