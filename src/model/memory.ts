// df.memory(): what the WebAssembly memory holds, as tf.memory() tells TensorFlow.js users — for leak
// checks and budgets. Models keep only their parameters, gradients and optimizer state; the batch
// buffers are one shared workspace; WebAssembly memory grows and never shrinks.
import { getRuntime } from '../wasm/load.js';
import { workspaceBytes } from '../engine/workspace.js';

/** What `df.memory()` reports about the WebAssembly memory. */
export interface MemoryInfo {
  /** The size of the WebAssembly memory (it only grows). */
  wasmBytes: number;
  /** Bytes handed out: models' arenas, the workspace, buffers of calls in progress. */
  usedBytes: number;
  /** The shared workspace for batch buffers, sized by the largest batch so far. */
  workspaceBytes: number;
}

/** Memory of the runtime new models are built in (the threaded one after setThreads). */
export function memory(): MemoryInfo {
  const { heap } = getRuntime();
  return { wasmBytes: heap.memoryBytes, usedBytes: heap.allocatedBytes, workspaceBytes: workspaceBytes(heap) };
}
