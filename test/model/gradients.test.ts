// Model-level numerics: computeGradients() and predict() of whole networks against the float64
// reference MLP (test/ref/mlp.ts) on the SAME weights, copied out of model.getWeights(). The reference
// gradient is a central finite difference of the float64 loss; the model's is its analytic f32 backprop.
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { rng, uniform, worst } from '../helpers/random.js';
import { ReferenceMLP, isSparse } from '../ref/mlp.js';

beforeAll(() => df.ready());

// Tolerances. The finite differences are exact to ~1e-9 (float64, h = 1e-6: truncation O(h²), rounding
// O(ε₆₄/h)), so what is measured is the model's own f32 arithmetic, whose rounding error is relative
// to the terms an entry is summed from, not to the entry, which may be a near-cancelling sum. So each
// gradient entry must be within 1e-4 of ReferenceMLP.gradientScales: max(|reference|, 0.1 × the mean
// of the rows' own |gradients|, 0.05 × the tensor's largest |gradient|) — full relative precision
// for the entries that carry the gradient (the worst over 1000 random networks is 1.8e-5). Likewise
// predict() within 1e-5 of max(|reference|, 0.1 × the batch's largest |output|) (worst seen 5.4e-6),
// and the loss value within 1e-5 relative.
const GRAD_TOL = 1e-4;
const PREDICT_TOL = 1e-5;
const LOSS_TOL = 1e-5;
const PREDICT_FLOOR = 0.1;
// Finite differences are only valid away from kinks (relu's 0, hardSigmoid's ±3, mae's p = y, …):
// every case checks that its data keeps this distance, 100× more than a weight step of h = 1e-6 or
// f32 rounding moves a pre-activation.
const KINK_MARGIN = 1e-4;

type Targets = 'regression' | 'wide' | 'binary' | 'onehot' | 'soft' | 'labels' | 'unit';

interface Case {
  name: string;
  /** [input, units0, units1, …]. */
  sizes: number[];
  activations: string[];
  loss: string;
  targets: Targets;
  rows: number;
  seed: number;
}

interface Built {
  model: df.Sequential;
  ref: ReferenceMLP;
  weights: Float32Array[];
  x: Float32Array;
  /** Rows × outputs, or one label per row for sparse CCE. */
  y: Float32Array;
}

/** The model with its seeded glorotUniform kernels, random biases (so zero is not special), and data. */
function build(c: Case): Built {
  const next = rng(c.seed);
  const layers = c.sizes.slice(1).map((units, i) =>
    df.layers.dense({ units, activation: c.activations[i], ...(i === 0 ? { inputShape: [c.sizes[0]] } : {}) }),
  );
  const model = df.sequential({ seed: c.seed, layers });
  model.compile({ optimizer: 'sgd', loss: c.loss });
  const initial = model.getWeights();
  model.setWeights(initial.map((w, i) => (i % 2 === 1 ? { data: uniform(next, w.size, -0.3, 0.3), shape: w.shape } : w)));
  const weights = model.getWeights().map((w) => w.dataSync());
  const rows = c.rows;
  const x = uniform(next, rows * c.sizes[0], -1.5, 1.5);
  const y = targets(next, c.targets, rows, c.sizes[c.sizes.length - 1]);
  return { model, ref: new ReferenceMLP({ sizes: c.sizes, activations: c.activations }), weights, x, y };
}

function targets(next: () => number, kind: Targets, rows: number, units: number): Float32Array {
  switch (kind) {
    case 'regression':
      return uniform(next, rows * units, -1, 1);
    case 'wide': // errors on both sides of huber's δ = 1
      return uniform(next, rows * units, -2.5, 2.5);
    case 'unit':
      return uniform(next, rows * units, 0, 1);
    case 'binary':
      return Float32Array.from({ length: rows * units }, () => (next() < 0.5 ? 0 : 1));
    case 'onehot':
    case 'labels': {
      const labels = Array.from({ length: rows }, () => Math.floor(next() * units));
      if (kind === 'labels') return Float32Array.from(labels);
      const y = new Float32Array(rows * units);
      labels.forEach((k, r) => (y[r * units + k] = 1));
      return y;
    }
    case 'soft': {
      // Rows that sum to 1 (to within f32 rounding, which the fused softmax gradient p·Σy − y keeps).
      const y = uniform(next, rows * units, 0.05, 1);
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let j = 0; j < units; j++) s += y[r * units + j];
        for (let j = 0; j < units; j++) y[r * units + j] /= s;
      }
      return y;
    }
  }
}

/** x and y in the forms the model takes: x as { data, shape }, sparse labels as a plain number[]. */
function modelInputs(c: Case, b: Built) {
  const x = { data: b.x, shape: [c.rows, c.sizes[0]] };
  const y = isSparse(c.loss) ? Array.from(b.y) : { data: b.y, shape: [c.rows, c.sizes[c.sizes.length - 1]] };
  return { x, y };
}


function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

function checkGradients(c: Case): void {
  const b = build(c);
  const { x, y } = modelInputs(c, b);
  const margin = b.ref.kinkMargin(b.weights, b.x, c.rows, c.loss, b.y);
  expect(margin, `${c.name}: data within ${margin} of a kink`).toBeGreaterThan(KINK_MARGIN);

  const got = b.model.computeGradients(x, y);
  const wantLoss = b.ref.loss(c.loss, b.weights, b.x, b.y, c.rows);
  expect(Math.abs(got.loss - wantLoss) / Math.abs(wantLoss), `${c.name}: loss ${got.loss} vs ${wantLoss}`).toBeLessThan(LOSS_TOL);

  const want = b.ref.gradients(c.loss, b.weights, b.x, b.y, c.rows);
  expect(got.grads.map((g) => g.shape)).toEqual(b.ref.weightShapes());
  const scales = b.ref.gradientScales(c.loss, b.weights, b.x, b.y, c.rows, want);
  got.grads.forEach((g, t) => {
    const fd = want[t];
    expect(maxAbs(fd), `${c.name}: weights[${t}] has an all-zero reference gradient`).toBeGreaterThan(1e-8);
    const values = g.dataSync();
    const { err, at } = worst(values, fd, (i) => scales[t][i]);
    expect(err, `${c.name}: weights[${t}][${at}] gradient ${values[at]} vs finite difference ${fd[at]} (error scale ${scales[t][at]})`).toBeLessThan(GRAD_TOL);
  });
}

function checkPredict(c: Case): void {
  const b = build(c);
  const { x } = modelInputs(c, b);
  const got = b.model.predict(x);
  expect(got.shape).toEqual([c.rows, c.sizes[c.sizes.length - 1]]);
  const want = b.ref.predict(b.weights, b.x, c.rows);
  const values = got.dataSync();
  const floor = PREDICT_FLOOR * maxAbs(want);
  const { err, at } = worst(values, want, (i) => Math.max(Math.abs(want[i]), floor));
  expect(err, `${c.name}: output[${at}] ${values[at]} vs reference ${want[at]}`).toBeLessThan(PREDICT_TOL);
}

// Named cases: every loss with the output activation it fuses with (sigmoid+BCE, softmax+CCE/sparse
// CCE) or any output for the regression losses, then unfused pairings that still make sense, and a
// softmax in a hidden layer so its full Jacobian is back-propagated.
const named: Case[] = [
  { name: 'cce ∘ softmax, tanh → gelu', sizes: [4, 8, 6, 3], activations: ['tanh', 'gelu', 'softmax'], loss: 'categoricalCrossentropy', targets: 'onehot', rows: 8, seed: 11 },
  { name: 'cce ∘ softmax, soft targets, 4 layers', sizes: [3, 7, 6, 5, 4], activations: ['softplus', 'swish', 'sigmoid', 'softmax'], loss: 'categorical_crossentropy', targets: 'soft', rows: 6, seed: 12 },
  { name: 'sparse cce ∘ softmax, 4 layers', sizes: [5, 7, 6, 5, 4], activations: ['swish', 'elu', 'mish', 'softmax'], loss: 'sparseCategoricalCrossentropy', targets: 'labels', rows: 9, seed: 13 },
  { name: 'bce ∘ sigmoid, softplus → selu', sizes: [3, 6, 5, 2], activations: ['softplus', 'selu', 'sigmoid'], loss: 'binaryCrossentropy', targets: 'binary', rows: 7, seed: 14 },
  { name: 'bce ∘ sigmoid, soft labels, one output', sizes: [2, 9, 4, 1], activations: ['gelu', 'tanh', 'sigmoid'], loss: 'bce', targets: 'unit', rows: 5, seed: 15 },
  { name: 'mse, linear output, 4 layers', sizes: [4, 8, 6, 5, 3], activations: ['sigmoid', 'softsign', 'tanh', 'linear'], loss: 'mse', targets: 'regression', rows: 8, seed: 16 },
  { name: 'mse, relu → leakyRelu, tanh output', sizes: [3, 8, 6, 2], activations: ['relu', 'leakyRelu', 'tanh'], loss: 'meanSquaredError', targets: 'regression', rows: 6, seed: 17 },
  { name: 'mae, relu → leakyRelu, tanh output', sizes: [3, 6, 5, 2], activations: ['relu', 'leaky_relu', 'tanh'], loss: 'mae', targets: 'regression', rows: 6, seed: 18 },
  { name: 'mae, linear output, 4 layers', sizes: [4, 7, 5, 6, 3], activations: ['elu', 'mish', 'gelu', 'linear'], loss: 'meanAbsoluteError', targets: 'wide', rows: 5, seed: 19 },
  { name: 'huber, relu6 → hardSigmoid, linear output', sizes: [4, 7, 6, 3], activations: ['relu6', 'hardSigmoid', 'linear'], loss: 'huber', targets: 'wide', rows: 8, seed: 20 },
  { name: 'huber, softsign → swish → selu, 4 layers', sizes: [3, 6, 6, 5, 2], activations: ['softsign', 'swish', 'selu', 'linear'], loss: 'huber', targets: 'wide', rows: 7, seed: 21 },
  // Unfused: the loss gradient w.r.t. the output goes through the output activation's own backward.
  { name: 'unfused: mse on a softmax output', sizes: [4, 6, 5, 3], activations: ['tanh', 'elu', 'softmax'], loss: 'mse', targets: 'onehot', rows: 8, seed: 22 },
  { name: 'unfused: huber on a sigmoid output', sizes: [3, 6, 5, 2], activations: ['gelu', 'tanh', 'sigmoid'], loss: 'huber', targets: 'unit', rows: 6, seed: 23 },
  { name: 'unfused: bce on a softmax output (multi-label)', sizes: [4, 7, 5, 4], activations: ['mish', 'softplus', 'softmax'], loss: 'binaryCrossentropy', targets: 'binary', rows: 7, seed: 24 },
  { name: 'unfused: cce on sigmoid outputs (rows normalized)', sizes: [3, 6, 5, 4], activations: ['tanh', 'swish', 'sigmoid'], loss: 'categoricalCrossentropy', targets: 'onehot', rows: 6, seed: 25 },
  { name: 'unfused: sparse cce on sigmoid outputs', sizes: [3, 6, 5, 4], activations: ['elu', 'softsign', 'sigmoid'], loss: 'sparseCategoricalCrossentropy', targets: 'labels', rows: 6, seed: 26 },
  { name: 'softmax in a hidden layer', sizes: [4, 6, 5, 2], activations: ['softmax', 'tanh', 'linear'], loss: 'mse', targets: 'regression', rows: 8, seed: 27 },
  // Batch edges: one row, and more rows than the arena's default capacity (32), so it is re-planned.
  { name: 'a single row', sizes: [3, 5, 4, 3], activations: ['tanh', 'gelu', 'softmax'], loss: 'cce', targets: 'onehot', rows: 1, seed: 28 },
  { name: '40 rows (beyond the default capacity)', sizes: [5, 9, 7, 3], activations: ['sigmoid', 'mish', 'softmax'], loss: 'scce', targets: 'labels', rows: 40, seed: 29 },
];

// Random networks: 3 or 4 layers of random widths and smooth activations, with a random loss and a
// matching output activation, over random batch sizes. Seeded, so each one can be replayed by name.
const SMOOTH = ['linear', 'sigmoid', 'tanh', 'softplus', 'elu', 'gelu', 'swish', 'mish', 'softsign', 'softmax'];
const HEADS: { loss: string; out: string; targets: Targets }[] = [
  { loss: 'categoricalCrossentropy', out: 'softmax', targets: 'onehot' },
  { loss: 'sparseCategoricalCrossentropy', out: 'softmax', targets: 'labels' },
  { loss: 'binaryCrossentropy', out: 'sigmoid', targets: 'binary' },
  { loss: 'meanSquaredError', out: 'linear', targets: 'regression' },
  { loss: 'meanSquaredError', out: 'tanh', targets: 'regression' },
  { loss: 'meanAbsoluteError', out: 'linear', targets: 'wide' },
  { loss: 'huber', out: 'linear', targets: 'wide' },
  { loss: 'huber', out: 'softplus', targets: 'unit' },
];

function randomCase(seed: number): Case {
  const next = rng(1000 + seed);
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const depth = seed % 2 === 0 ? 3 : 4;
  const head = HEADS[seed % HEADS.length];
  const sizes = [int(1, 6)];
  const activations: string[] = [];
  for (let l = 0; l < depth - 1; l++) {
    sizes.push(int(2, 9));
    activations.push(SMOOTH[int(0, SMOOTH.length - 1)]);
  }
  sizes.push(head.loss === 'binaryCrossentropy' || head.out === 'softmax' || head.loss === 'sparseCategoricalCrossentropy' ? int(2, 5) : int(1, 4));
  activations.push(head.out);
  const rows = int(1, 36);
  return { name: `random #${seed}: ${sizes.join('→')} [${activations.join(', ')}] ${head.loss}, ${rows} rows`, sizes, activations, loss: head.loss, targets: head.targets, rows, seed: 2000 + seed };
}

const random = Array.from({ length: 16 }, (_, i) => randomCase(i));

describe('computeGradients matches finite differences of the float64 reference', () => {
  it.each(named.map((c) => [c.name, c] as const))('%s', (_, c) => checkGradients(c));
  it.each(random.map((c) => [c.name, c] as const))('%s', (_, c) => checkGradients(c));
});

describe('predict matches the float64 reference forward pass', () => {
  it.each(named.map((c) => [c.name, c] as const))('%s', (_, c) => checkPredict(c));
  it.each(random.map((c) => [c.name, c] as const))('%s', (_, c) => checkPredict(c));

  it('a 100-row batch is predicted in chunks of the arena capacity', () => {
    checkPredict({ name: '100 rows', sizes: [6, 10, 8, 4], activations: ['relu', 'selu', 'softmax'], loss: 'cce', targets: 'onehot', rows: 100, seed: 31 });
  });
});

describe('the reference oracle itself', () => {
  it('finite differences recover the closed-form gradient of softmax + CCE at the output bias', () => {
    // One layer, softmax + CCE: d loss / d bias = mean over rows of (p − y), known in closed form.
    const ref = new ReferenceMLP({ sizes: [2, 3], activations: ['softmax'] });
    const w = [Float64Array.from([0.3, -0.2, 0.5, 0.1, 0.4, -0.7]), Float64Array.from([0.05, -0.1, 0.2])];
    const x = [0.5, -1, 1.5, 0.25];
    const y = [0, 1, 0, 1, 0, 0];
    const p = ref.predict(w, x, 2);
    const g = ref.gradients('cce', w, x, y, 2)[1];
    for (let j = 0; j < 3; j++) expect(g[j]).toBeCloseTo((p[j] - y[j] + p[3 + j] - y[3 + j]) / 2, 8);
  });
});
