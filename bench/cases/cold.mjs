// Case 5a: cold start — wall clock of a whole fresh `node` process (start, import, init, build 784-128-10, predict
// one sample, exit), timed from the parent around spawnSync, with `node -e 0` beside it.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { summarize } from '../lib/stats.mjs';
import { table, range, num, advantage } from '../lib/markdown.mjs';

export const TARGET_MS = 100;
const script = (name) => fileURLToPath(new URL(`../cold/${name}.mjs`, import.meta.url));
const COMMANDS = {
  'node -e 0': ['-e', '0'],
  deltaflow: [script('deltaflow')],
  'tfjs-wasm': [script('tfjs'), 'wasm'],
  'tfjs-cpu': [script('tfjs'), 'cpu'],
  brain: [script('brain')],
};

/** Runs in the parent: every command `runs` times, round-robin so drift hits all of them alike. */
export async function runInParent({ quick }) {
  const runs = quick ? 3 : 9;
  const times = Object.fromEntries(Object.keys(COMMANDS).map((k) => [k, []]));
  const errors = {};
  for (let i = 0; i < runs + 1; i++) {
    for (const [name, args] of Object.entries(COMMANDS)) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      const ms = performance.now() - t0;
      if (r.status !== 0) errors[name] = r.stderr.toString().trim().split('\n').slice(-2).join(' | ');
      else if (i > 0) times[name].push(ms); // run 0 warms the OS file cache
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, errors[k] ? { error: errors[k] } : summarize(v)]));
}

export function render(result) {
  const base = result['node -e 0']?.median ?? 0;
  const df = result.deltaflow;
  const rows = Object.entries(result).map(([name, s]) => {
    if (s.error) return [name, `failed: ${s.error.slice(0, 120)}`];
    const extra = name === 'node -e 0' ? '' : num(s.median - base, 1);
    const target = name === 'deltaflow' ? `≤ ${TARGET_MS} ms: ${s.median <= TARGET_MS ? '✅ met' : '❌ not met'}` : name === 'node -e 0' ? '' : advantage(df?.median, s.median, false);
    return [name, range(s, 1), extra, target];
  });
  return [
    `## 5a. Cold start (ms of wall clock per fresh process, median (min–max) of ${result.deltaflow?.n ?? '?'} runs)`,
    '',
    'Each run spawns `node bench/cold/<engine>.mjs`: import the library, initialise (deltaflow `df.ready()`; tfjs `setWasmPaths` + `setBackend`), build an untrained 784-128-10, predict one sample, exit. ' +
      'The target is judged on the whole process; "over node -e 0" subtracts the bare node start-up.',
    '',
    table(['process', 'wall ms', 'over node -e 0', 'target / deltaflow advantage'], rows),
  ].join('\n');
}
