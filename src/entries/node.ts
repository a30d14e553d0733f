// deltaflow for Node, Deno and Bun: what `import 'deltaflow'` resolves to there (the `node` export
// condition), also as 'deltaflow/node'. Everything the core exports, with file access registered, so
// that df.ready() reads the .wasm from disk and file:// save/load, CSVLogger and readCsvFile work on
// any Node ≥ 18.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as url from 'node:url';
import { createNodePlatform, registerNodePlatform, type NodeFs } from '../platform.js';
import { ready as coreReady, type ReadyOptions } from '../wasm/load.js';

let installed = false;
function install(): void {
  if (installed) return;
  installed = true;
  registerNodePlatform(createNodePlatform(fs as unknown as NodeFs, path, url));
}
install();

export * from '../index.js';
export { registerNodePlatform, createNodePlatform, nodePlatform, capabilities } from '../platform.js';
export type { NodePlatform, NodeFs, PathTools, FileStat, FileHandle, Capabilities } from '../platform.js';

/**
 * Instantiates the WASM module once (by default reading it from disk). Also (re)installs file access,
 * so that it is there even when a bundler, trusting the package's `sideEffects: false`, drops this
 * module's top-level registration.
 */
export function ready(options: ReadyOptions = {}): Promise<void> {
  install();
  return coreReady(options);
}
