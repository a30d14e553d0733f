// One optimizer step over the plan's whole parameter block: clip the gradients (Keras allows one
// kind), apply decoupled weight decay, then the optimizer's single pass. The facade supplies the
// per-step scalars (scheduled learning rate, bias corrections) at `scalars`.

import { H_GRADS, H_NPARAMS, H_CLIP_KIND, H_CLIP, H_TENSORS, H_NTENSORS, T_OFFSET, T_SIZE, TENSOR_WORDS } from "../../src/shared/plan";
import { word, ptr, real } from "./record";
import { CLIP_VALUE, CLIP_NORM, CLIP_GLOBAL_NORM } from "../../src/shared/ids";
import { f32_clip_value, f32_clip_norm, f32_sumsq, f32_scale } from "../kernels/f32_clip";
import { optimizer_update } from "../threads/dispatch";

/**
 * Clips each parameter tensor's gradient to norm ≤ c, walking the plan's tensor table: only the
 * tensors that exist (layers without weights have no entry), each inside the gradient block.
 */
function clipEachTensor(plan: usize, c: f32): void {
  const table = ptr(plan, H_TENSORS), grads = ptr(plan, H_GRADS);
  for (let t = 0, T = word(plan, H_NTENSORS); t < T; t++) {
    const entry = table + (<usize>(t * TENSOR_WORDS) << 2);
    f32_clip_norm(word(entry, T_SIZE), grads + (<usize>word(entry, T_OFFSET) << 2), c);
  }
}

/** Keras clip_by_global_norm: scale every gradient by c·min(1/‖g‖, 1/c). */
function clipGlobalNorm(n: i32, g: usize, c: f32): void {
  const norm = <f32>Math.sqrt(f32_sumsq(n, g));
  const scale = c * min<f32>(<f32>1 / norm, <f32>1 / c);
  f32_scale(n, g, scale);
}

export function optimizer_step(plan: usize, scalars: usize): void {
  const n = word(plan, H_NPARAMS), g = ptr(plan, H_GRADS);
  const c = real(plan, H_CLIP);
  switch (word(plan, H_CLIP_KIND)) {
    case CLIP_VALUE: f32_clip_value(n, g, c); break;
    case CLIP_NORM: clipEachTensor(plan, c); break;
    case CLIP_GLOBAL_NORM: clipGlobalNorm(n, g, c); break;
  }
  // Clipping needs every gradient; what follows is elementwise, so the threaded build splits it.
  optimizer_update(plan, scalars, n);
}
