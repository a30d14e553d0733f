// deltaflow for Node, Deno and Bun: what `import 'deltaflow'` resolves to there (the `node` export
// condition), also as 'deltaflow/node'. Everything the core exports, with file access registered, so
// that df.ready() reads the .wasm from disk, file:// save/load, CSVLogger and readCsvFile work, and
// setThreads starts worker_threads. Shipped as dist/bundles/node/deltaflow.js (unminified), the training
// core, where src/index.ts is entries/node-index.ts: io, data, plot and text load the first time one is used.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as url from 'node:url';
import { createRequire } from 'node:module';
import { createNodePlatform, registerNodePlatform, type NodeFs, type NodeOs, type NodeThreads } from '../platform.js';
import { ready as coreReady, type ReadyOptions } from '../wasm/load.js';
import { registerSaverLoader } from '../model/saver.js';
import { registerConfigWriterLoader } from '../model/layer-config.js';
import { loadExtras } from './node-lazy.js';

// worker_threads and os load when threads are first asked for, which keeps them out of every cold start:
// through process.getBuiltinModule (Node ≥ 20.16, Deno, Bun), else a require made for this module. No
// top-level await, so that `require('deltaflow')` loads this ES module synchronously (Node ≥ 20.19, 22).
type Builtins = { worker_threads: { Worker: NodeThreads['Worker'] }; os: NodeOs };
const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
const requireHere = getBuiltin ? undefined : createRequire(import.meta.url);
const builtin = <K extends keyof Builtins>(id: K): Builtins[K] => (getBuiltin ? getBuiltin(`node:${id}`) : requireHere!(`node:${id}`)) as Builtins[K];

let installed = false;
function install(): void {
  if (installed) return;
  installed = true;
  // Node and Deno start threads with worker_threads (Deno's Web Workers would keep the process alive);
  // Bun with its Web Workers, which can be unref'd.
  const workers =
    'Bun' in globalThis
      ? undefined
      : {
          get Worker() {
            return builtin('worker_threads').Worker;
          },
          preamble: "import { parentPort } from 'node:worker_threads';",
        };
  const os: NodeOs = {
    availableParallelism: () => builtin('os').availableParallelism?.() ?? builtin('os').cpus().length,
    cpus: () => builtin('os').cpus(),
    hostname: () => builtin('os').hostname?.() ?? '',
  };
  registerNodePlatform(createNodePlatform(fs as unknown as NodeFs, path, url, workers, os));
  // model.save() and layer.getConfig() load io (which registers them) the first time they are used.
  registerSaverLoader(async () => loadExtras());
  registerConfigWriterLoader(() => loadExtras());
}
install();

export * from '../index.js';
export { registerNodePlatform, createNodePlatform, nodePlatform, capabilities } from '../platform.js';
export type { NodePlatform, NodeFs, PathTools, FileStat, FileHandle, Capabilities, NodeThreads, NodeWorker, NodeOs, HostProcesses } from '../platform.js';

/**
 * Instantiates the WASM module once (by default reading it from disk). Also (re)installs file access,
 * so that it is there even when a bundler, trusting the package's `sideEffects: false`, drops this
 * module's top-level registration.
 */
export function ready(options: ReadyOptions = {}): Promise<void> {
  install();
  return coreReady(options);
}
