// Where df.ready() finds the modules by default: build/deltaflow.wasm (and the threads and relaxed builds), relative to this file in src/wasm/
// and dist/wasm/. Written as `new URL('literal', import.meta.url)` so that bundlers (webpack 5, Vite,
// Parcel, Rollup plugins) copy the .wasm into their output and rewrite the URL. scripts/build-bundles.mjs
// replaces this module in the prebuilt bundles with './deltaflow.wasm', the copy next to the bundle.
export function defaultWasmUrl(): URL {
  return new URL('../../build/deltaflow.wasm', import.meta.url);
}

/** The threaded build, for setThreads(n > 1). */
export function defaultThreadsWasmUrl(): URL {
  return new URL('../../build/deltaflow.threads.wasm', import.meta.url);
}

/** The opt-in relaxed-SIMD build (df.ready({ relaxedSimd: true })), found the same way. */
export function relaxedWasmUrl(): URL {
  return new URL('../../build/deltaflow.relaxed.wasm', import.meta.url);
}
