// Seeded integer randomness for shuffles and splits: xoshiro128** seeded through splitmix32. Only
// 32-bit integer arithmetic (Math.imul, shifts), so one seed gives the same sequence in every JS runtime.

/** A seeded xoshiro128** generator. */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** `seed`: any safe integer (both halves of a seed above 2³² are used). */
  constructor(seed = 0) {
    if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) throw new Error(`seed must be a safe integer, got ${String(seed)}`);
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    let x = (lo ^ Math.imul(hi, 0x85ebca6b)) >>> 0;
    const next = () => {
      // splitmix32
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A generator at a given xoshiro128** state (four 32-bit words, not all zero): for reference tests and replay. */
  static fromState(state: readonly [number, number, number, number]): Rng {
    const r = new Rng(0);
    [r.s0, r.s1, r.s2, r.s3] = state.map((v) => v >>> 0);
    if ((r.s0 | r.s1 | r.s2 | r.s3) === 0) throw new Error('Rng.fromState: the state must not be all zeros');
    return r;
  }

  /** The next unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform integer in [0, n), n ≤ 2³², without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 4294967296) throw new Error(`Rng.int needs an integer bound in [1, 2^32], got ${n}`);
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** A uniform float in [0, 1) with 32 random bits (exact: an integer divided by 2³²). */
  float(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Shuffles `a` in place (Fisher–Yates) and returns it. */
  shuffleInPlace<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A seeded random permutation of 0 … n − 1. */
export function permutation(n: number, seed = 0): number[] {
  if (!Number.isInteger(n) || n < 0) throw new Error(`permutation needs a non-negative integer count, got ${String(n)}`);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return new Rng(seed).shuffleInPlace(out);
}
