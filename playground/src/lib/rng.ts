// mulberry32 with a Gaussian (Box–Muller): seeded, so every run of a panel draws the same data.

export function rng(seed: number): { next(): number; normal(): number } {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return { next, normal };
}

export const linspace = (a: number, b: number, n: number) => Float32Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
