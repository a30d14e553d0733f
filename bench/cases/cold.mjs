// Case 5a: cold start — wall clock of a whole fresh `node` process (start, import, init, build 784-128-10, predict
// one sample, exit), timed from the parent around spawnSync, with `node -e 0` beside it. deltaflow and `node -e 0`
// also run as their own alternating pairs (≥ 15), whose paired differences give the cost over node's own start-up
// (issue 16: ≤ 15 ms for import + ready() + one predict from the main entry).
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { summarize } from '../lib/stats.mjs';
import { table, range, num, advantage } from '../lib/markdown.mjs';

export const TARGET_MS = 100;
/** Issue 16: import + ready() + one predict, over `node -e 0`. */
export const TARGET_OVER_MS = 15;
/** Alternating (node -e 0, deltaflow) pairs, after one warm-up pair; the same in --quick (a pair is ~0.1 s). */
export const PAIRS = 15;
const script = (name) => fileURLToPath(new URL(`../cold/${name}.mjs`, import.meta.url));
const COMMANDS = {
  'node -e 0': ['-e', '0'],
  deltaflow: [script('deltaflow')],
  'tfjs-wasm': [script('tfjs'), 'wasm'],
  'tfjs-cpu': [script('tfjs'), 'cpu'],
  brain: [script('brain')],
};

/** One fresh process: wall ms and what it printed on stdout, or the last lines of its stderr when it failed. */
function time(args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - t0;
  return r.status === 0 ? { ms, stdout: r.stdout.toString() } : { error: r.stderr.toString().trim().split('\n').slice(-2).join(' | ') };
}

/**
 * Where a deltaflow process's time went (ms), from the marks bench/cold/deltaflow.mjs prints: node's start-up
 * up to the script's first line, the import (resolution, parse, evaluation), ready(), build + first predict,
 * and the rest of the wall clock (exit and spawning); and the minor page faults of each step before exit.
 */
function phases({ ms, stdout }) {
  let m;
  try {
    m = JSON.parse(stdout);
  } catch {
    return undefined; // a script that printed something else: the wall clock still counts
  }
  const [f0, f1, f2, f3] = m.faults;
  return {
    startup: m.start, import: m.imported - m.start, ready: m.ready - m.imported, predict: m.predicted - m.ready, exit: ms - m.predicted,
    faultsStartup: f0, faultsImport: f1 - f0, faultsReady: f2 - f1, faultsPredict: f3 - f2,
  };
}

const PHASES = ['startup', 'import', 'ready', 'predict', 'exit', 'faultsStartup', 'faultsImport', 'faultsReady', 'faultsPredict'];

/**
 * Runs in the parent: (node -e 0, deltaflow) in PAIRS alternating pairs, then the other engines `runs` times
 * round-robin (with the pair again, for their ratios), so drift hits all of them alike.
 */
export async function runInParent({ quick }) {
  const base = [], df = [], over = [], split = [];
  let pairError;
  for (let i = 0; i < PAIRS + 1 && !pairError; i++) {
    // Which of the two goes first alternates too, so neither always follows the other's file-cache warm-up.
    const order = i % 2 ? ['deltaflow', 'node -e 0'] : ['node -e 0', 'deltaflow'];
    const t = Object.fromEntries(order.map((name) => [name, time(COMMANDS[name])]));
    pairError = t.deltaflow.error ?? t['node -e 0'].error;
    if (i === 0 || pairError) continue; // pair 0 warms the OS file cache
    base.push(t['node -e 0'].ms);
    df.push(t.deltaflow.ms);
    over.push(t.deltaflow.ms - t['node -e 0'].ms);
    const marks = phases(t.deltaflow);
    if (marks) split.push(marks);
  }
  const runs = quick ? 3 : 9;
  const times = Object.fromEntries(Object.keys(COMMANDS).map((k) => [k, []]));
  const errors = {};
  for (let i = 0; i < runs + 1; i++) {
    for (const [name, args] of Object.entries(COMMANDS)) {
      const t = time(args);
      if (t.error) errors[name] = t.error;
      else if (i > 0) times[name].push(t.ms); // run 0 warms the OS file cache
    }
  }
  const result = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, errors[k] ? { error: errors[k] } : summarize(v)]));
  const phase = (k) => summarize(split.map((p) => p[k]));
  result.pairs = pairError
    ? { error: pairError }
    : { base: summarize(base), deltaflow: summarize(df), over: summarize(over), ...(split.length && { phases: Object.fromEntries(PHASES.map((k) => [k, phase(k)])) }) };
  return result;
}

/** The alternating pairs: deltaflow's cost over node's start-up, against the target. */
function renderPairs(p) {
  if (!p) return [];
  if (p.error) return ['', `Alternating pairs with \`node -e 0\`: failed: ${p.error.slice(0, 200)}`];
  const ok = p.over.median <= TARGET_OVER_MS;
  return [
    '',
    `Alternating pairs (${p.over.n}, after a warm-up pair; ms, median (min–max)): \`node -e 0\` ${range(p.base, 1)}, deltaflow ${range(p.deltaflow, 1)}; ` +
      `deltaflow − node per pair ${range(p.over, 1)}, ≤ ${TARGET_OVER_MS} ms over node -e 0: ${ok ? '✅ met' : '❌ not met'} (import 'deltaflow' + ready() + build + one predict).`,
    ...(p.phases
      ? [
          '',
          `Inside those deltaflow processes (ms, median (min–max), from performance.now() marks): node's start-up to the script's first line ${range(p.phases.startup, 1)}, ` +
            `\`import('deltaflow')\` ${range(p.phases.import, 1)}, ready() ${range(p.phases.ready, 1)}, build + first predict ${range(p.phases.predict, 1)}, exit and spawn ${range(p.phases.exit, 1)}.`,
          ...(p.phases.faultsImport
            ? [
                '',
                `Minor page faults (memory touched for the first time; a count, so load does not move it), median: node's start-up to the script's first line ${num(p.phases.faultsStartup.median, 0)}, ` +
                  `the import +${num(p.phases.faultsImport.median, 0)}, ready() +${num(p.phases.faultsReady.median, 0)}, build + first predict +${num(p.phases.faultsPredict.median, 0)}.`,
              ]
            : []),
        ]
      : []),
  ];
}

export function render(result) {
  const pairs = result.pairs;
  result = Object.fromEntries(Object.entries(result).filter(([k]) => k !== 'pairs'));
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
    ...renderPairs(pairs),
  ].join('\n');
}
