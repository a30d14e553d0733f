// Loads and instantiates the WASM module once: from a precompiled Module (edge runtimes that forbid
// compiling bytes), from bytes, from a URL, or by default from the file next to this package.

import { Heap } from './heap.js';
import type { KernelExports } from './exports.js';

export interface ReadyOptions {
  /** A precompiled module, e.g. `import wasm from 'deltaflow/deltaflow.wasm'` in Cloudflare Workers. */
  module?: WebAssembly.Module;
  /** The module's bytes. */
  bytes?: BufferSource;
  /** Where to fetch the module from (browsers, Deno, bundlers). */
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
  pending ??= instantiate(options).then((r) => (runtime = r));
  pending.catch(() => (pending = undefined));
  return pending.then(() => undefined);
}

/** The instantiated runtime; throws a clear error before `ready()` has resolved. */
export function getRuntime(): Runtime {
  if (!runtime) throw new Error('deltaflow is not ready: await df.ready() once before building models');
  return runtime;
}

async function instantiate(options: ReadyOptions): Promise<Runtime> {
  const module = options.module ?? (await WebAssembly.compile(await loadBytes(options)));
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
  return { kernels, heap: new Heap(kernels.memory, kernels.heap_base()) };
}

async function loadBytes(options: ReadyOptions): Promise<BufferSource> {
  if (options.bytes) return options.bytes;
  const url = options.url ? new URL(options.url, import.meta.url) : new URL('../../build/deltaflow.wasm', import.meta.url);
  if (url.protocol === 'file:') {
    // Node, Bun and Deno read files; the import is dynamic so browser bundles never see it.
    const fs = await import('node:fs/promises');
    const { fileURLToPath } = await import('node:url');
    return fs.readFile(fileURLToPath(url));
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`deltaflow: could not fetch ${url}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

// AssemblyScript strings: UTF-16 code units, byte length stored just before the pointer.
function readString(memory: WebAssembly.Memory | undefined, ptr: number): string {
  if (!memory || !ptr) return '';
  const len = new Uint32Array(memory.buffer, ptr - 4, 1)[0] >>> 1;
  return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, len));
}
