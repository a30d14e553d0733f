// Option values checked as the WASM kernels will see them: integers as i32 (a larger one would wrap
// inside WASM), reals as f32 (1e39 is a finite double but an infinite float). Each error names the
// option and the value, and is thrown before anything changes.

/** The largest count, size or index that crosses into WASM (i32). */
export const I32_MAX = 0x7fffffff;

/** A positive integer option such as batchSize or units, at most `max`. */
export function checkPositiveInteger(name: string, value: unknown, max = I32_MAX): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > max) {
    throw new Error(`${name} must be a positive integer${atMost(value, max)}, got ${show(value)}`);
  }
  return value;
}

/** A non-negative integer option such as epochs, at most `max`. */
export function checkCount(name: string, value: unknown, max = I32_MAX): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new Error(`${name} must be an integer ≥ 0${atMost(value, max)}, got ${show(value)}`);
  }
  return value;
}

/** Bounds of a real option; `above`/`below` exclude the bound, `min`/`max` include it. */
export interface RealRange {
  min?: number;
  max?: number;
  above?: number;
  below?: number;
}

/**
 * A real option the kernels read as f32: finite and inside the range, both as given and after rounding
 * to f32 (1e39 is infinite as a float; an epsilon of 1e-50 rounds to 0; a β of 0.99999999 rounds to 1).
 * Returns the value as given: complements such as 1 − β are formed from it in float64.
 */
export function checkReal(name: string, value: unknown, range: RealRange = {}): number {
  if (typeof value !== 'number' || !inRange(value, range)) throw new Error(`${name} must be ${describeRange(range)}, got ${show(value)}`);
  const f = Math.fround(value);
  if (!inRange(f, range)) {
    throw new Error(`${name} must be ${describeRange(range)}, got ${value}, which is ${f} as the 32-bit float the kernels compute with`);
  }
  return value;
}

function inRange(v: number, { min, max, above, below }: RealRange): boolean {
  return Number.isFinite(v) && !(min !== undefined && v < min) && !(max !== undefined && v > max) && !(above !== undefined && v <= above) && !(below !== undefined && v >= below);
}

function describeRange({ min, max, above, below }: RealRange): string {
  const lo = min !== undefined ? `[${min}` : above !== undefined ? `(${above}` : undefined;
  const hi = max !== undefined ? `${max}]` : below !== undefined ? `${below})` : undefined;
  if (lo && hi) return `in ${lo}, ${hi}`;
  if (lo) return `a finite number ${min !== undefined ? '≥' : '>'} ${min ?? above}`;
  if (hi) return `a finite number ${max !== undefined ? '≤' : '<'} ${max ?? below}`;
  return 'a finite number';
}

// The upper bound is named only when it is the reason.
const atMost = (v: unknown, max: number) => (typeof v === 'number' && v > max ? ` no larger than ${max}` : '');

function show(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return String(v);
  return typeof v;
}
