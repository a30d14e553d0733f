// Model-level numerics of the image layers: predict() and computeGradients() of small models built around
// each layer kind, against the float64 reference of test/ref/images.ts on the SAME weights (copied out
// of model.getWeights()), and the reference's analytic gradients against central finite differences of
// its own float64 loss. The grids run every kind over paddings, strides, dilations, odd image sizes and
// channel counts 1, 3, 4, 5 and 17, so every SIMD tail (c mod 4) and every 'same' padding split is hit.
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { toLayer } from '../helpers/layer-specs.js';
import { rng, uniform, worst } from '../helpers/random.js';
import { ReferenceNet, type LayerSpec, type Padding } from '../ref/images.js';

beforeAll(() => df.ready());

// Tolerances, as test/model/gradients.test.ts measures them. predict() within 1e-5 of max(|reference|,
// 0.1 × the batch's largest |output|); each gradient entry within 1e-4 of max(|reference|, 0.05 × the
// tensor's largest |gradient|, 0.1 × the mean of the rows' own |gradients|): f32 rounding is relative to
// the terms an entry sums, not to the entry, which may cancel. The finite differences (h = 1e-6, float64)
// agree with the reference's analytic backprop to ~1e-8 of the same scale; 1e-6 is asked.
const PREDICT_TOL = 1e-5;
const PREDICT_FLOOR = 0.1;
const GRAD_TOL = 1e-4;
const LOSS_TOL = 1e-5;
const FD_TOL = 1e-6;
// Finite differences and an f32 model agree with the analytic gradient only away from kinks (relu's 0, a
// max pool's runner-up): data is drawn again (deterministically) until every one is this far away.
const KINK_MARGIN = 1e-4;
// Entries per tensor checked by finite differences (plus the largest), so 17-channel kernels stay cheap.
const FD_SAMPLES = 12;

type Pair = [number, number];
type Loss = 'mse' | 'binaryCrossentropy' | 'categoricalCrossentropy';

interface Case {
  name: string;
  inShape: number[];
  layers: LayerSpec[];
  loss: Loss;
  rows: number;
  seed: number;
}


interface Built {
  model: df.Sequential;
  ref: ReferenceNet;
  weights: Float32Array[];
  x: Float32Array;
  y: Float32Array;
}

function buildModel(c: Case): df.Sequential {
  const model = df.sequential({ seed: c.seed, layers: c.layers.map((s, i) => toLayer(s, i === 0 ? c.inShape : undefined)) });
  model.compile({ optimizer: 'sgd', loss: c.loss });
  return model;
}

/**
 * The model with its seeded kernels and random biases, batch norm parameters and moving statistics (so
 * nothing sits at a special value), and data drawn from `seed`.
 */
function draw(c: Case, model: df.Sequential, ref: ReferenceNet, seed: number): Built {
  const next = rng(seed);
  const shapes = ref.weightShapes();
  const initial = model.getWeights();
  expect(initial.map((w) => w.shape)).toEqual(shapes.map((s) => s.shape));
  model.setWeights(
    initial.map((w, i) => {
      switch (shapes[i].name) {
        case 'bias':
        case 'beta':
        case 'moving_mean':
          return { data: uniform(next, w.size, -0.3, 0.3), shape: w.shape };
        case 'gamma':
        case 'moving_variance':
          return { data: uniform(next, w.size, 0.5, 1.5), shape: w.shape };
        default:
          return w;
      }
    }),
  );
  const weights = model.getWeights().map((w) => w.dataSync());
  const x = uniform(next, c.rows * size(c.inShape), -1.5, 1.5);
  return { model, ref, weights, x, y: targets(next, c.loss, c.rows, ref.outputWidth) };
}

/** Data far enough from every kink (tried again from derived seeds until it is). */
function build(c: Case): Built {
  const ref = new ReferenceNet(c.inShape, c.layers);
  const model = buildModel(c);
  for (let attempt = 0; attempt < 8; attempt++) {
    const b = draw(c, model, ref, c.seed * 7919 + attempt);
    if (ref.kinkMargin(b.weights, b.x, c.rows) > KINK_MARGIN) return b;
  }
  throw new Error(`${c.name}: no data away from the kinks in 8 draws`);
}

function targets(next: () => number, loss: Loss, rows: number, units: number): Float32Array {
  if (loss === 'mse') return uniform(next, rows * units, -1, 1);
  if (loss === 'binaryCrossentropy') return uniform(next, rows * units, 0, 1);
  const y = new Float32Array(rows * units);
  for (let r = 0; r < rows; r++) y[r * units + Math.floor(next() * units)] = 1;
  return y;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

function inputs(c: Case, b: Built) {
  return { x: { data: b.x, shape: [c.rows, ...c.inShape] }, y: { data: b.y, shape: [c.rows, ...b.ref.outShape] } };
}

/** Indices for finite differences: a seeded sample of FD_SAMPLES, plus the entry with the largest gradient. */
function sample(seed: number, grads: Float64Array[]) {
  return (t: number, n: number): number[] => {
    if (n <= FD_SAMPLES) return Array.from({ length: n }, (_, i) => i);
    const next = rng(seed + t);
    const picked = new Set<number>();
    let top = 0;
    for (let i = 1; i < n; i++) if (Math.abs(grads[t][i]) > Math.abs(grads[t][top])) top = i;
    picked.add(top);
    while (picked.size < FD_SAMPLES) picked.add(Math.floor(next() * n));
    return [...picked];
  };
}

/** predict() vs the reference (inference mode), and the shape it reports. */
function checkPredict(c: Case, b: Built): void {
  const got = b.model.predict(inputs(c, b).x);
  expect(got.shape).toEqual([c.rows, ...b.ref.outShape]);
  const want = b.ref.predict(b.weights, b.x, c.rows);
  const values = got.dataSync();
  const floor = PREDICT_FLOOR * maxAbs(want);
  const { err, at } = worst(values, want, (i) => Math.max(Math.abs(want[i]), floor, 1e-30));
  expect(err, `${c.name}: output[${at}] ${values[at]} vs reference ${want[at]}`).toBeLessThan(PREDICT_TOL);
  // evaluate() runs in inference mode too (batch norm's moving statistics).
  const { x, y } = inputs(c, b);
  const loss = b.model.evaluate(x, y).loss;
  const wantLoss = b.ref.loss(c.loss, b.weights, b.x, b.y, c.rows, false);
  expect(Math.abs(loss - wantLoss) / Math.abs(wantLoss), `${c.name}: evaluate loss ${loss} vs ${wantLoss}`).toBeLessThan(LOSS_TOL);
}

/** computeGradients() vs the reference's analytic gradients, and those vs finite differences. */
function checkGradients(c: Case, b: Built): void {
  const { x, y } = inputs(c, b);
  const got = b.model.computeGradients(x, y);
  const wantLoss = b.ref.loss(c.loss, b.weights, b.x, b.y, c.rows);
  expect(Math.abs(got.loss - wantLoss) / Math.abs(wantLoss), `${c.name}: loss ${got.loss} vs ${wantLoss}`).toBeLessThan(LOSS_TOL);

  const want = b.ref.gradients(c.loss, b.weights, b.x, b.y, c.rows);
  expect(got.grads.map((g) => g.shape)).toEqual(b.ref.gradientShapes());
  const perRow = b.ref.batchCoupled || c.rows === 1 ? undefined : b.ref.rowGradientScale(c.loss, b.weights, b.x, b.y, c.rows);
  // A bias right before a batch norm has a zero gradient (the batch mean takes it out): the model's must be
  // zero to within the f32 rounding of the largest gradient in the model.
  const top = Math.max(...want.map(maxAbs));
  const vanishing = want.map((g) => maxAbs(g) < 1e-9 * top);
  const scales = want.map((g, t) => {
    const tensorTop = vanishing[t] ? top : maxAbs(g);
    return Float64Array.from(g, (v, i) => Math.max(Math.abs(v), 0.05 * tensorTop, perRow ? 0.1 * perRow[t][i] : 0));
  });
  got.grads.forEach((g, t) => {
    // Or the kernel of a dilated 'same' window none of whose taps reach a 1×1 image: exactly zero.
    if (vanishing[t]) expect(beforeBatchNorm(c, t) || maxAbs(want[t]) === 0, `${c.name}: weights[${t}] has an all-zero reference gradient`).toBe(true);
    const values = g.dataSync();
    const { err, at } = worst(values, want[t], (i) => scales[t][i]);
    expect(err, `${c.name}: gradient[${t}][${at}] ${values[at]} vs reference ${want[t][at]} (scale ${scales[t][at]})`).toBeLessThan(GRAD_TOL);
  });

  const fd = b.ref.finiteDifferences(c.loss, b.weights, b.x, b.y, c.rows, sample(c.seed, want));
  fd.forEach((g, t) => {
    for (let i = 0; i < g.length; i++) {
      if (Number.isNaN(g[i])) continue;
      const err = Math.abs(g[i] - want[t][i]) / scales[t][i];
      expect(err, `${c.name}: reference gradient[${t}][${i}] ${want[t][i]} vs finite difference ${g[i]}`).toBeLessThan(FD_TOL);
    }
  });
}

/** Whether trainable tensor t is the bias of a layer whose output goes straight into a batch norm. */
function beforeBatchNorm(c: Case, t: number): boolean {
  let k = 0;
  for (let l = 0; l < c.layers.length; l++) {
    const s = c.layers[l];
    const names = s.kind === 'conv2d' || s.kind === 'dense' ? ['kernel', ...(s.useBias ?? true ? ['bias'] : [])] : s.kind === 'batchNormalization' ? [...(s.scale ?? true ? ['gamma'] : []), ...(s.center ?? true ? ['beta'] : [])] : [];
    for (const name of names) if (k++ === t) return name === 'bias' && c.layers[l + 1]?.kind === 'batchNormalization';
  }
  return false;
}

function check(c: Case): void {
  const b = build(c);
  checkPredict(c, b);
  checkGradients(c, b);
  b.model.dispose();
}

const run = (cases: Case[]) => it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => check(c));

// ---- The grids ----

const SIZES: Pair[] = [[5, 7], [1, 1], [7, 7], [6, 4]];
const CHANNELS = [1, 3, 4, 5, 17];
const SMOOTH = ['linear', 'tanh', 'sigmoid', 'elu', 'swish', 'gelu'];
const KINKED = ['relu', 'leakyRelu'];
const show = (p: readonly number[]) => p.join('×');

/** Whether a window fits an image with 'valid' padding. */
function fits([h, w]: readonly number[], kernel: Pair, dilation: Pair): boolean {
  return (kernel[0] - 1) * dilation[0] + 1 <= h && (kernel[1] - 1) * dilation[1] + 1 <= w;
}

// Conv2D: padding × (strides, dilation) × kernel × image size (a 'valid' window larger than the image is
// an error, tested in images.errors.test.ts), with channels, filters, activation and head cycling through
// their lists. A dilated 5×5 fits no size in SIZES with 'valid': it gets an image of its own span.
const MOVES: { strides: Pair; dilation: Pair }[] = [
  { strides: [1, 1], dilation: [1, 1] },
  { strides: [2, 2], dilation: [1, 1] },
  { strides: [2, 1], dilation: [1, 1] },
  { strides: [1, 1], dilation: [2, 2] },
  { strides: [1, 1], dilation: [1, 2] },
];
const KERNELS: Pair[] = [[3, 3], [1, 1], [2, 3], [5, 5]];

const convCases: Case[] = [];
for (const padding of ['valid', 'same'] as const)
  for (const move of MOVES)
    for (const kernel of KERNELS) {
      const span: Pair = [(kernel[0] - 1) * move.dilation[0] + 1, (kernel[1] - 1) * move.dilation[1] + 2];
      const sizes = padding === 'same' || SIZES.some((s) => fits(s, kernel, move.dilation)) ? SIZES : [span];
      for (const [h, w] of sizes) {
        if (padding === 'valid' && !fits([h, w], kernel, move.dilation)) continue;
        const i = convCases.length;
        const c = CHANNELS[i % 5];
        // Keep c·filters moderate: the float64 reference is plain loops.
        const filters = c === 17 ? [1, 3, 4, 5][i % 4] : CHANNELS[(i * 3 + 1) % 5];
        const activation = i % 3 === 2 ? KINKED[i % 2] : SMOOTH[i % SMOOTH.length];
        // Heads: flatten + dense (mse), flatten + dense softmax (cce), or the conv's own output (mse).
        const head = i % 3;
        const layers: LayerSpec[] = [{ kind: 'conv2d', filters, kernel, strides: move.strides, dilation: move.dilation, padding, activation }];
        if (head === 0) layers.push({ kind: 'flatten' }, { kind: 'dense', units: 3 });
        if (head === 1) layers.push({ kind: 'flatten' }, { kind: 'dense', units: 4, activation: 'softmax' });
        const name = `conv2d ${show(kernel)} ${padding} strides ${show(move.strides)} dilation ${show(move.dilation)} on ${h}×${w}×${c}, ${filters} filters, ${activation}${['', ' → dense softmax', ' (image output)'][head]}`;
        convCases.push({ name, inShape: [h, w, c], layers, loss: head === 1 ? 'categoricalCrossentropy' : 'mse', rows: 2 + (i % 2), seed: 1000 + i });
      }
    }

// A few extra conv cases: no bias, the 1×1 fast path (and the 1×1 windows that still need im2col),
// a sigmoid conv as the last layer with binaryCrossentropy (the fused loss path), two convs in a row.
const convExtra: Case[] = [
  { name: 'conv2d without bias', inShape: [5, 7, 3], layers: [{ kind: 'conv2d', filters: 4, kernel: [3, 3], padding: 'same', activation: 'tanh', useBias: false }, { kind: 'flatten' }, { kind: 'dense', units: 2 }], loss: 'mse', rows: 3, seed: 201 },
  { name: 'conv2d 1×1 (pointwise, no im2col), 17 → 5', inShape: [5, 7, 17], layers: [{ kind: 'conv2d', filters: 5, kernel: [1, 1], activation: 'swish' }, { kind: 'flatten' }, { kind: 'dense', units: 2 }], loss: 'mse', rows: 3, seed: 202 },
  { name: 'conv2d 1×1 same (pointwise too), 3 → 17', inShape: [7, 7, 3], layers: [{ kind: 'conv2d', filters: 17, kernel: [1, 1], padding: 'same', activation: 'tanh' }], loss: 'mse', rows: 2, seed: 203 },
  { name: 'conv2d 1×1 strides 2 (im2col)', inShape: [5, 7, 4], layers: [{ kind: 'conv2d', filters: 3, kernel: [1, 1], strides: [2, 2], activation: 'elu' }], loss: 'mse', rows: 3, seed: 204 },
  { name: 'conv2d 1×1 not first (δ through the pointwise path)', inShape: [5, 5, 3], layers: [{ kind: 'conv2d', filters: 5, kernel: [3, 3], padding: 'same', activation: 'tanh' }, { kind: 'conv2d', filters: 4, kernel: [1, 1], activation: 'sigmoid' }, { kind: 'flatten' }, { kind: 'dense', units: 2 }], loss: 'mse', rows: 2, seed: 205 },
  { name: 'sigmoid conv2d last, binaryCrossentropy (fused)', inShape: [5, 7, 3], layers: [{ kind: 'conv2d', filters: 4, kernel: [3, 3], padding: 'same', activation: 'tanh' }, { kind: 'conv2d', filters: 3, kernel: [3, 3], padding: 'same', activation: 'sigmoid' }], loss: 'binaryCrossentropy', rows: 3, seed: 206 },
  { name: 'sigmoid conv2d alone, binaryCrossentropy (fused, first layer)', inShape: [7, 7, 1], layers: [{ kind: 'conv2d', filters: 1, kernel: [3, 3], padding: 'same', activation: 'sigmoid' }], loss: 'binaryCrossentropy', rows: 4, seed: 207 },
  { name: 'conv2d sigmoid last with mse (unfused)', inShape: [5, 5, 2], layers: [{ kind: 'conv2d', filters: 5, kernel: [2, 2], padding: 'same', activation: 'sigmoid' }], loss: 'mse', rows: 3, seed: 208 },
  { name: 'conv2d → conv2d strided → dense', inShape: [7, 7, 5], layers: [{ kind: 'conv2d', filters: 3, kernel: [3, 3], activation: 'gelu' }, { kind: 'conv2d', filters: 4, kernel: [3, 3], strides: [2, 2], padding: 'same', activation: 'tanh' }, { kind: 'flatten' }, { kind: 'dense', units: 3, activation: 'softmax' }], loss: 'categoricalCrossentropy', rows: 3, seed: 209 },
  { name: 'one row', inShape: [5, 7, 3], layers: [{ kind: 'conv2d', filters: 4, kernel: [3, 3], activation: 'tanh' }, { kind: 'flatten' }, { kind: 'dense', units: 2 }], loss: 'mse', rows: 1, seed: 210 },
  { name: '40 rows (beyond the default capacity)', inShape: [5, 5, 2], layers: [{ kind: 'conv2d', filters: 3, kernel: [3, 3], activation: 'tanh' }, { kind: 'flatten' }, { kind: 'dense', units: 2 }], loss: 'mse', rows: 40, seed: 211 },
];

// Pooling: kind × padding × (pool, strides) × image size, after a conv (so δ flows through the pool to a
// trained layer), channels cycling.
const POOLS: { pool: Pair; strides?: Pair }[] = [
  { pool: [2, 2] },
  { pool: [3, 3], strides: [1, 1] },
  { pool: [2, 3], strides: [2, 1] },
  { pool: [3, 2], strides: [2, 2] },
  { pool: [3, 3], strides: [2, 2] },
];
const poolCases: Case[] = [];
for (const kind of ['maxPooling2d', 'averagePooling2d'] as const)
  for (const padding of ['valid', 'same'] as const)
    for (const p of POOLS)
      for (const [h, w] of SIZES) {
        if (padding === 'valid' && !fits([h, w], p.pool, [1, 1])) continue;
        const i = poolCases.length;
        const c = CHANNELS[i % 5];
        const activation = SMOOTH[i % SMOOTH.length];
        const layers: LayerSpec[] = [
          { kind: 'conv2d', filters: c, kernel: [2, 2], padding: 'same', activation },
          { kind, pool: p.pool, strides: p.strides, padding },
        ];
        if (i % 2 === 0) layers.push({ kind: 'flatten' }, { kind: 'dense', units: 3 });
        const name = `${kind} ${show(p.pool)} strides ${p.strides ? show(p.strides) : 'default'} ${padding} on ${h}×${w}×${c}${i % 2 === 0 ? ' → dense' : ' (image output)'}`;
        poolCases.push({ name, inShape: [h, w, 2], layers, loss: 'mse', rows: 2 + (i % 3), seed: 3000 + i });
      }

// Global pooling: both kinds over sizes and channels, → dense.
const globalCases: Case[] = [];
for (const kind of ['globalAveragePooling2d', 'globalMaxPooling2d'] as const)
  CHANNELS.forEach((c, k) => {
    const i = globalCases.length;
    const [h, w] = SIZES[i % SIZES.length];
    globalCases.push({
      name: `${kind} on ${h}×${w}×${c}`,
      inShape: [h, w, 3],
      layers: [{ kind: 'conv2d', filters: c, kernel: [3, 3], padding: 'same', activation: SMOOTH[k] }, { kind }, { kind: 'dense', units: 2, activation: k % 2 ? 'softmax' : 'linear' }],
      loss: k % 2 ? 'categoricalCrossentropy' : 'mse',
      rows: 3,
      seed: 400 + i,
    });
  });
poolCases.push({ name: 'maxPooling2d first (no δ for the input)', inShape: [5, 7, 3], layers: [{ kind: 'maxPooling2d', pool: [2, 2] }, { kind: 'conv2d', filters: 2, kernel: [2, 2], activation: 'tanh' }], loss: 'mse', rows: 3, seed: 3900 });
poolCases.push({ name: 'averagePooling2d first, same', inShape: [5, 7, 4], layers: [{ kind: 'averagePooling2d', pool: [3, 3], strides: [2, 2], padding: 'same' }, { kind: 'flatten' }, { kind: 'dense', units: 2 }], loss: 'mse', rows: 3, seed: 3901 });
globalCases.push({ name: 'globalMaxPooling2d first (no δ for the input)', inShape: [5, 7, 5], layers: [{ kind: 'globalMaxPooling2d' }, { kind: 'dense', units: 3, activation: 'tanh' }], loss: 'mse', rows: 3, seed: 410 });
globalCases.push({ name: 'globalAveragePooling2d first', inShape: [7, 7, 17], layers: [{ kind: 'globalAveragePooling2d' }, { kind: 'dense', units: 2 }], loss: 'mse', rows: 3, seed: 411 });

// Flatten and Reshape, including a dense over the last axis of a reshaped image.
const reshapeCases: Case[] = [
  { name: 'flatten → dense', inShape: [5, 7, 3], layers: [{ kind: 'conv2d', filters: 5, kernel: [3, 3], activation: 'tanh' }, { kind: 'flatten' }, { kind: 'dense', units: 3 }], loss: 'mse', rows: 3, seed: 501 },
  { name: 'reshape [-1, f] → dense over the last axis (per position)', inShape: [5, 7, 3], layers: [{ kind: 'conv2d', filters: 4, kernel: [3, 3], padding: 'same', activation: 'tanh' }, { kind: 'reshape', targetShape: [-1, 4] }, { kind: 'dense', units: 2, activation: 'sigmoid' }], loss: 'mse', rows: 2, seed: 502 },
  { name: 'reshape [h·w·f] → dense softmax', inShape: [4, 4, 1], layers: [{ kind: 'conv2d', filters: 3, kernel: [2, 2], activation: 'elu' }, { kind: 'reshape', targetShape: [27] }, { kind: 'dense', units: 3, activation: 'softmax' }], loss: 'categoricalCrossentropy', rows: 3, seed: 503 },
  { name: 'reshape to another image [w, h, c] → conv2d', inShape: [5, 7, 2], layers: [{ kind: 'conv2d', filters: 3, kernel: [1, 1], activation: 'tanh' }, { kind: 'reshape', targetShape: [7, 5, 3] }, { kind: 'conv2d', filters: 2, kernel: [3, 3], activation: 'swish' }, { kind: 'flatten' }, { kind: 'dense', units: 2 }], loss: 'mse', rows: 2, seed: 504 },
  { name: 'dense → reshape to an image → conv2d', inShape: [6], layers: [{ kind: 'dense', units: 20, activation: 'tanh' }, { kind: 'reshape', targetShape: [2, 2, 5] }, { kind: 'conv2d', filters: 3, kernel: [2, 2], padding: 'same', activation: 'sigmoid' }], loss: 'binaryCrossentropy', rows: 3, seed: 505 },
  { name: 'dense softmax over each position of an image (no flatten), mse', inShape: [5, 7, 3], layers: [{ kind: 'conv2d', filters: 4, kernel: [3, 3], activation: 'tanh' }, { kind: 'dense', units: 3, activation: 'softmax' }], loss: 'mse', rows: 2, seed: 507 },
  { name: 'dense sigmoid over each position, binaryCrossentropy (fused)', inShape: [5, 5, 5], layers: [{ kind: 'dense', units: 2, activation: 'sigmoid' }], loss: 'binaryCrossentropy', rows: 3, seed: 508 },
  { name: 'flatten first (no δ for the input)', inShape: [5, 7, 3], layers: [{ kind: 'flatten' }, { kind: 'dense', units: 3, activation: 'tanh' }], loss: 'mse', rows: 3, seed: 506 },
];

// UpSampling2D (nearest) and ZeroPadding2D.
const UP: Pair[] = [[2, 2], [1, 3], [3, 2]];
const PADS: [Pair, Pair][] = [[[1, 1], [1, 1]], [[0, 2], [1, 0]], [[2, 0], [0, 3]]];
const resizeCases: Case[] = [];
UP.forEach((size, k) => {
  const i = resizeCases.length;
  const c = CHANNELS[(k * 2 + 1) % 5];
  const [h, w] = [[5, 7], [1, 1], [3, 5]][k] as Pair;
  resizeCases.push({
    name: `upSampling2d ${show(size)} on ${h}×${w}×${c} → conv2d`,
    inShape: [h, w, 2],
    layers: [{ kind: 'conv2d', filters: c, kernel: [1, 1], activation: 'tanh' }, { kind: 'upSampling2d', size }, { kind: 'conv2d', filters: 2, kernel: [3, 3], padding: 'same', activation: 'sigmoid' }, { kind: 'flatten' }, { kind: 'dense', units: 2 }],
    loss: 'mse',
    rows: 2,
    seed: 600 + i,
  });
});
resizeCases.push({ name: 'upSampling2d last (image output), 17 channels', inShape: [3, 5, 17], layers: [{ kind: 'conv2d', filters: 17, kernel: [1, 1], activation: 'elu' }, { kind: 'upSampling2d', size: [2, 3] }], loss: 'mse', rows: 2, seed: 610 });
PADS.forEach((padding, k) => {
  const c = CHANNELS[k * 2];
  const [h, w] = [[5, 7], [1, 1], [7, 7]][k] as Pair;
  resizeCases.push({
    name: `zeroPadding2d [[${padding[0]}], [${padding[1]}]] on ${h}×${w}×${c} → conv2d valid`,
    inShape: [h, w, 3],
    layers: [{ kind: 'conv2d', filters: c, kernel: [1, 1], activation: 'swish' }, { kind: 'zeroPadding2d', padding }, { kind: 'conv2d', filters: 3, kernel: [2, 2], activation: 'tanh' }, { kind: 'flatten' }, { kind: 'dense', units: 2 }],
    loss: 'mse',
    rows: 2,
    seed: 620 + k,
  });
});
resizeCases.push({ name: 'zeroPadding2d → maxPooling2d (padding zeros can win)', inShape: [5, 5, 4], layers: [{ kind: 'conv2d', filters: 4, kernel: [1, 1], activation: 'linear' }, { kind: 'zeroPadding2d', padding: [[1, 1], [1, 1]] }, { kind: 'maxPooling2d', pool: [2, 2] }, { kind: 'flatten' }, { kind: 'dense', units: 2 }], loss: 'mse', rows: 2, seed: 630 });
resizeCases.push({ name: 'zeroPadding2d first (no δ for the input)', inShape: [5, 7, 3], layers: [{ kind: 'zeroPadding2d', padding: [[1, 0], [2, 1]] }, { kind: 'conv2d', filters: 2, kernel: [3, 3], activation: 'tanh' }], loss: 'mse', rows: 2, seed: 631 });

// BatchNormalization, training mode (computeGradients normalizes with the batch's statistics); predict
// uses the moving statistics (set at random by draw()).
const bnCases: Case[] = [];
CHANNELS.forEach((c, k) => {
  const [h, w] = SIZES[k % SIZES.length];
  bnCases.push({
    name: `batchNormalization after conv2d, ${h}×${w}×${c}`,
    inShape: [h, w, 2],
    layers: [{ kind: 'conv2d', filters: c, kernel: [3, 3], padding: 'same', activation: 'linear' }, { kind: 'batchNormalization' }, { kind: 'activation', activation: 'tanh' }, { kind: 'flatten' }, { kind: 'dense', units: 2 }],
    loss: 'mse',
    rows: 3,
    seed: 700 + k,
  });
});
bnCases.push(
  { name: 'batchNormalization center: false', inShape: [5, 7, 2], layers: [{ kind: 'conv2d', filters: 5, kernel: [3, 3], activation: 'linear' }, { kind: 'batchNormalization', center: false }, { kind: 'flatten' }, { kind: 'dense', units: 2 }], loss: 'mse', rows: 3, seed: 710 },
  { name: 'batchNormalization scale: false', inShape: [5, 7, 2], layers: [{ kind: 'conv2d', filters: 5, kernel: [3, 3], activation: 'linear' }, { kind: 'batchNormalization', scale: false }, { kind: 'flatten' }, { kind: 'dense', units: 2 }], loss: 'mse', rows: 3, seed: 711 },
  { name: 'batchNormalization neither center nor scale', inShape: [5, 7, 2], layers: [{ kind: 'conv2d', filters: 4, kernel: [3, 3], activation: 'linear' }, { kind: 'batchNormalization', center: false, scale: false }, { kind: 'activation', activation: 'sigmoid' }, { kind: 'flatten' }, { kind: 'dense', units: 2 }], loss: 'mse', rows: 3, seed: 712 },
  { name: 'batchNormalization epsilon 0.1, momentum 0.9', inShape: [5, 5, 3], layers: [{ kind: 'conv2d', filters: 3, kernel: [3, 3], activation: 'linear' }, { kind: 'batchNormalization', epsilon: 0.1, momentum: 0.9 }, { kind: 'flatten' }, { kind: 'dense', units: 2 }], loss: 'mse', rows: 4, seed: 713 },
  { name: 'batchNormalization first (no δ for the input), 17 channels', inShape: [5, 7, 17], layers: [{ kind: 'batchNormalization' }, { kind: 'conv2d', filters: 3, kernel: [3, 3], activation: 'tanh' }, { kind: 'flatten' }, { kind: 'dense', units: 2 }], loss: 'mse', rows: 3, seed: 714 },
  { name: 'batchNormalization on dense rows (rank 1)', inShape: [6], layers: [{ kind: 'dense', units: 5, activation: 'linear' }, { kind: 'batchNormalization' }, { kind: 'activation', activation: 'elu' }, { kind: 'dense', units: 3, activation: 'softmax' }], loss: 'categoricalCrossentropy', rows: 6, seed: 715 },
  { name: 'batchNormalization last (image output)', inShape: [5, 5, 2], layers: [{ kind: 'conv2d', filters: 3, kernel: [3, 3], activation: 'tanh' }, { kind: 'batchNormalization' }], loss: 'mse', rows: 3, seed: 716 },
  { name: 'batchNormalization on 1×1 images, one value per channel per row', inShape: [1, 1, 4], layers: [{ kind: 'conv2d', filters: 5, kernel: [1, 1], activation: 'linear' }, { kind: 'batchNormalization' }, { kind: 'flatten' }, { kind: 'dense', units: 2 }], loss: 'mse', rows: 5, seed: 717 },
);

// LeakyReLU as a layer (alpha 0.3 by default).
const leakyCases: Case[] = [
  { name: 'leakyReLU (default alpha 0.3) after conv2d', inShape: [5, 7, 3], layers: [{ kind: 'conv2d', filters: 5, kernel: [3, 3], activation: 'linear' }, { kind: 'leakyReLU' }, { kind: 'flatten' }, { kind: 'dense', units: 2 }], loss: 'mse', rows: 3, seed: 801 },
  { name: 'leakyReLU alpha 0.1, 17 channels', inShape: [5, 5, 2], layers: [{ kind: 'conv2d', filters: 17, kernel: [3, 3], padding: 'same', activation: 'linear' }, { kind: 'leakyReLU', alpha: 0.1 }, { kind: 'flatten' }, { kind: 'dense', units: 2 }], loss: 'mse', rows: 2, seed: 802 },
  { name: 'leakyReLU last (image output)', inShape: [5, 7, 1], layers: [{ kind: 'conv2d', filters: 4, kernel: [2, 2], activation: 'linear' }, { kind: 'leakyReLU', alpha: 0.2 }], loss: 'mse', rows: 3, seed: 803 },
  { name: 'leakyReLU after dense, then batchNormalization', inShape: [4], layers: [{ kind: 'dense', units: 6 }, { kind: 'leakyReLU' }, { kind: 'batchNormalization' }, { kind: 'dense', units: 2 }], loss: 'mse', rows: 5, seed: 804 },
  { name: 'leakyReLU first', inShape: [5, 7, 3], layers: [{ kind: 'leakyReLU' }, { kind: 'conv2d', filters: 2, kernel: [3, 3], activation: 'tanh' }], loss: 'mse', rows: 2, seed: 805 },
];

// Whole small networks: the textbook's shapes.
const stackCases: Case[] = [
  {
    name: 'LeNet-like: conv → maxPool → conv → avgPool same → flatten → dense softmax',
    inShape: [7, 7, 1],
    layers: [
      { kind: 'conv2d', filters: 4, kernel: [3, 3], padding: 'same', activation: 'relu' },
      { kind: 'maxPooling2d', pool: [2, 2] },
      { kind: 'conv2d', filters: 5, kernel: [2, 2], activation: 'tanh' },
      { kind: 'averagePooling2d', pool: [2, 2], padding: 'same' },
      { kind: 'flatten' },
      { kind: 'dense', units: 3, activation: 'softmax' },
    ],
    loss: 'categoricalCrossentropy',
    rows: 4,
    seed: 901,
  },
  {
    name: 'autoencoder: conv → maxPool → conv → upSampling → conv sigmoid, bce',
    inShape: [6, 4, 1],
    layers: [
      { kind: 'conv2d', filters: 3, kernel: [3, 3], padding: 'same', activation: 'elu' },
      { kind: 'maxPooling2d', pool: [2, 2], padding: 'same' },
      { kind: 'conv2d', filters: 5, kernel: [3, 3], padding: 'same', activation: 'tanh' },
      { kind: 'upSampling2d', size: [2, 2] },
      { kind: 'conv2d', filters: 1, kernel: [3, 3], padding: 'same', activation: 'sigmoid' },
    ],
    loss: 'binaryCrossentropy',
    rows: 3,
    seed: 902,
  },
  {
    name: 'GAN-generator-like: dense → reshape → upSampling → conv → batchNorm → leakyReLU → conv tanh',
    inShape: [5],
    layers: [
      { kind: 'dense', units: 12 },
      { kind: 'reshape', targetShape: [2, 2, 3] },
      { kind: 'upSampling2d', size: [2, 2] },
      { kind: 'conv2d', filters: 4, kernel: [3, 3], padding: 'same' },
      { kind: 'batchNormalization', momentum: 0.8 },
      { kind: 'leakyReLU', alpha: 0.2 },
      { kind: 'conv2d', filters: 1, kernel: [3, 3], padding: 'same', activation: 'tanh' },
    ],
    loss: 'mse',
    rows: 4,
    seed: 903,
  },
  {
    name: "stacked poolings: average 'same' → max 'same' stride 1 (overlapping windows) → max 'valid'",
    inShape: [7, 5, 5],
    layers: [
      { kind: 'conv2d', filters: 5, kernel: [1, 1], activation: 'elu' },
      { kind: 'averagePooling2d', pool: [3, 2], strides: [2, 2], padding: 'same' },
      { kind: 'maxPooling2d', pool: [2, 2], strides: [1, 1], padding: 'same' },
      { kind: 'maxPooling2d', pool: [3, 2], padding: 'valid' },
    ],
    loss: 'mse',
    rows: 3,
    seed: 905,
  },
  {
    name: 'all-convolutional: zeroPadding → conv strided → batchNorm → globalAveragePooling → dense',
    inShape: [5, 7, 3],
    layers: [
      { kind: 'zeroPadding2d', padding: [[1, 1], [1, 1]] },
      { kind: 'conv2d', filters: 5, kernel: [3, 3], strides: [2, 2], activation: 'linear' },
      { kind: 'batchNormalization' },
      { kind: 'activation', activation: 'swish' },
      { kind: 'globalAveragePooling2d' },
      { kind: 'dense', units: 3, activation: 'softmax' },
    ],
    loss: 'categoricalCrossentropy',
    rows: 4,
    seed: 904,
  },
];

describe('Conv2D: predict and computeGradients vs the float64 reference, and its gradients vs finite differences', () => {
  run(convCases);
  run(convExtra);
});

describe('MaxPooling2D and AveragePooling2D', () => run(poolCases));
describe('GlobalAveragePooling2D and GlobalMaxPooling2D', () => run(globalCases));
describe('Flatten and Reshape', () => run(reshapeCases));
describe('UpSampling2D and ZeroPadding2D', () => run(resizeCases));
describe('BatchNormalization (training-mode gradients, inference predict)', () => run(bnCases));
describe('LeakyReLU', () => run(leakyCases));
describe('whole image networks', () => run(stackCases));

describe('the grids cover what they claim', () => {
  it('every channel count in and out, both paddings, every stride and dilation, and a 1×1 image', () => {
    const convs = convCases.map((c) => c.layers[0] as Extract<LayerSpec, { kind: 'conv2d' }>);
    for (const ch of CHANNELS) {
      expect(convCases.some((c) => c.inShape[2] === ch), `${ch} channels in`).toBe(true);
      expect(convs.some((l) => l.filters === ch), `${ch} filters`).toBe(true);
      expect(poolCases.some((c) => (c.layers[0] as { filters: number }).filters === ch), `${ch} channels pooled`).toBe(true);
    }
    for (const m of MOVES) for (const padding of ['valid', 'same']) expect(convs.some((l) => l.padding === padding && show(l.strides!) === show(m.strides) && show(l.dilation!) === show(m.dilation))).toBe(true);
    expect(convCases.some((c) => c.inShape[0] === 1 && c.inShape[1] === 1)).toBe(true);
    expect(poolCases.some((c) => c.inShape[0] === 1 && c.inShape[1] === 1)).toBe(true);
  });
});

// ---- Behaviours beyond the numerics ----

const bits = (ts: df.Tensor[]) => ts.map((t) => Array.from(new Uint32Array(t.dataSync().buffer)));
const f32 = (a: ArrayLike<number>) => Float32Array.from(a);

/** Nested arrays [n][h][w][c] from flat NHWC values. */
function nested(data: Float32Array, [n, h, w, c]: number[]): number[][][][] {
  return Array.from({ length: n }, (_, r) =>
    Array.from({ length: h }, (_, i) => Array.from({ length: w }, (_, j) => Array.from(data.subarray(((r * h + i) * w + j) * c, ((r * h + i) * w + j + 1) * c)))),
  );
}

describe('BatchNormalization moving statistics', () => {
  // BN first, so the batch statistics are those of x itself and the moving statistics can be predicted
  // bit for bit: per channel the f64 mean of the f32 values in row order, the f64 mean of squared
  // deviations from it, each rounded to f32, then moving·momentum + batch·(1 − momentum) in f32.
  const [n, h, w, c] = [10, 3, 5, 5];
  const momentum = 0.9;
  const make = () =>
    df.sequential({ seed: 5, layers: [df.layers.batchNormalization({ momentum, inputShape: [h, w, c] }), df.layers.conv2d({ filters: 2, kernelSize: 3, activation: 'tanh' }), df.layers.flatten(), df.layers.dense({ units: 2 })] });
  const next = rng(77);
  // Per-channel offsets and scales, so the statistics are nothing like the initial 0 and 1.
  const x = Float32Array.from({ length: n * h * w * c }, (_, i) => (i % c) - 2 + (1 + (i % c)) * (next() - 0.5));
  const y = uniform(next, n * 2, -1, 1);
  const xs = { data: x, shape: [n, h, w, c] };
  const ys = { data: y, shape: [n, 2] };

  function moved(rows: number[], mm: Float32Array, mv: Float32Array): [Float32Array, Float32Array] {
    const mo = Math.fround(momentum);
    const om = Math.fround(1 - mo);
    const count = rows.length * h * w;
    const outM = new Float32Array(c);
    const outV = new Float32Array(c);
    for (let j = 0; j < c; j++) {
      let s = 0;
      for (const r of rows) for (let p = 0; p < h * w; p++) s += x[(r * h * w + p) * c + j];
      const mean = s / count;
      let q = 0;
      for (const r of rows) for (let p = 0; p < h * w; p++) q += (x[(r * h * w + p) * c + j] - mean) ** 2;
      outM[j] = Math.fround(Math.fround(mm[j] * mo) + Math.fround(Math.fround(mean) * om));
      outV[j] = Math.fround(Math.fround(mv[j] * mo) + Math.fround(Math.fround(q / count) * om));
    }
    return [outM, outV];
  }

  const stats = (m: df.Sequential) => m.getWeights().slice(-2).map((t) => t.dataSync());

  it('appear in getWeights() after every trainable weight, and summary() counts them as non-trainable', () => {
    const m = make();
    const ws = m.getWeights();
    expect(ws.map((t) => t.shape)).toEqual([[c], [c], [3, 3, c, 2], [2], [1 * 3 * 2, 2], [2], [c], [c]]);
    const [mm, mv] = stats(m);
    expect(Array.from(mm)).toEqual(new Array(c).fill(0));
    expect(Array.from(mv)).toEqual(new Array(c).fill(1));
    // computeGradients gives the trainable ones only.
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    expect(m.computeGradients(xs, ys).grads.map((g) => g.shape)).toEqual([[c], [c], [3, 3, c, 2], [2], [6, 2], [2]]);
    const text = m.summary(null);
    // The name and class wrap onto two lines, as Keras prints a cell wider than its column.
    expect(text).toMatch(/│ batch_normalization\s*│ \(None, 3, 5, 5\)\s*│\s*20 │\n│ \(BatchNormalization\)\s*│/);
    const trainable = 2 * c + 3 * 3 * c * 2 + 2 + 6 * 2 + 2;
    expect(text).toContain(` Total params: ${trainable + 2 * c} (`);
    expect(text).toContain(` Trainable params: ${trainable} (`);
    expect(text).toContain(` Non-trainable params: ${2 * c} (${(2 * c * 4).toFixed(2)} B)`);
    m.dispose();
  });

  it('move by momentum exactly once per trainOnBatch, never on computeGradients, evaluate or predict', () => {
    const m = make();
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const [mm0, mv0] = stats(m);
    m.computeGradients(xs, ys);
    m.evaluate(xs, ys);
    m.predict(xs);
    expect(bits(m.getWeights().slice(-2))).toEqual(bits([new df.Tensor(mm0, [c]), new df.Tensor(mv0, [c])]));
    const all = Array.from({ length: n }, (_, r) => r);
    m.trainOnBatch(xs, ys);
    let [wantM, wantV] = moved(all, mm0, mv0);
    const [mm1, mv1] = stats(m);
    expect(Array.from(mm1)).toEqual(Array.from(wantM));
    expect(Array.from(mv1)).toEqual(Array.from(wantV));
    m.trainOnBatch(xs, ys);
    [wantM, wantV] = moved(all, wantM, wantV);
    const [mm2, mv2] = stats(m);
    expect(Array.from(mm2)).toEqual(Array.from(wantM));
    expect(Array.from(mv2)).toEqual(Array.from(wantV));
    m.dispose();
  });

  it('move once per applied batch in fit (batches of 4, 4, 2, two epochs)', async () => {
    const m = make();
    m.compile({ optimizer: 'adam', loss: 'mse' });
    let [wantM, wantV] = stats(m);
    await m.fit(xs, ys, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
    for (let epoch = 0; epoch < 2; epoch++)
      for (const rows of [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]) [wantM, wantV] = moved(rows, wantM, wantV);
    const [mm, mv] = stats(m);
    expect(Array.from(mm)).toEqual(Array.from(wantM));
    expect(Array.from(mv)).toEqual(Array.from(wantV));
    m.dispose();
  });

  it('after a conv, move to the float64 reference batch statistics of the step', () => {
    const c2: Case = { name: 'bn after conv', inShape: [5, 7, 3], layers: [{ kind: 'conv2d', filters: 5, kernel: [3, 3], activation: 'tanh' }, { kind: 'batchNormalization', momentum: 0.8 }, { kind: 'flatten' }, { kind: 'dense', units: 2 }], loss: 'mse', rows: 4, seed: 1234 };
    const b = build(c2);
    const want = b.ref.movedStatistics(b.weights, b.x, c2.rows);
    b.model.trainOnBatch(inputs(c2, b).x, inputs(c2, b).y);
    const got = b.model.getWeights().slice(-2).map((t) => t.dataSync());
    got.forEach((g, k) => {
      const { err, at } = worst(g, want[k], (i) => Math.max(Math.abs(want[k][i]), 1e-3));
      expect(err, `moving statistic ${k}[${at}]: ${g[at]} vs ${want[k][at]}`).toBeLessThan(1e-5);
    });
    b.model.dispose();
  });

  it('predict normalizes with the moving statistics (inference), computeGradients with the batch statistics', () => {
    const m = df.sequential({ seed: 1, layers: [df.layers.batchNormalization({ epsilon: 0.01, inputShape: [2, 2, 3] })] });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const gamma = [1.5, -0.5, 2];
    const beta = [0.1, 0.2, -0.3];
    const mm = [0.5, -1, 2];
    const mv = [4, 0.25, 1];
    m.setWeights([gamma, beta, mm, mv].map((a) => ({ data: a, shape: [3] })));
    const xv = uniform(rng(3), 2 * 12, -2, 2);
    const got = m.predict({ data: xv, shape: [2, 2, 2, 3] }).dataSync();
    xv.forEach((v, i) => {
      const j = i % 3;
      expect(got[i]).toBeCloseTo(((v - mm[j]) / Math.sqrt(mv[j] + 0.01)) * gamma[j] + beta[j], 5);
    });
    // The loss computeGradients reports is that of the batch-normalized output.
    const ref = new ReferenceNet([2, 2, 3], [{ kind: 'batchNormalization', epsilon: 0.01 }]);
    const target = new Float32Array(24);
    const weights = m.getWeights().map((t) => t.dataSync());
    expect(m.computeGradients({ data: xv, shape: [2, 2, 2, 3] }, { data: target, shape: [2, 2, 2, 3] }).loss).toBeCloseTo(ref.loss('mse', weights, xv, target, 2), 5);
    expect(ref.loss('mse', weights, xv, target, 2)).not.toBeCloseTo(ref.loss('mse', weights, xv, target, 2, false), 2);
    m.dispose();
  });

  it('a layer added after training keeps the moving statistics and every weight', () => {
    const m = make();
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    m.trainOnBatch(xs, ys);
    const before = bits(m.getWeights());
    m.add(df.layers.dense({ units: 3 }));
    const after = bits(m.getWeights());
    // The new dense's kernel and bias join the trainable weights, before the moving statistics.
    expect(after.length).toBe(before.length + 2);
    expect([...after.slice(0, 6), ...after.slice(-2)]).toEqual(before);
    m.dispose();
  });
});

describe('image inputs and outputs', () => {
  const make = () =>
    df.sequential({
      seed: 21,
      layers: [
        df.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [6, 5, 3] }),
        df.layers.batchNormalization(),
        df.layers.maxPooling2d({ poolSize: 2, padding: 'same' }),
        df.layers.conv2d({ filters: 4, kernelSize: [2, 3], activation: 'tanh' }),
        df.layers.flatten(),
        df.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
  const n = 12;
  const next = rng(8);
  const x = uniform(next, n * 6 * 5 * 3, -1, 1);
  const y = Float32Array.from({ length: n * 3 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0));

  it('predict in batches of 1 equals predict of the whole set, bit for bit', () => {
    const m = make();
    const xs = { data: x, shape: [n, 6, 5, 3] };
    const all = m.predict(xs);
    expect(all.shape).toEqual([n, 3]);
    expect(bits([m.predict(xs, { batchSize: 1 })])).toEqual(bits([all]));
    expect(bits([m.predict(xs, { batchSize: 5 })])).toEqual(bits([all]));
    // Row by row as separate calls, too.
    const rows = Array.from({ length: n }, (_, r) => m.predict({ data: x.subarray(r * 90, (r + 1) * 90), shape: [1, 6, 5, 3] }).dataSync());
    expect(bits([new df.Tensor(f32(rows.flatMap((r) => Array.from(r))), [n, 3])])).toEqual(bits([all]));
    m.dispose();
  });

  it('fit with x as { data, shape }, nested arrays or df.tensor4d gives identical weights', async () => {
    const forms: df.Input[] = [{ data: x, shape: [n, 6, 5, 3] }, nested(x, [n, 6, 5, 3]), df.tensor4d(x, [n, 6, 5, 3])];
    const results: number[][][] = [];
    for (const xf of forms) {
      const m = make();
      m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      const h = await m.fit(xf, { data: y, shape: [n, 3] }, { epochs: 3, batchSize: 5, verbose: 0 });
      expect(h.history.loss.every(Number.isFinite)).toBe(true);
      results.push(bits(m.getWeights()));
      m.dispose();
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });

  it('an autoencoder ending in a conv2d predicts images [n, h, w, c] and trains on them', async () => {
    const m = df.sequential({
      seed: 4,
      layers: [
        df.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [8, 6, 2] }),
        df.layers.maxPooling2d({ poolSize: 2 }),
        df.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' }),
        df.layers.upSampling2d({ size: 2 }),
        df.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', activation: 'sigmoid' }),
      ],
    });
    expect(m.outputShape).toEqual([null, 8, 6, 2]);
    const images = uniform(rng(9), 5 * 8 * 6 * 2, 0, 1);
    const xs = { data: images, shape: [5, 8, 6, 2] };
    const p = m.predict(xs);
    expect(p.shape).toEqual([5, 8, 6, 2]);
    expect((p.arraySync() as number[][][][])[4][7][5].length).toBe(2);
    m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
    const h = await m.fit(xs, xs, { epochs: 20, batchSize: 5, verbose: 0 });
    expect(h.history.loss[19]).toBeLessThan(h.history.loss[0]);
    // Targets as nested arrays of images too.
    expect(Number.isFinite(m.evaluate(xs, nested(images, [5, 8, 6, 2])).loss)).toBe(true);
    m.dispose();
  });

  it('an SGD step moves every trainable weight by −lr·gradient, batch norm\'s gamma and beta included', () => {
    const m = make();
    m.compile({ optimizer: df.optimizers.sgd({ learningRate: 0.1 }), loss: 'categoricalCrossentropy' });
    const xs = { data: x, shape: [n, 6, 5, 3] };
    const ys = { data: y, shape: [n, 3] };
    const before = m.getWeights().map((t) => t.dataSync());
    const { grads } = m.computeGradients(xs, ys);
    m.trainOnBatch(xs, ys);
    const after = m.getWeights().map((t) => t.dataSync());
    grads.forEach((g, t) => {
      const gv = g.dataSync();
      for (let i = 0; i < gv.length; i++) expect(after[t][i]).toBeCloseTo(before[t][i] - 0.1 * gv[i], 6);
    });
    expect(grads.length).toBe(after.length - 2);
    m.dispose();
  });

  it('the input shape is fixed by the first batch of images when no layer declares it', () => {
    const m = df.sequential({ seed: 2, layers: [df.layers.conv2d({ filters: 2, kernelSize: 3 }), df.layers.globalAveragePooling2d()] });
    expect(m.predict({ data: new Float32Array(2 * 36), shape: [2, 6, 6, 1] }).shape).toEqual([2, 2]);
    expect(m.inputShape).toEqual([6, 6, 1]);
    expect(() => m.predict({ data: new Float32Array(2 * 25), shape: [2, 5, 5, 1] })).toThrow(/x has rows of shape \[5, 5, 1\] but the model's input shape is \[6, 6, 1\]/);
    m.dispose();
  });

  it('max pooling gives an exact tie to the first position in window order', () => {
    // A 1×1 conv with equal weights makes positions (1, 2) and (2, 1) equal exactly; the pool's gradient
    // goes to the first, so dKernel = δ·(1, 2), not δ·(2, 1).
    for (const pool of ['maxPooling2d', 'globalMaxPooling2d'] as const) {
      const specs: LayerSpec[] = [{ kind: 'conv2d', filters: 1, kernel: [1, 1], useBias: false }, pool === 'maxPooling2d' ? { kind: pool, pool: [1, 2] } : { kind: pool }];
      const m = df.sequential({ seed: 1, layers: specs.map((s, i) => toLayer(s, i === 0 ? [1, 2, 2] : undefined)) });
      m.compile({ optimizer: 'sgd', loss: 'mse' });
      m.setWeights([{ data: [0.5, 0.5], shape: [1, 1, 2, 1] }]);
      const xv = f32([1, 2, 2, 1]);
      const target = f32([0]);
      const { grads } = m.computeGradients({ data: xv, shape: [1, 1, 2, 2] }, { data: target, shape: [1, ...(m.outputShape.slice(1) as number[])] });
      // p = 1.5, dL/dp = 2·1.5 = 3.
      expect(Array.from(grads[0].dataSync())).toEqual([3, 6]);
      const ref = new ReferenceNet([1, 2, 2], specs);
      expect(Array.from(ref.gradients('mse', [f32([0.5, 0.5])], xv, target, 1)[0])).toEqual([3, 6]);
      m.dispose();
    }
  });

  it("'same' max pooling never takes the padding: all-negative windows give their own max", () => {
    const m = df.sequential({ layers: [df.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same', inputShape: [3, 3, 1] })] });
    const xv = [-5, -4, -3, -6, -9, -2, -7, -8, -1];
    expect(Array.from(m.predict({ data: xv, shape: [1, 3, 3, 1] }).dataSync())).toEqual([-4, -2, -6, -1]);
    // Average 'same' pooling divides by the taps inside the image.
    const a = df.sequential({ layers: [df.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same', inputShape: [3, 3, 1] })] });
    expect(Array.from(a.predict({ data: xv, shape: [1, 3, 3, 1] }).dataSync())).toEqual([-24 / 4, -18 / 4, -30 / 4, -20 / 4]);
  });

  it("Conv2D 'same' with an even kernel pads as TensorFlow: floor(total/2) before, the rest after", () => {
    // 4 wide, kernel 2, stride 1: one column of padding in total, all of it on the right.
    const m = df.sequential({ layers: [df.layers.conv2d({ filters: 1, kernelSize: [1, 2], padding: 'same', useBias: false, inputShape: [1, 4, 1] })] });
    m.setWeights([{ data: [1, 10], shape: [1, 2, 1, 1] }]);
    expect(Array.from(m.predict({ data: [1, 2, 3, 4], shape: [1, 1, 4, 1] }).dataSync())).toEqual([21, 32, 43, 4]);
    // 5 wide, kernel 3, stride 2: out 3, total padding 2: one each side.
    const s = df.sequential({ layers: [df.layers.conv2d({ filters: 1, kernelSize: [1, 3], strides: 2, padding: 'same', useBias: false, inputShape: [1, 5, 1] })] });
    s.setWeights([{ data: [1, 10, 100], shape: [1, 3, 1, 1] }]);
    expect(Array.from(s.predict({ data: [1, 2, 3, 4, 5], shape: [1, 1, 5, 1] }).dataSync())).toEqual([210, 432, 54]);
    // 6 wide, kernel 3, stride 2: out 3, total padding 1: none before, one after.
    const e = df.sequential({ layers: [df.layers.conv2d({ filters: 1, kernelSize: [1, 3], strides: 2, padding: 'same', useBias: false, inputShape: [1, 6, 1] })] });
    e.setWeights([{ data: [1, 10, 100], shape: [1, 3, 1, 1] }]);
    expect(Array.from(e.predict({ data: [1, 2, 3, 4, 5, 6], shape: [1, 1, 6, 1] }).dataSync())).toEqual([321, 543, 65]);
  });
});
