// The relaxed-SIMD build (build/deltaflow.relaxed.wasm, opt-in: df.ready({ relaxedSimd: true })): the same
// exports, compiled with relaxed-simd enabled so the GEMM microkernels fuse multiply and add (see mulAdd
// in kernels/f32_gemm.ts), plus a marker the loader reads to tell the two builds apart.
export * from "./index";

/** Present only in this build: df.wasmSimd() reports 'relaxed-simd' for a module that exports it. */
export function simd_relaxed(): i32 {
  return 1;
}
