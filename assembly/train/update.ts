// The optimizer's elementwise pass: weight decay, then the update, over any range of the parameter block.
// Its own file so the threaded build's pool can run ranges of it without importing the step that calls the pool.

import { H_PARAMS, H_GRADS, H_NPARAMS, H_OPT, H_SLOTS, H_OPT_HP, H_OPT_FLAGS, H_WEIGHT_DECAY, S_LR, S_DECAY_LR, S_AUX } from "../../src/shared/plan";
import { word, ptr, real } from "./record";
import { OPT_SGD, OPT_ADAM, OPT_ADAGRAD, OPT_RMSPROP, OPT_ADADELTA, OPT_ADAMAX, OPT_NADAM, OPT_LION } from "../../src/shared/ids";
import {
  f32_sgd, f32_momentum, f32_adam, f32_amsgrad, f32_adagrad, f32_rmsprop, f32_adadelta, f32_adamax,
  f32_nadam, f32_lion, f32_decay,
} from "../kernels/f32_opt";

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
