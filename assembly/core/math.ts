// Scalar math for the facade's per-step schedules, computed here because JS engines may round
// Math.pow and Math.cos differently; inside WASM every runtime gets the same bits.

export function math_pow(x: f64, y: f64): f64 {
  return Math.pow(x, y);
}

export function math_cos(x: f64): f64 {
  return Math.cos(x);
}
