// One optimizer step over the plan's whole parameter block: clip the gradients (Keras allows one
// kind), apply decoupled weight decay, then the optimizer's single pass. The facade supplies the
// per-step scalars (scheduled learning rate, bias corrections) at `scalars`.

import {
  H_PARAMS, H_GRADS, H_NPARAMS, H_OPT, H_SLOTS, H_OPT_HP, H_OPT_FLAGS, H_CLIP_KIND, H_CLIP,
  H_WEIGHT_DECAY, H_TENSORS, H_NTENSORS, T_OFFSET, T_SIZE, TENSOR_WORDS, S_LR, S_DECAY_LR, S_AUX,
} from "../../src/shared/plan";
import { word, ptr, real } from "./record";
import {
  OPT_SGD, OPT_ADAM, OPT_ADAGRAD, OPT_RMSPROP, OPT_ADADELTA, OPT_ADAMAX, OPT_NADAM, OPT_LION,
  CLIP_VALUE, CLIP_NORM, CLIP_GLOBAL_NORM,
} from "../../src/shared/ids";
import {
  f32_sgd, f32_momentum, f32_adam, f32_amsgrad, f32_adagrad, f32_rmsprop, f32_adadelta, f32_adamax,
  f32_nadam, f32_lion, f32_decay,
} from "../kernels/f32_opt";
import { f32_clip_value, f32_clip_norm, f32_sumsq, f32_scale } from "../kernels/f32_clip";
import { mt_optimizer } from "../threads/pool";

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
  const n = word(plan, H_NPARAMS), p = ptr(plan, H_PARAMS), g = ptr(plan, H_GRADS);
  const c = real(plan, H_CLIP);
  switch (word(plan, H_CLIP_KIND)) {
    case CLIP_VALUE: f32_clip_value(n, g, c); break;
    case CLIP_NORM: clipEachTensor(plan, c); break;
    case CLIP_GLOBAL_NORM: clipGlobalNorm(n, g, c); break;
  }
  // Clipping needs every gradient; what follows is elementwise, so the threaded build splits it.
  if (ASC_FEATURE_THREADS) mt_optimizer(plan, scalars, n);
  else update(plan, scalars, p, g, 0, n, n);
}

/** Weight decay and the optimizer's update for parameters [i0, i0 + n) (the threaded build's chunks). */
export function optimizer_range(plan: usize, scalars: usize, i0: i32, n: i32): void {
  const at = <usize>i0 << 2;
  update(plan, scalars, ptr(plan, H_PARAMS) + at, ptr(plan, H_GRADS) + at, at, n, word(plan, H_NPARAMS));
}

/**
 * Weight decay, then the optimizer's pass, over the n parameters at p (gradients at g), `at` bytes into
 * the plan's `total` parameters: every element on its own, so any split gives the same bits.
 */
@inline function update(plan: usize, scalars: usize, p: usize, g: usize, at: usize, n: i32, total: i32): void {
  const lr = real(scalars, S_LR);
  const wd = real(plan, H_WEIGHT_DECAY);
  if (wd != 0) f32_decay(n, p, wd, real(scalars, S_DECAY_LR));

  // Slot s of parameter i lives at slots + (s·total + i)·4; hp are the optimizer's constants in order.
  const slots = ptr(plan, H_SLOTS) + at, slot = <usize>total << 2, flags = word(plan, H_OPT_FLAGS);
  const hp = plan + (<usize>H_OPT_HP << 2);
  const hp0 = load<f32>(hp), hp1 = load<f32>(hp, 4), hp2 = load<f32>(hp, 8), hp3 = load<f32>(hp, 12);
  const aux = scalars + (<usize>S_AUX << 2);
  switch (word(plan, H_OPT)) {
    case OPT_SGD: // hp: momentum
      if (hp0 == 0) f32_sgd(n, p, g, lr);
      else f32_momentum(n, p, g, slots, lr, hp0, flags & 1);
      break;
    case OPT_ADAM: // hp: 1−β1, 1−β2, ε; slots m, v (, v̂ with amsgrad)
      if (flags & 2) f32_amsgrad(n, p, g, slots, slots + slot, slots + 2 * slot, lr, hp0, hp1, hp2);
      else f32_adam(n, p, g, slots, slots + slot, lr, hp0, hp1, hp2);
      break;
    case OPT_ADAGRAD: // hp: ε; slot: accumulator
      f32_adagrad(n, p, g, slots, lr, hp0);
      break;
    case OPT_RMSPROP: { // hp: ρ, 1−ρ, momentum, ε; slots v (, momentum) (, mean gradient when centered)
      const mom = hp2 != 0 ? slots + slot : 0;
      const avg = flags & 4 ? slots + (mom ? 2 : 1) * slot : 0;
      f32_rmsprop(n, p, g, slots, mom, avg, lr, hp0, hp1, hp2, hp3, (flags >> 2) & 1);
      break;
    }
    case OPT_ADADELTA: // hp: ρ, 1−ρ, ε; slots: accumulated g², accumulated Δ²
      f32_adadelta(n, p, g, slots, slots + slot, lr, hp0, hp1, hp2);
      break;
    case OPT_ADAMAX: // hp: 1−β1, β2, ε; slots m, u; aux: β1ᵗ
      f32_adamax(n, p, g, slots, slots + slot, lr, hp0, hp1, hp2, load<f32>(aux));
      break;
    case OPT_NADAM: // hp: 1−β1, 1−β2, ε; slots m, v; aux: u_t, u_t+1, Πu_t, Πu_t+1, β2ᵗ
      f32_nadam(n, p, g, slots, slots + slot, lr, hp0, hp1, hp2, load<f32>(aux), load<f32>(aux, 4), load<f32>(aux, 8), load<f32>(aux, 12), load<f32>(aux, 16));
      break;
    case OPT_LION: // hp: β1, 1−β1, β2, 1−β2; slot m
      f32_lion(n, p, g, slots, lr, hp0, hp1, hp2, hp3);
      break;
  }
}
