// deltaflow's raw kernels: a fresh instance of build/deltaflow.wasm (or the relaxed-SIMD build) and a bump allocator over its memory.
import fs from 'node:fs';
import path from 'node:path';
import { deltaflowRoot } from './snapshot.mjs';

export async function loadKernels(build = 'default') {
  const bytes = fs.readFileSync(path.join(deltaflowRoot(), 'build', build === 'relaxed' ? 'deltaflow.relaxed.wasm' : 'deltaflow.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, { env: { abort: () => { throw new Error('deltaflow wasm abort'); } } });
  const k = instance.exports;
  const align = (n) => Math.ceil(n / 64) * 64;
  let top = align(k.heap_base());
  /** Pointer to `floats` fresh f32s, 64-byte aligned; grows memory as needed. */
  const alloc = (floats) => {
    const ptr = top;
    top = align(top + floats * 4);
    const need = top - k.memory.buffer.byteLength;
    if (need > 0) k.memory.grow(Math.ceil(need / 65536));
    return ptr;
  };
  /** Pointer to `floats` uniform values in [-1, 1). */
  const random = (floats) => {
    const ptr = alloc(floats);
    const v = new Float32Array(k.memory.buffer, ptr, floats);
    for (let i = 0; i < floats; i++) v[i] = Math.random() * 2 - 1;
    return ptr;
  };
  /** The GEMMs' packing scratch: at least GEMM_SCRATCH_FLOATS (src/shared/plan.ts), with room to spare. */
  const gemmScratch = alloc(1 << 18);
  return { k, alloc, random, gemmScratch };
}
