// Loads and instantiates the WASM module once: from a precompiled Module (edge runtimes that forbid
// compiling bytes), from bytes, from a URL, or by default from the file next to this package. Reading
// files goes through the platform registry (src/platform.ts), so this module imports no Node built-in.

import { Heap } from './heap.js';
import type { KernelExports } from './exports.js';
import { LAYOUT_SIGNATURE } from '../shared/plan.js';
import { defaultWasmUrl } from './location.js';
import { announceCapabilities, nodePlatform } from '../platform.js';
import { relaxedSimdModule, simdOf, useRelaxedSimd, type RelaxedSimdOptions, type WasmSimd } from './relaxed.js';

export interface ReadyOptions extends RelaxedSimdOptions {
  /** A precompiled module, e.g. `import wasm from 'deltaflow/deltaflow.wasm'` in Cloudflare Workers. */
  module?: WebAssembly.Module;
  /** The module's bytes. */
  bytes?: BufferSource;
  /** Where to fetch the module from (browsers, Deno, bundlers); file: URLs are read from disk in Node, Deno and Bun. */
  url?: string | URL;
}

export interface Runtime {
  readonly kernels: KernelExports;
  readonly heap: Heap;
}

let runtime: Runtime | undefined;
let pending: Promise<Runtime> | undefined;

/** Instantiates the WASM module once; later calls return the same instance. */
export function ready(options: ReadyOptions = {}): Promise<void> {
  return start(() => moduleFrom(options));
}

/**
 * @internal Instantiates the module that `source` gives, once (the entries' ready() functions: the
 * Workers entry passes only a precompiled module, the single-file build its inlined bytes).
 */
export function start(source: () => WebAssembly.Module | Promise<WebAssembly.Module>): Promise<void> {
  pending ??= Promise.resolve()
    .then(source)
    .then(instantiate)
    .then((r) => (runtime = r));
  pending.catch(() => (pending = undefined));
  return pending.then(() => undefined);
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

async function instantiate(module: WebAssembly.Module): Promise<Runtime> {
  // By tag, not instanceof: a module compiled in another realm (a vm context, an iframe) is fine.
  if (Object.prototype.toString.call(module) !== '[object WebAssembly.Module]') {
    throw new Error(`deltaflow: expected a WebAssembly.Module, got ${module === null ? 'null' : typeof module}`);
  }
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
  const signature = typeof kernels.layout_signature === 'function' ? kernels.layout_signature() : undefined;
  if (signature !== LAYOUT_SIGNATURE) {
    throw new Error(
      `deltaflow: the .wasm module (layout ${signature ?? 'unknown'}) was built from other sources than this JavaScript (layout ${LAYOUT_SIGNATURE}); ` +
        'rebuild both (npm run build) or load the .wasm that ships with this version',
    );
  }
  announceCapabilities();
  return { kernels, heap: new Heap(kernels.memory, kernels.heap_base()) };
}

async function moduleFrom(options: ReadyOptions): Promise<WebAssembly.Module> {
  if (useRelaxedSimd(options)) return relaxedSimdModule(options.relaxedSimdWasm, (url) => loadBytes({ url }));
  if (options.module) return options.module;
  return WebAssembly.compile(await loadBytes(options));
}

async function loadBytes(options: ReadyOptions): Promise<BufferSource> {
  if (options.bytes) return options.bytes;
  const url = options.url ? new URL(options.url, import.meta.url) : defaultWasmUrl();
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

// AssemblyScript strings: UTF-16 code units, byte length stored just before the pointer.
function readString(memory: WebAssembly.Memory | undefined, ptr: number): string {
  if (!memory || !ptr) return '';
  const len = new Uint32Array(memory.buffer, ptr - 4, 1)[0] >>> 1;
  return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, len));
}
