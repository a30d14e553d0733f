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
