// Training samples/s on 1 thread and on 2 (df.setThreads) for 784-512-512-10 and 784-128-10 (relu,
// softmax, Adam, sparse CCE) at batch 128, one epoch over 10,000 MNIST digits per run, median of ROUNDS
// runs each. Runs alternate between the configurations so that bursts of other load hit them alike, and
// on Linux each run waits (up to 60 s) for a quiet second, with CPU use below 10%.
//
//   1 thread      the single-thread module: what users get without setThreads
//   threaded, 1   the threaded module with its pool stopped (setThreads(1)): the cost of the build itself
//   N threads     setThreads(N)
//
// Every run trains a fresh model (same seed: the same work each time) for its first epoch. A model
// trained on for many epochs slows down as Adam's slots for always-zero pixels decay into subnormal
// floats, which would make later runs incomparable with earlier ones.
//
//   node bench/threads.bench.mjs [rounds=7] [threads=2]
import { readFileSync } from 'node:fs';
import os from 'node:os';
import * as df from 'deltaflow';
import { loadMnist } from '../examples/mnist-data.mjs';

const ROUNDS = Number(process.argv[2] ?? 7);
const THREADS = Number(process.argv[3] ?? 2);
const BATCH = 128;

const loadavg = () => os.loadavg().map((x) => x.toFixed(2)).join(' / ');
console.log(`${os.cpus().length} CPUs (${os.cpus()[0]?.model}), node ${process.version}`);
console.log(`load average (1 / 5 / 15 min) before: ${loadavg()}`);

/** Fraction of all CPUs busy over `ms` (Linux), or undefined elsewhere. */
async function busy(ms) {
  const read = () => {
    const t = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { idle: t[3] + t[4], total: t.reduce((a, b) => a + b, 0) };
  };
  try {
    const a = read();
    await new Promise((r) => setTimeout(r, ms));
    const b = read();
    return 1 - (b.idle - a.idle) / (b.total - a.total);
  } catch {
    return undefined;
  }
}
const seen = [];
async function quiet() {
  const until = Date.now() + 60_000;
  for (;;) {
    const b = await busy(1000);
    if (b === undefined || b < 0.1 || Date.now() > until) {
      if (b !== undefined) seen.push(b);
      return;
    }
  }
}

const { train } = loadMnist({ train: 10000, test: 0 });
const labels = { data: Float32Array.from(train.labels), shape: [train.rows] };

function model(hidden) {
  const layers = [df.layers.dense({ units: hidden[0], activation: 'relu', inputShape: [784] })];
  for (const h of hidden.slice(1)) layers.push(df.layers.dense({ units: h, activation: 'relu' }));
  layers.push(df.layers.dense({ units: 10, activation: 'softmax' }));
  const m = df.sequential({ seed: 7, layers });
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  m.getWeights(); // allocates the model now, in the module current now
  return m;
}

const nets = [[512, 512], [128]];
// Models are placed in the module current when they are first used: the single-thread ones now.
await df.ready();
const single = nets.map((hidden) => Array.from({ length: ROUNDS + 1 }, () => model(hidden)));
if ((await df.setThreads(THREADS)) !== THREADS) throw new Error(`could not start ${THREADS} threads`);

const epoch = async (m) => {
  await quiet();
  const t0 = performance.now();
  await m.fit(train.x, labels, { epochs: 1, batchSize: BATCH, verbose: 0 });
  const ms = performance.now() - t0;
  m.dispose();
  return ms;
};

const times = nets.map(() => ({ one: [], many: [], threadedOne: [] }));
for (let round = -1; round < ROUNDS; round++) {
  for (let i = 0; i < nets.length; i++) {
    // Round −1 warms up (JIT tiers, caches) and is not counted.
    const one = await epoch(single[i][round + 1]);
    const many = await epoch(model(nets[i]));
    await df.setThreads(1);
    const alone = await epoch(model(nets[i]));
    await df.setThreads(THREADS);
    if (round >= 0) {
      times[i].one.push(one);
      times[i].many.push(many);
      times[i].threadedOne.push(alone);
    }
  }
}
await df.setThreads(1);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rate = (ms) => Math.round((train.rows / ms) * 1000);
console.table(
  nets.map((hidden, i) => {
    const t = times[i];
    return {
      network: `784-${hidden.join('-')}-10 b${BATCH}`,
      '1 thread': rate(median(t.one)),
      'threaded, 1': rate(median(t.threadedOne)),
      [`${THREADS} threads`]: rate(median(t.many)),
      'speed-up': `${(median(t.one) / median(t.many)).toFixed(2)}×`,
      'epoch ms, 1 / N': `${median(t.one).toFixed(0)} / ${median(t.many).toFixed(0)}`,
      [`N-thread runs, ms`]: t.many.map((x) => x.toFixed(0)).join(' '),
    };
  }),
);
console.log(`samples/s, median of ${ROUNDS} one-epoch runs each (a fresh model per run)`);
if (seen.length) console.log(`CPU busy in the second before each run: median ${(median(seen) * 100).toFixed(0)}%, max ${(Math.max(...seen) * 100).toFixed(0)}%`);
console.log(`load average (1 / 5 / 15 min) after: ${loadavg()}`);
