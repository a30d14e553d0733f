// A private copy of the built package (package.json, dist/, build/) for the whole run: the library is rebuilt by
// others while benches run, and one run must measure one build. Children find it through DF_SNAPSHOT.
// Engines import 'deltaflow' by name, resolved from inside the copy as a Node user's import is (conditions
// 'node' + 'import' through the copy's own "exports"), so the file measured is the one users get.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
// Inside a snapshot, this module's import.meta.resolve('deltaflow') is Node's own ESM resolution from there.
const RESOLVER = 'resolve.mjs';

/**
 * Copies the package (of this repository, or of another checkout `root`) to <tmp>/node_modules/deltaflow,
 * plus entry.mjs (re-exports 'deltaflow' by name) and resolve.mjs (says which file 'deltaflow' resolves to
 * from <tmp>); returns <tmp>.
 */
export function takeSnapshot(root = repo) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deltaflow-bench-'));
  const pkg = path.join(dir, 'node_modules', 'deltaflow');
  fs.mkdirSync(pkg, { recursive: true });
  for (const part of ['package.json', 'dist', 'build']) fs.cpSync(path.join(root, part), path.join(pkg, part), { recursive: true });
  // Resolving 'deltaflow' from here goes through the copy's own exports map, as an installed package would.
  fs.writeFileSync(path.join(dir, 'entry.mjs'), "export * from 'deltaflow';\n");
  fs.writeFileSync(path.join(dir, RESOLVER), "export const url = import.meta.resolve('deltaflow');\n");
  return dir;
}

export function removeSnapshot(dir) {
  if (dir && path.basename(dir).startsWith('deltaflow-bench-')) fs.rmSync(dir, { recursive: true, force: true });
}

/** The package root being measured: the snapshot when the driver made one, else this repository. */
export function deltaflowRoot() {
  return process.env.DF_SNAPSHOT ? path.join(process.env.DF_SNAPSHOT, 'node_modules', 'deltaflow') + path.sep : repo;
}

/**
 * The file URL `import * as df from 'deltaflow'` loads: resolved from inside the snapshot `dir` (default
 * DF_SNAPSHOT), else from this repository (the package's self-reference). Throws when it resolves outside the
 * measured package, so a run can never measure another copy than the one it names.
 */
export async function resolveDeltaflow(dir = process.env.DF_SNAPSHOT) {
  const url = dir ? (await import(pathToFileURL(path.join(dir, RESOLVER)).href)).url : import.meta.resolve('deltaflow');
  const pkgRoot = dir ? path.join(dir, 'node_modules', 'deltaflow') + path.sep : repo;
  const file = fileURLToPath(url);
  if (!file.startsWith(pkgRoot)) throw new Error(`'deltaflow' resolved to ${file}, outside the measured package ${pkgRoot}`);
  return url;
}

/** Which file of the package `import 'deltaflow'` resolved to, relative to the package root (e.g. dist/bundles/node/deltaflow.js). */
export function packageRelative(url, dir = process.env.DF_SNAPSHOT) {
  const pkgRoot = dir ? path.join(dir, 'node_modules', 'deltaflow') : repo;
  return path.relative(pkgRoot, fileURLToPath(url)).split(path.sep).join('/');
}
