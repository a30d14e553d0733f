// Kernel and bias regularizers over the plan's tensor table: each trainable tensor's L1 and L2 factors
// (0 for none) give the penalty the training loss includes and its gradient, added to the weight
// gradient after backpropagation and before clipping and the optimizer step.

import { H_PARAMS, H_GRADS, H_TENSORS, H_NTENSORS, T_OFFSET, T_SIZE, T_L1, T_L2, TENSOR_WORDS } from "../../src/shared/plan";
import { word, ptr, real } from "./record";
import { f32_penalty, f32_penalty_grad } from "../kernels/f32_reg";

@inline function entry(plan: usize, t: i32): usize {
  return ptr(plan, H_TENSORS) + (<usize>(t * TENSOR_WORDS) << 2);
}

/** Σ over the regularized tensors of l1·Σ|w| + l2·Σw², with the weights as they are now. */
export function penalty(plan: usize): f64 {
  const params = ptr(plan, H_PARAMS);
  let total: f64 = 0;
  for (let t = 0, T = word(plan, H_NTENSORS); t < T; t++) {
    const e = entry(plan, t), l1 = real(e, T_L1), l2 = real(e, T_L2);
    if (l1 != 0 || l2 != 0) total += f32_penalty(word(e, T_SIZE), params + (<usize>word(e, T_OFFSET) << 2), l1, l2);
  }
  return total;
}

/** Adds each regularized tensor's l1·sign(w) + 2·l2·w to its gradient. */
export function regularize(plan: usize): void {
  const params = ptr(plan, H_PARAMS), grads = ptr(plan, H_GRADS);
  for (let t = 0, T = word(plan, H_NTENSORS); t < T; t++) {
    const e = entry(plan, t), l1 = real(e, T_L1), l2 = real(e, T_L2);
    if (l1 == 0 && l2 == 0) continue;
    const at = <usize>word(e, T_OFFSET) << 2;
    f32_penalty_grad(word(e, T_SIZE), params + at, grads + at, l1, l2);
  }
}
