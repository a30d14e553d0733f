// A small seeded generator for test data, so every failing case can be replayed.

/** mulberry32: uniform floats in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` floats uniform in [lo, hi), rounded to f32 so the reference sees exactly what WASM sees. */
export function uniform(next: () => number, n: number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * next();
  return out;
}

/** Relative error |a − b| / max(|b|, floor): the measure every numeric test uses. */
export function relErr(a: number, b: number, floor = 1e-6): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), floor);
}

/** Largest relative error over two arrays, with the index where it occurs. */
export function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-6): { err: number; at: number } {
  return worst(a, b, (i) => Math.max(Math.abs(b[i]), floor));
}

/** Largest |got − want| / scale(i) over two arrays, with the index where it occurs. */
export function worst(got: ArrayLike<number>, want: ArrayLike<number>, scale: (i: number) => number): { err: number; at: number } {
  if (got.length !== want.length) throw new Error(`length ${got.length} vs ${want.length}`);
  let err = 0;
  let at = -1;
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i] - want[i]) / scale(i);
    if (!(e <= err)) {
      err = e;
      at = i;
    }
  }
  return { err, at };
}
