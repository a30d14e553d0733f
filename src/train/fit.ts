// fit(): stages the data in WASM memory once, then crosses into WASM once per epoch — or once per
// batch when a batch hook is registered, or in short chunks while a live progress bar redraws or a
// yield (yieldEvery) falls due; a loss or metric written in JS takes two calls per batch. Data above
// 16 MB (model/staging.ts) is not copied whole: each call gets its batches' rows staged from the
// caller's arrays (in the epoch's shuffled order), so training never holds a second copy of a big set.
import * as ids from '../shared/ids.js';
import { STEP_WORDS } from '../shared/plan.js';
import { checkCount, checkPositiveInteger } from '../numbers.js';
import { windowRows } from '../engine/staging.js';
import { stepScalars, type Trainer } from '../engine/trainer.js';
import type { Arena } from '../engine/arena.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { MetricRow } from '../registry/metrics.js';
import type { Logs } from './logs.js';
import type { Input, Matrix } from '../tensor.js';
import { fire, wantsBatches, type Callback, type TrainingModel } from './callbacks.js';
import { History } from './history.js';
import { Progress } from './progress.js';
import { nextMacrotask, yieldPolicy, type YieldEvery } from './yield.js';
import { FIT_OPTIONS } from './fit-options.js';
import { checkOptions } from '../options.js';

/** Options of `model.fit(x, y, args)` (Keras's names, camelCase). */
export interface FitArgs {
  /** The epoch to stop at (default 1); with initialEpoch, training runs initialEpoch … epochs − 1. */
  epochs?: number;
  /** Rows per gradient step (default 32). batchSize ≥ the number of rows is full-batch gradient descent. */
  batchSize?: number;
  /** Reshuffle the training rows every epoch (default true). */
  shuffle?: boolean;
  /** Hold out this last fraction of the rows (taken before shuffling) for validation. */
  validationSplit?: number;
  /** [xVal, yVal] to evaluate after each epoch, logged under val_ keys. */
  validationData?: [Input, Input];
  /** 0 silent, 1 progress bar (default), 2 one line per epoch. */
  verbose?: 0 | 1 | 2;
  /** Callbacks: df.callbacks objects or your own objects with hook methods. */
  callbacks?: Callback | Callback[];
  /** Seeds this run's shuffling (otherwise the model's own seeded stream continues). */
  seed?: number;
  /** One loss weight per row (Keras sample_weight): the batch loss is Σ w·loss / rows. */
  sampleWeight?: ArrayLike<number>;
  /** A loss weight per class index (Keras class_weight), multiplied into sampleWeight; classes not listed weigh 1. */
  classWeight?: Record<number, number>;
  /** The epoch to start counting from (resuming): trains epochs initialEpoch … epochs − 1. */
  initialEpoch?: number;
  /**
   * How often fit awaits a macrotask so a page stays responsive (tfjs's yieldEvery): 'batch', 'epoch',
   * a period in ms, 'never', or 'auto' (default: every 125 ms on a browser's main thread, else never).
   * Training is bit-identical whatever it is.
   */
  yieldEvery?: YieldEvery;
}

/**
 * What fit() needs of the model it trains, handed over by the model itself: the user's object (for
 * callbacks and stopTraining), its trainer, and the checks and shapes only the model knows.
 */
export interface FitTarget {
  readonly model: TrainingModel;
  readonly trainer: Trainer;
  readonly optimizer: Optimizer;
  /** Regression targets have no classes to warn about in a validation split. */
  readonly regression: boolean;
  /** x and y checked against the model and its loss. */
  data(x: Input, y: Input): { xm: Matrix; ym: Matrix };
  /** The arena for input rows of this shape, built on first use. */
  arena(shape: number[]): Arena;
  metrics(): MetricRow[];
  /** dispose() was called: fit ends at the next boundary. */
  readonly disposed: boolean;
  /** fit() ended, resolved or rejected. */
  end(): void;
}

// Target time between progress-bar redraws when the bar drives the chunk size.
const CHUNK_MS = 100;
/** Where staging stores the sum of the elements it reads ahead, so that those reads stay in the compiled code. */
let stagingTouch = 0;

/** Trains `target` (its model has already refused a second concurrent fit); target.end() runs when it ends. */
export function fitModel(target: FitTarget, x: Input, y: Input, args: FitArgs): Promise<History> {
  // Arguments are checked before the fit is under way: a fit refused for them has already ended when it returns.
  let job: Job;
  try {
    job = prepare(target, x, y, args);
  } catch (e) {
    target.end();
    return Promise.reject(e);
  }
  return run(target, job).finally(() => target.end());
}

/** A fit's checked arguments and data. */
type Job = ReturnType<typeof prepare>;

function prepare(target: FitTarget, x: Input, y: Input, args: FitArgs) {
  if (args === null || typeof args !== 'object') throw new Error('fit: the third argument must be an options object such as { epochs: 10 }');
  args = checkOptions('fit', args, FIT_OPTIONS);
  const epochs = checkCount('epochs', args.epochs ?? 1);
  const requestedBatch = checkPositiveInteger('batchSize', args.batchSize ?? 32);
  const verbose = args.verbose ?? 1;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw new Error(`verbose must be 0, 1 or 2, got ${JSON.stringify(verbose)}`);
  const fitSeed = args.seed === undefined ? undefined : checkSeed(args.seed);
  const callbacks = args.callbacks === undefined ? [] : Array.isArray(args.callbacks) ? args.callbacks : [args.callbacks];
  const initialEpoch = checkCount('initialEpoch', args.initialEpoch ?? 0);
  const yielding = yieldPolicy(args.yieldEvery);
  // tfjs refuses the same: the hook would never run.
  if (args.yieldEvery === 'never' && callbacks.some((cb) => cb?.onYield)) throw new Error("yieldEvery is 'never' but a callback has onYield; change yieldEvery or remove onYield");
  const { xm, ym } = target.data(x, y);
  const weights = lossWeights(xm.rows, ym, args);
  const { train, val } = splitValidation(target, xm, ym, args);
  const n = train.x.rows;
  // A batch larger than the data is one full batch (gradient descent): the buffers hold n rows, not batchSize.
  const batchSize = Math.min(requestedBatch, n);
  target.arena(xm.shape);
  return { epochs, batchSize, verbose, fitSeed, callbacks, initialEpoch, yielding, ym, weights, train, val, n, cols: xm.cols, shape: xm.shape, shuffle: args.shuffle !== false };
}

async function run(target: FitTarget, job: Job): Promise<History> {
  const { model, trainer, optimizer } = target;
  const { epochs, batchSize, verbose, fitSeed, callbacks, initialEpoch, ym, weights, train, val, n, cols } = job;
  const steps = Math.ceil(n / batchSize);
  // Without callbacks an epoch awaits nothing: a tiny model's epoch is a few microseconds.
  const hooks = callbacks.length > 0;
  const { heap, kernels } = trainer.rt;
  const blocks: number[] = [];
  const alloc = (bytes: number, what?: string) => (blocks.push(heap.alloc(bytes, what)), blocks[blocks.length - 1]);
  const history = new History();
  const progress = new Progress(epochs, steps, verbose);
  const perBatch = wantsBatches(callbacks);
  try {
    // Rows staged at once: all of them, or whole batches filling about one window (at least one batch).
    const rowBytes = (cols + ym.cols + (weights ? 1 : 0)) * 4;
    const stagedRows = windowRows(n, rowBytes, batchSize);
    const xPtr = alloc(stagedRows * cols * 4, `the training rows fit stages (${stagedRows} × ${cols})`);
    const yPtr = alloc(stagedRows * ym.cols * 4, `the training targets fit stages (${stagedRows} × ${ym.cols})`);
    const wPtr = weights ? alloc(stagedRows * 4) : 0;
    const idx = job.shuffle ? alloc(n * 4) : 0;
    const stepTable = alloc(steps * STEP_WORDS * 4);
    // A loss or metric written in JS: each batch in two calls, the function run in between (trainer.trainSplit).
    const js = trainer.jsParts(target.metrics());
    const statWords = js?.statWords ?? ids.STAT_COUNT;
    const stats = alloc(statWords * 8);
    const shuffleRng = fitSeed === undefined ? 0 : alloc(16);
    const windowed = stagedRows < n;
    if (!windowed) {
      heap.writeF32(xPtr, train.x.data);
      heap.writeF32(yPtr, train.y.data);
      if (weights) heap.writeF32(wPtr, weights.subarray(0, n));
    }
    if (shuffleRng) kernels.rng_seed(shuffleRng, fitSeed!);

    // One call for `count` batches from `first`, with their step scalars already in the table; windowed,
    // one call per window, its rows copied in (the same rows, in the same order, as WASM's own gather).
    const windowBatches = stagedRows / batchSize;
    // Counting each applied step, so a function failing at a batch leaves the optimizer's count true.
    const trainBatches = (arena: Arena, idx: number, rows: number, first: number, count: number, steps: number) => {
      if (!js) {
        kernels.net_train(arena.plan, xPtr, yPtr, wPtr, idx, rows, batchSize, first, count, steps, stats, 1);
        optimizer.iterations += count;
        return;
      }
      for (let s = 0; s < count; s++) {
        trainer.trainSplit(arena, js, xPtr, yPtr, wPtr, idx, rows, batchSize, first + s, 1, steps + s * STEP_WORDS * 4, stats, 1);
        optimizer.iterations++;
      }
    };
    const run = (first: number, count: number) => {
      const arena = target.arena(job.shape);
      arena.bind(batchSize);
      if (!windowed) trainBatches(arena, idx, n, first, count, stepTable + first * STEP_WORDS * 4);
      else {
        for (let b = first; b < first + count; b += windowBatches) {
          const batches = Math.min(windowBatches, first + count - b);
          const rows = Math.min(batches * batchSize, n - b * batchSize);
          stageRows(b * batchSize, rows);
          trainBatches(arena, 0, rows, 0, batches, stepTable + b * STEP_WORDS * 4);
        }
      }
    };
    // Rows start … start + rows − 1 of this epoch's order into the window.
    const stageRows = (start: number, rows: number) => {
      const order = idx ? heap.i32(idx, n) : undefined;
      const stage = (src: Float32Array, width: number, at: number) => {
        const dst = heap.f32(at, rows * width);
        if (!order) dst.set(src.subarray(start * width, (start + rows) * width));
        else if (width > 16) {
          // Reading each row's first and last element first lets the CPU fetch the rows' first cache lines
          // and page translations all at once instead of one row at a time: 22% less staging time
          // (MNIST rows, shuffled, in training). The sum only keeps the reads from being optimized away.
          let touched = 0;
          for (let r = start; r < start + rows; r++) touched += src[order[r] * width] + src[order[r] * width + width - 1];
          stagingTouch = touched;
          for (let r = 0; r < rows; r++) dst.set(src.subarray(order[start + r] * width, (order[start + r] + 1) * width), r * width);
        }
        else {
          // Narrow rows (labels, weights): element by element beats a subarray per row.
          for (let r = 0, to = 0; r < rows; r++) for (let c = 0, from = order[start + r] * width; c < width; c++) dst[to++] = src[from + c];
        }
      };
      stage(train.x.data, cols, xPtr);
      stage(train.y.data, ym.cols, yPtr);
      if (weights) stage(weights, 1, wPtr);
    };
    const statsNow = () => trainer.logs(heap.f64(stats, statWords), () => target.metrics());
    // Yields: a macrotask, then onYield with this epoch's running logs; the step scalars of the batches
    // still to run are recomputed, since onYield may have changed the learning rate.
    const { yielding } = job;
    const yieldHooks = callbacks.some((cb) => cb.onYield);
    let lastYield = performance.now();
    const due = () => yielding.kind === 'batch' || (yielding.kind === 'ms' && performance.now() - lastYield >= yielding.ms);
    const yieldNow = async (epoch: number, batch: number, logs: Logs) => {
      await nextMacrotask();
      if (yieldHooks && !disposed()) await fire(callbacks, 'onYield', epoch, batch, logs);
      lastYield = performance.now();
    };
    const pace = new Pace(Math.min(progress.live ? CHUNK_MS : Infinity, yielding.kind === 'ms' ? yielding.ms : yielding.kind === 'batch' ? 0 : Infinity));

    model.stopTraining = false;
    for (const cb of callbacks) cb.setModel?.(model);
    // A model disposed from a callback (or between its awaits) gets no more callbacks: fit ends there.
    const disposed = () => target.disposed;
    if (hooks) await fire(callbacks, 'onTrainBegin', {});
    if (disposed()) return history;
    let lastLogs: Logs = {};
    for (let epoch = initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
      if (hooks) await fire(callbacks, 'onEpochBegin', epoch, {});
      if (disposed()) return history;
      progress.epochBegin(epoch);
      if (idx) kernels.rng_permutation(shuffleRng || target.arena(job.shape).rng, idx, n);
      heap.f64(stats, statWords).fill(0);
      if (perBatch) {
        for (let b = 0; b < steps && !model.stopTraining; b++) {
          await fire(callbacks, 'onBatchBegin', b, { batch: b, size: Math.min(batchSize, n - b * batchSize) });
          if (disposed()) return history;
          // Scalars per batch here, so a learning rate changed by a batch hook applies at once.
          stepScalars(optimizer, optimizer.iterations, 1, heap.f32(stepTable + b * STEP_WORDS * 4, STEP_WORDS));
          run(b, 1);
          const logs = statsNow();
          progress.update(b + 1, logs);
          await fire(callbacks, 'onBatchEnd', b, logs);
          if (disposed()) return history;
          if (due()) await yieldNow(epoch, b, logs);
          if (disposed()) return history;
        }
      } else {
        stepScalars(optimizer, optimizer.iterations, steps, heap.f32(stepTable, steps * STEP_WORDS));
        if (!pace.chunked) run(0, steps);
        else {
          for (let done = 0; done < steps && !model.stopTraining; ) {
            const count = Math.min(pace.next, steps - done);
            pace.measure(count, () => run(done, count));
            done += count;
            if (progress.live) progress.update(done, statsNow());
            if (due()) {
              await yieldNow(epoch, done - 1, statsNow());
              if (disposed()) return history;
              if (done < steps) stepScalars(optimizer, optimizer.iterations, steps - done, heap.f32(stepTable + done * STEP_WORDS * 4, (steps - done) * STEP_WORDS));
            }
          }
        }
      }
      const logs = statsNow();
      // Keras: validation_batch_size defaults to batch_size.
      if (val) for (const [k, v] of Object.entries(trainer.evaluate(target.arena(job.shape), val.x, val.y, Math.min(batchSize, val.x.rows), () => target.metrics()))) logs[`val_${k}`] = v;
      // Keras runs History and the progress bar after the user's callbacks, which may add to the logs.
      if (hooks) await fire(callbacks, 'onEpochEnd', epoch, logs);
      history.record(epoch, logs);
      progress.epochEnd(epoch, logs);
      lastLogs = logs;
      if (disposed()) return history;
      // Between epochs too: an epoch shorter than the period still yields once the period has passed.
      if (yielding.kind === 'epoch' || (yielding.kind === 'ms' && due())) await yieldNow(epoch, steps - 1, logs);
      if (disposed()) return history;
    }
    if (hooks && !disposed()) await fire(callbacks, 'onTrainEnd', lastLogs);
    return history;
  } finally {
    for (const b of blocks.reverse()) heap.free(b);
  }
}

/**
 * Batches per WASM call when an epoch is split (a live bar redraws, a yield is due): sized from the
 * measured time per batch so a call lasts about `ms`, one batch first, carried across epochs.
 */
class Pace {
  next = 1;
  constructor(private readonly ms: number) {}

  /** Infinity: an epoch is one call. */
  get chunked(): boolean {
    return this.ms !== Infinity;
  }

  /** Runs a chunk of `n` batches and sizes the next one from its time. */
  measure(n: number, chunk: () => void): void {
    const t0 = performance.now();
    chunk();
    const perBatch = (performance.now() - t0) / n;
    this.next = Math.max(1, Math.round(this.ms / Math.max(perBatch, 1e-3)));
  }
}

/** Per-row loss weights from sampleWeight and classWeight (Keras multiplies them), or undefined. */
function lossWeights(rows: number, y: Matrix, args: FitArgs): Float32Array | undefined {
  const { sampleWeight, classWeight } = args;
  if (sampleWeight === undefined && classWeight === undefined) return undefined;
  const w = new Float32Array(rows).fill(1);
  if (sampleWeight !== undefined) {
    if (!sampleWeight || sampleWeight.length !== rows) throw new Error(`sampleWeight has ${sampleWeight?.length} values but x has ${rows} rows`);
    for (let r = 0; r < rows; r++) {
      const v = sampleWeight[r];
      w[r] = v;
      // Checked after the f32 store: 1e39 is a finite double but an infinite weight.
      if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(w[r])) throw new Error(`sampleWeight[${r}] is ${v}: weights must be finite 32-bit floats ≥ 0`);
    }
  }
  if (classWeight !== undefined) {
    if (typeof classWeight !== 'object' || classWeight === null) throw new Error('classWeight must be an object mapping class index to weight, e.g. { 0: 1, 1: 5 }');
    for (const [k, v] of Object.entries(classWeight)) {
      if (!/^\d+$/.test(k)) throw new Error(`classWeight key '${k}' is not a class index`);
      if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(Math.fround(v))) throw new Error(`classWeight[${k}] is ${v}: weights must be finite 32-bit floats ≥ 0`);
    }
    for (let r = 0; r < rows; r++) {
      // The class of a row: its label, its one-hot argmax, or its rounded single output.
      let cls: number;
      if (y.cols === 1) cls = Math.round(y.data[r]);
      else {
        cls = 0;
        for (let c = 1; c < y.cols; c++) if (y.data[r * y.cols + c] > y.data[r * y.cols + cls]) cls = c;
      }
      w[r] *= classWeight[cls] ?? 1;
      if (!Number.isFinite(w[r])) throw new Error(`row ${r}: sampleWeight × classWeight = ${sampleWeight?.[r] ?? 1} × ${classWeight[cls]} overflows a 32-bit float`);
    }
  }
  return w;
}

interface Split {
  train: { x: Matrix; y: Matrix };
  val?: { x: Matrix; y: Matrix };
}

// Keras: validation_split takes the last fraction of the rows, before any shuffling.
function splitValidation(target: FitTarget, x: Matrix, y: Matrix, args: FitArgs): Split {
  if (args.validationData !== undefined) {
    if (!Array.isArray(args.validationData) || args.validationData.length !== 2) throw new Error('validationData must be [xVal, yVal]');
    const v = target.data(args.validationData[0], args.validationData[1]);
    return { train: { x, y }, val: { x: v.xm, y: v.ym } };
  }
  const split = args.validationSplit ?? 0;
  if (typeof split !== 'number' || !(split >= 0 && split < 1)) throw new Error(`validationSplit must be a number in [0, 1), got ${JSON.stringify(split)}`);
  if (split === 0) return { train: { x, y } };
  const at = Math.ceil(x.rows * (1 - split));
  if (at >= x.rows) throw new Error(`validationSplit ${split} of ${x.rows} rows leaves no validation rows`);
  const rows = (m: Matrix, from: number, to: number): Matrix => ({ data: m.data.subarray(from * m.cols, to * m.cols), rows: to - from, cols: m.cols, shape: m.shape, dims: [to - from, ...m.dims.slice(1)] });
  const val = { x: rows(x, at, x.rows), y: rows(y, at, y.rows) };
  if (!target.regression) warnIfOneClass(val.y, split);
  return { train: { x: rows(x, 0, at), y: rows(y, 0, at) }, val };
}

// Keras's split takes the last rows as they are: on data sorted by class (the book's wine.csv) the
// validation slice can hold a single class, which makes its metrics meaningless.
function warnIfOneClass(y: Matrix, split: number): void {
  const first = y.data.subarray(0, y.cols);
  for (let r = 1; r < y.rows; r++) {
    for (let c = 0; c < y.cols; c++) if (y.data[r * y.cols + c] !== first[c]) return;
  }
  console.warn(
    `deltaflow: every row of the validationSplit ${split} slice (the last ${y.rows} rows, taken before shuffling) has the same label; ` +
      'shuffle the data first (e.g. df.data.shuffle) or pass validationData',
  );
}

function checkSeed(seed: unknown): number {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`seed must be an integer in [0, 2^32), got ${JSON.stringify(seed)}`);
  return seed;
}
