// Seeded randomness inside WASM (xoshiro128**, seeded by splitmix32), so initial weights and
// shuffles are bit-identical in every runtime: no JS Math.random, Math.log or Math.cos involved.

import { stf } from "./ptr";

@inline function rotl(x: u32, k: u32): u32 {
  return (x << k) | (x >>> (32 - k));
}

/** Seeds the 4-word state at `s` from a 32-bit seed. */
export function rng_seed(s: usize, seed: u32): void {
  let z = seed;
  for (let i = 0; i < 4; i++) {
    z += 0x9e3779b9;
    let t = z;
    t = (t ^ (t >>> 16)) * 0x85ebca6b;
    t = (t ^ (t >>> 13)) * 0xc2b2ae35;
    t ^= t >>> 16;
    store<u32>(s + (<usize>i << 2), t == 0 && i == 0 ? 1 : t);
  }
}

// The state of the generator a kernel draws from, in globals between takeState and saveState: a draw is
// then arithmetic with no call and no linear-memory access, which counts most in baseline-compiled code
// (a model's first weights: one long call, which never tiers up). Each thread has its own globals.
let x0: u32 = 0, x1: u32 = 0, x2: u32 = 0, x3: u32 = 0;

@inline function takeState(s: usize): void {
  x0 = load<u32>(s); x1 = load<u32>(s, 4); x2 = load<u32>(s, 8); x3 = load<u32>(s, 12);
}

@inline function saveState(s: usize): void {
  store<u32>(s, x0); store<u32>(s, x1, 4); store<u32>(s, x2, 8); store<u32>(s, x3, 12);
}

/** xoshiro128**: the next 32 bits of the state taken. */
@inline function next(): u32 {
  const result = rotl(x1 * 5, 7) * 9;
  const t = x1 << 9;
  x2 ^= x0;
  x3 ^= x1;
  x1 ^= x2;
  x0 ^= x3;
  x2 ^= t;
  x3 = rotl(x3, 11);
  return result;
}

/** The next 32 random bits. */
export function rng_next(s: usize): u32 {
  takeState(s);
  const r = next();
  saveState(s);
  return r;
}

/** Uniform in [0, 1) with 53 random bits: (27 bits << 26 | 26 bits), as f64 arithmetic, exact below 2^53. */
@inline function uniform01(): f64 {
  const high = next() >>> 5;
  return (<f64>high * 67108864.0 + <f64>(next() >>> 6)) * (1.0 / 9007199254740992.0);
}

/** Standard normal by Box–Muller (the cosine branch; one draw per pair of uniforms). */
@inline function normal01(): f64 {
  let u = uniform01();
  while (u <= 0) u = uniform01();
  const v = uniform01();
  return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
}

/** Fills n floats uniform in [lo, hi). */
export function rng_uniform(s: usize, out: usize, n: i32, lo: f64, hi: f64): void {
  takeState(s);
  for (let i = 0; i < n; i++) stf(out, i, <f32>(lo + (hi - lo) * uniform01()));
  saveState(s);
}

/** Fills n floats from N(mean, std²); truncated != 0 redraws values beyond two standard deviations. */
export function rng_normal(s: usize, out: usize, n: i32, mean: f64, std: f64, truncated: i32): void {
  takeState(s);
  for (let i = 0; i < n; i++) {
    let z = normal01();
    if (truncated) while (Math.abs(z) > 2.0) z = normal01();
    stf(out, i, <f32>(mean + std * z));
  }
  saveState(s);
}

/** Fills idx[0..n) with a uniformly random permutation of 0..n−1 (Fisher–Yates). */
export function rng_permutation(s: usize, idx: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<i32>(idx + (<usize>i << 2), i);
  takeState(s);
  for (let i = n - 1; i > 0; i--) {
    // Unbiased bounded draw (Lemire's multiply-shift with rejection).
    const bound = <u32>(i + 1);
    let m = <u64>next() * <u64>bound;
    if (<u32>m < bound) {
      const threshold: u32 = (<u32>0 - bound) % bound;
      while (<u32>m < threshold) m = <u64>next() * <u64>bound;
    }
    const j = <i32>(m >>> 32);
    const pi = idx + (<usize>i << 2), pj = idx + (<usize>j << 2);
    const t = load<i32>(pi);
    store<i32>(pi, load<i32>(pj));
    store<i32>(pj, t);
  }
  saveState(s);
}

/** Seeds the state at `dst` from the next output of `s`: an independent stream per consumer. */
export function rng_fork(s: usize, dst: usize): void {
  rng_seed(dst, rng_next(s));
}

/** Fills n floats with a dropout mask: 0 with probability `rate`, else 1/(1 − rate) (inverted dropout). */
export function rng_dropout_mask(s: usize, out: usize, n: i32, rate: f32): void {
  const keep = <f32>1 / (<f32>1 - rate);
  // Compare 24 random bits against rate·2²⁴: exact in f32, so every runtime draws the same mask.
  const threshold = <u32>(<f64>rate * 16777216.0);
  takeState(s);
  for (let i = 0; i < n; i++) stf(out, i, (next() >>> 8) < threshold ? <f32>0 : keep);
  saveState(s);
}
