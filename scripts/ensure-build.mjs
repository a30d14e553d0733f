#!/usr/bin/env node
// Builds what is missing or older than its sources, and nothing else: the package has no install-time
// build (a published package must not need one), so a fresh clone's `npm run demo` and examples build
// here, and test/setup/dist.ts keeps dist/ in step with src/ before the tests that load it.
//   build/*.wasm   ← assembly/, src/shared/, asconfig.json     (npm run asbuild)
//   dist/**/*.d.ts ← src/                                     (tsc -p tsconfig.build.json: types, and dist/*.js for tests)
//   dist/bundles/  ← src/, build/*.wasm                        (scripts/build-bundles.mjs)
// Usage: node scripts/ensure-build.mjs [--quiet]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundles, bundlePaths } from './build-bundles.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const WASM = ['deltaflow.wasm', 'deltaflow.threads.wasm', 'deltaflow.relaxed.wasm'].map((f) => join(root, 'build', f));

/** The newest modification time under each path (files or folders); 0 when none exists. */
function newest(...paths) {
  let t = 0;
  for (const p of paths) {
    if (!existsSync(p)) continue;
    const s = statSync(p);
    if (!s.isDirectory()) t = Math.max(t, s.mtimeMs);
    else for (const e of readdirSync(p)) t = Math.max(t, newest(join(p, e)));
  }
  return t;
}

/** The oldest modification time of the outputs, or -1 when one is missing (so it is always stale). */
function oldest(files) {
  return files.every(existsSync) ? Math.min(...files.map((f) => statSync(f).mtimeMs)) : -1;
}

function run(what, command, args) {
  const r = spawnSync(command, args, { cwd: root, encoding: 'utf8', shell: process.platform === 'win32' });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`, what };
}

/**
 * Rebuilds the stale outputs. `wasm: false` leaves build/ alone (npm test's pretest builds it); a tsc
 * error elsewhere in the tree is reported, not fatal, as long as tsc still emitted. Resolves to what it built.
 */
export async function ensureBuild({ wasm = true, log = console.log } = {}) {
  const built = [];
  const src = join(root, 'src');
  if (wasm && oldest(WASM) < newest(join(root, 'assembly'), join(src, 'shared'), join(root, 'asconfig.json'))) {
    log('ensure-build: build/*.wasm is missing or older than assembly/: npm run asbuild');
    const r = run('asbuild', 'npm', ['run', '--silent', 'asbuild']);
    if (!r.ok) throw new Error(`npm run asbuild failed:\n${r.output.slice(-2000)}`);
    built.push('wasm');
  }
  const types = [join(root, 'dist', 'index.d.ts'), join(root, 'dist', 'cli', 'main.js')];
  if (oldest(types) < newest(src)) {
    log('ensure-build: dist/ is missing or older than src/: tsc -p tsconfig.build.json');
    const r = run('tsc', process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']);
    if (!types.every(existsSync)) throw new Error(`tsc -p tsconfig.build.json did not emit dist/index.d.ts and dist/cli/main.js:\n${r.output.slice(0, 2000)}`);
    if (!r.ok) log(`ensure-build: tsc reported errors (it emitted anyway):\n${r.output.slice(0, 2000)}`);
    built.push('dist');
  }
  const b = bundlePaths();
  if (oldest([b.full, b.core, b.workers, b.inline, b.node, b.cli, b.wasm, b.threadsWasm, b.relaxedWasm]) < newest(src, ...WASM)) {
    log('ensure-build: dist/bundles/ is missing or older than src/ or build/: scripts/build-bundles.mjs');
    await buildBundles();
    built.push('bundles');
  }
  return built;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await ensureBuild({ log: process.argv.includes('--quiet') ? () => {} : console.log });
}
