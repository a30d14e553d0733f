// The thread pool's control block (threaded build only): byte offsets shared by the WASM job system
// (assembly/threads/pool.ts) and the TypeScript that starts and stops the workers (src/wasm/threads.ts).
// Plain consts, valid TypeScript and AssemblyScript, like ids.ts and plan.ts. Groups sit on separate
// 64-byte cache lines: the words workers poll are not the ones the caller writes per job.

export const CTRL_BYTES = 320;
export const CTRL_SEQ = 0; // i32: sequence number of the last posted job (workers wait on it)
export const CTRL_STOP = 4; // i32: 1 tells the workers to return from worker_loop
export const CTRL_CLAIM = 64; // u64: (job sequence number << 32) | next chunk to claim
export const CTRL_DONE = 128; // i32: chunks of the current job finished (the caller waits on it)
export const CTRL_FAILED = 132; // i32: set by a worker whose chunk trapped
export const CTRL_JOB = 192; // i32 × 24: kind, chunks, total, granularity, big chunks, units per big chunk, 18 argument words
export const CTRL_WORKER_SPIN = 288; // i32: busy-wait iterations of a worker before it blocks
export const CTRL_WORKER_CHUNKS = 292; // i32: chunks run by workers since the pool started (diagnostics)
export const CTRL_SCRATCH = 296; // i32: the workers' GEMM scratch, GEMM_SCRATCH_FLOATS floats each (worker i at + i·GEMM_SCRATCH_FLOATS·4)
export const CTRL_ASLEEP = 300; // i32: workers blocked in a wait for the next job (a job posted now waits for their wake-up)
