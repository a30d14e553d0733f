// The trainer: owns a model's arena for the model's life (built on first use, re-planned when a layer or
// the optimizer changes, freed by dispose() or the garbage collector), stages rows in WASM memory and
// makes every net_* call. The model (src/model/) is the user's object: it checks arguments and shapes,
// then asks its trainer; the fit loop (src/train/fit.ts) drives the same trainer.
import * as ids from '../shared/ids.js';
import { H_SW, H_WORDS, H_Y, LAYER_WORDS, L_D, L_Y, STEP_WORDS } from '../shared/plan.js';
import { lossMetric, type MetricRow } from '../registry/metrics.js';
import { lossAndGradient, lossValue, metricSum, type LossFunction, type MetricFunction } from '../registry/js-functions.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { Matrix } from '../tensor.js';
import type { Logs } from '../train/logs.js';
import { getRuntime, type Runtime } from '../wasm/load.js';
import { Arena } from './arena.js';
import type { CompiledSpec, PlanSpec } from './planner.js';
import { windowRows } from './staging.js';

// Models dropped without dispose() give their arena back when collected.
const finalizer =
  typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<{ arena?: Arena }>((box) => box.arena?.free()) : undefined;

/** What of a pass runs in JS between the forward and backward calls: the loss, the metric functions. */
export interface JsParts {
  loss?: LossFunction;
  metrics: { key: string; fn: MetricFunction; slot: number }[];
  /** f64 statistics words a pass needs: the kernels' STAT_COUNT, then one per metric function. */
  statWords: number;
}

export class Trainer {
  private readonly box: { arena?: Arena } = {};
  /** The compiled loss when it is written in JS (compile sets it; the plan carries LOSS_EXTERNAL). */
  lossFunction?: LossFunction;
  /** The metrics as resolved for an arena, so logs() resolves them once, not every epoch. */
  private logRows?: { arena: Arena; rows: MetricRow[] };

  /** `owner` is the model: when it is collected, the arena is freed. */
  constructor(owner: object, private readonly seed: number) {
    finalizer?.register(owner, this.box, this.box);
  }

  /**
   * The runtime the model lives in: its arena's (a model stays in the module it was built in, e.g.
   * single-threaded when setThreads comes later), else the current one, or a clear error before df.ready().
   */
  get rt(): Runtime {
    return this.box.arena?.rt ?? getRuntime();
  }

  /** The arena, once built. */
  get arena(): Arena | undefined {
    return this.box.arena;
  }

  /** Builds the arena for `spec` on first use: seeds the model's stream, initializes every layer, starts the optimizer's slots. */
  build(spec: PlanSpec, compiled: CompiledSpec | undefined, optimizer: Optimizer | undefined): Arena {
    if (this.box.arena) return this.box.arena;
    const arena = Arena.allocate(this.rt, spec, compiled);
    this.swap(arena);
    this.rt.kernels.rng_seed(arena.rng, this.seed);
    for (let l = 0; l < spec.layers.length; l++) this.initialize(l);
    this.freshSlots(optimizer);
    return arena;
  }

  /** A re-planned arena carrying the state over, not yet in use (so a failure changes nothing); undefined before the first build. */
  replan(spec: PlanSpec, compiled: CompiledSpec | undefined, keepSlots: boolean): Arena | undefined {
    return this.box.arena?.replan(spec, compiled, keepSlots);
  }

  /** Switches to a re-planned arena after a layer was appended: initializes the new layer and its optimizer slots. */
  adoptGrown(next: Arena, optimizer: Optimizer | undefined): void {
    const carried = this.box.arena!.layout.nParams;
    this.swap(next);
    this.initialize(next.spec.layers.length - 1);
    // The new parameters' optimizer state starts as the optimizer starts it (Adagrad's accumulator).
    this.initSlots(carried, optimizer);
  }

  /** Switches to a re-planned arena after compile(); a new optimizer starts its slots fresh. */
  adoptCompiled(next: Arena | undefined, optimizer: Optimizer, fresh: boolean): void {
    if (next) this.swap(next);
    if (fresh && next) this.freshSlots(optimizer);
  }

  /** Predictions for the rows of m, `cap` rows per call, `units` values per output row. */
  predict(arena: Arena, m: Matrix, cap: number, units: number): Float32Array {
    const { heap, kernels } = this.rt;
    // A window at a time (one window when the input is small), in multiples of the batch.
    const staged = windowRows(m.rows, (m.cols + units) * 4, cap);
    arena.bind(cap);
    const xPtr = heap.alloc(staged * m.cols * 4, `the rows predict stages (${staged} × ${m.cols})`);
    const out = heap.alloc(staged * units * 4, `the predictions (${staged} × ${units})`);
    try {
      const result = new Float32Array(m.rows * units);
      for (let start = 0; start < m.rows; start += staged) {
        const rows = Math.min(staged, m.rows - start);
        heap.writeF32(xPtr, m.data.subarray(start * m.cols, (start + rows) * m.cols));
        kernels.net_predict(arena.plan, xPtr, rows, out);
        result.set(heap.f32(out, rows * units), start * units);
      }
      return result;
    } finally {
      heap.free(out);
      heap.free(xPtr);
    }
  }

  /** Loss and metrics over checked rows (evaluate, fit's validation), `cap` rows per batch. */
  evaluate(arena: Arena, xm: Matrix, ym: Matrix, cap: number, metrics: () => MetricRow[]): Logs {
    // A window at a time (one when the set is small), in multiples of the batch: the statistics
    // accumulate in the same order as in one call.
    const staged = windowRows(xm.rows, (xm.cols + ym.cols) * 4, cap);
    const rowsOf = (m: Matrix, start: number, rows: number) => m.data.subarray(start * m.cols, (start + rows) * m.cols);
    const { heap, kernels } = this.rt;
    const js = this.jsParts(metrics());
    const words = js?.statWords ?? ids.STAT_COUNT;
    arena.bind(cap);
    const xPtr = heap.alloc(staged * xm.cols * 4, `the rows evaluate stages (${staged} × ${xm.cols})`);
    const yPtr = heap.alloc(staged * ym.cols * 4, `the targets evaluate stages (${staged} × ${ym.cols})`);
    const stats = heap.alloc(words * 8);
    const units = arena.spec.layers[arena.spec.layers.length - 1].units;
    const out = js?.loss ? heap.alloc(cap * units * 4) : 0;
    try {
      heap.f64(stats, words).fill(0);
      for (let start = 0; start < xm.rows; start += staged) {
        const rows = Math.min(staged, xm.rows - start);
        heap.writeF32(xPtr, rowsOf(xm, start, rows));
        heap.writeF32(yPtr, rowsOf(ym, start, rows));
        if (!js) kernels.net_evaluate(arena.plan, xPtr, yPtr, rows, stats);
        else {
          // One batch of ≤ cap rows per call, its predictions read back for the functions in JS.
          for (let at = 0; at < rows; at += cap) {
            const n = Math.min(cap, rows - at);
            const x = xPtr + at * xm.cols * 4;
            const y = yPtr + at * ym.cols * 4;
            if (js.loss) kernels.net_predict(arena.plan, x, n, out);
            else kernels.net_evaluate(arena.plan, x, y, n, stats);
            const yTrue = heap.f32(y, n * ym.cols).slice();
            const yPred = heap.f32(this.lastLayerWord(arena, L_Y), n * units).slice();
            const sums = js.metrics.map((m) => metricSum(m.key, m.fn, yTrue, yPred, n, units));
            if (js.loss) kernels.net_record(arena.plan, y, n, lossValue(js.loss, yTrue, yPred, n, units, undefined), stats);
            const s = heap.f64(stats, words);
            js.metrics.forEach((m, i) => (s[m.slot] += sums[i]));
          }
        }
      }
      return this.logs(heap.f64(stats, words), metrics);
    } finally {
      if (out) heap.free(out);
      heap.free(stats);
      heap.free(yPtr);
      heap.free(xPtr);
    }
  }

  /** What of a pass runs in JS for these metrics and the compiled loss; undefined when everything runs in WASM. */
  jsParts(metrics: readonly MetricRow[]): JsParts | undefined {
    const fns = metrics.flatMap((m) => (m.js ? [{ key: m.key, fn: m.js.fn, slot: m.js.slot }] : []));
    if (!this.lossFunction && fns.length === 0) return undefined;
    return { loss: this.lossFunction, metrics: fns, statWords: ids.STAT_COUNT + fns.length };
  }

  /**
   * net_train's contract (same arguments), but each batch in two calls with the loss and metric functions
   * run in JS in between: forward; the JS loss's gradient into the last layer's delta; backward and step.
   * If a function throws or returns a bad value, the forward pass's traces (batch norm's moving statistics,
   * dropout streams) are undone, the batch is not applied, and the error names the function.
   */
  trainSplit(
    arena: Arena, js: JsParts, xData: number, yData: number, wData: number, idx: number, n: number, batchSize: number,
    first: number, count: number, steps: number, stats: number, apply: number,
  ): void {
    const { heap, kernels } = this.rt;
    const units = arena.spec.layers[arena.spec.layers.length - 1].units;
    const tw = arena.spec.targetWidth;
    for (let s = 0; s < count; s++) {
      const b = first + s;
      const undo = this.forwardTraces(arena);
      const rows = kernels.net_train_forward(arena.plan, xData, yData, wData, idx, n, batchSize, b, apply);
      if (rows <= 0) break;
      let value = 0;
      try {
        const start = b * batchSize;
        const yTrue = heap.f32(idx ? this.planWord(arena, H_Y) : yData + start * tw * 4, rows * tw).slice();
        const w = wData ? heap.f32(idx ? this.planWord(arena, H_SW) : wData + start * 4, rows).slice() : undefined;
        const yPred = heap.f32(this.lastLayerWord(arena, L_Y), rows * units).slice();
        const sums = js.metrics.map((m) => metricSum(m.key, m.fn, yTrue, yPred, rows, units));
        if (js.loss) {
          const l = lossAndGradient(js.loss, yTrue, yPred, rows, units, w);
          value = l.value;
          heap.f32(this.lastLayerWord(arena, L_D), rows * units).set(l.grad);
        }
        const st = heap.f64(stats, js.statWords);
        js.metrics.forEach((m, i) => (st[m.slot] += sums[i]));
      } catch (e) {
        undo();
        throw e;
      }
      kernels.net_train_backward(arena.plan, xData, yData, wData, idx, n, batchSize, b, steps ? steps + s * STEP_WORDS * 4 : 0, stats, apply, value);
    }
  }

  /** Saves what a forward pass changes besides its buffers (non-trainable state, the layers' streams); returns the restore. */
  private forwardTraces(arena: Arena): () => void {
    const { heap } = this.rt;
    const state = arena.params().slice(arena.layout.nParams);
    const streams = arena.spec.layers.map((l, i) => (l.stream ? heap.u8(arena.layerRng(i), 16).slice() : undefined));
    return () => {
      arena.params().set(state, arena.layout.nParams);
      streams.forEach((bytes, i) => bytes && heap.u8(arena.layerRng(i), 16).set(bytes));
    };
  }

  /** The byte offset a plan header word holds. */
  private planWord(arena: Arena, word: number): number {
    return this.rt.heap.i32(arena.plan + word * 4, 1)[0] >>> 0;
  }

  /** The byte offset a word of the last layer's record holds (L_Y: its output, L_D: its delta). */
  private lastLayerWord(arena: Arena, word: number): number {
    return this.planWord(arena, H_WORDS + (arena.spec.layers.length - 1) * LAYER_WORDS + word);
  }

  /** One optimizer step on (x, y) as a single batch; returns that batch's loss (before the step). */
  trainOnBatch(arena: Arena, xm: Matrix, ym: Matrix, optimizer: Optimizer): number {
    const scalars = stepScalars(optimizer, optimizer.iterations, 1);
    arena.bind(xm.rows);
    return this.withStaged(xm, ym, (xPtr, yPtr, stats) => {
      const steps = this.rt.heap.alloc(STEP_WORDS * 4);
      try {
        this.rt.heap.writeF32(steps, scalars);
        const js = this.jsParts([]);
        if (js) this.trainSplit(arena, js, xPtr, yPtr, 0, 0, xm.rows, xm.rows, 0, 1, steps, stats, 1);
        else this.rt.kernels.net_train(arena.plan, xPtr, yPtr, 0, 0, xm.rows, xm.rows, 0, 1, steps, stats, 1);
      } finally {
        this.rt.heap.free(steps);
      }
      optimizer.iterations++;
      const s = this.rt.heap.f64(stats, ids.STAT_COUNT);
      return s[ids.STAT_LOSS] / s[ids.STAT_ROWS];
    });
  }

  /** The loss on (x, y) as one batch and the gradient block (trainable parameters), nothing updated. */
  computeGradients(arena: Arena, xm: Matrix, ym: Matrix): { loss: number; grads: Float32Array } {
    arena.bind(xm.rows);
    return this.withStaged(xm, ym, (xPtr, yPtr, stats) => {
      const js = this.jsParts([]);
      if (js) this.trainSplit(arena, js, xPtr, yPtr, 0, 0, xm.rows, xm.rows, 0, 1, 0, stats, 0);
      else this.rt.kernels.net_train(arena.plan, xPtr, yPtr, 0, 0, xm.rows, xm.rows, 0, 1, 0, stats, 0);
      const s = this.rt.heap.f64(stats, ids.STAT_COUNT);
      return { loss: s[ids.STAT_LOSS] / s[ids.STAT_ROWS], grads: arena.grads().slice() };
    });
  }

  /** Loss and metric values from accumulated statistics (once per epoch, or per batch with batch hooks). */
  logs(stats: Float64Array, metrics: () => MetricRow[]): Logs {
    // Resolved once per arena: a new layer or a compile makes a new one.
    const arena = this.box.arena!;
    if (this.logRows?.arena !== arena) this.logRows = { arena, rows: metrics() };
    const units = arena.spec.layers[arena.spec.layers.length - 1].units;
    const out: Logs = { loss: lossMetric.value(stats, units) };
    for (const m of this.logRows.rows) out[m.key] = m.value(stats, units);
    return out;
  }

  /** Runs `body` with x, y and zeroed statistics staged in WASM memory, freeing them after. */
  private withStaged<T>(xm: Matrix, ym: Matrix, body: (x: number, y: number, stats: number) => T): T {
    const { heap } = this.rt;
    const x = heap.alloc(xm.data.length * 4);
    const y = heap.alloc(ym.data.length * 4);
    const stats = heap.alloc(ids.STAT_COUNT * 8);
    try {
      heap.writeF32(x, xm.data);
      heap.writeF32(y, ym.data);
      heap.f64(stats, ids.STAT_COUNT).fill(0);
      return body(x, y, stats);
    } finally {
      heap.free(stats);
      heap.free(y);
      heap.free(x);
    }
  }

  /** Seeds layer l's own stream (if it has one) and fills its weights from their initializers, in order. */
  private initialize(l: number): void {
    const arena = this.box.arena!;
    const stream = arena.spec.layers[l].stream;
    if (stream) {
      // Its own stream: from its seed, or split off the model's seeded stream.
      if (stream.seed !== undefined) this.rt.kernels.rng_seed(arena.layerRng(l), stream.seed);
      else this.rt.kernels.rng_fork(arena.rng, arena.layerRng(l));
    }
    // Trainable weights first, then state, each in its layer's order (the table's order).
    for (const t of arena.layout.tensors) {
      if (t.layer !== l) continue;
      const w = t.weight;
      w.initializer.fill(this.rt, arena.rng, arena.at(arena.layout.params) + t.offset * 4, t.size, w.fanIn, w.fanOut, w.shape);
    }
  }

  /** A new optimizer's state: zeros, then whatever it starts from (Adagrad's initial accumulator). */
  freshSlots(optimizer: Optimizer | undefined): void {
    this.box.arena!.slots().fill(0);
    this.initSlots(0, optimizer);
  }

  /** Starts each optimizer slot of the parameters from index `from` on as the optimizer starts it. */
  private initSlots(from: number, optimizer: Optimizer | undefined): void {
    const arena = this.box.arena!;
    const n = arena.layout.nParams;
    const slots = arena.slots();
    for (let s = 0; s < arena.spec.slots; s++) optimizer?.initSlot(s, slots.subarray(s * n + from, (s + 1) * n));
  }

  private swap(next: Arena): void {
    const prev = this.box.arena;
    this.box.arena = next;
    if (prev && prev !== next) prev.free();
  }

  /** Frees the arena now (dispose()); the finalizer has nothing left to do. */
  free(): void {
    this.box.arena?.free();
    this.box.arena = undefined;
    finalizer?.unregister(this.box);
  }
}

/** Per-step scalars for `count` steps after `done` steps, checked before any weight changes. */
export function stepScalars(
  optimizer: Optimizer, done: number, count: number, out: Float32Array<ArrayBufferLike> = new Float32Array(count * STEP_WORDS),
): Float32Array<ArrayBufferLike> {
  for (let s = 0; s < count; s++) optimizer.stepScalars(done + s + 1, out.subarray(s * STEP_WORDS, (s + 1) * STEP_WORDS));
  return out;
}
