// Direct access to the WASM kernels for kernel-level tests: the runtime plus helpers to place arrays.
import { ready, getRuntime, type Runtime } from '../../src/wasm/load.js';

export async function runtime(): Promise<Runtime> {
  await ready();
  return getRuntime();
}

/** Allocates room for `data` (or `len` zeros) as f32 and copies it in; returns the byte offset. */
export function put(rt: Runtime, data: ArrayLike<number> | number): number {
  const len = typeof data === 'number' ? data : data.length;
  const ptr = rt.heap.alloc(len * 4);
  if (typeof data === 'number') rt.heap.f32(ptr, len).fill(0);
  else rt.heap.writeF32(ptr, data);
  return ptr;
}

/** Copies `len` floats out of WASM memory. */
export function get(rt: Runtime, ptr: number, len: number): Float32Array {
  return rt.heap.readF32(ptr, len);
}
