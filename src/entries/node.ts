// deltaflow for Node, Deno and Bun: what `import 'deltaflow'` resolves to there (the `node` export
// condition), also as 'deltaflow/node'. Everything the core exports, with file access registered, so
// that df.ready() reads the .wasm from disk, file:// save/load, CSVLogger and readCsvFile work on any
// Node ≥ 18, and setThreads starts worker_threads.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as url from 'node:url';
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { createNodePlatform, registerNodePlatform, type NodeFs, type NodeThreads } from '../platform.js';
import { ready as coreReady, type ReadyOptions } from '../wasm/load.js';

let installed = false;
function install(): void {
  if (installed) return;
  installed = true;
  // Node and Deno start threads with worker_threads (Deno's Web Workers would keep the process alive);
  // Bun with its Web Workers, which can be unref'd.
  const workers = 'Bun' in globalThis ? undefined : { Worker: Worker as unknown as NodeThreads['Worker'], preamble: "import { parentPort } from 'node:worker_threads';" };
  registerNodePlatform(createNodePlatform(fs as unknown as NodeFs, path, url, workers, os));
}
install();

export * from '../index.js';
export { registerNodePlatform, createNodePlatform, nodePlatform, capabilities } from '../platform.js';
export type { NodePlatform, NodeFs, PathTools, FileStat, FileHandle, Capabilities, NodeThreads, NodeWorker, NodeOs } from '../platform.js';

/**
 * Instantiates the WASM module once (by default reading it from disk). Also (re)installs file access,
 * so that it is there even when a bundler, trusting the package's `sideEffects: false`, drops this
 * module's top-level registration.
 */
export function ready(options: ReadyOptions = {}): Promise<void> {
  install();
  return coreReady(options);
}
