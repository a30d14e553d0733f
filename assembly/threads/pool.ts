// The job system of the threaded build (index.threads.ts, --enable threads, one shared imported memory).
//
// The calling thread runs a whole training step as one call into WASM, as in the single-thread build.
// When a kernel is worth splitting it posts a job to a control block in shared memory (allocated by the
// TypeScript Heap): the kernel and its arguments, cut into chunks of rows (or columns, or elements).
// Workers, each an instance of this module in a Worker over the same memory parked in worker_loop, and
// the caller itself claim chunks one at a time from an atomic counter until none are left; the caller
// returns once every chunk is done. No JavaScript runs per job, nothing is copied.
//
// Determinism: a chunk is the ordinary single-thread kernel called on a slice of the operands. The GEMM
// kernels compute every element of C by the same instruction sequence whatever tile, slice or call it
// lands in (see kernels/f32_gemm.ts), the activations and optimizers are elementwise and position
// independent (softmax row-wise, and split only by rows); so results are bit-identical to one thread
// however many threads there are and whichever thread takes which chunk.
//
// Claiming: the claim word is a u64, the job's sequence number (high half) and the next chunk index (low
// half), advanced by compare-and-swap. A thread that read a job's descriptor can only claim a chunk of
// that job; once a chunk is claimed the caller cannot post the next job before it is done, so the
// descriptor stays valid while the chunk runs. A thread that arrives late (woken after the others have
// done everything) finds nothing to claim, so the caller never waits for a worker that has not started:
// on a busy machine the caller simply does more of the work itself. The caller takes chunk 0 as it
// posts, so with two threads each keeps computing the same slices job after job.
//
// Scratch: a GEMM chunk packs blocks of its operands into its thread's own GEMM_SCRATCH_FLOATS region:
// the caller's is the one passed to the mt_gemm_* call (the plan's H_SCRATCH), worker i's sits at
// i·GEMM_SCRATCH_FLOATS floats from the base the TypeScript pool allocated (CTRL_SCRATCH). A thread
// runs one chunk at a time, so no two chunks ever share a region.
//
// Chunks: one per thread by default. A row chunk of a GEMM streams all of B, so more chunks cost more
// than the balance they buy (measured); size thresholds keep small passes on the caller.
//
// Cost model: above the thresholds, whether a pass is split is learned from the clock (env.now, the host's
// performance.now). Passes are grouped by kind and size (a power of two of their work); each group keeps
// the time per unit of work it took split (its first call not counted) and on the caller alone, and
// runs the faster way, now and then trying the other. Where the workers cannot help (a small pass, a
// machine whose other cores are busy) the caller runs alone; where they can, passes split. Which way a
// pass runs never changes its bits (see Determinism). A threshold of 0 (threads_tune) turns the model
// off: every pass at or above the thresholds splits, as tests that force splitting need. A pass that tries
// splitting after running alone, while a worker sleeps, is not timed but split once more right away: its
// time would include the worker's wake-up, which a group that splits does not pay call after call (a
// predict in 32-row chunks otherwise kept to one thread for hundreds of calls after one slow first split).

import { ACT_SOFTMAX, ACT_CHEAP_FWD, ACT_BWD_NEEDS_INPUT } from "../../src/shared/ids";
import {
  CTRL_SEQ, CTRL_STOP, CTRL_CLAIM, CTRL_DONE, CTRL_FAILED, CTRL_JOB, CTRL_WORKER_SPIN, CTRL_WORKER_CHUNKS, CTRL_SCRATCH, CTRL_ASLEEP,
} from "../../src/shared/pool";
import { GEMM_SCRATCH_FLOATS } from "../../src/shared/plan";
import { f32_gemm_nn, f32_gemm_tn, f32_gemm_nt, f32_colsum } from "../kernels/f32_gemm";
import { f32_vact, f32_vact_bwd } from "../kernels/f32_vact";
import { f32_vmul, f32_gather_rows } from "../core/rows";
import { optimizer_range } from "../train/update";
import { f32_im2col_rows, f32_col2im_rows } from "../kernels/f32_conv";
import { f32_maxpool, f32_maxpool_bwd, f32_avgpool, f32_avgpool_bwd } from "../kernels/f32_pool";
import { f32_upsample, f32_upsample_bwd, f32_zeropad, f32_zeropad_bwd } from "../kernels/f32_resize";
import { G_H, G_W, G_C, G_KH, G_KW, G_OH, G_OW, G_OC } from "../../src/shared/plan";

// ---------------------------------------------------------------------------------------------
// The control block (layout in src/shared/pool.ts; the TypeScript side allocates and zeroes it).

const SEQ = CTRL_SEQ;
const STOP = CTRL_STOP;
const CLAIM = CTRL_CLAIM;
const DONE = CTRL_DONE;
const FAILED = CTRL_FAILED;
const WORKER_SPIN = CTRL_WORKER_SPIN;
const WORKER_CHUNKS = CTRL_WORKER_CHUNKS;
const ASLEEP = CTRL_ASLEEP;
const J_KIND = CTRL_JOB;
const J_CHUNKS = CTRL_JOB + 4;
const J_TOTAL = CTRL_JOB + 8; // rows, columns or elements being split
const J_GRAN = CTRL_JOB + 12; // chunk boundaries fall on multiples of this
const J_ARGS = CTRL_JOB + 16; // up to 20 argument words

// Job kinds.
const K_NN_ROWS = 1;
const K_NN_COLS = 2;
const K_TN_ROWS = 3;
const K_TN_COLS = 4;
const K_NT_COLS = 5;
const K_VACT = 6;
const K_VACT_BWD = 7;
const K_VMUL = 8;
const K_COLSUM = 9;
const K_OPT = 10;
const K_GATHER = 11;
const K_IM2COL = 12;
const K_COL2IM = 13;
const K_IMAGES = 14;

// Image passes split by images (K_IMAGES): which kernel, as the word after the geometry pointer.
export const IMG_MAXPOOL = 0;
export const IMG_MAXPOOL_BWD = 1;
export const IMG_AVGPOOL = 2;
export const IMG_AVGPOOL_BWD = 3;
export const IMG_UPSAMPLE = 4;
export const IMG_UPSAMPLE_BWD = 5;
export const IMG_ZEROPAD = 6;
export const IMG_ZEROPAD_BWD = 7;

/** nn: rows of C from which a wide C (n ≥ 2m) is split by columns (mt_gemm_nn). */
const COLS_MIN_M = 64;
const MR = 4; // GEMM row tile (kernels/f32_gemm.ts): row chunks start on multiples of it
const NR = 8; // GEMM column tile: column chunks start on multiples of it, so nt packs whole panels

/** The host's monotonic clock in milliseconds (performance.now): the cost model's only input. */
@external("env", "now")
declare function now(): f64;

// ---------------------------------------------------------------------------------------------
// The caller's side (globals are per instance: only the instance that posts jobs sets them).

let ctrl: usize = 0;
let workers: i32 = 0;
/** 0 where the calling thread may not block (a browser's main thread): it spins instead of waiting. */
let callerMayWait: i32 = 1;
let seq: i32 = 0;
// Thresholds, measured with 2 threads (Xeon, V8): below them a pass runs on the caller alone, as the
// split would not pay for waking the workers and sharing the data (~2 µs per job).
/** Multiply-adds (m·n·k) of a GEMM: 2 threads break even near 2^16 and gain 1.2–1.6× at 2^17. */
let minGemm: i32 = 1 << 17;
/**
 * Elements of a cheap elementwise pass (piecewise-linear activations and derivatives, products, column
 * sums): even near 2^16. Transcendental ones (exp, erf, log per element) pay 16 times sooner, an
 * optimizer step (a dozen operations and a square root per element) 4 times sooner.
 */
let minElems: i32 = 1 << 17;
/**
 * Chunks per thread. One measured best: a row chunk of a GEMM streams all of B, so more chunks stream
 * B more often; balance comes from the claiming (a thread that is late leaves its chunk to the others).
 */
let chunksPerThread: i32 = 1;
/**
 * A group whose passes run alone splits every EXPLORE_SPLIT-th pass, so workers that become free are
 * seen. One whose passes split keeps timing them, so it sees them slow down by itself; it runs alone only
 * every EXPLORE_ALONE-th pass to refresh that time (at 1 in 32, those passes cost 784-512-512-10 3% with
 * 2 threads, as each took twice a split one).
 */
const EXPLORE_SPLIT = 32;
const EXPLORE_ALONE = 256;
/** Groups: job kind (K_*, 1..15) × log2 of the work (0..31). */
const GROUPS = 16 * 32;
/** A group's record (GROUP_BYTES, byte offsets below). Only the caller touches it. */
const COST_SPLIT = 0; // f64: ms per unit of work, split
const COST_ALONE = 8; // f64: ms per unit of work, alone
const COST_CALLS = 16; // i32: calls so far
const COST_SPLIT_SEEN = 20; // i32: 1 once the first (untimed) split call is done
const COST_LAST_ALONE = 24; // i32: 1 when the last timed call ran alone
const COST_RETRY = 28; // i32: 1 when the next call splits again (the last try was not timed)
const GROUP_BYTES = 32;
const COSTS = memory.data(GROUPS * GROUP_BYTES, 8);
/** Whether the cost model chooses (1) or every pass above the thresholds splits (0). */
let adaptive: i32 = 1;
/** Busy-wait iterations before blocking, for the caller (waiting for the last chunks) and for workers (between jobs). */
let callerSpin: i32 = 1 << 20;
let workerSpin: i32 = 1 << 18;

/**
 * Attaches this instance (the caller's) to a pool of `count` workers parked in worker_loop on control
 * block `c`; count 0 (or c 0) detaches it, and every kernel then runs on this thread alone.
 */
export function threads_attach(c: usize, count: i32, mayWait: i32): void {
  ctrl = count > 0 ? c : 0;
  workers = count > 0 ? count : 0;
  callerMayWait = mayWait;
  seq = 0;
  active = false;
  inFlight = false;
  forgetCosts();
  if (ctrl) atomic.store<i32>(ctrl + WORKER_SPIN, workerSpin);
}

/** Clears what the cost model learned (a new pool, new tuning). */
function forgetCosts(): void {
  memory.fill(COSTS, 0, GROUPS * GROUP_BYTES);
}

/** Restores the tuning below. */
export function threads_tune_defaults(): void {
  minGemm = 1 << 17;
  minElems = 1 << 17;
  chunksPerThread = 1;
  callerSpin = 1 << 20;
  workerSpin = 1 << 18;
  adaptive = 1;
  forgetCosts();
  if (ctrl) atomic.store<i32>(ctrl + WORKER_SPIN, workerSpin);
}

/**
 * Changes the tuning (thresholds, chunks, spins); a negative argument keeps its value. For tests and
 * benchmarks. A threshold of 0 turns the cost model off: every pass at or above the thresholds splits.
 */
export function threads_tune(gemm: i32, elems: i32, perThread: i32, spinCaller: i32, spinWorker: i32): void {
  if (gemm >= 0) minGemm = gemm;
  if (elems >= 0) minElems = elems;
  adaptive = minGemm > 0 && minElems > 0 ? 1 : 0;
  forgetCosts();
  if (perThread > 0) chunksPerThread = perThread;
  if (spinCaller >= 0) callerSpin = spinCaller;
  if (spinWorker >= 0) workerSpin = spinWorker;
  if (ctrl) atomic.store<i32>(ctrl + WORKER_SPIN, workerSpin); // workers read it each time they wait
}

/**
 * Whether a GEMM of `work` multiply-adds goes through the pool at all (inlined at the call sites in
 * dispatch.ts): a small model's passes then cost what they cost in the single-thread module.
 */
@inline export function gemmMaySplit(work: i64): bool {
  return ctrl != 0 && work >= <i64>minGemm;
}

/** The same for an elementwise pass of `elems` elements whose threshold is minElems >> `shift`. */
@inline export function elemsMaySplit(elems: i32, shift: i32): bool {
  return ctrl != 0 && elems >= minElems >> shift;
}

/** Threads taking part in jobs: the workers and the caller. */
export function threads_count(): i32 {
  return workers + 1;
}

/** Chunks the workers (not the caller) have run since the pool started: shows they take part. */
export function threads_worker_chunks(): i32 {
  return ctrl ? atomic.load<i32>(ctrl + WORKER_CHUNKS) : 0;
}

/** Workers blocked in their wait for a job right now (diagnostics: they spin a while after each job, then block). */
export function threads_sleeping(): i32 {
  return ctrl ? atomic.load<i32>(ctrl + ASLEEP) : 0;
}

/** Jobs this instance has posted since it started (each split pass is one): shows passes split, whoever ran the chunks. */
export function threads_jobs(): i32 {
  return jobs;
}
let jobs: i32 = 0;

/** The cost model's group of a pass: its kind and the power of two of its work. */
@inline function group(kind: i32, work: i64): usize {
  const log = min(31, 63 - <i32>clz<i64>(max(work, 1)));
  return COSTS + <usize>((kind & 15) * 32 + log) * GROUP_BYTES;
}

/**
 * Whether a pass of `work` units (above its threshold) should split: the faster way by its group's
 * times; a way never timed first; now and then the slower way (EXPLORE_SPLIT, EXPLORE_ALONE).
 */
function shouldSplit(kind: i32, work: i64): bool {
  if (!adaptive) return true;
  const g = group(kind, work);
  const split = load<f64>(g, COST_SPLIT), alone = load<f64>(g, COST_ALONE);
  const calls = load<i32>(g, COST_CALLS) + 1;
  store<i32>(g, calls, COST_CALLS);
  if (load<i32>(g, COST_RETRY)) {
    store<i32>(g, 0, COST_RETRY);
    return true;
  }
  if (split == 0) return true;
  if (alone == 0) return false;
  const faster = split < alone;
  return calls % (faster ? EXPLORE_ALONE : EXPLORE_SPLIT) == 0 ? !faster : faster;
}

/**
 * Records that a pass of `work` units ran split (or alone) from `t0` until now. The first split call is
 * not counted: it pays for cold caches and a sleeping worker (measured: 10 times a warm split, which then
 * kept passes alone for hundreds of calls). (A pass runs alone first right after splitting, as every later
 * time it is tried alone, so that first time counts.) Then an average over the last calls that follows a
 * faster time at once (weight 1/2) and a slower one gradually (1/4, counting at most twice the average:
 * a thread was descheduled), so one slow sample moves it by a quarter at most.
 */
function learn(kind: i32, work: i64, split: bool, t0: f64): void {
  if (!adaptive) return;
  const g = group(kind, work);
  if (split && !load<i32>(g, COST_SPLIT_SEEN)) {
    store<i32>(g, 1, COST_SPLIT_SEEN);
    return;
  }
  // Trying to split after running alone, with a worker woken for it: not timed, and split again next call.
  if (split && load<i32>(g, COST_LAST_ALONE) && postedCold) {
    store<i32>(g, 0, COST_LAST_ALONE);
    store<i32>(g, 1, COST_RETRY);
    return;
  }
  store<i32>(g, split ? 0 : 1, COST_LAST_ALONE);
  const at = g + (split ? COST_SPLIT : COST_ALONE);
  const rate = (now() - t0) / <f64>max(work, 1);
  const avg = load<f64>(at);
  store<f64>(at, avg == 0 ? rate : rate < avg ? avg + (rate - avg) * 0.5 : avg + (min(rate, avg * 2) - avg) * 0.25);
}

@inline function arg(i: i32, v: i32): void {
  atomic.store<i32>(ctrl + J_ARGS + (<usize>i << 2), v);
}

@inline function argf(i: i32, v: f32): void {
  atomic.store<i32>(ctrl + J_ARGS + (<usize>i << 2), reinterpret<i32>(v));
}

/** Chunks for `units` indivisible units of work: enough to balance, never more than the units. */
@inline function chunkCount(units: i32): i32 {
  return min(units, (workers + 1) * chunksPerThread);
}

/** A job is posted and not finished: still set at the next post only if a trap on this thread cut it short. */
let active = false;
/** A worker was blocked in its wait when the last job was posted. */
let postedCold = false;
/** This thread is running a chunk (so a trap left that chunk unfinished). */
let inFlight = false;

/** Starts a job whose arguments are already written: publish, wake the workers. */
function post(kind: i32, chunks: i32, total: i32, gran: i32): void {
  const c = ctrl;
  if (active) recover();
  active = true;
  // A new sequence number; never 0, the value a fresh control block and an invalidated claim hold.
  seq = seq + 1 > 0 ? seq + 1 : 1;
  jobs++;
  atomic.store<i32>(c + J_KIND, kind);
  atomic.store<i32>(c + J_CHUNKS, chunks);
  atomic.store<i32>(c + J_TOTAL, total);
  atomic.store<i32>(c + J_GRAN, gran);
  atomic.store<i32>(c + DONE, 0);
  // The caller takes chunk 0 before the workers can see the job: the same thread then computes the
  // same slice (rows, columns, parameters) in every job, so what it wrote last step is in its cache.
  atomic.store<u64>(c + CLAIM, (<u64>seq << 32) | 1);
  postedCold = atomic.load<i32>(c + ASLEEP) > 0;
  atomic.store<i32>(c + SEQ, seq);
  atomic.notify(c + SEQ, workers);
}

/** The caller: take chunks until none are left, wait for the rest, invalidate the claim word. `scratch`: the caller's GEMM scratch. */
function finish(scratch: usize): void {
  const c = ctrl;
  const chunks = atomic.load<i32>(c + J_CHUNKS);
  inFlight = true;
  runChunk(c, 0, chunks, scratch);
  inFlight = false;
  if (atomic.add<i32>(c + DONE, 1) + 1 < chunks) work(c, seq, chunks, false, scratch);
  let spins = 0;
  for (;;) {
    const done = atomic.load<i32>(c + DONE);
    if (done >= chunks) break;
    if (atomic.load<i32>(c + FAILED)) break;
    if (spins < callerSpin || !callerMayWait) spins++;
    else atomic.wait<i32>(c + DONE, done, 1_000_000); // 1 ms: re-checks FAILED even if no one notifies
  }
  // Nobody can claim a chunk of this job from here on; the next post writes a fresh descriptor.
  atomic.store<u64>(c + CLAIM, 0);
  active = false;
  if (atomic.load<i32>(c + FAILED)) {
    // A worker trapped mid-chunk: its part of this result is missing. Run alone from now on.
    ctrl = 0;
    workers = 0;
    abort("a deltaflow worker thread failed; its part of the result is missing (threads are now off)");
  }
}

/**
 * The previous job was abandoned by a trap on this thread (a bad pointer in a direct kernel call): stop
 * further claims and wait for the chunks other threads took, so that none of them is still running when
 * the next job reuses the control block.
 */
function recover(): void {
  const c = ctrl;
  const cur = atomic.xchg<u64>(c + CLAIM, 0);
  const chunks = atomic.load<i32>(c + J_CHUNKS);
  const claimed = <i32>(cur >>> 32) == seq ? min(<i32>(cur & 0xffffffff), chunks) : 0;
  const expect = claimed - (inFlight ? 1 : 0);
  while (atomic.load<i32>(c + DONE) < expect && !atomic.load<i32>(c + FAILED)) {
    if (callerMayWait) atomic.wait<i32>(c + DONE, atomic.load<i32>(c + DONE), 1_000_000);
  }
  inFlight = false;
  active = false;
}

/** Claims and runs chunks of job `s` until none are left (or the job is no longer s), with this thread's GEMM scratch. */
function work(c: usize, s: i32, chunks: i32, worker: bool, scratch: usize): void {
  const tag = <u64><u32>s << 32;
  for (;;) {
    const cur = atomic.load<u64>(c + CLAIM);
    if ((cur & 0xffffffff00000000) != tag) return;
    const i = <i32>(cur & 0xffffffff);
    if (i >= chunks) return;
    if (atomic.cmpxchg<u64>(c + CLAIM, cur, cur + 1) != cur) continue;
    inFlight = true;
    runChunk(c, i, chunks, scratch);
    inFlight = false;
    if (worker) atomic.add<i32>(c + WORKER_CHUNKS, 1);
    if (atomic.add<i32>(c + DONE, 1) + 1 == chunks) atomic.notify(c + DONE, 1);
  }
}

/**
 * A worker's life: wait for a job, take chunks, repeat, until the control block says stop. Spins for a
 * while before blocking, because jobs come in quick succession during a training step. `index` (0, 1, …)
 * names the worker; any worker may take any chunk.
 */
export function worker_loop(c: usize, index: i32): void {
  // A worker that starts after jobs were posted takes part from the next one: the caller never waits
  // for a worker, only for chunks that were claimed.
  let last = atomic.load<i32>(c + SEQ);
  const scratchBase = <usize>atomic.load<i32>(c + CTRL_SCRATCH);
  const scratch = scratchBase ? scratchBase + ((<usize>index * GEMM_SCRATCH_FLOATS) << 2) : 0;
  for (;;) {
    let s = atomic.load<i32>(c + SEQ);
    let spins = 0;
    const spinMax = atomic.load<i32>(c + WORKER_SPIN);
    while (s == last && !atomic.load<i32>(c + STOP)) {
      if (spins < spinMax) spins++;
      else {
        atomic.add<i32>(c + ASLEEP, 1);
        atomic.wait<i32>(c + SEQ, last, -1);
        atomic.sub<i32>(c + ASLEEP, 1);
      }
      s = atomic.load<i32>(c + SEQ);
    }
    if (atomic.load<i32>(c + STOP)) return;
    last = s;
    work(c, s, atomic.load<i32>(c + J_CHUNKS), true, scratch);
  }
}

// ---------------------------------------------------------------------------------------------
// Running one chunk: the single-thread kernel on a slice of the operands.

@inline function word(c: usize, i: i32): i32 {
  return load<i32>(c + J_ARGS + (<usize>i << 2));
}

@inline function wordf(c: usize, i: i32): f32 {
  return load<f32>(c + J_ARGS + (<usize>i << 2));
}

/** Where chunk i of `chunks` starts, over `total` items cut on multiples of `gran` (i = chunks: the end). */
@inline function span(total: i32, gran: i32, i: i32, chunks: i32): i32 {
  const units = (total + gran - 1) / gran;
  return min(total, <i32>(<i64>units * i / chunks) * gran);
}

function runChunk(c: usize, i: i32, chunks: i32, scratch: usize): void {
  const total = load<i32>(c + J_TOTAL), gran = load<i32>(c + J_GRAN);
  const kind = load<i32>(c + J_KIND);
  const r0 = span(total, gran, i, chunks);
  const r1 = span(total, gran, i + 1, chunks);
  const len = r1 - r0;
  if (len <= 0) return;
  const o = <usize>r0;
  switch (kind) {
    case K_NN_ROWS: { // m n k a lda b ldb c ldc bias act alpha: rows r0..r1 of A and C
      const lda = word(c, 4), ldc = word(c, 8);
      f32_gemm_nn(len, word(c, 1), word(c, 2), <usize>word(c, 3) + ((o * lda) << 2), lda, <usize>word(c, 5), word(c, 6),
        <usize>word(c, 7) + ((o * ldc) << 2), ldc, <usize>word(c, 9), word(c, 10), wordf(c, 11), scratch);
      break;
    }
    case K_NN_COLS: { // columns r0..r1 of B, C and the bias
      const bias = <usize>word(c, 9);
      f32_gemm_nn(word(c, 0), len, word(c, 2), <usize>word(c, 3), word(c, 4), <usize>word(c, 5) + (o << 2), word(c, 6),
        <usize>word(c, 7) + (o << 2), word(c, 8), bias ? bias + (o << 2) : 0, word(c, 10), wordf(c, 11), scratch);
      break;
    }
    case K_TN_ROWS: { // m n k a lda b ldb c ldc: rows of C = columns of the stored A
      const ldc = word(c, 8);
      f32_gemm_tn(len, word(c, 1), word(c, 2), <usize>word(c, 3) + (o << 2), word(c, 4), <usize>word(c, 5), word(c, 6),
        <usize>word(c, 7) + ((o * ldc) << 2), ldc, scratch);
      break;
    }
    case K_TN_COLS: {
      f32_gemm_tn(word(c, 0), len, word(c, 2), <usize>word(c, 3), word(c, 4), <usize>word(c, 5) + (o << 2), word(c, 6),
        <usize>word(c, 7) + (o << 2), word(c, 8), scratch);
      break;
    }
    case K_NT_COLS: { // m n k a lda b ldb c ldc: columns of C = rows of the stored B; each chunk packs its own Bᵀ blocks
      const ldb = word(c, 6);
      f32_gemm_nt(word(c, 0), len, word(c, 2), <usize>word(c, 3), word(c, 4), <usize>word(c, 5) + ((o * ldb) << 2), ldb,
        <usize>word(c, 7) + (o << 2), word(c, 8), scratch);
      break;
    }
    case K_VACT: { // act alpha cols x y: rows r0..r1
      const cols = word(c, 2), off = (o * cols) << 2;
      f32_vact(word(c, 0), wordf(c, 1), len, cols, <usize>word(c, 3) + off, <usize>word(c, 4) + off);
      break;
    }
    case K_VACT_BWD: { // act alpha cols x y dy dx: rows r0..r1 (x or y may be 0 when unused)
      const cols = word(c, 2), off = (o * cols) << 2;
      const x = <usize>word(c, 3), y = <usize>word(c, 4);
      f32_vact_bwd(word(c, 0), wordf(c, 1), len, cols, x ? x + off : 0, y ? y + off : 0, <usize>word(c, 5) + off, <usize>word(c, 6) + off);
      break;
    }
    case K_VMUL: { // a b out: elements r0..r1
      const off = o << 2;
      f32_vmul(len, <usize>word(c, 0) + off, <usize>word(c, 1) + off, <usize>word(c, 2) + off);
      break;
    }
    case K_COLSUM: { // rows a lda out: columns r0..r1
      f32_colsum(word(c, 0), len, <usize>word(c, 1) + (o << 2), word(c, 2), <usize>word(c, 3) + (o << 2));
      break;
    }
    case K_OPT: { // plan scalars: parameters r0..r1
      optimizer_range(<usize>word(c, 0), <usize>word(c, 1), r0, len);
      break;
    }
    case K_GATHER: { // src cols idx start dst: rows r0..r1 of the batch
      const cols = word(c, 1);
      f32_gather_rows(<usize>word(c, 0), cols, <usize>word(c, 2), word(c, 3) + r0, len, <usize>word(c, 4) + ((o * cols) << 2));
      break;
    }
    case K_IM2COL: // g x col: output rows r0..r1 of one image
      f32_im2col_rows(<usize>word(c, 0), <usize>word(c, 1), <usize>word(c, 2), r0, r1);
      break;
    case K_COL2IM: // g col dx: input rows r0..r1 of one image, each gathered whole
      f32_col2im_rows(<usize>word(c, 0), <usize>word(c, 1), <usize>word(c, 2), r0, r1);
      break;
    case K_IMAGES: // g op a b idx: images r0..r1
      runImages(<usize>word(c, 0), word(c, 1), len, o, <usize>word(c, 2), <usize>word(c, 3), <usize>word(c, 4));
      break;
  }
}

/**
 * Images [i0, i0 + rows) of an image pass: a holds its input, b its output (forward: x → y with the
 * argmax in idx; backward: dy → dx), each image at its own stride.
 */
function runImages(g: usize, op: i32, rows: i32, i0: usize, a: usize, b: usize, idx: usize): void {
  const inImage = <usize>(load<i32>(g, G_H << 2) * load<i32>(g, G_W << 2) * load<i32>(g, G_C << 2)) << 2;
  const outImage = <usize>(load<i32>(g, G_OH << 2) * load<i32>(g, G_OW << 2) * load<i32>(g, G_OC << 2)) << 2;
  const backward = (op & 1) != 0;
  const aAt = a + i0 * (backward ? outImage : inImage), bAt = b + i0 * (backward ? inImage : outImage);
  const idxAt = idx ? idx + i0 * outImage : 0;
  switch (op) {
    case IMG_MAXPOOL: f32_maxpool(g, rows, aAt, bAt, idxAt); break;
    case IMG_MAXPOOL_BWD: f32_maxpool_bwd(g, rows, aAt, idxAt, bAt); break;
    case IMG_AVGPOOL: f32_avgpool(g, rows, aAt, bAt); break;
    case IMG_AVGPOOL_BWD: f32_avgpool_bwd(g, rows, aAt, bAt); break;
    case IMG_UPSAMPLE: f32_upsample(g, rows, aAt, bAt); break;
    case IMG_UPSAMPLE_BWD: f32_upsample_bwd(g, rows, aAt, bAt); break;
    case IMG_ZEROPAD: f32_zeropad(g, rows, aAt, bAt); break;
    case IMG_ZEROPAD_BWD: f32_zeropad_bwd(g, rows, aAt, bAt); break;
  }
}

// ---------------------------------------------------------------------------------------------
// The threaded kernels: same signatures and bit-identical results as the single-thread ones.

/** f32_gemm_nn split across the threads: by rows of C, or by columns when there are too few rows. */
export function mt_gemm_nn(
  m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32,
  bias: usize, act: i32, alpha: f32, scratch: usize,
): void {
  const threads = workers + 1;
  const work = <i64>m * n * max(k, 1);
  if (m <= 0 || n <= 0 || !gemmMaySplit(work)) {
    f32_gemm_nn(m, n, k, a, lda, b, ldb, c, ldc, bias, act, alpha, scratch);
    return;
  }
  // Rows keep each row's softmax in one chunk. Columns when rows are too few to go round, or when C is
  // at least twice as wide as tall and 64 rows or more: a row chunk packs all of B, a column chunk only
  // its share (2 threads, training 784-512-512-10 at batch 128: +3 to +4%). Not below 64 rows: at batch
  // 32 of 784-128-10 column chunks trained 3% slower, though alone the GEMM split better by columns.
  const byCols = act != ACT_SOFTMAX && (m < MR * threads * 2 || (n >= 2 * m && m >= COLS_MIN_M)) && n >= NR * threads * 2;
  const gran = byCols ? NR : MR, total = byCols ? n : m;
  const chunks = chunkCount((total + gran - 1) / gran);
  const kind = byCols ? K_NN_COLS : K_NN_ROWS;
  const split = chunks > 1 && shouldSplit(kind, work);
  const t0 = adaptive && chunks > 1 ? now() : 0;
  if (!split) {
    f32_gemm_nn(m, n, k, a, lda, b, ldb, c, ldc, bias, act, alpha, scratch);
    if (chunks > 1) learn(kind, work, false, t0);
    return;
  }
  arg(0, m); arg(1, n); arg(2, k); arg(3, <i32>a); arg(4, lda); arg(5, <i32>b); arg(6, ldb);
  arg(7, <i32>c); arg(8, ldc); arg(9, <i32>bias); arg(10, act); argf(11, alpha);
  post(kind, chunks, total, gran);
  finish(scratch);
  learn(kind, work, true, t0);
}

/** f32_gemm_tn split across the threads: by rows of C (the columns of the stored A), else by columns. */
export function mt_gemm_tn(m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, scratch: usize): void {
  const threads = workers + 1;
  const work = <i64>m * n * max(k, 1);
  if (m <= 0 || n <= 0 || !gemmMaySplit(work)) {
    f32_gemm_tn(m, n, k, a, lda, b, ldb, c, ldc, scratch);
    return;
  }
  const byCols = m < MR * threads * 2 && n >= NR * threads * 2;
  const gran = byCols ? NR : MR, total = byCols ? n : m;
  const chunks = chunkCount((total + gran - 1) / gran);
  const kind = byCols ? K_TN_COLS : K_TN_ROWS;
  const split = chunks > 1 && shouldSplit(kind, work);
  const t0 = adaptive && chunks > 1 ? now() : 0;
  if (!split) {
    f32_gemm_tn(m, n, k, a, lda, b, ldb, c, ldc, scratch);
    if (chunks > 1) learn(kind, work, false, t0);
    return;
  }
  arg(0, m); arg(1, n); arg(2, k); arg(3, <i32>a); arg(4, lda); arg(5, <i32>b); arg(6, ldb); arg(7, <i32>c); arg(8, ldc);
  post(kind, chunks, total, gran);
  finish(scratch);
  learn(kind, work, true, t0);
}

/**
 * f32_gemm_nt split by columns of C (rows of the stored B): each chunk packs its own Bᵀ blocks into its
 * thread's scratch, so there is no serial packing pass and no barrier between packing and computing.
 */
export function mt_gemm_nt(
  m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, scratch: usize,
): void {
  // (Workers without scratch, from a pool that did not allocate any, could not pack Bᵀ.)
  const work = <i64>m * n * max(k, 1);
  if (m <= 0 || n <= 0 || !gemmMaySplit(work) || !atomic.load<i32>(ctrl + CTRL_SCRATCH)) {
    f32_gemm_nt(m, n, k, a, lda, b, ldb, c, ldc, scratch);
    return;
  }
  const chunks = chunkCount((n + NR - 1) / NR);
  const split = chunks > 1 && shouldSplit(K_NT_COLS, work);
  const t0 = adaptive && chunks > 1 ? now() : 0;
  if (!split) {
    f32_gemm_nt(m, n, k, a, lda, b, ldb, c, ldc, scratch);
    if (chunks > 1) learn(K_NT_COLS, work, false, t0);
    return;
  }
  arg(0, m); arg(1, n); arg(2, k); arg(3, <i32>a); arg(4, lda); arg(5, <i32>b); arg(6, ldb); arg(7, <i32>c); arg(8, ldc);
  post(K_NT_COLS, chunks, n, NR);
  finish(scratch);
  learn(K_NT_COLS, work, true, t0);
}

/** Piecewise-linear activations: a few operations per element (the cost class in ids.ts). */
@inline function cheapForward(act: i32): bool {
  return ((ACT_CHEAP_FWD >> act) & 1) != 0;
}

/** Derivatives that are not cheap: those that recompute from x in f64 (kernels/f32_vact.ts). */
@inline function cheapBackward(act: i32): bool {
  return ((ACT_BWD_NEEDS_INPUT >> act) & 1) == 0;
}

/** f32_vact split by rows (softmax normalizes within a row). */
export function mt_vact(act: i32, alpha: f32, rows: i32, cols: i32, x: usize, y: usize): void {
  const chunks = elemsMaySplit(rows * cols, cheapForward(act) ? 0 : 4) ? chunkCount(rows) : 1;
  if (chunks <= 1) {
    f32_vact(act, alpha, rows, cols, x, y);
    return;
  }
  const work = <i64>rows * cols;
  if (!shouldSplit(K_VACT, work)) {
    const t = now();
    f32_vact(act, alpha, rows, cols, x, y);
    learn(K_VACT, work, false, t);
    return;
  }
  const t0 = adaptive ? now() : 0;
  arg(0, act); argf(1, alpha); arg(2, cols); arg(3, <i32>x); arg(4, <i32>y);
  post(K_VACT, chunks, rows, 1);
  finish(0);
  learn(K_VACT, work, true, t0);
}

/** f32_vact_bwd split by rows. */
export function mt_vact_bwd(act: i32, alpha: f32, rows: i32, cols: i32, x: usize, y: usize, dy: usize, dx: usize): void {
  const chunks = elemsMaySplit(rows * cols, cheapBackward(act) ? 0 : 4) ? chunkCount(rows) : 1;
  if (chunks <= 1) {
    f32_vact_bwd(act, alpha, rows, cols, x, y, dy, dx);
    return;
  }
  const work = <i64>rows * cols;
  if (!shouldSplit(K_VACT_BWD, work)) {
    const t = now();
    f32_vact_bwd(act, alpha, rows, cols, x, y, dy, dx);
    learn(K_VACT_BWD, work, false, t);
    return;
  }
  const t0 = adaptive ? now() : 0;
  arg(0, act); argf(1, alpha); arg(2, cols); arg(3, <i32>x); arg(4, <i32>y); arg(5, <i32>dy); arg(6, <i32>dx);
  post(K_VACT_BWD, chunks, rows, 1);
  finish(0);
  learn(K_VACT_BWD, work, true, t0);
}

/** f32_vmul split by elements (4-aligned, so the scalar tail stays the tail). */
export function mt_vmul(n: i32, a: usize, b: usize, out: usize): void {
  const chunks = elemsMaySplit(n, 0) ? chunkCount((n + 3) >> 2) : 1;
  if (chunks <= 1) {
    f32_vmul(n, a, b, out);
    return;
  }
  const work = <i64>n;
  if (!shouldSplit(K_VMUL, work)) {
    const t = now();
    f32_vmul(n, a, b, out);
    learn(K_VMUL, work, false, t);
    return;
  }
  const t0 = adaptive ? now() : 0;
  arg(0, <i32>a); arg(1, <i32>b); arg(2, <i32>out);
  post(K_VMUL, chunks, n, 4);
  finish(0);
  learn(K_VMUL, work, true, t0);
}

/** f32_colsum split by columns (each column's sum runs down its rows in order, in whichever chunk). */
export function mt_colsum(rows: i32, cols: i32, a: usize, lda: i32, out: usize): void {
  const chunks = elemsMaySplit(rows * cols, 0) ? chunkCount((cols + 15) >> 4) : 1;
  if (chunks <= 1) {
    f32_colsum(rows, cols, a, lda, out);
    return;
  }
  const work = <i64>rows * cols;
  if (!shouldSplit(K_COLSUM, work)) {
    const t = now();
    f32_colsum(rows, cols, a, lda, out);
    learn(K_COLSUM, work, false, t);
    return;
  }
  const t0 = adaptive ? now() : 0;
  arg(0, rows); arg(1, <i32>a); arg(2, lda); arg(3, <i32>out);
  post(K_COLSUM, chunks, cols, 16);
  finish(0);
  learn(K_COLSUM, work, true, t0);
}

/**
 * f32_gather_rows split by rows as the batch's GEMMs split them (4 at a time), so each thread gathers
 * the rows it then multiplies. A copy is cheap per byte, but the rows come from all over the data set.
 */
export function mt_gather_rows(src: usize, cols: i32, idx: usize, start: i32, count: i32, dst: usize): void {
  const chunks = elemsMaySplit(count * cols, 0) ? chunkCount((count + MR - 1) / MR) : 1;
  if (chunks <= 1) {
    f32_gather_rows(src, cols, idx, start, count, dst);
    return;
  }
  const work = <i64>count * cols;
  if (!shouldSplit(K_GATHER, work)) {
    const t = now();
    f32_gather_rows(src, cols, idx, start, count, dst);
    learn(K_GATHER, work, false, t);
    return;
  }
  const t0 = adaptive ? now() : 0;
  arg(0, <i32>src); arg(1, cols); arg(2, <i32>idx); arg(3, start); arg(4, <i32>dst);
  post(K_GATHER, chunks, count, MR);
  finish(0);
  learn(K_GATHER, work, true, t0);
}

/** Weight decay and the optimizer's update over parameters [0, n), split by elements. */
export function mt_optimizer(plan: usize, scalars: usize, n: i32): void {
  const chunks = elemsMaySplit(n, 2) ? chunkCount((n + 3) >> 2) : 1;
  if (chunks <= 1) {
    optimizer_range(plan, scalars, 0, n);
    return;
  }
  const work = <i64>n;
  if (!shouldSplit(K_OPT, work)) {
    const t = now();
    optimizer_range(plan, scalars, 0, n);
    learn(K_OPT, work, false, t);
    return;
  }
  const t0 = adaptive ? now() : 0;
  arg(0, <i32>plan); arg(1, <i32>scalars);
  post(K_OPT, chunks, n, 4);
  finish(0);
  learn(K_OPT, work, true, t0);
}

/** f32_im2col of one image split by output rows: each row's patches are written by one thread. */
export function mt_im2col(g: usize, x: usize, col: usize): void {
  const oh = load<i32>(g, G_OH << 2);
  // The floats it writes: every output position's whole patch.
  const elems = oh * load<i32>(g, G_OW << 2) * load<i32>(g, G_KH << 2) * load<i32>(g, G_KW << 2) * load<i32>(g, G_C << 2);
  const chunks = elemsMaySplit(elems, 0) ? chunkCount(oh) : 1;
  if (chunks <= 1) {
    f32_im2col_rows(g, x, col, 0, oh);
    return;
  }
  const work = <i64>elems;
  if (!shouldSplit(K_IM2COL, work)) {
    const t = now();
    f32_im2col_rows(g, x, col, 0, oh);
    learn(K_IM2COL, work, false, t);
    return;
  }
  const t0 = adaptive ? now() : 0;
  arg(0, <i32>g); arg(1, <i32>x); arg(2, <i32>col);
  post(K_IM2COL, chunks, oh, 1);
  finish(0);
  learn(K_IM2COL, work, true, t0);
}

/** f32_col2im of one image split by input rows: each input position gathers its taps in the same order as one thread. */
export function mt_col2im(g: usize, col: usize, dx: usize): void {
  const h = load<i32>(g, G_H << 2);
  // The floats it reads: every output position's whole patch.
  const elems = load<i32>(g, G_OH << 2) * load<i32>(g, G_OW << 2) * load<i32>(g, G_KH << 2) * load<i32>(g, G_KW << 2) * load<i32>(g, G_C << 2);
  const chunks = elemsMaySplit(elems, 0) ? chunkCount(h) : 1;
  if (chunks <= 1) {
    f32_col2im_rows(g, col, dx, 0, h);
    return;
  }
  const work = <i64>elems;
  if (!shouldSplit(K_COL2IM, work)) {
    const t = now();
    f32_col2im_rows(g, col, dx, 0, h);
    learn(K_COL2IM, work, false, t);
    return;
  }
  const t0 = adaptive ? now() : 0;
  arg(0, <i32>g); arg(1, <i32>col); arg(2, <i32>dx);
  post(K_COL2IM, chunks, h, 1);
  finish(0);
  learn(K_COL2IM, work, true, t0);
}

/** An image pass (pooling, resizing; IMG_*) over `rows` images, split by images. */
export function mt_images(op: i32, g: usize, rows: i32, a: usize, b: usize, idx: usize): void {
  const elems = rows * load<i32>(g, G_OH << 2) * load<i32>(g, G_OW << 2) * load<i32>(g, G_OC << 2);
  const chunks = elemsMaySplit(elems, 0) ? chunkCount(rows) : 1;
  if (chunks <= 1) {
    runImages(g, op, rows, 0, a, b, idx);
    return;
  }
  const work = <i64>elems;
  if (!shouldSplit(K_IMAGES, work)) {
    const t = now();
    runImages(g, op, rows, 0, a, b, idx);
    learn(K_IMAGES, work, false, t);
    return;
  }
  const t0 = adaptive ? now() : 0;
  arg(0, <i32>g); arg(1, op); arg(2, <i32>a); arg(3, <i32>b); arg(4, <i32>idx);
  post(K_IMAGES, chunks, rows, 1);
  finish(0);
  learn(K_IMAGES, work, true, t0);
}
