// The workspace: one heap block per runtime holding the per-batch buffers (staged rows, activations,
// deltas, masks, scratch) of whichever model is running a call. Every call is synchronous and binds
// its model first (Arena.bind), so one block serves all models, and memory tracks the largest batch
// in use rather than the number of models alive or waiting for the garbage collector.
import type { Heap } from '../wasm/heap.js';

interface Block {
  ptr: number;
  bytes: number;
}

const blocks = new WeakMap<Heap, Block>();

/** The workspace of `heap`, grown (never moved otherwise) to at least `bytes`; returns its offset. */
export function acquireWorkspace(heap: Heap, bytes: number, what: () => string): number {
  const have = blocks.get(heap);
  if (have && have.bytes >= bytes) return have.ptr;
  // Its contents only matter within one call, so the old block goes before the new one is taken:
  // the heap can reuse that space.
  if (have) {
    heap.free(have.ptr);
    blocks.delete(heap);
  }
  const ptr = heap.alloc(bytes, what());
  blocks.set(heap, { ptr, bytes });
  return ptr;
}

/** The workspace's offset, 0 before the first call: a model bound to it at this offset is still bound. */
export function workspaceAt(heap: Heap): number {
  return blocks.get(heap)?.ptr ?? 0;
}

/** Bytes the workspace of `heap` holds (0 before the first call). */
export function workspaceBytes(heap: Heap): number {
  return blocks.get(heap)?.bytes ?? 0;
}
