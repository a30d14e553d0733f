// A/B of two builds of deltaflow on this machine: the same cases and engines, alternated round by round
// (A, B, A, B, …) so drift in the machine's load falls on both, each measurement in its own process.
//   node bench/ab.mjs <checkout A> <checkout B> [--rounds 3] [--cases train,tiny] [--engines deltaflow,deltaflow-2t] [--quick]
// Each checkout must be built (npm run build). Prints, per case and configuration, the medians of each
// round for A and B and the ratio B / A of their medians over all rounds.
import path from 'node:path';
import { runChild, engineExecArgv } from './lib/child.mjs';
import { load1 } from './lib/machine.mjs';
import { median } from './lib/stats.mjs';
import { takeSnapshot, removeSnapshot, resolveDeltaflow, packageRelative } from './lib/snapshot.mjs';
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const VALUED = ['--rounds', '--cases', '--engines'];
const [dirA, dirB] = argv.filter((a, i) => !a.startsWith('--') && !VALUED.includes(argv[i - 1]));
if (!dirA || !dirB) {
  console.error('usage: node bench/ab.mjs <checkout A> <checkout B> [--rounds 3] [--cases train,tiny] [--engines deltaflow] [--quick]');
  process.exit(2);
}
const rounds = Number(option('rounds', 3));
const cases = option('cases', 'train,tiny').split(',');
const engines = option('engines', 'deltaflow').split(',');
const quick = argv.includes('--quick');
const worker = fileURLToPath(new URL('worker.mjs', import.meta.url));

// The headline number of each case's result.
const METRIC = {
  train: (r) => r.samplesPerSec.median, // samples/s
  tiny: (r) => r.ms.median, // ms per whole fit
  infer: (r) => r.batchPerSec.median, // samples/s at batch 256
};

// Cases that run in the parent (cold, bundle, native, …) have no per-engine child to alternate.
for (const name of cases) if (!(await import(`./cases/${name}.mjs`)).jobs) throw new Error(`case ${name} runs in bench/run.mjs's parent, not per engine: not an A/B case`);
const snapshots = { A: takeSnapshot(path.resolve(dirA)), B: takeSnapshot(path.resolve(dirB)) };
process.on('exit', () => Object.values(snapshots).forEach(removeSnapshot));
const results = new Map(); // "case · label · engine" → { A: [], B: [] }
console.log(`A = ${dirA}, B = ${dirB}; ${rounds} rounds of ${cases.join(', ')} on ${engines.join(', ')}; load ${load1().toFixed(2)}`);
// Each side's engines import 'deltaflow' by name from its snapshot, as a Node user does: say which file that is.
for (const side of ['A', 'B']) console.log(`${side}: import 'deltaflow' → ${packageRelative(await resolveDeltaflow(snapshots[side]), snapshots[side])}`);
for (let round = 0; round < rounds; round++) {
  for (const side of round % 2 === 0 ? ['A', 'B'] : ['B', 'A']) {
    for (const name of cases) {
      const mod = await import(`./cases/${name}.mjs`);
      for (const job of mod.jobs({ quick }).filter((j) => engines.includes(j.engine))) {
        const env = { ...process.env, DF_SNAPSHOT: snapshots[side] };
        const { result, error } = await runChild(worker, [name, job.engine, JSON.stringify(job.params)], { execArgv: engineExecArgv(job.engine), env });
        const key = `${name} · ${job.label ?? job.params.config ?? ''} · ${job.engine}`;
        if (!results.has(key)) results.set(key, { A: [], B: [] });
        const value = error ? NaN : METRIC[name]?.(result);
        results.get(key)[side].push(value);
        console.log(`round ${round + 1} ${side} ${key}: ${error ? `FAILED ${error.split('\n')[0]}` : value?.toFixed(1)}`);
      }
    }
  }
}
console.log(`\n| case · configuration · engine | A per round | B per round | B / A (medians) |\n| --- | --- | --- | --- |`);
for (const [key, { A, B }] of results) {
  const fmt = (v) => v.map((x) => x.toPrecision(4)).join(', ');
  console.log(`| ${key} | ${fmt(A)} | ${fmt(B)} | ${(median(B) / median(A)).toFixed(3)} |`);
}
console.log(`\nload at the end ${load1().toFixed(2)}`);
