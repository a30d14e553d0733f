// GlobalAveragePooling1D under an Embedding's mask (Keras 3): [steps, c] → [c], the mean over the steps whose
// model-input index is not 0. A row with every step masked gives zeros (Keras divides 0 by 0).
import { L_Y, L_ARGS } from "../../src/shared/plan";
import { word, ptr } from "../train/record";
import { ldvOr1, stvOr1 } from "../core/ptr";

@inline function at(p: usize, floats: i32): usize {
  return p + (<usize>floats << 2);
}

/** The steps of row r the mask keeps. */
function kept(source: usize, r: i32, steps: i32): i32 {
  let n = 0;
  for (let t = 0; t < steps; t++) if (load<f32>(at(source, r * steps + t)) != 0) n++;
  return n;
}

@inline function addScaled(acc: usize, x: usize, k: i32, one: bool): void {
  stvOr1(acc, k, f32x4.add(ldvOr1(acc, k, one), ldvOr1(x, k, one)), one);
}

@inline function scale(v: usize, s: f32, k: i32, one: bool): void {
  stvOr1(v, k, f32x4.mul(ldvOr1(v, k, one), f32x4.splat(s)), one);
}

/** y[r] = Σ over kept steps of x[r, t] / their count, summed in step order. */
export function masked_mean_forward(rec: usize, x: usize, source: usize, rows: i32): void {
  const steps = word(rec, L_ARGS), c = word(rec, L_ARGS + 1), y = ptr(rec, L_Y);
  for (let r = 0; r < rows; r++) {
    const yr = at(y, r * c);
    memory.fill(yr, 0, <usize>c << 2);
    const n = kept(source, r, steps);
    if (n == 0) continue;
    for (let t = 0; t < steps; t++) {
      if (load<f32>(at(source, r * steps + t)) == 0) continue;
      const xt = at(x, (r * steps + t) * c);
      let k = 0;
      for (; k + 4 <= c; k += 4) addScaled(yr, xt, k, false);
      for (; k < c; k++) addScaled(yr, xt, k, true);
    }
    const inv: f32 = 1 / <f32>n;
    let k = 0;
    for (; k + 4 <= c; k += 4) scale(yr, inv, k, false);
    for (; k < c; k++) scale(yr, inv, k, true);
  }
}

/** dx[r, t] = d[r] / count at kept steps, 0 at masked ones. */
export function masked_mean_backward(rec: usize, d: usize, dPrev: usize, source: usize, rows: i32): void {
  if (!dPrev) return;
  const steps = word(rec, L_ARGS), c = word(rec, L_ARGS + 1);
  for (let r = 0; r < rows; r++) {
    const n = kept(source, r, steps), dr = at(d, r * c);
    const inv: f32 = n > 0 ? 1 / <f32>n : 0;
    for (let t = 0; t < steps; t++) {
      const dx = at(dPrev, (r * steps + t) * c);
      if (n == 0 || load<f32>(at(source, r * steps + t)) == 0) {
        memory.fill(dx, 0, <usize>c << 2);
        continue;
      }
      memory.copy(dx, dr, <usize>c << 2);
      let k = 0;
      for (; k + 4 <= c; k += 4) scale(dx, inv, k, false);
      for (; k < c; k++) scale(dx, inv, k, true);
    }
  }
}
