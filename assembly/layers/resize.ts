// UpSampling2D and ZeroPadding2D over the G_* geometry: pure data movement, forward and its adjoint.
import { L_Y, L_ARGS } from "../../src/shared/plan";
import { ptr } from "../train/record";
import { upsample, upsample_bwd, zeropad, zeropad_bwd } from "../threads/dispatch";

@inline function geometry(rec: usize): usize {
  return rec + (<usize>L_ARGS << 2);
}

export function upsample_forward(rec: usize, x: usize, rows: i32): void {
  upsample(geometry(rec), rows, x, ptr(rec, L_Y));
}

export function upsample_backward(rec: usize, d: usize, dPrev: usize, rows: i32): void {
  if (dPrev) upsample_bwd(geometry(rec), rows, d, dPrev);
}

export function zeropad_forward(rec: usize, x: usize, rows: i32): void {
  zeropad(geometry(rec), rows, x, ptr(rec, L_Y));
}

export function zeropad_backward(rec: usize, d: usize, dPrev: usize, rows: i32): void {
  if (dPrev) zeropad_bwd(geometry(rec), rows, d, dPrev);
}
