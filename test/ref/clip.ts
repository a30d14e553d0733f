// Reference gradient clipping from Keras 3 (keras/src/optimizers/base_optimizer.py: _clip_gradients,
// _clip_by_norm, clip_by_global_norm). `round = Math.fround` emulates the kernels' f32 arithmetic
// exactly (see ref/optimizers.ts); the default is float64.

type Round = (x: number) => number;
const exact: Round = (x) => x;

/** clipvalue: g = clip(g, −c, c) (NaN stays NaN). */
export function refClipValue(g: ArrayLike<number>, c: number): number[] {
  return Array.from(g, (x) => Math.min(Math.max(x, -c), c));
}

/** Σ x² in f64 in the kernel's order: lane sums over the blocks of four, (l0 + l1) + (l2 + l3), then the tail. */
export function refSumsqOrdered(x: ArrayLike<number>): number {
  const lane = [0, 0, 0, 0];
  let i = 0;
  for (; i + 4 <= x.length; i += 4) for (let l = 0; l < 4; l++) lane[l] += x[i + l] * x[i + l];
  let sum = lane[0] + lane[1] + (lane[2] + lane[3]);
  for (; i < x.length; i++) sum += x[i] * x[i];
  return sum;
}

/** Σ x² in plain index order (for the accuracy check). */
export function refSumsq(x: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i] * x[i];
  return sum;
}

/**
 * clipnorm on one tensor: norm = √Σg²;  g = (g·c) / max(norm, c);  unchanged when Σg² == 0.
 * With fround: the kernel's f32 form (norm = √ of the ordered f64 sum, rounded once to f32).
 */
export function refClipNorm(g: ArrayLike<number>, c: number, round: Round = exact): number[] {
  const r = round;
  const sumsq = round === exact ? refSumsq(g) : refSumsqOrdered(g);
  if (sumsq === 0) return Array.from(g);
  const denom = Math.max(r(Math.sqrt(sumsq)), c);
  return Array.from(g, (x) => r(r(x * c) / denom));
}

/**
 * Keras's clip_by_global_norm scale, in its f32 operation order, from the global Σg² (the sum of
 * every tensor's f32_sumsq) and the Python-float clip norm c:
 *   norm  = √Σg²                                   (f32)
 *   scale = f32(c) · min(1/norm, f32(1.0/c))        (1/norm in f32; 1.0/c in f64, then cast)
 *   scale = scale + (norm − norm)                   (NaN when the norm is Inf or NaN)
 * then every gradient g ← g·scale (f32_scale). Note the scale is not exactly 1 when norm ≤ c
 * (c·(1/c) rounds), as in Keras, so gradients are always multiplied.
 */
export function globalClipScale(totalSumsq: number, c: number): number {
  const f = Math.fround;
  const norm = f(Math.sqrt(totalSumsq));
  const scale = f(f(c) * Math.min(f(1 / norm), f(1 / c)));
  return f(scale + f(norm - norm));
}
