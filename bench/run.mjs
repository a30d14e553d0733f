// `npm run bench` driver: runs every case, each engine in its own child process, one after another (never two
// at once on this 2-core machine), then writes bench/results/latest.json and latest.md.
//   node bench/run.mjs [--quick] [--only gemm,train,native,tiny,infer,cold,rss,lifecycle,bundle,cnn,cnninfer,lstm,gruinfer]
//   node bench/run.mjs --render   (rewrite latest.md from latest.json, after a change to the report code)
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { runChild, engineExecArgv } from './lib/child.mjs';
import { machine, load1, buildHash } from './lib/machine.mjs';
import { twoCoreCapacity } from './lib/capacity.mjs';
import { renderReport } from './lib/report.mjs';
import { takeSnapshot, removeSnapshot, resolveDeltaflow, packageRelative } from './lib/snapshot.mjs';

const CASES = ['gemm', 'train', 'native', 'tiny', 'infer', 'cold', 'rss', 'lifecycle', 'bundle', 'cnn', 'cnninfer', 'lstm', 'gruinfer'];
const argv = process.argv.slice(2);
const outDir = new URL('results/', import.meta.url);
if (argv.includes('--render')) {
  const { meta, cases } = JSON.parse(fs.readFileSync(new URL('latest.json', outDir), 'utf8'));
  fs.writeFileSync(new URL('latest.md', outDir), renderReport(meta, cases));
  process.exit(0);
}
const quick = argv.includes('--quick');
const onlyArg = argv.find((a) => a.startsWith('--only='))?.slice(7) ?? (argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined);
const only = onlyArg ? onlyArg.split(',') : CASES;
for (const c of only) if (!CASES.includes(c)) throw new Error(`unknown case ${c}; cases: ${CASES.join(', ')}`);

const worker = fileURLToPath(new URL('worker.mjs', import.meta.url));
const t0 = performance.now();
const buildHashStart = buildHash();
process.env.DF_SNAPSHOT = takeSnapshot(); // children inherit it: every deltaflow number comes from this one build
process.on('exit', () => removeSnapshot(process.env.DF_SNAPSHOT));
// What a Node user's `import 'deltaflow'` loads from the snapshot: the same resolution every engine child makes.
const deltaflowEntry = packageRelative(await resolveDeltaflow());
const meta = { ...machine(), date: new Date().toISOString(), mode: quick ? 'quick' : 'full', cases: only, load1Start: load1(), buildHashStart, deltaflowEntry };
const cases = {};
const log = (msg) => process.stdout.write(`${msg}\n`);
log(`deltaflow bench (${meta.mode}): ${meta.cpu}, ${meta.cores} cores, node ${meta.node}, load ${meta.load1Start.toFixed(2)}; import 'deltaflow' → ${deltaflowEntry}`);

for (const name of CASES.filter((c) => only.includes(c))) {
  const mod = await import(`./cases/${name}.mjs`);
  const start = performance.now();
  if (mod.runInParent) {
    // cold spawns its own fresh processes; bundle only runs esbuild.
    cases[name] = await mod.runInParent({ quick });
  } else {
    cases[name] = [];
    for (const job of mod.jobs({ quick })) {
      const load = load1(); // other work on this 2-core machine shows up here
      // Two threads need both cores: a core shared outside this machine shows up only in this probe.
      const capacity = job.engine === 'deltaflow-2t' ? await twoCoreCapacity() : undefined;
      const { result, error, seconds } = await runChild(worker, [name, job.engine, JSON.stringify(job.params)], { timeoutMs: job.timeoutMs ?? 240_000, execArgv: engineExecArgv(job.engine) });
      cases[name].push({ engine: job.engine, params: job.params, result, error, seconds, load1: load, ...(capacity === undefined ? {} : { capacity }) });
      meta.load1Max = Math.max(meta.load1Max ?? 0, load);
      log(`  ${name.padEnd(8)} ${job.engine.padEnd(17)} ${(job.label ?? '').padEnd(20)} ${seconds.toFixed(1).padStart(6)} s${error ? `  FAILED: ${error.split('\n')[0]}` : ''}`);
    }
  }
  log(`${name}: ${((performance.now() - start) / 1000).toFixed(1)} s`);
}

meta.load1End = load1();
meta.buildHashEnd = buildHash();
if (meta.buildHashEnd !== meta.buildHashStart) log('note: dist/ or build/deltaflow.wasm was rebuilt during the run; the run measured its snapshot from the start');
meta.seconds = (performance.now() - t0) / 1000;
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(new URL('latest.json', outDir), JSON.stringify({ meta, cases }, null, 2) + '\n');
fs.writeFileSync(new URL('latest.md', outDir), renderReport(meta, cases));
log(`done in ${meta.seconds.toFixed(0)} s → bench/results/latest.md, latest.json`);
