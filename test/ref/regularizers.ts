// Float64 references for weight regularization: the penalty l1·Σ|w| + l2·Σw² and its gradient.

/** l1·Σ|w| + l2·Σw² in float64. */
export function refPenalty(w: ArrayLike<number>, l1: number, l2: number): number {
  let abs = 0;
  let sq = 0;
  for (let i = 0; i < w.length; i++) {
    abs += Math.abs(w[i]);
    sq += w[i] * w[i];
  }
  return l1 * abs + l2 * sq;
}

/** g + l1·sign(w) + 2·l2·w in float64 (sign(0) = 0). */
export function refPenaltyGrad(w: ArrayLike<number>, g: ArrayLike<number>, l1: number, l2: number): Float64Array {
  return Float64Array.from(g, (gi, i) => gi + l1 * Math.sign(w[i]) + 2 * l2 * w[i]);
}
