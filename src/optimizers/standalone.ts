// Optimizer state for standalone use (opt.applyGradients on any Float32Array): a small plan with no
// layers, the parameters, gradients and slots in one heap block, stepped by the same WASM entry.
import * as P from '../shared/plan.js';
import { writeOptimizerHeader } from '../model/planner.js';
import { getRuntime } from '../wasm/load.js';
import type { Optimizer } from './optimizer.js';

// Blocks of optimizers that are dropped are returned to the heap when they are collected.
const finalizer = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<{ ptr: number }>((b) => b.ptr && getRuntime().heap.free(b.ptr)) : undefined;

export class Standalone {
  private readonly box = { ptr: 0 };
  private n = 0;

  constructor(private readonly optimizer: Optimizer) {
    finalizer?.register(this, this.box);
  }

  step(params: Float32Array, grads: ArrayLike<number>): void {
    const opt = this.optimizer;
    if (!(params instanceof Float32Array)) throw new Error(`applyGradients: params must be a Float32Array (updated in place), got ${typeof params}`);
    if (!grads || grads.length !== params.length) throw new Error(`applyGradients: grads has ${grads?.length} values but params has ${params.length}`);
    if (params.length === 0) throw new Error('applyGradients: params is empty');
    for (let i = 0; i < grads.length; i++) {
      if (!Number.isFinite(grads[i])) throw new Error(`applyGradients: grads[${i}] is ${grads[i]}; params left unchanged`);
    }
    if (this.box.ptr && params.length !== this.n) {
      throw new Error(`applyGradients: this optimizer's state is for ${this.n} parameters, got ${params.length}; use one optimizer per parameter vector`);
    }
    const scalars = new Float32Array(P.STEP_WORDS);
    opt.stepScalars(opt.iterations + 1, scalars);
    const { heap, kernels } = getRuntime();
    if (!this.box.ptr) this.allocate(params.length);
    const base = this.box.ptr;
    const n = this.n;
    const head = P.H_WORDS * 4;
    heap.writeF32(base + head, params);
    heap.writeF32(base + head + n * 4, grads);
    heap.writeF32(base + head + (2 + opt.slots) * n * 4, scalars);
    kernels.optimizer_step(base, base + head + (2 + opt.slots) * n * 4);
    params.set(heap.f32(base + head, n));
    opt.iterations++;
  }

  private allocate(n: number): void {
    const { heap } = getRuntime();
    const opt = this.optimizer;
    const head = P.H_WORDS * 4;
    const base = heap.alloc(head + (2 + opt.slots) * n * 4 + P.STEP_WORDS * 4);
    const words = heap.i32(base, P.H_WORDS);
    words.fill(0);
    writeOptimizerHeader(words, heap.f32(base, P.H_WORDS), opt.header());
    words[P.H_PARAMS] = base + head;
    words[P.H_GRADS] = base + head + n * 4;
    words[P.H_SLOTS] = base + head + 2 * n * 4;
    words[P.H_NPARAMS] = n;
    const slots = heap.f32(base + head + 2 * n * 4, opt.slots * n);
    slots.fill(0);
    opt.initSlots(slots);
    this.box.ptr = base;
    this.n = n;
  }
}
