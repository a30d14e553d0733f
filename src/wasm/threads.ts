// The threaded runtime: build/deltaflow.threads.wasm over one shared WebAssembly.Memory, and a pool of
// workers, each an instance of the same module over the same memory, parked in its worker_loop. The
// calling thread's instance posts jobs to them from inside WASM (assembly/threads/pool.ts); this file
// only checks that the environment can do it, starts and stops the workers and hands out the runtime.
//
// Node and Deno: worker_threads from the platform registry (so the core imports no Node built-in), started
// from a data: URL module and unref'd once started so they never keep a process alive (Deno's Web Workers
// cannot be unref'd). Browsers and Bun: module Web Workers from a Blob URL (Bun's unref'd too); browsers
// need a cross-origin isolated page (COOP/COEP headers) for SharedArrayBuffer.

import * as C from '../shared/pool.js';
import { GEMM_SCRATCH_FLOATS } from '../shared/plan.js';
import { Heap } from './heap.js';
import type { KernelExports } from './exports.js';
import { NODE_WORKER_BODY, WEB_WORKER_SOURCE } from './worker.js';
import { nodePlatform } from '../platform.js';
import { readString } from './strings.js';

/** The threaded module's extra exports (assembly/threads/pool.ts). */
export interface ThreadKernels extends KernelExports {
  _initialize(): void;
  worker_loop(ctrl: number, index: number): void;
  threads_attach(ctrl: number, workers: number, mayWait: number): void;
  threads_tune(minGemm: number, minElems: number, chunksPerThread: number, callerSpin: number, workerSpin: number): void;
  threads_tune_defaults(): void;
  threads_count(): number;
  threads_worker_chunks(): number;
  threads_jobs(): number;
  threads_sleeping(): number;
  mt_gemm_nn(m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, bias: number, act: number, alpha: number, scratch: number): void;
  mt_gemm_tn(m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, scratch: number): void;
  mt_gemm_nt(m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, scratch: number): void;
  mt_colsum(rows: number, cols: number, a: number, lda: number, out: number): void;
  mt_vact(act: number, alpha: number, rows: number, cols: number, x: number, y: number): void;
  mt_vact_bwd(act: number, alpha: number, rows: number, cols: number, x: number, y: number, dy: number, dx: number): void;
  mt_vmul(n: number, a: number, b: number, out: number): void;
  mt_gather_rows(src: number, cols: number, idx: number, start: number, count: number, dst: number): void;
}

/** Largest memory we ask for, in 64 KiB pages, tried in turn (the module allows up to 4 GiB). */
const MAX_PAGES = [65536, 32768, 16384];
/** Initial pages: more than the module's static data needs (its declared minimum is 1). */
const INITIAL_PAGES = 16;
/** How long a worker may take to start before we give up on threads. */
const START_TIMEOUT_MS = 30_000;

/**
 * Why this environment cannot run the threaded mode, or undefined when it can. Checked before anything
 * is loaded; a worker that then fails to start is reported separately.
 */
export function threadsUnavailable(): string | undefined {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  const coop = 'serve the page with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp';
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') {
    return isolated === false
      ? `SharedArrayBuffer is unavailable because the page is not cross-origin isolated (${coop})`
      : 'this environment has no SharedArrayBuffer/Atomics';
  }
  if (isolated === false) return `the page is not cross-origin isolated (${coop})`;
  try {
    const probe = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true } as WebAssembly.MemoryDescriptor);
    if (!(probe.buffer instanceof SharedArrayBuffer)) return 'WebAssembly.Memory cannot be shared here';
  } catch {
    return 'this WebAssembly engine cannot create shared memory (threads proposal)';
  }
  if (!nodePlatform()?.threads && typeof Worker !== 'function') return 'this environment has no Worker';
  return undefined;
}

/** Whether this thread may block in Atomics.wait (not a browser's main thread): otherwise the caller spins. */
function mayBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** One worker, whatever the platform. */
interface Thread {
  post(message: unknown): void;
  onMessage(fn: (message: WorkerMessage) => void): void;
  onError(fn: (error: unknown) => void): void;
  /** Node: whether it keeps the process alive (only while it starts or stops). */
  ref(): void;
  unref(): void;
  terminate(): void | Promise<unknown>;
}

type WorkerMessage = { type: 'ready' } | { type: 'exit' } | { type: 'error'; message: string };

async function spawn(): Promise<Thread> {
  const node = nodePlatform()?.threads;
  if (node) {
    const w = new node.Worker(new URL(`data:text/javascript,${encodeURIComponent(node.preamble + NODE_WORKER_BODY)}`), { name: 'deltaflow' });
    return {
      post: (m) => w.postMessage(m),
      onMessage: (fn) => w.on('message', fn as (m: never) => void),
      onError: (fn) => w.on('error', fn),
      ref: () => w.ref(),
      unref: () => w.unref(),
      terminate: () => w.terminate(),
    };
  }
  const url = URL.createObjectURL(new Blob([WEB_WORKER_SOURCE], { type: 'text/javascript' }));
  let w: Worker;
  try {
    w = new Worker(url, { type: 'module', name: 'deltaflow' });
  } catch (e) {
    URL.revokeObjectURL(url);
    throw e;
  }
  // The script is loaded once the worker says anything (or fails): the URL can go then.
  const revoke = () => URL.revokeObjectURL(url);
  w.addEventListener('message', revoke, { once: true });
  w.addEventListener('error', revoke, { once: true });
  return {
    post: (m) => w.postMessage(m),
    onMessage: (fn) => w.addEventListener('message', (e) => fn((e as MessageEvent).data)),
    onError: (fn) => w.addEventListener('error', (e) => fn((e as ErrorEvent).message || e)),
    // Bun's Web Workers can be unref'd like Node's; browsers have no such thing (and no process to keep).
    ref: () => (w as { ref?: () => void }).ref?.(),
    unref: () => (w as { unref?: () => void }).unref?.(),
    terminate: () => {
      revoke();
      w.terminate();
    },
  };
}

/**
 * A worker's messages as promises: `ready` once it is parked in its loop (rejected if it fails first or
 * takes too long), `exit` once it has left the loop or failed. A failure after `ready` goes to onError.
 */
function watch(t: Thread, onError: (msg: string) => void): { ready: Promise<void>; exit: Promise<void> } {
  let running = false;
  let ended: () => void = () => {};
  const exit = new Promise<void>((resolve) => (ended = resolve));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`a worker did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    const fail = (error: Error) => {
      clearTimeout(timer);
      if (running) onError(error.message);
      reject(error);
      ended();
    };
    t.onMessage((m) => {
      if (m.type === 'ready') {
        running = true;
        clearTimeout(timer);
        resolve();
      } else if (m.type === 'exit') ended();
      else fail(new Error(m.message));
    });
    t.onError((e) => fail(e instanceof Error ? e : new Error(String(e))));
  });
  ready.catch(() => {}); // observed by Pool.start; a failure after start must not be an unhandled rejection
  return { ready, exit };
}

/** A pool of started workers over one control block. */
class Pool {
  private constructor(
    readonly ctrl: number,
    /** The workers' GEMM scratch: GEMM_SCRATCH_FLOATS floats each (the caller's is the plan's H_SCRATCH). */
    private readonly scratch: number,
    private readonly threads: Thread[],
    private readonly exited: Promise<void>[],
  ) {}

  get workers(): number {
    return this.threads.length;
  }

  static async start(kernels: ThreadKernels, heap: Heap, module: WebAssembly.Module, count: number, onError: (msg: string) => void): Promise<Pool> {
    const ctrl = heap.alloc(C.CTRL_BYTES);
    heap.u8(ctrl, C.CTRL_BYTES).fill(0);
    const scratch = heap.alloc(count * GEMM_SCRATCH_FLOATS * 4, 'worker GEMM scratch');
    new Int32Array(heap.memory.buffer, ctrl, C.CTRL_BYTES >> 2)[C.CTRL_SCRATCH >> 2] = scratch;
    const message = { module, memory: heap.memory, ctrl, failedAt: ctrl + C.CTRL_FAILED, doneAt: ctrl + C.CTRL_DONE };
    const threads: Thread[] = [];
    const exited: Promise<void>[] = [];
    // Every worker is started (or has failed) before anything is decided, so that none is left running.
    const started = await Promise.allSettled(
      Array.from({ length: count }, async (_, index) => {
        const t = await spawn();
        threads.push(t);
        const { ready, exit } = watch(t, onError);
        exited.push(exit);
        t.post({ ...message, index });
        await ready;
        t.unref();
      }),
    );
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await Promise.all(threads.map((t) => t.terminate()));
      heap.free(scratch);
      heap.free(ctrl);
      throw failed.reason;
    }
    kernels.threads_attach(ctrl, threads.length, mayBlock() ? 1 : 0);
    return new Pool(ctrl, scratch, threads, exited);
  }

  /** Detaches the caller, tells the workers to leave their loop, and ends them. */
  async stop(kernels: ThreadKernels, heap: Heap): Promise<void> {
    kernels.threads_attach(0, 0, 1);
    const words = new Int32Array(heap.memory.buffer, this.ctrl, C.CTRL_BYTES >> 2);
    Atomics.store(words, C.CTRL_STOP >> 2, 1);
    Atomics.add(words, C.CTRL_SEQ >> 2, 1);
    Atomics.notify(words, C.CTRL_SEQ >> 2);
    // A worker returns from worker_loop at once; give it a moment to say so before ending it anyway
    // (referenced meanwhile, so that a Node process awaiting setThreads(1) does not exit under it).
    for (const t of this.threads) t.ref();
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([Promise.all(this.exited), new Promise((r) => (timer = setTimeout(r, 1000)))]);
    clearTimeout(timer);
    await Promise.all(this.threads.map((t) => t.terminate()));
    heap.free(this.scratch);
    heap.free(this.ctrl);
  }
}

/** The threaded runtime: its kernels and heap, and the pool that `setThreads` resizes. */
export class Threaded {
  private pool?: Pool;
  private failure?: string;

  private constructor(
    readonly kernels: ThreadKernels,
    readonly heap: Heap,
    private readonly module: WebAssembly.Module,
  ) {}

  /** Instantiates the threaded module over a new shared memory, with no workers yet. */
  static async create(module: WebAssembly.Module, check: (kernels: KernelExports) => void): Promise<Threaded> {
    let memory: WebAssembly.Memory | undefined;
    for (const maximum of MAX_PAGES) {
      try {
        memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum, shared: true } as WebAssembly.MemoryDescriptor);
        break;
      } catch (e) {
        if (maximum === MAX_PAGES[MAX_PAGES.length - 1]) throw e;
      }
    }
    const mem = memory!;
    const imports = {
      env: {
        memory: mem,
        // The pool's cost model times passes split and alone (assembly/threads/pool.ts).
        now: () => performance.now(),
        abort(msg: number, file: number, line: number, col: number) {
          throw new Error(`deltaflow WASM abort: ${readString(mem, msg)} at ${readString(mem, file)}:${line}:${col}`);
        },
      },
    };
    const instance = await WebAssembly.instantiate(module, imports);
    const kernels = instance.exports as unknown as ThreadKernels;
    kernels._initialize();
    check(kernels);
    return new Threaded(kernels, new Heap(mem, kernels.heap_base()), module);
  }

  /** Threads taking part in training: the workers and the calling thread. */
  get threads(): number {
    return (this.pool?.workers ?? 0) + 1;
  }

  /**
   * Runs `n` threads: the caller and n − 1 workers. A pool of another size is stopped first. Resolves to
   * the number of threads in effect (1 if the workers could not be started; `warn` says why).
   */
  async resize(n: number, warn: (msg: string) => void): Promise<number> {
    if (n === this.threads) return n;
    if (this.pool) {
      const old = this.pool;
      this.pool = undefined;
      await old.stop(this.kernels, this.heap);
    }
    if (n <= 1) return 1;
    try {
      this.pool = await Pool.start(this.kernels, this.heap, this.module, n - 1, (msg) => {
        // A chunk trapped in a worker: the call that posted it has thrown; carry on without the pool.
        this.failure = msg;
        warn(`${msg}\ndeltaflow: worker threads stopped; training continues on one thread.`);
        const pool = this.pool;
        this.pool = undefined;
        void pool?.stop(this.kernels, this.heap);
      });
    } catch (e) {
      warn(`deltaflow: could not start worker threads (${e instanceof Error ? e.message : e}); running on one thread.`);
      return 1;
    }
    return this.threads;
  }

  /** A worker's error, if one failed while running. */
  get error(): string | undefined {
    return this.failure;
  }
}
