// deltaflow for Cloudflare Workers (workerd) and edge runtimes, 'deltaflow/workers' (and what
// `import 'deltaflow'` resolves to under the `workerd` and `edge-light` conditions). These runtimes refuse
// to compile WebAssembly from bytes; they hand the .wasm to the program as a precompiled
// WebAssembly.Module (`import wasm from 'deltaflow/deltaflow.wasm'`), so ready() takes only that and
// nothing on this path fetches, reads or compiles.
import { start } from '../wasm/load.js';
import { isModule, useRelaxedSimd } from '../wasm/relaxed.js';

export * from '../core.js';
export { capabilities } from '../platform.js';
export type { Capabilities } from '../platform.js';

export interface WorkersReadyOptions {
  /** The precompiled module: `import wasm from 'deltaflow/deltaflow.wasm'` (wrangler's CompiledWasm rule). */
  module: WebAssembly.Module;
  /**
   * Use the relaxed-SIMD build (fused multiply-add; results vary by CPU in the last bits) where the runtime
   * supports it, else `module`. Needs relaxedSimdWasm too.
   */
  relaxedSimd?: boolean;
  /** The precompiled relaxed build: `import relaxed from 'deltaflow/deltaflow.relaxed.wasm'`. */
  relaxedSimdWasm?: WebAssembly.Module;
}

let warnedThreads = false;

/**
 * Workers and edge runtimes give a request one thread and no shared-memory workers: training runs on
 * this thread, said once. (The other entries' setThreads starts workers where the runtime allows.)
 */
export function setThreads(n: number | 'auto'): Promise<number> {
  if (n !== 'auto' && (!Number.isInteger(n) || n < 1 || n > 256)) {
    return Promise.reject(new Error(`threads must be an integer from 1 to 256 or 'auto', got ${JSON.stringify(n)}`));
  }
  if (n !== 1 && !warnedThreads) {
    warnedThreads = true;
    console.warn('deltaflow/workers: Workers and edge runtimes have no shared-memory worker threads; training runs on one thread.');
  }
  return Promise.resolve(1);
}

/** Always 1 here (see setThreads). */
export function getThreads(): number {
  return 1;
}

/** Instantiates the precompiled module once; later calls return the same instance. */
export function ready(options: WorkersReadyOptions): Promise<void> {
  const module = options?.module;
  if (!module) {
    return Promise.reject(
      new Error(
        "deltaflow/workers: pass the precompiled module, `import wasm from 'deltaflow/deltaflow.wasm'; await df.ready({ module: wasm })` " +
          "(this runtime cannot compile WebAssembly from bytes; with wrangler, .wasm imports are CompiledWasm modules)",
      ),
    );
  }
  return start(() => {
    if (options.relaxedSimd === true && !isModule(options.relaxedSimdWasm)) {
      throw new Error(
        "deltaflow/workers: relaxedSimd needs the precompiled relaxed build as well, `import relaxed from 'deltaflow/deltaflow.relaxed.wasm'; " +
          'await df.ready({ module: wasm, relaxedSimd: true, relaxedSimdWasm: relaxed })`',
      );
    }
    return useRelaxedSimd(options) ? (options.relaxedSimdWasm as WebAssembly.Module) : module;
  });
}
