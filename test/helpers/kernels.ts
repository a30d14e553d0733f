// Direct access to the WASM kernels for kernel-level tests: the runtime plus helpers to place arrays.
import { ready, getRuntime, type Runtime } from '../../src/wasm/load.js';
import * as plan from '../../src/shared/plan.js';
import type { Geometry } from '../ref/conv.js';

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

/** Fills the 16 geometry words (shared/plan.ts G_*) the way a layer record holds them; returns their offset. */
export function putGeometry(rt: Runtime, g: Geometry): number {
  const p = put(rt, plan.ARG_WORDS);
  const w = rt.heap.i32(p, plan.ARG_WORDS);
  const words: [number, number][] = [
    [plan.G_H, g.H], [plan.G_W, g.W], [plan.G_C, g.C], [plan.G_KH, g.KH], [plan.G_KW, g.KW], [plan.G_SH, g.SH], [plan.G_SW, g.SW],
    [plan.G_DH, g.DH], [plan.G_DW, g.DW], [plan.G_PT, g.PT], [plan.G_PL, g.PL], [plan.G_PB, g.PB], [plan.G_PR, g.PR],
    [plan.G_OH, g.OH], [plan.G_OW, g.OW], [plan.G_OC, g.OC],
  ];
  for (const [at, v] of words) w[at] = v;
  return p;
}
