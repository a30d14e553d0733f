// Flatten and Reshape: rows keep their values and order, only the shape TS reports changes.
import { L_OUT, L_Y } from "../../src/shared/plan";
import { word, ptr } from "../train/record";

export function reshape_forward(rec: usize, x: usize, rows: i32): void {
  memory.copy(ptr(rec, L_Y), x, <usize>(rows * word(rec, L_OUT)) << 2);
}

export function reshape_backward(rec: usize, d: usize, dPrev: usize, rows: i32): void {
  if (dPrev) memory.copy(dPrev, d, <usize>(rows * word(rec, L_OUT)) << 2);
}
