// An arena: one heap block holding a model's plan, parameters, gradients, optimizer slots and batch
// caches. Re-planning (a larger batch, a new optimizer) allocates a new arena and carries state over.
import * as P from '../shared/plan.js';
import type { Runtime } from '../wasm/load.js';
import { planLayout, writePlan, type CompiledSpec, type Layout, type PlanSpec } from './planner.js';

export class Arena {
  readonly layout: Layout;

  private constructor(
    readonly rt: Runtime,
    readonly base: number,
    readonly spec: PlanSpec,
    readonly compiled: CompiledSpec | undefined,
  ) {
    this.layout = planLayout(spec);
    const words = rt.heap.i32(base, P.H_WORDS + spec.layers.length * P.LAYER_WORDS);
    const reals = rt.heap.f32(base, words.length);
    writePlan(words, reals, base, spec, this.layout, compiled);
  }

  static allocate(rt: Runtime, spec: PlanSpec, compiled?: CompiledSpec): Arena {
    const base = rt.heap.alloc(planLayout(spec).bytes);
    return new Arena(rt, base, spec, compiled);
  }

  /** A new arena for `spec`, carrying over parameters, the generator state and (if `keepSlots`) optimizer state. */
  replan(spec: PlanSpec, compiled: CompiledSpec | undefined, keepSlots: boolean): Arena {
    const next = Arena.allocate(this.rt, spec, compiled);
    const u8 = this.rt.heap.u8(0, this.rt.heap.memoryBytes);
    const copy = (to: number, from: number, bytes: number) => u8.copyWithin(to, from, from + bytes);
    copy(next.base + P.H_RNG * 4, this.base + P.H_RNG * 4, 16);
    // Each dropout layer's own stream carries over too.
    for (let l = 0; l < Math.min(spec.layers.length, this.spec.layers.length); l++) {
      copy(next.layerRng(l), this.layerRng(l), 16);
    }
    copy(next.base + next.layout.params, this.base + this.layout.params, this.layout.nParams * 4);
    const slotBytes = this.layout.nParams * 4 * this.spec.slots;
    if (keepSlots && spec.slots === this.spec.slots) copy(next.base + next.layout.slots, this.base + this.layout.slots, slotBytes);
    else this.rt.heap.f32(next.base + next.layout.slots, this.layout.nParams * spec.slots).fill(0);
    return next;
  }

  free(): void {
    this.rt.heap.free(this.base);
  }

  get plan(): number {
    return this.base;
  }

  get rng(): number {
    return this.base + P.H_RNG * 4;
  }

  /** The generator state of layer l's own stream (dropout masks). */
  layerRng(l: number): number {
    return this.base + (P.H_WORDS + l * P.LAYER_WORDS + P.L_RNG) * 4;
  }

  /** Absolute byte offset of a layout offset. */
  at(offset: number): number {
    return offset ? this.base + offset : 0;
  }

  /** Live view of all parameters (valid until the next allocation). */
  params(): Float32Array {
    return this.rt.heap.f32(this.at(this.layout.params), this.layout.nParams);
  }

  grads(): Float32Array {
    return this.rt.heap.f32(this.at(this.layout.grads), this.layout.nParams);
  }

  /** Live view of the optimizer state: slot s of parameter i at s·nParams + i. */
  slots(): Float32Array {
    return this.rt.heap.f32(this.at(this.layout.slots), this.layout.nParams * this.spec.slots);
  }
}
