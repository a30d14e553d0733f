// The vanishing gradient of chapter 9, now through time: a recurrent network is one layer applied once per
// time step, so the error sent back from the last step is multiplied by the step's derivative once per
// step, as it was once per layer in a deep sigmoid network. The adding problem (Hochreiter & Schmidhuber
// 1997) needs memory across the whole sequence: 50 steps of (number in [0, 1), marker 0/1), two of them
// marked — one in the first half, one in the second — and the target is the sum of the two marked
// numbers. SimpleRNN, LSTM and GRU of the same size (32 units → Dense(1), mse, Adam 0.01, batch 32) train
// on the same seeded sequences; each one's held-out error is printed beside the trivial baseline (always
// predict the mean sum). SimpleRNN stays at the baseline; the gated cells, whose state is carried by
// addition, learn the task.
//   node examples/sequence.mjs [--seed N] [--epochs N] [--steps N]
//   default: seed 1, 10 epochs of 4,000 sequences of 50 steps, 1,000 held out
import { compare, df, seconds, title } from './lib/book.mjs';

const EXAMPLE = 'Sequence memory';
const argv = process.argv.slice(2);
const option = (name, fallback) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback);
const SEED = option('--seed', 1);
const EPOCHS = option('--epochs', 10);
const STEPS = option('--steps', 50);
const TRAIN = 4000;
const TEST = 1000;
const UNITS = 32;
/** A held-out prediction within this of the sum counts as solved (the criterion of Hochreiter & Schmidhuber). */
const TOLERANCE = 0.04;
for (const [name, v, min] of [['--seed', SEED, 0], ['--epochs', EPOCHS, 1], ['--steps', STEPS, 2]]) {
  if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be an integer ≥ ${min}, got ${argv[argv.indexOf(name) + 1]}`);
}

await df.ready();
title(`${EXAMPLE}: the adding problem over ${STEPS} steps — SimpleRNN, LSTM and GRU (${UNITS} units) → Dense(1), mse, adam 0.01, ${EPOCHS} epochs, batch 32, seed ${SEED}`);

/** mulberry32: a seeded stream of numbers in [0, 1), so every run draws the same sequences. */
function uniform(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `rows` adding-problem sequences [rows, STEPS, 2] (number, marker) and their targets [rows, 1]. */
function addingProblem(rows, next) {
  const x = new Float32Array(rows * STEPS * 2);
  const y = new Float32Array(rows);
  const half = Math.floor(STEPS / 2);
  for (let r = 0; r < rows; r++) {
    const row = r * STEPS * 2;
    for (let t = 0; t < STEPS; t++) x[row + 2 * t] = next();
    const first = Math.floor(next() * half);
    const second = half + Math.floor(next() * (STEPS - half));
    x[row + 2 * first + 1] = 1;
    x[row + 2 * second + 1] = 1;
    y[r] = x[row + 2 * first] + x[row + 2 * second];
  }
  return { x: { data: x, shape: [rows, STEPS, 2] }, y: { data: y, shape: [rows, 1] }, targets: y };
}

const next = uniform(SEED);
const train = addingProblem(TRAIN, next);
const test = addingProblem(TEST, next);

/** Held-out mean squared error and the share of sums predicted within TOLERANCE. */
function score(predicted) {
  let se = 0;
  let solved = 0;
  test.targets.forEach((t, i) => {
    se += (predicted[i] - t) ** 2;
    if (Math.abs(predicted[i] - t) < TOLERANCE) solved++;
  });
  return { mse: se / TEST, solved: solved / TEST };
}

// The trivial baseline: the mean of the training sums, whatever the sequence (the best answer without memory).
const mean = train.targets.reduce((a, b) => a + b, 0) / TRAIN;
const baseline = score(new Float32Array(TEST).fill(mean));
const row = (name, s, extra = '') => console.log(`  ${name.padEnd(10)} held-out mse ${s.mse.toFixed(4)}   within ±${TOLERANCE}: ${(100 * s.solved).toFixed(1).padStart(5)}%${extra}`);
console.log(`  ${TRAIN.toLocaleString('en')} training and ${TEST.toLocaleString('en')} held-out sequences of ${STEPS} steps`);
row('baseline', baseline, `   (always ${mean.toFixed(3)}, the mean training sum)`);

const L = df.layers;
const cells = [
  ['SimpleRNN', L.simpleRNN],
  ['LSTM', L.lstm],
  ['GRU', L.gru],
];
const results = {};
for (const [name, cell] of cells) {
  const model = df.sequential({ seed: SEED, layers: [cell({ units: UNITS, inputShape: [STEPS, 2] }), L.dense({ units: 1 })] });
  model.compile({ optimizer: df.optimizers.adam({ learningRate: 0.01 }), loss: 'mse' });
  const t0 = performance.now();
  const h = await model.fit(train.x, train.y, { epochs: EPOCHS, batchSize: 32, seed: SEED, verbose: 0 });
  const s = score(model.predict(test.x).dataSync());
  results[name] = s;
  const losses = h.history.loss.map((v) => v.toFixed(3)).join(' ');
  row(name, s, `   (${seconds(t0)}; training loss by epoch ${losses})`);
  model.dispose();
}

const learned = (s) => s.mse < 0.1 * baseline.mse;
const verdict = cells.map(([name]) => `${name} ${learned(results[name]) ? 'learned it' : 'did not'}`).join(', ');
console.log(`  ${verdict} (learned: held-out mse below a tenth of the baseline's)`);
for (const [name] of cells) {
  compare({ example: EXAMPLE, measure: `held-out mse, ${name}`, book: null, deltaflow: results[name].mse, note: `baseline ${baseline.mse.toFixed(4)}` });
}
