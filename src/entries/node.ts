// deltaflow for Node, Deno and Bun: what `import 'deltaflow'` resolves to there (the `node` export
// condition), also as 'deltaflow/node'. Everything the core exports, with file access registered, so
// that df.ready() reads the .wasm from disk, file:// save/load, CSVLogger and readCsvFile work on any
// Node ≥ 18, and setThreads starts worker_threads.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as url from 'node:url';
import { createNodePlatform, registerNodePlatform, type NodeFs, type NodeOs, type NodeThreads } from '../platform.js';
import { ready as coreReady, type ReadyOptions } from '../wasm/load.js';

// worker_threads and os load when threads are first asked for (process.getBuiltinModule: Node ≥ 20.16,
// Deno, Bun), which keeps them out of every cold start; an older Node imports them up front.
type Builtins = { worker_threads: { Worker: NodeThreads['Worker'] }; os: NodeOs };
const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
const eager: Builtins | undefined = getBuiltin
  ? undefined
  : { worker_threads: (await import('node:worker_threads')) as unknown as Builtins['worker_threads'], os: await import('node:os') };
const builtin = <K extends keyof Builtins>(id: K): Builtins[K] => eager?.[id] ?? (getBuiltin!(`node:${id}`) as Builtins[K]);

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
