// Finding the first NaN or ±Infinity in a Float32Array: with the WASM kernel, a chunk at a time through a
// scratch block (a JavaScript loop over a training set cost more than an epoch's worth of batch gathers),
// or in JavaScript before the module is ready or for a handful of values.
import { currentRuntime } from './load.js';

/** Floats per chunk copied into WASM memory (256 KB). */
const CHUNK = 1 << 16;
/** Below this many values the JavaScript loop is as fast as a copy. */
const SMALL = 4096;

/** Index of the first value of `data` that is NaN or ±Infinity, or −1. */
export function firstNonFinite(data: Float32Array): number {
  const rt = currentRuntime();
  if (!rt || data.length < SMALL || typeof rt.kernels.f32_find_nonfinite !== 'function') {
    for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return i;
    return -1;
  }
  const { heap, kernels } = rt;
  const scratch = heap.alloc(Math.min(CHUNK, data.length) * 4);
  try {
    for (let at = 0; at < data.length; at += CHUNK) {
      const len = Math.min(CHUNK, data.length - at);
      heap.writeF32(scratch, data.subarray(at, at + len));
      const bad = kernels.f32_find_nonfinite(scratch, len);
      if (bad >= 0) return at + bad;
    }
    return -1;
  } finally {
    heap.free(scratch);
  }
}
