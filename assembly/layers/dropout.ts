// Dropout: training multiplies by a fresh scaled mask (0 or 1/(1 − rate)) from the layer's own stream; inference copies.
import { L_OUT, L_Y, L_MASK, L_RNG, L_RATE } from "../../src/shared/plan";
import { word, ptr, real } from "../train/record";
import { vmul } from "../threads/dispatch";
import { rng_dropout_mask } from "../core/rng";

export function dropout_forward(rec: usize, x: usize, rows: i32, training: bool): void {
  const n = rows * word(rec, L_OUT), y = ptr(rec, L_Y);
  if (training) {
    const mask = ptr(rec, L_MASK);
    rng_dropout_mask(rec + (<usize>L_RNG << 2), mask, n, real(rec, L_RATE));
    vmul(n, x, mask, y);
  } else {
    memory.copy(y, x, <usize>n << 2);
  }
}

export function dropout_backward(rec: usize, d: usize, dPrev: usize, rows: i32): void {
  if (dPrev) vmul(rows * word(rec, L_OUT), d, ptr(rec, L_MASK), dPrev);
}
