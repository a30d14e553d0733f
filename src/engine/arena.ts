// An arena: one heap block holding a model's plan, parameters, gradients and optimizer slots. A new
// layer or optimizer allocates a new arena and carries state over; the batch buffers are not here but
// in the shared workspace, bound into the plan before each call into WASM.
import * as P from '../shared/plan.js';
import type { Runtime } from '../wasm/load.js';
import { planArena, planWorkspace, writePlan, writeTensorTable, bindWorkspace, type ArenaLayout, type CompiledSpec, type PlanSpec } from './planner.js';
import { acquireWorkspace, workspaceAt } from './workspace.js';

export class Arena {
  readonly layout: ArenaLayout;
  /** The workspace offset and row cap the plan's buffer words point at. */
  private bound?: { ws: number; cap: number };

  private constructor(
    readonly rt: Runtime,
    readonly base: number,
    readonly spec: PlanSpec,
    readonly compiled: CompiledSpec | undefined,
    layout: ArenaLayout,
  ) {
    this.layout = layout;
    const words = rt.heap.i32(base, P.H_WORDS + spec.layers.length * P.LAYER_WORDS);
    writePlan(words, rt.heap.f32(base, words.length), base, spec, layout, compiled);
    writeTensorTable(rt.heap.i32(base + layout.table, layout.tensors.length * P.TENSOR_WORDS), 0, layout.tensors);
  }

  /** Plans and allocates; throws (allocating nothing) when it cannot fit in memory. */
  static allocate(rt: Runtime, spec: PlanSpec, compiled?: CompiledSpec): Arena {
    const layout = planArena(spec);
    const base = rt.heap.alloc(layout.bytes, `the parameters of model '${spec.name}'`);
    return new Arena(rt, base, spec, compiled, layout);
  }

  /**
   * A new arena for `spec`, carrying over parameters, the generator states and (if `keepSlots`) each
   * optimizer slot's values for the parameters that were already there. Everything else starts at 0.
   */
  replan(spec: PlanSpec, compiled: CompiledSpec | undefined, keepSlots: boolean): Arena {
    const next = Arena.allocate(this.rt, spec, compiled);
    const u8 = this.rt.heap.u8(0, this.rt.heap.memoryBytes);
    const copy = (to: number, from: number, bytes: number) => u8.copyWithin(to, from, from + bytes);
    copy(next.base + P.H_RNG * 4, this.base + P.H_RNG * 4, 16);
    // Each dropout layer's own stream carries over too.
    for (let l = 0; l < Math.min(spec.layers.length, this.spec.layers.length); l++) {
      copy(next.layerRng(l), this.layerRng(l), 16);
    }
    // Layers are only ever appended: each old tensor has its twin, same layer and name, in the new block.
    const twin = (t: { layer: number; weight: { name: string } }) => next.layout.tensors.find((n) => n.layer === t.layer && n.weight.name === t.weight.name)!;
    const params = (a: Arena, t: { offset: number }) => a.at(a.layout.params) + t.offset * 4;
    for (const t of this.layout.tensors) copy(params(next, twin(t)), params(this, t), t.size * 4);
    next.slots().fill(0);
    // Slot s of parameter i sits at s·nParams + i: with more parameters, each slot's block moves.
    if (keepSlots && spec.slots === this.spec.slots) {
      const [before, after] = [this.layout.nParams, next.layout.nParams];
      const slot = (a: Arena, s: number, n: number, t: { offset: number }) => a.at(a.layout.slots) + (s * n + t.offset) * 4;
      for (let s = 0; s < spec.slots; s++) {
        for (const t of this.layout.tensors) if (t.trainable) copy(slot(next, s, after, twin(t)), slot(this, s, before, t), t.size * 4);
      }
    }
    return next;
  }

  /**
   * Points the plan's batch buffers at the runtime's workspace, grown to hold `cap` rows of this model:
   * right before every call into WASM, since another model's call may have moved the workspace.
   */
  bind(cap: number): void {
    // Still bound: the workspace only grows, so at the same offset it still holds this layout.
    if (this.bound?.cap === cap && this.bound.ws === workspaceAt(this.rt.heap)) return;
    const ws = planWorkspace(this.spec, cap);
    const ptr = acquireWorkspace(this.rt.heap, ws.bytes, () => `a batch of ${cap} rows of model '${this.spec.name}'`);
    bindWorkspace(this.rt.heap.i32(this.base, P.H_WORDS + this.spec.layers.length * P.LAYER_WORDS), this.spec, ws, ptr);
    this.bound = { ws: ptr, cap };
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

  /** Live view of all parameters, trainable then non-trainable (valid until the next allocation). */
  params(): Float32Array {
    return this.rt.heap.f32(this.at(this.layout.params), this.layout.nParams + this.layout.nState);
  }

  grads(): Float32Array {
    return this.rt.heap.f32(this.at(this.layout.grads), this.layout.nParams);
  }

  /** Live view of the optimizer state: slot s of parameter i at s·nParams + i. */
  slots(): Float32Array {
    return this.rt.heap.f32(this.at(this.layout.slots), this.layout.nParams * this.spec.slots);
  }
}
