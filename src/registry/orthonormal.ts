// The QR step of the Orthogonal initializer, in float64 with only + − × ÷ and sqrt, so every JS engine
// gives the same bits (Math.* transcendental functions may differ between engines; these may not).

/**
 * The Q of the thin QR factorization a = Q·R with R's diagonal made non-negative (Keras's q·sign(diag r)),
 * for an m×c row-major matrix a with m ≥ c. Modified Gram–Schmidt, each column orthogonalized twice
 * ("twice is enough") so QᵀQ = I to float64 rounding even for ill-conditioned draws. A column that is
 * numerically dependent on the earlier ones comes out zero, as sign(0) = 0 makes it in Keras.
 * @returns Q column-major: column j at [j·m, (j+1)·m).
 */
export function orthonormalColumns(a: ArrayLike<number>, m: number, c: number): Float64Array {
  if (!(m >= c)) throw new Error(`orthonormalColumns: needs rows ≥ columns, got ${m}×${c}`);
  const q = new Float64Array(m * c);
  for (let i = 0; i < m; i++) for (let j = 0; j < c; j++) q[j * m + i] = a[i * c + j];
  for (let j = 0; j < c; j++) {
    const v = j * m;
    const before = norm(q, v, m);
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < j; p++) {
        const u = p * m;
        let dot = 0;
        for (let i = 0; i < m; i++) dot += q[u + i] * q[v + i];
        for (let i = 0; i < m; i++) q[v + i] -= dot * q[u + i];
      }
    }
    const r = norm(q, v, m);
    // Rank-deficient (to rounding): what remains is noise, not a direction.
    const scale = r > before * 1e-12 && r > 0 ? 1 / r : 0;
    for (let i = 0; i < m; i++) q[v + i] *= scale;
  }
  return q;
}

function norm(q: Float64Array, at: number, m: number): number {
  let s = 0;
  for (let i = 0; i < m; i++) s += q[at + i] * q[at + i];
  return Math.sqrt(s);
}
