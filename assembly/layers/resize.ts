// UpSampling2D and ZeroPadding2D over the G_* geometry: pure data movement, forward and its adjoint.
import { L_Y, L_ARGS } from "../../src/shared/plan";
import { ptr } from "../train/record";
import { f32_upsample, f32_upsample_bwd, f32_zeropad, f32_zeropad_bwd } from "../kernels/f32_resize";

@inline function geometry(rec: usize): usize {
  return rec + (<usize>L_ARGS << 2);
}

export function upsample_forward(rec: usize, x: usize, rows: i32): void {
  f32_upsample(geometry(rec), rows, x, ptr(rec, L_Y));
}

export function upsample_backward(rec: usize, d: usize, dPrev: usize, rows: i32): void {
  if (dPrev) f32_upsample_bwd(geometry(rec), rows, d, dPrev);
}

export function zeropad_forward(rec: usize, x: usize, rows: i32): void {
  f32_zeropad(geometry(rec), rows, x, ptr(rec, L_Y));
}

export function zeropad_backward(rec: usize, d: usize, dPrev: usize, rows: i32): void {
  if (dPrev) f32_zeropad_bwd(geometry(rec), rows, d, dPrev);
}
