// Pooling layers: windowed max (argmax kept in the aux buffer) and average, and their global forms.
import { L_Y, L_AUX, L_ARGS, G_H, G_W, G_C } from "../../src/shared/plan";
import { word, ptr } from "../train/record";
import { f32_global_avgpool, f32_global_avgpool_bwd, f32_global_maxpool, f32_global_maxpool_bwd } from "../kernels/f32_pool";
import { maxpool, maxpool_bwd, avgpool, avgpool_bwd } from "../threads/dispatch";

@inline function geometry(rec: usize): usize {
  return rec + (<usize>L_ARGS << 2);
}

export function maxpool_forward(rec: usize, x: usize, rows: i32): void {
  maxpool(geometry(rec), rows, x, ptr(rec, L_Y), ptr(rec, L_AUX));
}

export function maxpool_backward(rec: usize, d: usize, dPrev: usize, rows: i32): void {
  if (dPrev) maxpool_bwd(geometry(rec), rows, d, ptr(rec, L_AUX), dPrev);
}

export function avgpool_forward(rec: usize, x: usize, rows: i32): void {
  avgpool(geometry(rec), rows, x, ptr(rec, L_Y));
}

export function avgpool_backward(rec: usize, d: usize, dPrev: usize, rows: i32): void {
  if (dPrev) avgpool_bwd(geometry(rec), rows, d, dPrev);
}

@inline function positions(rec: usize): i32 {
  const g = geometry(rec);
  return word(g, G_H) * word(g, G_W);
}

@inline function channels(rec: usize): i32 {
  return word(geometry(rec), G_C);
}

export function global_avgpool_forward(rec: usize, x: usize, rows: i32): void {
  f32_global_avgpool(rows, positions(rec), channels(rec), x, ptr(rec, L_Y));
}

export function global_avgpool_backward(rec: usize, d: usize, dPrev: usize, rows: i32): void {
  if (dPrev) f32_global_avgpool_bwd(rows, positions(rec), channels(rec), d, dPrev);
}

export function global_maxpool_forward(rec: usize, x: usize, rows: i32): void {
  f32_global_maxpool(rows, positions(rec), channels(rec), x, ptr(rec, L_Y), ptr(rec, L_AUX));
}

export function global_maxpool_backward(rec: usize, d: usize, dPrev: usize, rows: i32): void {
  if (dPrev) f32_global_maxpool_bwd(rows, positions(rec), channels(rec), d, ptr(rec, L_AUX), dPrev);
}
