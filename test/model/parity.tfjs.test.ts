// Parity with TensorFlow.js 4.22.0 (cpu backend) on the same architecture, weights and batches:
// predict, the gradient of the batch-averaged loss, and 20 plain SGD steps with trainOnBatch.
// tfjs's hardSigmoid is 0.2x + 0.5 (Keras 3's is x/6 + 0.5) and it has no gelu/mish/swish layer
// activations, so only activations both libraries define the same way appear here.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { rng, uniform, worst } from '../helpers/random.js';
import { useTfjsPeer } from '../helpers/tfjs.js';
import { ReferenceMLP } from '../ref/mlp.js';

// Tolerances. Both libraries compute in f32, in different orders, so they differ by the rounding of
// each: relative to the terms a value is summed from, not to the value (see ReferenceMLP.gradientScales).
// predict: within 1e-5 of max(|tfjs|, 0.1 × the batch's largest |output|). Gradients: within 1e-4 of
// the float64 reference's error scale for each entry (its |value|, or its rows' own gradients or its
// tensor's scale where those are larger). Weights after 20 steps: within 1e-4 of max(|tfjs|, 0.01 ×
// the tensor's largest |weight|). Losses, at every step: 1e-5 relative.
const PREDICT_TOL = 1e-5;
const PREDICT_FLOOR = 0.1;
const GRAD_TOL = 1e-4;
const TRAIN_TOL = 1e-4;
const TRAIN_FLOOR = 1e-2;
const LOSS_TOL = 1e-5;
const STEPS = 20;
const LEARNING_RATE = 0.1;

useTfjsPeer();

type Targets = 'regression' | 'binary' | 'onehot' | 'labels';

interface Case {
  name: string;
  sizes: number[];
  activations: string[];
  /** The loss name in both libraries. */
  loss: 'meanSquaredError' | 'binaryCrossentropy' | 'categoricalCrossentropy' | 'sparseCategoricalCrossentropy';
  targets: Targets;
  rows: number;
  seed: number;
}

const cases: Case[] = [
  { name: 'mse, relu → tanh → linear', sizes: [4, 8, 6, 3], activations: ['relu', 'tanh', 'linear'], loss: 'meanSquaredError', targets: 'regression', rows: 8, seed: 101 },
  { name: 'mse, 4 layers with softplus and a softmax output', sizes: [3, 7, 6, 5, 3], activations: ['softplus', 'sigmoid', 'elu', 'softmax'], loss: 'meanSquaredError', targets: 'onehot', rows: 6, seed: 102 },
  { name: 'binaryCrossentropy, elu → selu → sigmoid', sizes: [3, 7, 5, 2], activations: ['elu', 'selu', 'sigmoid'], loss: 'binaryCrossentropy', targets: 'binary', rows: 8, seed: 103 },
  { name: 'categoricalCrossentropy, softplus → sigmoid → softmax', sizes: [5, 8, 6, 4], activations: ['softplus', 'sigmoid', 'softmax'], loss: 'categoricalCrossentropy', targets: 'onehot', rows: 8, seed: 104 },
  { name: 'categoricalCrossentropy, 4 layers selu → tanh → elu → softmax', sizes: [4, 9, 7, 6, 5], activations: ['selu', 'tanh', 'elu', 'softmax'], loss: 'categoricalCrossentropy', targets: 'onehot', rows: 10, seed: 105 },
  { name: 'sparseCategoricalCrossentropy, tanh → relu → softmax', sizes: [4, 6, 5, 3], activations: ['tanh', 'relu', 'softmax'], loss: 'sparseCategoricalCrossentropy', targets: 'labels', rows: 8, seed: 106 },
];

interface Batch {
  x: Float32Array;
  /** Rows × outputs, or one label per row for the sparse loss. */
  y: Float32Array;
}

function batch(next: () => number, c: Case): Batch {
  const units = c.sizes[c.sizes.length - 1];
  const x = uniform(next, c.rows * c.sizes[0], -1.5, 1.5);
  let y: Float32Array;
  if (c.targets === 'regression') y = uniform(next, c.rows * units, -1, 1);
  else if (c.targets === 'binary') y = Float32Array.from({ length: c.rows * units }, () => (next() < 0.5 ? 0 : 1));
  else {
    const labels = Array.from({ length: c.rows }, () => Math.floor(next() * units));
    if (c.targets === 'labels') y = Float32Array.from(labels);
    else {
      y = new Float32Array(c.rows * units);
      labels.forEach((k, r) => (y[r * units + k] = 1));
    }
  }
  return { x, y };
}

/** The deltaflow model (seeded glorotUniform kernels, then random biases) and a tfjs twin with its weights. */
function twins(c: Case, optimizer: df.Optimizer | string = 'sgd', tfOptimizer?: tf.Optimizer) {
  const next = rng(c.seed);
  const model = df.sequential({
    seed: c.seed,
    layers: c.sizes.slice(1).map((units, i) => df.layers.dense({ units, activation: c.activations[i], ...(i === 0 ? { inputShape: [c.sizes[0]] } : {}) })),
  });
  model.compile({ optimizer, loss: c.loss });
  model.setWeights(model.getWeights().map((w, i) => (i % 2 === 1 ? { data: uniform(next, w.size, -0.3, 0.3), shape: w.shape } : w)));

  const tfModel = tf.sequential({
    layers: c.sizes.slice(1).map((units, i) =>
      tf.layers.dense({ units, activation: c.activations[i] as 'linear', ...(i === 0 ? { inputShape: [c.sizes[0]] } : {}) }),
    ),
  });
  tfModel.setWeights(model.getWeights().map((w) => tf.tensor(w.dataSync(), w.shape)));
  if (tfOptimizer) tfModel.compile({ optimizer: tfOptimizer, loss: c.loss });
  return { model, tfModel, next };
}

function dfInputs(c: Case, b: Batch) {
  const x = { data: b.x, shape: [c.rows, c.sizes[0]] };
  const y = c.loss === 'sparseCategoricalCrossentropy' ? Array.from(b.y) : { data: b.y, shape: [c.rows, c.sizes[c.sizes.length - 1]] };
  return { x, y };
}

function tfInputs(c: Case, b: Batch) {
  const x = tf.tensor2d(b.x, [c.rows, c.sizes[0]]);
  const y = c.loss === 'sparseCategoricalCrossentropy' ? tf.tensor2d(b.y, [c.rows, 1]) : tf.tensor2d(b.y, [c.rows, c.sizes[c.sizes.length - 1]]);
  return { x, y };
}

/** Keras's batch-averaged loss built from tfjs's own per-sample loss functions. */
function tfLoss(c: Case, y: tf.Tensor, p: tf.Tensor): tf.Scalar {
  switch (c.loss) {
    case 'meanSquaredError':
      return tf.mean(tf.metrics.meanSquaredError(y, p));
    case 'binaryCrossentropy':
      return tf.mean(tf.metrics.binaryCrossentropy(y, p));
    case 'categoricalCrossentropy':
      return tf.mean(tf.metrics.categoricalCrossentropy(y, p));
    case 'sparseCategoricalCrossentropy':
      return tf.mean(tf.metrics.categoricalCrossentropy(tf.oneHot(tf.cast(tf.reshape(y, [-1]), 'int32'), p.shape[1]!), p));
  }
}


/** Relative error against max(|want|, floor × the largest |want|). */
function worstRelative(got: ArrayLike<number>, want: ArrayLike<number>, floor: number): { err: number; at: number } {
  let max = 0;
  for (let i = 0; i < want.length; i++) max = Math.max(max, Math.abs(want[i]));
  return worst(got, want, (i) => Math.max(Math.abs(want[i]), floor * max));
}

describe.each(cases.map((c) => [c.name, c] as const))('tfjs parity: %s', (_, c) => {
  it('predict gives the same outputs', () => {
    const { model, tfModel, next } = twins(c);
    const b = batch(next, c);
    const got = model.predict(dfInputs(c, b).x).dataSync();
    const want = tf.tidy(() => (tfModel.predict(tfInputs(c, b).x) as tf.Tensor).dataSync());
    const { err, at } = worstRelative(got, want, PREDICT_FLOOR);
    expect(err, `output[${at}]: deltaflow ${got[at]}, tfjs ${want[at]}`).toBeLessThan(PREDICT_TOL);
    tfModel.dispose();
  });

  it('computeGradients gives the same loss and gradients as tf.variableGrads', () => {
    const { model, tfModel, next } = twins(c);
    const b = batch(next, c);
    const ours = model.computeGradients(dfInputs(c, b).x, dfInputs(c, b).y);
    const vars = tfModel.trainableWeights.map((w) => w.read() as tf.Variable);
    const { x, y } = tfInputs(c, b);
    const { value, grads } = tf.variableGrads(() => tfLoss(c, y, tfModel.apply(x) as tf.Tensor), vars);
    const theirLoss = value.dataSync()[0];
    expect(Math.abs(ours.loss - theirLoss) / Math.abs(theirLoss), `loss: deltaflow ${ours.loss}, tfjs ${theirLoss}`).toBeLessThan(LOSS_TOL);
    expect(ours.grads.map((g) => g.shape)).toEqual(vars.map((v) => v.shape));
    const theirs = vars.map((v) => grads[v.name].dataSync());
    const ref = new ReferenceMLP({ sizes: c.sizes, activations: c.activations });
    const weights = model.getWeights().map((w) => w.dataSync());
    const scales = ref.gradientScales(c.loss, weights, b.x, b.y, c.rows, theirs);
    theirs.forEach((want, t) => {
      const got = ours.grads[t].dataSync();
      const { err, at } = worst(got, want, (i) => scales[t][i]);
      expect(err, `weights[${t}] (${vars[t].name})[${at}]: deltaflow ${got[at]}, tfjs ${want[at]} (error scale ${scales[t][at]})`).toBeLessThan(GRAD_TOL);
    });
    tf.dispose([x, y, value, ...Object.values(grads)]);
    tfModel.dispose();
  });

  it(`${STEPS} SGD steps with trainOnBatch on the same batches give the same losses and weights`, async () => {
    const { model, tfModel, next } = twins(c, df.optimizers.sgd({ learningRate: LEARNING_RATE }), tf.train.sgd(LEARNING_RATE));
    for (let s = 0; s < STEPS; s++) {
      const b = batch(next, c);
      const ours = model.trainOnBatch(dfInputs(c, b).x, dfInputs(c, b).y);
      const { x, y } = tfInputs(c, b);
      const theirs = (await tfModel.trainOnBatch(x, y)) as number;
      tf.dispose([x, y]);
      expect(Math.abs(ours - theirs) / Math.abs(theirs), `step ${s} loss: deltaflow ${ours}, tfjs ${theirs}`).toBeLessThan(LOSS_TOL);
    }
    const ours = model.getWeights();
    const theirs = tfModel.getWeights();
    ours.forEach((w, t) => {
      expect(w.shape).toEqual(theirs[t].shape);
      const got = w.dataSync();
      const want = theirs[t].dataSync();
      const { err, at } = worstRelative(got, want, TRAIN_FLOOR);
      expect(err, `after ${STEPS} steps, weights[${t}][${at}]: deltaflow ${got[at]}, tfjs ${want[at]}`).toBeLessThan(TRAIN_TOL);
    });
    tfModel.dispose();
  });
});
