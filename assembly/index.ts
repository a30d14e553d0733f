// The module's exports: every kernel, and the training entry points over a planned arena.
import { fingerprint } from "../src/shared/plan";
import { ACT_COUNT, LOSS_COUNT, OPT_COUNT, STAT_COUNT } from "../src/shared/ids";

export * from "./kernels/f32_gemm";
export * from "./kernels/f32_vact";
export * from "./kernels/f32_loss";
export * from "./kernels/f32_opt";
export * from "./kernels/f32_clip";
export * from "./kernels/f32_check";
export * from "./kernels/f32_conv";
export * from "./kernels/f32_pool";
export * from "./kernels/f32_resize";
export * from "./kernels/f32_norm";
export * from "./kernels/f32_reg";

/** First free byte after static data: where the TypeScript Heap starts allocating. */
export function heap_base(): usize {
  return __heap_base;
}

export { rng_seed, rng_uniform, rng_normal, rng_permutation, rng_fork, rng_dropout_mask } from "./core/rng";
export { net_train, net_train_forward, net_train_backward, net_record, net_evaluate, net_predict } from "./train/network";
export { optimizer_step } from "./train/step";
export { math_pow, math_cos } from "./core/math";

/** The layout and id-count fingerprint this module was compiled with (see src/shared/plan.ts). */
export function layout_signature(): f64 {
  return fingerprint(ACT_COUNT, LOSS_COUNT, OPT_COUNT, STAT_COUNT);
}
