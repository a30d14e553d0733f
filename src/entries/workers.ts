// deltaflow for Cloudflare Workers (workerd) and edge runtimes, 'deltaflow/workers' (and what
// `import 'deltaflow'` resolves to under the `workerd` and `edge-light` conditions). These runtimes refuse
// to compile WebAssembly from bytes; they hand the .wasm to the program as a precompiled
// WebAssembly.Module (`import wasm from 'deltaflow/deltaflow.wasm'`), so ready() takes only that and
// nothing on this path fetches, reads or compiles.
import { start } from '../wasm/load.js';

export * from '../core.js';
export { capabilities } from '../platform.js';
export type { Capabilities } from '../platform.js';

export interface WorkersReadyOptions {
  /** The precompiled module: `import wasm from 'deltaflow/deltaflow.wasm'` (wrangler's CompiledWasm rule). */
  module: WebAssembly.Module;
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
  return start(() => module);
}
