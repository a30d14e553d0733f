// fit(): stages the data in WASM memory once, then crosses into WASM once per epoch — or once per
// batch when a batch hook is registered, or in short chunks while a live progress bar redraws.
import * as ids from '../shared/ids.js';
import { STEP_WORDS } from '../shared/plan.js';
import type { Sequential, Logs } from '../model/sequential.js';
import { checkCount, checkPositiveInteger } from '../model/checks.js';
import type { Input, Matrix } from '../tensor.js';
import { fire, wantsBatches, type Callback } from './callbacks.js';
import { History } from './history.js';
import { Progress } from './progress.js';

export interface FitArgs {
  epochs?: number;
  /** Rows per gradient step (default 32). batchSize ≥ the number of rows is full-batch gradient descent. */
  batchSize?: number;
  /** Reshuffle the training rows every epoch (default true). */
  shuffle?: boolean;
  /** Hold out this last fraction of the rows (taken before shuffling) for validation. */
  validationSplit?: number;
  validationData?: [Input, Input];
  /** 0 silent, 1 progress bar (default), 2 one line per epoch. */
  verbose?: 0 | 1 | 2;
  callbacks?: Callback | Callback[];
  /** Seeds this run's shuffling (otherwise the model's own seeded stream continues). */
  seed?: number;
}

// Target time between progress-bar redraws when the bar drives the chunk size.
const CHUNK_MS = 100;

export async function fitModel(model: Sequential, x: Input, y: Input, args: FitArgs): Promise<History> {
  model.alive();
  if (args === null || typeof args !== 'object') throw new Error('fit: the third argument must be an options object such as { epochs: 10 }');
  const epochs = checkCount('epochs', args.epochs ?? 1);
  const batchSize = checkPositiveInteger('batchSize', args.batchSize ?? 32);
  const verbose = args.verbose ?? 1;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw new Error(`verbose must be 0, 1 or 2, got ${JSON.stringify(verbose)}`);
  const fitSeed = args.seed === undefined ? undefined : checkSeed(args.seed);
  const callbacks = args.callbacks === undefined ? [] : Array.isArray(args.callbacks) ? args.callbacks : [args.callbacks];
  const { xm, ym } = model.data(x, y);
  const { train, val } = splitValidation(model, xm, ym, args);
  const n = train.x.rows;
  const steps = Math.ceil(n / batchSize);
  const cols = xm.cols;
  model.ready(cols, Math.min(batchSize, n));

  const { heap, kernels } = model.rt;
  const blocks: number[] = [];
  const alloc = (bytes: number) => (blocks.push(heap.alloc(bytes)), blocks[blocks.length - 1]);
  const history = new History();
  const progress = new Progress(epochs, steps, verbose);
  const perBatch = wantsBatches(callbacks);
  const optimizer = model.optimizer!;
  try {
    const xPtr = alloc(train.x.data.length * 4);
    const yPtr = alloc(train.y.data.length * 4);
    const idx = args.shuffle === false ? 0 : alloc(n * 4);
    const stepTable = alloc(steps * STEP_WORDS * 4);
    const stats = alloc(ids.STAT_COUNT * 8);
    const shuffleRng = fitSeed === undefined ? 0 : alloc(16);
    heap.writeF32(xPtr, train.x.data);
    heap.writeF32(yPtr, train.y.data);
    if (shuffleRng) kernels.rng_seed(shuffleRng, fitSeed!);
    const valPtrs = val && { x: alloc(val.x.data.length * 4), y: alloc(val.y.data.length * 4), rows: val.x.rows };
    if (val && valPtrs) {
      heap.writeF32(valPtrs.x, val.x.data);
      heap.writeF32(valPtrs.y, val.y.data);
    }

    // One call for `count` batches from `first`, with their step scalars already in the table.
    const run = (first: number, count: number) => {
      const arena = model.ready(cols);
      kernels.net_train(arena.plan, xPtr, yPtr, idx, n, batchSize, first, count, stepTable + first * STEP_WORDS * 4, stats, 1);
      optimizer.iterations += count;
    };
    const statsNow = () => model.logs(heap.f64(stats, ids.STAT_COUNT));

    model.stopTraining = false;
    await fire(callbacks, 'onTrainBegin', {});
    let lastLogs: Logs = {};
    for (let epoch = 0; epoch < epochs && !model.stopTraining; epoch++) {
      await fire(callbacks, 'onEpochBegin', epoch, {});
      progress.epochBegin(epoch);
      if (idx) kernels.rng_permutation(shuffleRng || model.ready(cols).rng, idx, n);
      heap.f64(stats, ids.STAT_COUNT).fill(0);
      if (perBatch) {
        for (let b = 0; b < steps && !model.stopTraining; b++) {
          await fire(callbacks, 'onBatchBegin', b, { batch: b, size: Math.min(batchSize, n - b * batchSize) });
          // Scalars per batch here, so a learning rate changed by a batch hook applies at once.
          heap.writeF32(stepTable + b * STEP_WORDS * 4, model.stepScalars(optimizer.iterations, 1));
          run(b, 1);
          const logs = statsNow();
          progress.update(b + 1, logs);
          await fire(callbacks, 'onBatchEnd', b, logs);
        }
      } else {
        heap.writeF32(stepTable, model.stepScalars(optimizer.iterations, steps));
        if (!progress.live) run(0, steps);
        else await runChunked(steps, run, (done) => progress.update(done, statsNow()));
      }
      const logs = statsNow();
      if (valPtrs) {
        heap.f64(stats, ids.STAT_COUNT).fill(0);
        kernels.net_evaluate(model.ready(cols).plan, valPtrs.x, valPtrs.y, valPtrs.rows, stats);
        for (const [k, v] of Object.entries(statsNow())) logs[`val_${k}`] = v;
      }
      history.record(epoch, logs);
      progress.epochEnd(epoch, logs);
      lastLogs = logs;
      await fire(callbacks, 'onEpochEnd', epoch, logs);
    }
    await fire(callbacks, 'onTrainEnd', lastLogs);
    return history;
  } finally {
    for (const b of blocks.reverse()) heap.free(b);
  }
}

// Chunks sized from the measured time per batch, so the bar redraws about every CHUNK_MS.
async function runChunked(steps: number, run: (first: number, count: number) => void, onChunk: (done: number) => void): Promise<void> {
  let done = 0;
  let count = 1;
  while (done < steps) {
    const n = Math.min(count, steps - done);
    const t0 = performance.now();
    run(done, n);
    const ms = (performance.now() - t0) / n;
    done += n;
    onChunk(done);
    count = Math.max(1, Math.round(CHUNK_MS / Math.max(ms, 1e-3)));
  }
}

interface Split {
  train: { x: Matrix; y: Matrix };
  val?: { x: Matrix; y: Matrix };
}

// Keras: validation_split takes the last fraction of the rows, before any shuffling.
function splitValidation(model: Sequential, x: Matrix, y: Matrix, args: FitArgs): Split {
  if (args.validationData !== undefined) {
    if (!Array.isArray(args.validationData) || args.validationData.length !== 2) throw new Error('validationData must be [xVal, yVal]');
    const v = model.data(args.validationData[0], args.validationData[1]);
    return { train: { x, y }, val: { x: v.xm, y: v.ym } };
  }
  const split = args.validationSplit ?? 0;
  if (typeof split !== 'number' || !(split >= 0 && split < 1)) throw new Error(`validationSplit must be a number in [0, 1), got ${JSON.stringify(split)}`);
  if (split === 0) return { train: { x, y } };
  const at = Math.ceil(x.rows * (1 - split));
  if (at >= x.rows) throw new Error(`validationSplit ${split} of ${x.rows} rows leaves no validation rows`);
  const rows = (m: Matrix, from: number, to: number): Matrix => ({ data: m.data.subarray(from * m.cols, to * m.cols), rows: to - from, cols: m.cols });
  return { train: { x: rows(x, 0, at), y: rows(y, 0, at) }, val: { x: rows(x, at, x.rows), y: rows(y, at, y.rows) } };
}

function checkSeed(seed: unknown): number {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`seed must be an integer in [0, 2^32), got ${JSON.stringify(seed)}`);
  return seed;
}
