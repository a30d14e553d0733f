// Adapter: TensorFlow.js Layers on the backend named by the variant ('wasm' or 'cpu').
import path from 'node:path';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { versionOf } from '../lib/versions.mjs';

const require = createRequire(import.meta.url);
const LOSS = { cce: 'categoricalCrossentropy', bce: 'binaryCrossentropy' };

export const versions = () => ({ '@tensorflow/tfjs': versionOf('@tensorflow/tfjs'), '@tensorflow/tfjs-backend-wasm': versionOf('@tensorflow/tfjs-backend-wasm') });
export const notes = [];

export async function init(backend = 'wasm') {
  if (backend === 'wasm') {
    const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
    // Node finds the .wasm files without this; set explicitly so it is certain which copy loads (notes say SIMD/threads).
    setWasmPaths(path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} failed to initialise`);
  await tf.ready();
  if (backend === 'wasm') {
    notes.push(`wasm SIMD ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT')}, threads ${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')}`);
  }
}

export function build({ seed, sizes, activations, loss, lr }) {
  const model = tf.sequential();
  activations.forEach((activation, i) =>
    model.add(tf.layers.dense({ units: sizes[i + 1], activation, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + i }), ...(i === 0 ? { inputShape: [sizes[0]] } : {}) })),
  );
  model.compile({ optimizer: tf.train.adam(lr), loss: LOSS[loss] });
  return model;
}

export function prepare(ds, rows = ds.rows) {
  return { x: tf.tensor2d(ds.x.subarray(0, rows * ds.inDim), [rows, ds.inDim]), y: tf.tensor2d(ds.y.subarray(0, rows * ds.outDim), [rows, ds.outDim]), rows };
}

export async function fit(model, p, { epochs, batchSize }) {
  const h = await model.fit(p.x, p.y, { epochs, batchSize, verbose: 0, shuffle: true });
  return { loss: h.history.loss.at(-1) };
}

export function predict(model, data, rows, cols) {
  const x = tf.tensor2d(data, [rows, cols]);
  // predict's default batchSize is 32: ask for one batch of all rows, as deltaflow does.
  const y = model.predict(x, { batchSize: rows });
  const out = y.dataSync();
  x.dispose();
  y.dispose();
  return out;
}

/** Frees a model's weights and its optimizer's state. */
export function dispose(model) {
  model.optimizer?.dispose();
  model.dispose();
}

/** Bytes held by live tensors (tfjs frees a tensor only when disposed). */
export const memory = () => ({ bytes: tf.memory().numBytes, what: 'tensors' });

export function release(p) {
  p.x.dispose();
  p.y.dispose();
}

/** tf.matMul with the transposes of the layout; freshB uploads a new B tensor every call, as after each optimizer step. */
export async function gemm(layout, m, n, k, { freshB = true } = {}) {
  const rand = (len) => Float32Array.from({ length: len }, () => Math.random() * 2 - 1);
  const [ta, tb] = [layout === 'tn', layout === 'nt'];
  const a = tf.tensor2d(rand(m * k), ta ? [k, m] : [m, k]);
  const bShape = tb ? [n, k] : [k, n];
  const bData = rand(k * n);
  const same = tf.tensor2d(bData, bShape);
  // The wasm backend runs kernels synchronously, so disposing the output is enough (no readback).
  return () => {
    const b = freshB ? tf.tensor2d(bData, bShape) : same;
    tf.matMul(a, b, ta, tb).dispose();
    if (freshB) b.dispose();
  };
}

/** The textbook's MNIST CNN, as engines/deltaflow.mjs buildCnn (seeded glorot-uniform kernels, zero biases). */
export function buildCnn({ seed, lr }) {
  const init = (i) => ({ kernelInitializer: tf.initializers.glorotUniform({ seed: seed + i }) });
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1], ...init(0) }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', ...init(1) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.dropout({ rate: 0.25 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 128, activation: 'relu', ...init(2) }),
      tf.layers.dropout({ rate: 0.5 }),
      tf.layers.dense({ units: 10, activation: 'softmax', ...init(3) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(lr), loss: 'categoricalCrossentropy' });
  return model;
}

export function prepareImages(ds, rows = ds.rows) {
  return { x: tf.tensor4d(ds.x.subarray(0, rows * 784), [rows, 28, 28, 1]), y: tf.tensor2d(ds.y.subarray(0, rows * ds.outDim), [rows, ds.outDim]), rows };
}

export function predictImages(model, data, rows) {
  const x = tf.tensor4d(data, [rows, 28, 28, 1]);
  const y = model.predict(x, { batchSize: rows });
  const out = y.dataSync();
  x.dispose();
  y.dispose();
  return out;
}

export const getWeights = (model) => model.getWeights().map((t) => ({ data: t.dataSync().slice(), shape: [...t.shape] }));

export function setWeights(model, weights) {
  const tensors = weights.map((w) => tf.tensor(w.data, w.shape));
  model.setWeights(tensors);
  tensors.forEach((t) => t.dispose());
}

/**
 * Embedding → LSTM or GRU → Dense(1, sigmoid) as engines/deltaflow.mjs buildRecurrent: recurrentActivation
 * 'sigmoid' (tfjs's default is hardSigmoid), LSTM unitForgetBias true and GRU resetAfter false as deltaflow's,
 * seeded initializers (the recurrent kernel glorot-uniform, not tfjs's orthogonal: that QR takes most of a minute for
 * 128×512 on the cpu backend, and the initial values do not change the work). trainEmbedding false freezes the Embedding (trainable: false), so `fit` never needs the
 * gather's gradient (UnsortedSegmentSum: missing on wasm, one pass over the data per vocabulary entry on cpu).
 */
export function buildRecurrent({ cell, seed, lr, vocab, embed, steps, units, trainEmbedding = true }) {
  const rnnOptions = {
    units,
    recurrentActivation: 'sigmoid',
    kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
    recurrentInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }),
  };
  const model = tf.sequential({
    layers: [
      tf.layers.embedding({ inputDim: vocab, outputDim: embed, inputLength: steps, trainable: trainEmbedding, embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed }) }),
      cell === 'lstm' ? tf.layers.lstm({ ...rnnOptions, unitForgetBias: true }) : tf.layers.gru({ ...rnnOptions, resetAfter: false }),
      tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 3 }) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(lr), loss: 'binaryCrossentropy' });
  return model;
}

/** The first `rows` sequences as an int32 [rows, steps] tensor and their 0/1 labels as [rows, 1]. */
export function prepareSequences(ds, rows = ds.rows) {
  return { x: tf.tensor2d(ds.x.subarray(0, rows * ds.steps), [rows, ds.steps], 'int32'), y: tf.tensor2d(ds.y.subarray(0, rows), [rows, 1]), rows };
}

/** rows sequences of `steps` indices in, rows probabilities out (one batch, read back). */
export function predictSequences(model, data, rows, steps) {
  const x = tf.tensor2d(data, [rows, steps], 'int32');
  const y = model.predict(x, { batchSize: rows });
  const out = y.dataSync();
  x.dispose();
  y.dispose();
  return out;
}
