// The three image models of the tfjs parity and save/load tests, each built twice — in deltaflow and
// in TensorFlow.js 4.22 — with the same layer names, so the same weights go into both:
//   cnn: the textbook's MNIST CNN scaled down to 12×12×1 inputs (Conv2D 32 → Conv2D 64 → MaxPooling2D →
//        Dropout → Flatten → Dense 128 → Dropout → Dense 10 softmax);
//   autoencoder: Conv2D → MaxPooling2D → Conv2D → UpSampling2D → Conv2D sigmoid, binaryCrossentropy;
//   normalized: Conv2D without bias → BatchNormalization → LeakyReLU → ZeroPadding2D → AveragePooling2D →
//        Conv2D → BatchNormalization → LeakyReLU → GlobalAveragePooling2D → Dense softmax.
import * as tf from '@tensorflow/tfjs';
import * as df from '../../src/index.js';
import { rng, uniform } from './random.js';

export interface ImageCase {
  name: string;
  inputShape: [number, number, number];
  /** Output row shape. */
  outputShape: number[];
  loss: 'categoricalCrossentropy' | 'binaryCrossentropy';
  /** onehot: a class per row; self: the input itself (pixels in [0, 1]), as an autoencoder learns. */
  targets: 'onehot' | 'self';
  seed: number;
  /** The layers; `dropout` overrides every Dropout rate (0 where training must match step for step). */
  df(dropout?: number): df.Layer[];
  tf(dropout?: number): tf.layers.Layer[];
}

const input = (shape: number[]) => ({ inputShape: shape });

export const cnn: ImageCase = {
  name: "the textbook's MNIST CNN (12×12×1)",
  inputShape: [12, 12, 1],
  outputShape: [10],
  loss: 'categoricalCrossentropy',
  targets: 'onehot',
  seed: 201,
  df: (d) => [
    df.layers.conv2d({ name: 'conv1', filters: 32, kernelSize: 3, activation: 'relu', ...input([12, 12, 1]) }),
    df.layers.conv2d({ name: 'conv2', filters: 64, kernelSize: 3, activation: 'relu' }),
    df.layers.maxPooling2d({ name: 'pool', poolSize: 2 }),
    df.layers.dropout({ name: 'drop1', rate: d ?? 0.25 }),
    df.layers.flatten({ name: 'flat' }),
    df.layers.dense({ name: 'hidden', units: 128, activation: 'relu' }),
    df.layers.dropout({ name: 'drop2', rate: d ?? 0.5 }),
    df.layers.dense({ name: 'out', units: 10, activation: 'softmax' }),
  ],
  tf: (d) => [
    tf.layers.conv2d({ name: 'conv1', filters: 32, kernelSize: 3, activation: 'relu', ...input([12, 12, 1]) }),
    tf.layers.conv2d({ name: 'conv2', filters: 64, kernelSize: 3, activation: 'relu' }),
    tf.layers.maxPooling2d({ name: 'pool', poolSize: 2 }),
    tf.layers.dropout({ name: 'drop1', rate: d ?? 0.25 }),
    tf.layers.flatten({ name: 'flat' }),
    tf.layers.dense({ name: 'hidden', units: 128, activation: 'relu' }),
    tf.layers.dropout({ name: 'drop2', rate: d ?? 0.5 }),
    tf.layers.dense({ name: 'out', units: 10, activation: 'softmax' }),
  ],
};

export const autoencoder: ImageCase = {
  name: 'a convolutional autoencoder (8×8×1)',
  inputShape: [8, 8, 1],
  outputShape: [8, 8, 1],
  loss: 'binaryCrossentropy',
  targets: 'self',
  seed: 202,
  df: () => [
    df.layers.conv2d({ name: 'enc', filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', ...input([8, 8, 1]) }),
    df.layers.maxPooling2d({ name: 'down', poolSize: 2 }),
    df.layers.conv2d({ name: 'code', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
    df.layers.upSampling2d({ name: 'up', size: 2 }),
    df.layers.conv2d({ name: 'dec', filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid' }),
  ],
  tf: () => [
    tf.layers.conv2d({ name: 'enc', filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', ...input([8, 8, 1]) }),
    tf.layers.maxPooling2d({ name: 'down', poolSize: 2 }),
    tf.layers.conv2d({ name: 'code', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
    tf.layers.upSampling2d({ name: 'up', size: [2, 2] }),
    tf.layers.conv2d({ name: 'dec', filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid' }),
  ],
};

export const normalized: ImageCase = {
  name: 'batch norm, LeakyReLU, padding and average pooling (10×10×2)',
  inputShape: [10, 10, 2],
  outputShape: [3],
  loss: 'categoricalCrossentropy',
  targets: 'onehot',
  seed: 203,
  df: () => [
    df.layers.conv2d({ name: 'c1', filters: 6, kernelSize: 3, padding: 'same', useBias: false, ...input([10, 10, 2]) }),
    df.layers.batchNormalization({ name: 'bn1', momentum: 0.8 }),
    df.layers.leakyReLU({ name: 'lr1', alpha: 0.2 }),
    df.layers.zeroPadding2d({ name: 'pad', padding: 1 }),
    df.layers.averagePooling2d({ name: 'avg', poolSize: 2 }),
    df.layers.conv2d({ name: 'c2', filters: 5, kernelSize: [3, 2], strides: [1, 2], useBias: false }),
    df.layers.batchNormalization({ name: 'bn2', epsilon: 1e-2 }),
    df.layers.leakyReLU({ name: 'lr2' }),
    df.layers.globalAveragePooling2d({ name: 'gap' }),
    df.layers.dense({ name: 'out', units: 3, activation: 'softmax' }),
  ],
  tf: () => [
    tf.layers.conv2d({ name: 'c1', filters: 6, kernelSize: 3, padding: 'same', useBias: false, ...input([10, 10, 2]) }),
    tf.layers.batchNormalization({ name: 'bn1', momentum: 0.8 }),
    tf.layers.leakyReLU({ name: 'lr1', alpha: 0.2 }),
    tf.layers.zeroPadding2d({ name: 'pad', padding: 1 }),
    tf.layers.averagePooling2d({ name: 'avg', poolSize: 2 }),
    tf.layers.conv2d({ name: 'c2', filters: 5, kernelSize: [3, 2], strides: [1, 2], useBias: false }),
    tf.layers.batchNormalization({ name: 'bn2', epsilon: 1e-2 }),
    tf.layers.leakyReLU({ name: 'lr2' }),
    tf.layers.globalAveragePooling2d({ name: 'gap' }),
    tf.layers.dense({ name: 'out', units: 3, activation: 'softmax' }),
  ],
};

export const imageCases = [cnn, autoencoder, normalized];

/**
 * The deltaflow model (seeded glorotUniform kernels) with every 1-D weight made non-trivial — biases
 * and betas in ±0.3, gammas in [0.5, 1.5], moving means in ±0.5, moving variances in [0.5, 2] — so a
 * weight put in the wrong place or read as the wrong statistic shows.
 */
export function dfTwin(c: ImageCase, dropout?: number): df.Sequential {
  const next = rng(c.seed);
  const model = df.sequential({ seed: c.seed, name: 'twin', layers: c.df(dropout) });
  const names = df.io.modelToArtifacts(model).weightSpecs!.map((s) => s.name);
  model.setWeights(
    model.getWeights().map((w, i) => {
      if (w.shape.length > 1) return w;
      const kind = names[i].split('/').pop()!;
      const [lo, hi] = kind === 'gamma' ? [0.5, 1.5] : kind === 'moving_mean' ? [-0.5, 0.5] : kind === 'moving_variance' ? [0.5, 2] : [-0.3, 0.3];
      return { data: uniform(next, w.size, lo, hi), shape: w.shape };
    }),
  );
  return model;
}

/** The tfjs twin of a deltaflow model: the same layers and the same weights. */
export function tfTwin(c: ImageCase, model: df.Sequential, dropout?: number): tf.Sequential {
  const t = tf.sequential({ name: 'twin', layers: c.tf(dropout) });
  t.setWeights(model.getWeights().map((w) => tf.tensor(w.dataSync(), w.shape)));
  return t;
}

/** A batch of `rows` inputs (and targets) for a case; pixels in [0, 1). */
export function imageBatch(c: ImageCase, next: () => number, rows: number): { x: Float32Array; y: Float32Array } {
  const x = uniform(next, rows * c.inputShape.reduce((a, b) => a * b, 1), 0, 1);
  if (c.targets === 'self') return { x, y: x.slice() };
  const units = c.outputShape[0];
  const y = new Float32Array(rows * units);
  for (let r = 0; r < rows; r++) y[r * units + Math.floor(next() * units)] = 1;
  return { x, y };
}
