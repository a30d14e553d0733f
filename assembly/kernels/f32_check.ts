// Input validation at memory speed: the facade checks every value a user hands in (x, y, weights) for
// NaN and ±Infinity before anything trains on it; in JavaScript that pass cost more than an epoch's gathers.

const EXP = 0x7f800000;

/** Index of the first NaN or ±Infinity among the n floats at p (all exponent bits set), or −1. */
export function f32_find_nonfinite(p: usize, n: i32): i32 {
  const exp = i32x4.splat(EXP);
  let i = 0;
  // 16 floats a step: one any_true over four lane tests.
  for (; i + 16 <= n; i += 16) {
    const at = p + (<usize>i << 2);
    const a = i32x4.eq(v128.and(v128.load(at), exp), exp);
    const b = i32x4.eq(v128.and(v128.load(at, 16), exp), exp);
    const c = i32x4.eq(v128.and(v128.load(at, 32), exp), exp);
    const d = i32x4.eq(v128.and(v128.load(at, 48), exp), exp);
    if (v128.any_true(v128.or(v128.or(a, b), v128.or(c, d)))) break;
  }
  for (; i < n; i++) {
    if ((load<i32>(p + (<usize>i << 2)) & EXP) == EXP) return i;
  }
  return -1;
}
