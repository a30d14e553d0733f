// npm run fuzz [-- --runs 100000] [--images N] [--recurrent N] [--rounds 1] [--seed N] [--threads]
// The property suite of test/property for as long as it is given: `runs` generated call sequences and
// `images` generated image models (default: as many as runs; 0 leaves them out) per round, each round
// with a fresh seed (printed, so a failure can be replayed with --seed), the checked run staging data a
// few rows at a time and the replay staging it whole. --threads adds setThreads(1|2) calls to the
// sequences (slower: workers start). `recurrent` generated recurrent models (default: runs / 20, as each
// is a model checked against the float64 oracle with a third as many call sequences; 0 leaves them out). Exits non-zero at the first failing round, with fast-check's shrunk
// counterexample; prints how many sequences, calls and image models were tried.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
const option = (name, fallback) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
const runs = Number(option('runs', 100_000));
const images = Number(option('images', runs));
const recurrent = Number(option('recurrent', Math.round(runs / 20)));
const rounds = Number(option('rounds', 1));
const fixedSeed = option('seed', undefined);
const threads = argv.includes('--threads');
const root = fileURLToPath(new URL('..', import.meta.url));
const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const files = [
  'test/property/sequences.test.ts',
  ...(images > 0 ? ['test/property/images.test.ts'] : []),
  ...(recurrent > 0 ? ['test/property/recurrent.test.ts'] : []),
];

let sequences = 0;
let calls = 0;
const models = { tried: 0, checked: 0, dropout: 0, refused: 0, kinked: 0, redrawn: 0 };
const started = Date.now();
for (let round = 0; round < rounds; round++) {
  const seed = fixedSeed !== undefined ? Number(fixedSeed) : Math.floor(Math.random() * 2 ** 31);
  const env = {
    ...process.env,
    DELTAFLOW_FUZZ_RUNS: String(runs),
    DELTAFLOW_FUZZ_IMAGE_RUNS: String(images),
    DELTAFLOW_FUZZ_RECURRENT_RUNS: String(recurrent),
    DELTAFLOW_FUZZ_SEED: String(seed),
    DELTAFLOW_FUZZ_THREADS: threads ? '1' : '0',
    DELTAFLOW_FUZZ_TALLY: '1',
  };
  const r = spawnSync(process.execPath, [vitest, 'run', ...files, '--project', 'default'], { cwd: root, env, encoding: 'utf8', maxBuffer: 1 << 28 });
  const out = `${r.stdout}${r.stderr}`;
  const m = out.match(/property suite: (\d+) sequences, (\d+) calls tried/);
  sequences += Number(m?.[1] ?? 0);
  calls += Number(m?.[2] ?? 0);
  const im = out.match(/image property: (\d+) models tried \((\d+) checked in full, (\d+) with dropout[^,]*, (\d+) refused[^,]*, (\d+) skipped near a kink; (\d+) drawn again/);
  if (im) ['tried', 'checked', 'dropout', 'refused', 'kinked', 'redrawn'].forEach((k, i) => (models[k] += Number(im[i + 1])));
  const rec = out.match(/recurrent property: ([^\n]*)/);
  if (rec) console.log(`  recurrent: ${rec[1]}`);
  const tally = out.split('\n').filter((l) => /^\s{2}[a-zA-Z+ ]+: \d+$/.test(l));
  const imageText = images > 0 ? `, ${im ? `${im[1]} image models (${im[2]} checked in full, ${im[3]} with dropout, ${im[4]} refused, ${im[5]} skipped near a kink, ${im[6]} drawn again away from one)` : 'no image count'}` : '';
  console.log(`round ${round + 1}/${rounds}, seed ${seed}: ${m ? `${m[1]} sequences, ${m[2]} calls` : 'no count'}${imageText} — ${r.status === 0 ? 'passed' : 'FAILED'}`);
  if (r.status !== 0) {
    console.log(out);
    console.log(`fuzz: failed in round ${round + 1}; replay with: npm run fuzz -- --runs ${runs}${images !== runs ? ` --images ${images}` : ''} --recurrent ${recurrent} --seed ${seed}${threads ? ' --threads' : ''}`);
    process.exit(1);
  }
  if (round === rounds - 1) console.log(`calls in the last round, by operation and outcome:\n${tally.join('\n')}`);
}
const imageTotal = images > 0 ? `, ${models.tried} image models (${models.checked} checked in full, ${models.dropout} with dropout, ${models.refused} refused, ${models.kinked} skipped near a kink, ${models.redrawn} drawn again away from one)` : '';
console.log(`fuzz: ${sequences} sequences (${calls} calls)${imageTotal} tried in ${((Date.now() - started) / 1000).toFixed(0)} s, no failure`);
