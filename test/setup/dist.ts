// Global setup: test/cli/bin.test.ts runs bin/deltaflow.mjs, which loads dist/ (npm ci builds it). When
// dist/cli/main.js is missing or older than a source file, tsc rebuilds dist/ here, once, before any test
// file starts: a test file that rebuilt it would race the ones importing dist/ (test/wasm/threads.test.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const main = path.join(root, 'dist', 'cli', 'main.js');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export default function setup(): void {
  if (existsSync(main) && statSync(main).mtimeMs >= newest(path.join(root, 'src'))) return;
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  // tsc still emits when a type error is elsewhere in the tree: only a missing dist/cli/main.js is fatal.
  if (!existsSync(main)) {
    throw new Error(`dist/cli/main.js is missing and tsc -p tsconfig.build.json did not build it (exit ${tsc.status}): ${(tsc.stdout + tsc.stderr).slice(0, 2000)}; run npm run build`);
  }
  if (tsc.status !== 0) console.warn(`tsc -p tsconfig.build.json exited ${tsc.status}:\n${(tsc.stdout + tsc.stderr).slice(0, 2000)}`);
}
