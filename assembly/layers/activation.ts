// Activation as a layer of its own: y = act(x), δ_prev = δ ⊙ act'.
import { L_OUT, L_ACT, L_ALPHA, L_Y } from "../../src/shared/plan";
import { word, ptr, real } from "../train/record";
import { vact, vact_bwd } from "../threads/dispatch";
import { ACT_SOFTMAX } from "../../src/shared/ids";

export function activation_forward(rec: usize, x: usize, rows: i32): void {
  vact(word(rec, L_ACT), real(rec, L_ALPHA), rows, word(rec, L_OUT), x, ptr(rec, L_Y));
}

export function activation_backward(rec: usize, x: usize, d: usize, dPrev: usize, rows: i32, turned: bool): void {
  if (!dPrev) return;
  const units = word(rec, L_OUT);
  if (turned) memory.copy(dPrev, d, <usize>(rows * units) << 2);
  else vact_bwd(word(rec, L_ACT), real(rec, L_ALPHA), rows, units, x, ptr(rec, L_Y), d, dPrev);
}
