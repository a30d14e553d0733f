// Training with threads gives the same bits as training on one thread: the same seeded models trained
// in the single-thread module and in the threaded module with 1, 2 and 3 threads (3: more threads than
// this machine may have cores) end with identical weights, losses and predictions. Once with the
// default thresholds (the big GEMMs split), once with every kernel forced to split, down to batches of
// a few rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { getRuntime } from '../../src/wasm/load.js';
import { staging } from '../../src/engine/staging.js';
import type { ThreadKernels } from '../../src/wasm/threads.js';
import { rng, uniform } from '../helpers/random.js';
// @ts-expect-error: a plain .mjs example module without types
import { loadMnist } from '../../examples/mnist-data.mjs';

interface Digits {
  x: { data: Float32Array; shape: [number, number] };
  labels: Int32Array;
  y: { data: Float32Array; shape: [number, number] };
  rows: number;
}

let digits: Digits;

beforeAll(async () => {
  await df.ready();
  digits = loadMnist({ train: 1000, test: 0 }).train;
});

afterAll(async () => {
  await df.setThreads(1);
});

const bits = (ts: df.Tensor[]) => ts.map((t) => Array.from(new Uint32Array(t.dataSync().buffer)));

/** What a training run produced, as bits. */
interface Outcome {
  weights: number[][];
  losses: number[];
  predictions: number[][];
  /** evaluate()'s loss and metrics as f64 bits. */
  evaluated: number[];
}

/** Builds `make()` in the current runtime, trains it, and records everything as bits. */
async function train(make: () => df.Sequential, x: df.Input, y: df.Input, args: df.FitArgs): Promise<Outcome> {
  const model = make();
  const h = await model.fit(x, y, { verbose: 0, ...args });
  // The losses as the f64 values fit reports (a different log in the threaded module once showed in the last bits only).
  const losses = Array.from(new Uint32Array(Float64Array.from(h.history.loss).buffer));
  const evaluated = Array.from(new Uint32Array(Float64Array.from(Object.values(model.evaluate(x, y))).buffer));
  const outcome = { weights: bits(model.getWeights()), losses, predictions: bits([model.predict(x)]), evaluated };
  model.dispose();
  return outcome;
}

/** Trains in the threaded module with 1, 2 and 3 threads (workers must really take part). */
async function acrossThreads(make: () => df.Sequential, x: df.Input, y: df.Input, args: df.FitArgs, forceSplit = false) {
  const outcomes: Record<number, Outcome> = {};
  for (const threads of [2, 1, 3]) {
    expect(await df.setThreads(threads)).toBe(threads);
    const k = getRuntime().kernels as ThreadKernels;
    if (forceSplit) k.threads_tune(0, 0, -1, -1, -1);
    const before = k.threads_jobs();
    outcomes[threads] = await train(make, x, y, args);
    // Passes were split into jobs (which thread ran each chunk is the scheduler's choice, and no bit depends on it;
      // test/kernels/threads.test.ts checks that workers take chunks).
      if (threads > 1) expect(k.threads_jobs()).toBeGreaterThan(before);
    if (forceSplit) k.threads_tune_defaults();
  }
  return outcomes;
}

function expectSame(reference: Outcome, outcomes: Record<number, Outcome>) {
  for (const [threads, o] of Object.entries(outcomes)) {
    sameBits(o.losses, reference.losses, `losses with ${threads} threads`);
    o.weights.forEach((w, i) => sameBits(w, reference.weights[i], `weights[${i}] with ${threads} threads`));
    sameBits(o.predictions[0], reference.predictions[0], `predictions with ${threads} threads`);
    sameBits(o.evaluated, reference.evaluated, `evaluate() with ${threads} threads`);
  }
}

/** Element by element, failing at the first difference (a diff of 50,000-element arrays takes minutes). */
function sameBits(got: ArrayLike<number>, want: ArrayLike<number>, what: string) {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) expect.fail(`${what}: first difference at ${i}: ${got[i]} vs ${want[i]}`);
}

const mnistModel = () =>
  df.sequential({
    seed: 5,
    layers: [df.layers.dense({ units: 64, activation: 'relu', inputShape: [784] }), df.layers.dense({ units: 10, activation: 'softmax' })],
  });

/** Four Dense layers mixing activations (gelu keeps its pre-activation), dropout, an Activation layer, softmax + CCE. */
const mixedModel = () => {
  const m = df.sequential({
    seed: 9,
    layers: [
      df.layers.dense({ units: 96, activation: 'gelu', inputShape: [784] }),
      df.layers.dropout({ rate: 0.25 }),
      df.layers.dense({ units: 48, activation: 'tanh' }),
      df.layers.activation({ activation: 'swish' }),
      df.layers.dense({ units: 40, activation: 'elu' }),
      df.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  m.compile({ optimizer: df.optimizers.adam({ learningRate: 0.002, globalClipnorm: 1 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
};

/** Every image layer: convolutions (with im2col and 1×1), both windowed poolings, resizing, batch norm, and a global pooling. */
const imageModel = () => {
  const m = df.sequential({
    seed: 4,
    layers: [
      df.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
      df.layers.maxPooling2d({ poolSize: 2 }),
      df.layers.zeroPadding2d({ padding: 1 }),
      df.layers.conv2d({ filters: 12, kernelSize: 3, strides: 2, padding: 'same', useBias: false }),
      df.layers.batchNormalization(),
      df.layers.leakyReLU({ alpha: 0.2 }),
      df.layers.upSampling2d({ size: 2 }),
      df.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
      df.layers.conv2d({ filters: 16, kernelSize: 1, activation: 'gelu' }),
      df.layers.dropout({ rate: 0.2 }),
      df.layers.globalAveragePooling2d(),
      df.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
};

/** The book's MNIST CNN: its reported loss once differed in the last f64 bits between the modules (they compiled different Math.log code). */
const bookCnn = () => {
  const L = df.layers;
  const m = df.sequential({
    seed: 7,
    layers: [
      L.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
      L.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      L.maxPooling2d({ poolSize: 2 }),
      L.dropout({ rate: 0.25 }),
      L.flatten(),
      L.dense({ units: 128, activation: 'relu' }),
      L.dropout({ rate: 0.5 }),
      L.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  return m;
};

interface Scenario {
  make: () => df.Sequential;
  x: df.Input;
  y: df.Input;
  args: df.FitArgs;
  reference?: Outcome;
}

const scenarios: Record<string, Scenario> = {};

// The references: every scenario trained first in the single-thread module, before any thread exists.
beforeAll(async () => {
  const labels = { data: Float32Array.from(digits.labels), shape: [digits.rows, 1] as [number, number] };
  scenarios.mnist = {
    make: () => {
      const m = mnistModel();
      m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      return m;
    },
    x: digits.x,
    y: labels,
    args: { epochs: 2, batchSize: 100 },
  };
  scenarios.mixed = { make: mixedModel, x: digits.x, y: digits.y, args: { epochs: 2, batchSize: 128 } };
  const images = { data: digits.x.data.subarray(0, 300 * 784), shape: [300, 28, 28, 1] };
  scenarios.images = { make: imageModel, x: images, y: { data: digits.y.data.subarray(0, 3000), shape: [300, 10] }, args: { epochs: 2, batchSize: 64 } };
  scenarios.bookCnn = {
    make: bookCnn,
    x: { data: digits.x.data.subarray(0, 128 * 784), shape: [128, 28, 28, 1] },
    y: { data: digits.y.data.subarray(0, 1280), shape: [128, 10] },
    args: { epochs: 2, batchSize: 128 },
  };
  const next = rng(3);
  scenarios.small = {
    make: mixedModel,
    x: { data: uniform(next, 250 * 784, 0, 1), shape: [250, 784] },
    y: { data: digits.y.data.subarray(0, 2500), shape: [250, 10] },
    args: { epochs: 2, batchSize: 30, validationSplit: 0.2 },
  };
  expect(df.getThreads()).toBe(1);
  for (const s of Object.values(scenarios)) s.reference = await train(s.make, s.x, s.y, s.args);
  stepReference = await steps();
});

/** trainOnBatch, computeGradients and evaluate with SGD + Nesterov momentum + weight decay. */
async function steps() {
  const m = mnistModel();
  m.compile({ optimizer: df.optimizers.sgd({ learningRate: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 }), loss: 'sparseCategoricalCrossentropy' });
  const labels = { data: Float32Array.from(digits.labels.subarray(0, 256)), shape: [256, 1] as [number, number] };
  const x = { data: digits.x.data.subarray(0, 256 * 784), shape: [256, 784] as [number, number] };
  const losses = [m.trainOnBatch(x, labels), m.trainOnBatch(x, labels)];
  const { grads } = m.computeGradients(x, labels);
  const out = { losses, grads: bits(grads), evaluated: m.evaluate(x, labels), weights: bits(m.getWeights()) };
  m.dispose();
  return out;
}
let stepReference: Awaited<ReturnType<typeof steps>>;

describe('training with threads is bit-identical to one thread (the single-thread module)', () => {
  it('784-64-10 on 1,000 MNIST digits, 2 epochs, batch 100 (Adam, sparse CCE)', async () => {
    const s = scenarios.mnist;
    expectSame(s.reference!, await acrossThreads(s.make, s.x, s.y, s.args));
  });

  it('a 4-layer net: gelu, dropout, an Activation layer, tanh, elu, softmax/CCE, Adam with global-norm clipping', async () => {
    const s = scenarios.mixed;
    expectSame(s.reference!, await acrossThreads(s.make, s.x, s.y, s.args));
  });

  it('image layers (conv2d, poolings, zero padding, upsampling, batch norm, leaky ReLU), also with every kernel forced to split', async () => {
    const s = scenarios.images;
    expectSame(s.reference!, await acrossThreads(s.make, s.x, s.y, s.args));
    expectSame(s.reference!, await acrossThreads(s.make, s.x, s.y, s.args, true));
  });

  it("the book's MNIST CNN: losses and evaluate() to the last f64 bit", async () => {
    const s = scenarios.bookCnn;
    expectSame(s.reference!, await acrossThreads(s.make, s.x, s.y, s.args));
  });

  it('every kernel forced to split, batches of 30 with a last one of 20 rows, with validation', async () => {
    const s = scenarios.small;
    expectSame(s.reference!, await acrossThreads(s.make, s.x, s.y, s.args, true));
  });

  it('training, predicting and validating a window at a time (the staging of big sets) keeps the bits', async () => {
    const s = scenarios.small;
    const saved = { ...staging };
    staging.wholeBytes = 0;
    staging.windowBytes = 4 * 30 * (784 + 10) * 4; // four batches of 30 per window
    try {
      expectSame(s.reference!, await acrossThreads(s.make, s.x, s.y, s.args));
    } finally {
      Object.assign(staging, saved);
    }
  });

  it('trainOnBatch, computeGradients and evaluate with SGD, Nesterov momentum and weight decay', async () => {
    for (const threads of [2, 3]) {
      await df.setThreads(threads);
      const got = await steps();
      expect(got.losses).toEqual(stepReference.losses);
      expect(got.evaluated).toEqual(stepReference.evaluated);
      got.grads.forEach((g, i) => sameBits(g, stepReference.grads[i], `grads[${i}] with ${threads} threads`));
      got.weights.forEach((w, i) => sameBits(w, stepReference.weights[i], `weights[${i}] with ${threads} threads`));
    }
  });
});
