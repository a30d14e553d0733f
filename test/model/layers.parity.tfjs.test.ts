// The image layers' semantics against TensorFlow.js 4.22.0 (cpu backend), the library whose names and
// weight layouts deltaflow follows: the same models and weights give the same predictions (inference,
// batch norm on its moving statistics) and the same training-mode outputs and gradients (batch norm on
// the batch's statistics). This pins what test/ref/images.ts assumes: TensorFlow's 'same' padding split,
// average pooling without the padding, nearest upsampling, the kernel layout, getWeights() order.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { toLayer } from '../helpers/layer-specs.js';
import { rng, uniform, worst } from '../helpers/random.js';
import { useTfjsPeer } from '../helpers/tfjs.js';
import type { LayerSpec } from '../ref/images.js';

useTfjsPeer();

const PREDICT_TOL = 1e-5;
const GRAD_TOL = 1e-4;


function tfLayer(s: LayerSpec, inputShape?: number[]): tf.layers.Layer {
  const input = inputShape ? { inputShape } : {};
  type Act = 'linear';
  switch (s.kind) {
    case 'conv2d':
      return tf.layers.conv2d({ filters: s.filters, kernelSize: s.kernel, strides: s.strides, dilationRate: s.dilation, padding: s.padding, activation: (s.activation ?? 'linear') as Act, useBias: s.useBias, ...input });
    case 'dense':
      return tf.layers.dense({ units: s.units, activation: (s.activation ?? 'linear') as Act, useBias: s.useBias, ...input });
    case 'maxPooling2d':
      return tf.layers.maxPooling2d({ poolSize: s.pool, strides: s.strides ?? s.pool, padding: s.padding, ...input });
    case 'averagePooling2d':
      return tf.layers.averagePooling2d({ poolSize: s.pool, strides: s.strides ?? s.pool, padding: s.padding, ...input });
    case 'globalAveragePooling2d':
      return tf.layers.globalAveragePooling2d(input);
    case 'globalMaxPooling2d':
      return tf.layers.globalMaxPooling2d(input);
    case 'flatten':
      return tf.layers.flatten(input);
    case 'reshape':
      // A copy: tfjs writes null over the -1 of the array it is given.
      return tf.layers.reshape({ targetShape: [...s.targetShape], ...input });
    case 'upSampling2d':
      return tf.layers.upSampling2d({ size: s.size, ...input });
    case 'zeroPadding2d':
      return tf.layers.zeroPadding2d({ padding: s.padding, ...input });
    case 'batchNormalization':
      return tf.layers.batchNormalization({ epsilon: s.epsilon, momentum: s.momentum, center: s.center, scale: s.scale, ...input });
    case 'leakyReLU':
      return tf.layers.leakyReLU({ alpha: s.alpha, ...input });
    case 'activation':
      return tf.layers.activation({ activation: s.activation as Act, ...input });
  }
}

interface Case {
  name: string;
  inShape: number[];
  layers: LayerSpec[];
  rows: number;
  seed: number;
  /** Why tfjs's gradient cannot be compared, if it cannot. */
  noGradients?: string;
}

// tfjs 4.22's cpu backend has no gradient for dilated convolutions, and its average-pooling gradient
// divides by the whole window where 'same' padding cuts it (its forward pass divides by the taps inside,
// as TensorFlow does): deltaflow's gradients there are checked against finite differences instead, in
// images.test.ts (the dilated grid, and "stacked poolings", this file's pooling case).
const DILATED = 'tfjs has no gradient for dilated conv2d';
const AVG_SAME = "tfjs's averagePooling2d 'same' gradient divides by the whole window at the borders";
// Its batch norm without scale fails in training mode; images.test.ts checks that one against finite differences too.

const cases: Case[] = [
  {
    name: "conv2d 'same' with even kernels and strides (TF's padding split), relu, dense",
    inShape: [6, 7, 3],
    layers: [{ kind: 'conv2d', filters: 5, kernel: [2, 4], strides: [2, 3], padding: 'same', activation: 'relu' }, { kind: 'flatten' }, { kind: 'dense', units: 3, activation: 'softmax' }],
    rows: 3,
    seed: 1,
  },
  {
    name: "conv2d 'valid' dilated, no bias, tanh",
    inShape: [7, 7, 4],
    layers: [{ kind: 'conv2d', filters: 3, kernel: [3, 2], dilation: [2, 3], activation: 'tanh', useBias: false }],
    rows: 2,
    seed: 2,
    noGradients: DILATED,
  },
  {
    name: "conv2d 'same' dilated, sigmoid",
    inShape: [5, 6, 2],
    layers: [{ kind: 'conv2d', filters: 4, kernel: [3, 3], dilation: [2, 2], padding: 'same', activation: 'sigmoid' }],
    rows: 2,
    seed: 3,
    noGradients: DILATED,
  },
  {
    name: "max and average pooling, 'same' and 'valid', odd sizes",
    inShape: [7, 5, 5],
    layers: [
      { kind: 'conv2d', filters: 5, kernel: [1, 1], activation: 'elu' },
      { kind: 'averagePooling2d', pool: [3, 2], strides: [2, 2], padding: 'same' },
      { kind: 'maxPooling2d', pool: [2, 2], strides: [1, 1], padding: 'same' },
      { kind: 'maxPooling2d', pool: [3, 2], padding: 'valid' },
    ],
    rows: 3,
    seed: 4,
    noGradients: AVG_SAME,
  },
  {
    name: "max pooling 'same' and 'valid', average 'valid'",
    inShape: [7, 5, 5],
    layers: [
      { kind: 'conv2d', filters: 5, kernel: [1, 1], activation: 'elu' },
      { kind: 'averagePooling2d', pool: [2, 2], strides: [1, 2] },
      { kind: 'maxPooling2d', pool: [3, 3], strides: [2, 1], padding: 'same' },
      { kind: 'maxPooling2d', pool: [2, 2], padding: 'valid' },
      { kind: 'flatten' },
      { kind: 'dense', units: 2 },
    ],
    rows: 3,
    seed: 9,
  },
  {
    name: "conv2d 'same' dilated 1×3 then strided, and a 1×1 conv",
    inShape: [5, 6, 3],
    layers: [{ kind: 'conv2d', filters: 4, kernel: [1, 3], strides: [1, 2], padding: 'same', activation: 'elu' }, { kind: 'conv2d', filters: 17, kernel: [1, 1], activation: 'tanh' }, { kind: 'globalMaxPooling2d' }],
    rows: 2,
    seed: 10,
  },
  {
    name: 'global pools, zero padding, upsampling, reshape',
    inShape: [3, 5, 4],
    layers: [
      { kind: 'zeroPadding2d', padding: [[1, 0], [2, 1]] },
      { kind: 'upSampling2d', size: [2, 3] },
      { kind: 'conv2d', filters: 6, kernel: [3, 3], strides: [2, 2], activation: 'tanh' },
      { kind: 'reshape', targetShape: [-1, 3] },
      { kind: 'dense', units: 2 },
      { kind: 'reshape', targetShape: [3, -1, 2] },
      { kind: 'globalAveragePooling2d' },
    ],
    rows: 2,
    seed: 5,
  },
  {
    name: 'global max pooling',
    inShape: [5, 7, 17],
    layers: [{ kind: 'globalMaxPooling2d' }, { kind: 'dense', units: 3 }],
    rows: 3,
    seed: 6,
  },
  {
    name: 'batch normalization (moving statistics at inference), leakyReLU',
    inShape: [4, 5, 3],
    layers: [{ kind: 'conv2d', filters: 5, kernel: [3, 3], padding: 'same' }, { kind: 'batchNormalization', epsilon: 0.01 }, { kind: 'leakyReLU' }, { kind: 'flatten' }, { kind: 'dense', units: 2 }],
    rows: 4,
    seed: 7,
  },
  {
    name: 'batch normalization without scale, on rank-1 rows',
    inShape: [6],
    layers: [{ kind: 'dense', units: 5 }, { kind: 'batchNormalization', scale: false }, { kind: 'leakyReLU', alpha: 0.1 }, { kind: 'dense', units: 2 }],
    rows: 5,
    seed: 8,
    noGradients: "tfjs's batchNormalization without scale fails in training mode (it reads the gamma it has not got)",
  },
];

function twins(c: Case) {
  const next = rng(c.seed);
  const model = df.sequential({ seed: c.seed, layers: c.layers.map((s, i) => toLayer(s, i === 0 ? c.inShape : undefined)) });
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const table = (model as unknown as { weightTable(): { weight: { name: string } }[] }).weightTable();
  model.setWeights(
    model.getWeights().map((w, i) => {
      const name = table[i].weight.name;
      if (name === 'kernel') return w;
      const [lo, hi] = name === 'gamma' || name === 'moving_variance' ? [0.5, 1.5] : [-0.3, 0.3];
      return { data: uniform(next, w.size, lo, hi), shape: w.shape };
    }),
  );
  const tfModel = tf.sequential({ layers: c.layers.map((s, i) => tfLayer(s, i === 0 ? c.inShape : undefined)) });
  expect(tfModel.weights.map((w) => w.shape)).toEqual(model.getWeights().map((w) => w.shape));
  tfModel.setWeights(model.getWeights().map((w) => tf.tensor(w.dataSync(), w.shape)));
  const x = uniform(next, c.rows * c.inShape.reduce((a, b) => a * b, 1), -1.5, 1.5);
  return { model, tfModel, x, next };
}

function relative(got: ArrayLike<number>, want: ArrayLike<number>, floor: number) {
  let max = 0;
  for (let i = 0; i < want.length; i++) max = Math.max(max, Math.abs(want[i]));
  return worst(got, want, (i) => Math.max(Math.abs(want[i]), floor * max, 1e-30));
}

describe.each(cases.map((c) => [c.name, c] as const))('tfjs parity: %s', (_, c) => {
  it('predict gives the same outputs and shape', () => {
    const { model, tfModel, x } = twins(c);
    const got = model.predict({ data: x, shape: [c.rows, ...c.inShape] });
    const want = tf.tidy(() => (tfModel.predict(tf.tensor(x, [c.rows, ...c.inShape])) as tf.Tensor).dataSync().slice());
    expect(got.shape).toEqual(tfModel.outputs[0].shape.map((d) => d ?? c.rows));
    const { err, at } = relative(got.dataSync(), want, 0.1);
    expect(err, `output[${at}]`).toBeLessThan(PREDICT_TOL);
    model.dispose();
    tfModel.dispose();
  });

  it.skipIf(c.noGradients)(`computeGradients gives the same loss and gradients as tf.variableGrads in training mode${c.noGradients ? ` (skipped: ${c.noGradients})` : ''}`, () => {
    const { model, tfModel, x, next } = twins(c);
    const outShape = model.outputShape.slice(1) as number[];
    const y = uniform(next, c.rows * outShape.reduce((a, b) => a * b, 1), -1, 1);
    const got = model.computeGradients({ data: x, shape: [c.rows, ...c.inShape] }, { data: y, shape: [c.rows, ...outShape] });
    const trainable = tfModel.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(() => {
      const p = tfModel.apply(tf.tensor(x, [c.rows, ...c.inShape]), { training: true }) as tf.Tensor;
      return tf.mean(tf.square(tf.sub(p, tf.tensor(y, [c.rows, ...outShape])))) as tf.Scalar;
    }, trainable);
    expect(Math.abs(got.loss - value.dataSync()[0]) / value.dataSync()[0]).toBeLessThan(1e-5);
    expect(got.grads.length).toBe(trainable.length);
    const wants = trainable.map((v) => Float32Array.from(grads[v.name].dataSync()));
    const top = Math.max(...wants.map((w) => w.reduce((m, v) => Math.max(m, Math.abs(v)), 0)));
    got.grads.forEach((g, t) => {
      const want = wants[t];
      // A bias right before a batch norm has a zero gradient: both are rounding noise of the model's scale.
      const tensorTop = want.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      const { err, at } = worst(g.dataSync(), want, (i) => Math.max(Math.abs(want[i]), 0.05 * (tensorTop < 1e-5 * top ? top : tensorTop)));
      expect(err, `gradient[${t}][${at}]: ${g.dataSync()[at]} vs tfjs ${want[at]}`).toBeLessThan(GRAD_TOL);
    });
    model.dispose();
    tfModel.dispose();
  });
});

describe('tfjs parity: batch norm moving statistics', () => {
  it('one trainOnBatch step moves them as tfjs moves them (the biased batch variance, momentum 0.9)', async () => {
    const c: Case = { name: 'bn', inShape: [4, 5, 3], layers: [{ kind: 'conv2d', filters: 5, kernel: [3, 3], padding: 'same', activation: 'tanh' }, { kind: 'batchNormalization', momentum: 0.9 }, { kind: 'flatten' }, { kind: 'dense', units: 2 }], rows: 6, seed: 11 };
    const { model, tfModel, x, next } = twins(c);
    const y = uniform(next, c.rows * 2, -1, 1);
    model.compile({ optimizer: df.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
    tfModel.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    model.trainOnBatch({ data: x, shape: [c.rows, ...c.inShape] }, { data: y, shape: [c.rows, 2] });
    await tfModel.trainOnBatch(tf.tensor(x, [c.rows, ...c.inShape]), tf.tensor(y, [c.rows, 2]));
    const got = model.getWeights();
    const want = tfModel.getWeights();
    got.forEach((g, t) => {
      const { err, at } = relative(g.dataSync(), want[t].dataSync(), 0.01);
      expect(err, `weights[${t}][${at}] after one step`).toBeLessThan(1e-4);
    });
    model.dispose();
    tfModel.dispose();
  });
});
