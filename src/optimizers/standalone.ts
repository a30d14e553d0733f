// Optimizer state for standalone use (opt.applyGradients on any Float32Array): a small plan with no
// layers, the parameters, gradients and slots in one heap block, stepped by the same WASM entry.
import * as P from '../shared/plan.js';
import { writeOptimizerHeader, writeTensorTable } from '../engine/planner.js';
import { getRuntime, type Runtime } from '../wasm/load.js';
import type { Optimizer } from './optimizer.js';

// Blocks of optimizers that are dropped are returned to the heap when they are collected.
const finalizer = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<Box>((b) => b.ptr && b.rt?.heap.free(b.ptr)) : undefined;

/** The state block and the runtime it lives in (the one current when the optimizer first stepped). */
interface Box {
  ptr: number;
  rt?: Runtime;
}

export class Standalone {
  private readonly box: Box = { ptr: 0 };
  private n = 0;
  private block?: ReturnType<typeof optimizerBlock>;

  constructor(private readonly optimizer: Optimizer) {
    finalizer?.register(this, this.box);
  }

  describe(): string {
    return 'its own parameter vector (applyGradients)';
  }

  /** Once it has state, for as long as the optimizer lives. */
  keeps(): boolean {
    return true;
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
    if (!this.block) {
      this.box.rt = getRuntime();
      this.block = optimizerBlock(opt, params.length, this.box.rt);
      this.box.ptr = this.block.base;
      this.n = params.length;
    }
    const { heap, kernels } = this.box.rt!;
    const b = this.block;
    heap.writeF32(b.params, params);
    heap.writeF32(b.grads, grads);
    heap.writeF32(b.scalars, scalars);
    kernels.optimizer_step(b.base, b.scalars);
    params.set(heap.f32(b.params, this.n));
    opt.iterations++;
  }
}

/**
 * A heap block holding a plan header with no layers and a one-entry tensor table (the vector is one
 * tensor to clipnorm), then n parameters, n gradients, the optimizer's slots (initialized) and one
 * step's scalars: what optimizer_step needs to update a bare vector.
 */
export function optimizerBlock(
  opt: Optimizer,
  n: number,
  { heap }: Runtime = getRuntime(),
): { base: number; params: number; grads: number; slots: number; scalars: number } {
  const head = (P.H_WORDS + P.TENSOR_WORDS) * 4;
  const base = heap.alloc(head + (2 + opt.slots) * n * 4 + P.STEP_WORDS * 4, `the state of optimizer '${opt.name}' for ${n} parameters`);
  const params = base + head;
  const grads = params + n * 4;
  const slots = grads + n * 4;
  const scalars = slots + opt.slots * n * 4;
  const words = heap.i32(base, P.H_WORDS + P.TENSOR_WORDS);
  words.fill(0);
  writeTensorTable(words, P.H_WORDS, [{ offset: 0, size: n }]);
  words[P.H_TENSORS] = base + P.H_WORDS * 4;
  words[P.H_NTENSORS] = 1;
  writeOptimizerHeader(words, heap.f32(base, P.H_WORDS), opt.header());
  words[P.H_PARAMS] = params;
  words[P.H_GRADS] = grads;
  words[P.H_SLOTS] = slots;
  words[P.H_NPARAMS] = n;
  const slotView = heap.f32(slots, opt.slots * n);
  slotView.fill(0);
  for (let s = 0; s < opt.slots; s++) opt.initSlot(s, slotView.subarray(s * n, (s + 1) * n));
  return { base, params, grads, slots, scalars };
}
