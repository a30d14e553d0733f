// A private copy of the built package (package.json, dist/, build/) for the whole run: the library is rebuilt by
// others while benches run, and one run must measure one build. Children find it through DF_SNAPSHOT.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Copies the package (of this repository, or of another checkout `root`) to <tmp>/node_modules/deltaflow
 * plus an entry.mjs that imports it by name; returns <tmp>.
 */
export function takeSnapshot(root = repo) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deltaflow-bench-'));
  const pkg = path.join(dir, 'node_modules', 'deltaflow');
  fs.mkdirSync(pkg, { recursive: true });
  for (const part of ['package.json', 'dist', 'build']) fs.cpSync(path.join(root, part), path.join(pkg, part), { recursive: true });
  // Resolving 'deltaflow' from here goes through the copy's own exports map, as an installed package would.
  fs.writeFileSync(path.join(dir, 'entry.mjs'), "export * from 'deltaflow';\n");
  return dir;
}

export function removeSnapshot(dir) {
  if (dir && path.basename(dir).startsWith('deltaflow-bench-')) fs.rmSync(dir, { recursive: true, force: true });
}

/** The package root being measured: the snapshot when the driver made one, else this repository. */
export function deltaflowRoot() {
  return process.env.DF_SNAPSHOT ? path.join(process.env.DF_SNAPSHOT, 'node_modules', 'deltaflow') + path.sep : repo;
}

/** What to import for `import * as df from 'deltaflow'`. */
export function deltaflowEntry() {
  return process.env.DF_SNAPSHOT ? pathToFileURL(path.join(process.env.DF_SNAPSHOT, 'entry.mjs')).href : 'deltaflow';
}
