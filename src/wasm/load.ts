// Loads and instantiates the WASM module once: from a precompiled Module (edge runtimes that forbid
// compiling bytes), from bytes, from a URL, or by default from the file next to this package. Reading
// files goes through the platform registry (src/platform.ts), so this module imports no Node built-in.
// With threads (setThreads, or ready({ threads })), the threaded build instead, over a shared memory,
// with its pool of workers (threads.ts).

import { Heap } from './heap.js';
import type { KernelExports } from './exports.js';
import { fingerprint } from '../shared/plan.js';
import { ACT_COUNT, LOSS_COUNT, OPT_COUNT, STAT_COUNT } from '../shared/ids.js';
import { defaultThreadsWasmUrl, defaultWasmUrl } from './location.js';
import { announceCapabilities, nodePlatform } from '../platform.js';
import { Threaded, threadsUnavailable } from './threads.js';
import { readString } from './strings.js';
import { relaxedSimdModule, simdOf, useRelaxedSimd, type RelaxedSimdOptions, type WasmSimd } from './relaxed.js';
import { checkOptions, type OptionSpec } from '../options.js';

/** Options of `df.setThreads(n, options)`. */
export interface ThreadsOptions {
  /**
   * The threaded build (`deltaflow/deltaflow.threads.wasm`) when it is not next to the package: its URL,
   * its bytes or a compiled module.
   */
  threadsWasm?: string | URL | BufferSource | WebAssembly.Module;
}

/** Options of `df.ready(options)`: where the WebAssembly module comes from, threads, relaxed SIMD. */
export interface ReadyOptions extends ThreadsOptions, RelaxedSimdOptions {
  /** Train on this many threads (see setThreads); default 1, the single-thread module. */
  threads?: number | 'auto';
  /** A precompiled module, e.g. `import wasm from 'deltaflow/deltaflow.wasm'` in Cloudflare Workers. */
  module?: WebAssembly.Module;
  /** The module's bytes. */
  bytes?: BufferSource;
  /** Where to fetch the module from (browsers, Deno, bundlers); file: URLs are read from disk in Node, Deno and Bun. */
  url?: string | URL;
}

const READY_OPTIONS: OptionSpec<ReadyOptions> = {
  known: { threads: true, module: true, bytes: true, url: true, threadsWasm: true, relaxedSimd: true, relaxedSimdWasm: true },
};
const THREADS_OPTIONS: OptionSpec<ThreadsOptions> = { known: { threadsWasm: true } };

export interface Runtime {
  readonly kernels: KernelExports;
  readonly heap: Heap;
}

/** The runtime new models are built in: the single-thread one, or the threaded one once setThreads chose it. */
let runtime: Runtime | undefined;
let pending: Promise<Runtime> | undefined;
let threaded: Threaded | undefined;
/** setThreads() and ready({ threads }) run one at a time, in call order. */
let chain: Promise<unknown> = Promise.resolve();
const warned = new Set<string>();

/** Instantiates the WASM module once; later calls return the same instance. `{ threads }` calls setThreads. */
export function ready(options: ReadyOptions = {}): Promise<void> {
  try {
    options = checkOptions('ready', options, READY_OPTIONS);
  } catch (e) {
    return Promise.reject(e);
  }
  const { threads } = options;
  if (threads === undefined) return start(() => moduleFrom(options));
  return serially(async () => void (await useThreads(await threadCount(threads), options)));
}

/**
 * Trains (fit, evaluate, predict, trainOnBatch) on `n` threads: this one and n − 1 workers sharing its
 * memory ('auto': one per core). Results are bit-identical to one thread. Resolves to the number of
 * threads in effect: 1, with one warning saying why, where shared memory or workers are unavailable
 * (browsers need a cross-origin isolated page). setThreads(1) stops the workers.
 *
 * The first call above 1 switches to the threaded build. A model lives in the module that was current
 * when it first took memory (its first fit, predict or getWeights): models from before keep working,
 * single-threaded; models from after use the threads. The workers never keep a Node, Deno or Bun process alive.
 */
export function setThreads(n: number | 'auto', options: ThreadsOptions = {}): Promise<number> {
  try {
    options = checkOptions('setThreads', options, THREADS_OPTIONS);
  } catch (e) {
    return Promise.reject(e);
  }
  return serially(async () => useThreads(await threadCount(n), options));
}

/** Threads new models train on: 1 unless setThreads started workers. */
export function getThreads(): number {
  return threaded && runtime === threaded ? threaded.threads : 1;
}

/**
 * @internal Instantiates the module that `source` gives, once (the entries' ready() functions: the
 * Workers entry passes only a precompiled module, the single-file build its inlined bytes).
 */
export function start(source: () => WebAssembly.Module | Promise<WebAssembly.Module>): Promise<void> {
  pending ??= Promise.resolve()
    .then(source)
    .then(instantiate)
    .then((r) => (runtime ??= r));
  pending.catch(() => (pending = undefined));
  return pending.then(() => undefined);
}

/** The runtime new models are built in, or undefined before `ready()` has resolved. */
export function currentRuntime(): Runtime | undefined {
  return runtime;
}

/** The instantiated runtime; throws a clear error before `ready()` has resolved. */
export function getRuntime(): Runtime {
  if (!runtime) throw new Error('deltaflow is not ready: await df.ready() once before building models');
  return runtime;
}

/** Which build is running: 'simd128' (the default, bit-identical everywhere) or 'relaxed-simd' (opted in, see ready()). */
export function wasmSimd(): WasmSimd {
  return simdOf(getRuntime().kernels);
}

function serially<T>(fn: () => Promise<T>): Promise<T> {
  const next = chain.then(fn);
  chain = next.catch(() => undefined);
  return next;
}

async function useThreads(n: number, options: ReadyOptions): Promise<number> {
  const warn = (msg: string) => {
    if (warned.has(msg)) return;
    warned.add(msg);
    console.warn(msg);
  };
  if (!threaded && n > 1) {
    const why = threadsUnavailable();
    if (why) warn(`deltaflow: threads unavailable: ${why}. Training runs on one thread.`);
    else {
      try {
        const module = await threadsModule(options);
        checkModule(module);
        threaded = await Threaded.create(module, checkSignature);
      } catch (e) {
        warn(`deltaflow: could not load the threaded module (${e instanceof Error ? e.message : e}). Training runs on one thread.`);
      }
    }
  }
  if (!threaded) {
    await start(() => moduleFrom(options));
    return 1;
  }
  runtime = threaded;
  return threaded.resize(n, warn);
}

async function threadCount(n: number | 'auto'): Promise<number> {
  if (n === 'auto') {
    const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
    return nav?.hardwareConcurrency || nodePlatform()?.threads?.cores() || 1;
  }
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new Error(`threads must be an integer from 1 to 256 or 'auto', got ${JSON.stringify(n)}`);
  return n;
}

function checkModule(module: WebAssembly.Module): void {
  // By tag, not instanceof: a module compiled in another realm (a vm context, an iframe) is fine.
  if (Object.prototype.toString.call(module) !== '[object WebAssembly.Module]') {
    throw new Error(`deltaflow: expected a WebAssembly.Module, got ${module === null ? 'null' : typeof module}`);
  }
}

/** Refuses a module built from other sources than this JavaScript (its plan layout would differ). */
function checkSignature(kernels: KernelExports): void {
  const signature = typeof kernels.layout_signature === 'function' ? kernels.layout_signature() : undefined;
  const expected = fingerprint(ACT_COUNT, LOSS_COUNT, OPT_COUNT, STAT_COUNT);
  if (signature !== expected) {
    throw new Error(
      `deltaflow: the .wasm module (layout ${signature ?? 'unknown'}) was built from other sources than this JavaScript (layout ${expected}); ` +
        'rebuild both (npm run build) or load the .wasm that ships with this version',
    );
  }
}

async function instantiate(module: WebAssembly.Module): Promise<Runtime> {
  checkModule(module);
  let memory: WebAssembly.Memory | undefined;
  const imports = {
    env: {
      abort(msg: number, file: number, line: number, col: number) {
        throw new Error(`deltaflow WASM abort: ${readString(memory, msg)} at ${readString(memory, file)}:${line}:${col}`);
      },
    },
  };
  const instance = await WebAssembly.instantiate(module, imports);
  const kernels = instance.exports as unknown as KernelExports;
  memory = kernels.memory;
  checkSignature(kernels);
  announceCapabilities();
  return { kernels, heap: new Heap(kernels.memory, kernels.heap_base()) };
}

async function moduleFrom(options: ReadyOptions): Promise<WebAssembly.Module> {
  if (useRelaxedSimd(options)) return relaxedSimdModule(options.relaxedSimdWasm, (url) => loadBytes(url, defaultWasmUrl));
  if (options.module) return options.module;
  return WebAssembly.compile(await loadBytes(options.bytes ?? options.url, defaultWasmUrl));
}

async function threadsModule(options: ThreadsOptions): Promise<WebAssembly.Module> {
  const src = options.threadsWasm;
  if (Object.prototype.toString.call(src) === '[object WebAssembly.Module]') return src as WebAssembly.Module;
  return WebAssembly.compile(await loadBytes(src as BufferSource | string | URL | undefined, defaultThreadsWasmUrl));
}

/** Bytes as given, or read from a URL (file: from disk where the platform allows it, else a fetch). */
async function loadBytes(src: BufferSource | string | URL | undefined, fallback: () => URL): Promise<BufferSource> {
  if (src !== undefined && typeof src !== 'string' && !(src instanceof URL)) return src;
  const url = src !== undefined ? new URL(src, import.meta.url) : fallback();
  const files = url.protocol === 'file:' ? nodePlatform() : undefined;
  // Node, Bun and Deno read files; elsewhere (and for http URLs) it is a fetch.
  if (files) return (await files.fs.readFile(files.toPath(url))) as Uint8Array<ArrayBuffer>;
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    const hint = url.protocol === 'file:' ? " (this runtime cannot read files: import deltaflow's Node entry, or pass { url }, { bytes } or { module })" : '';
    throw new Error(`deltaflow: could not load ${url}${hint}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  if (!response.ok) throw new Error(`deltaflow: could not fetch ${url}: HTTP ${response.status}`);
  return response.arrayBuffer();
}
