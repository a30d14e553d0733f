// The threaded build's exports (build/deltaflow.threads.wasm, asconfig target "threads"): everything the
// single-thread module exports, compiled from the same sources with --enable threads over one shared
// imported memory, so that the training entry splits its kernels across workers (threads/pool.ts);
// plus the pool itself and its split kernels, which tests call directly.

export * from "./index";
export {
  worker_loop, threads_attach, threads_tune, threads_tune_defaults, threads_count, threads_worker_chunks, threads_jobs, threads_sleeping,
  mt_gemm_nn, mt_gemm_tn, mt_gemm_nt, mt_colsum, mt_vact, mt_vact_bwd, mt_vmul, mt_gather_rows,
} from "./threads/pool";
