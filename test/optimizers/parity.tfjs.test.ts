// Optimizers against TensorFlow.js 4.22.0 where the two define the same update (sgd, momentum,
// Nesterov, adagrad, non-centered rmsprop, adamax without decay): the same model, weights and
// batches for 50 steps give the same weights.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { rng, uniform, worst } from '../helpers/random.js';
import { useTfjsPeer } from '../helpers/tfjs.js';

// Both compute in f32 with different operation orders; after 50 steps the weights agree within 1e-4
// of max(|tfjs|, 0.01 × the tensor's largest |weight|).
const TOL = 1e-4;
const FLOOR = 1e-2;
const STEPS = 50;

useTfjsPeer();

const cases: [string, () => df.Optimizer, () => tf.Optimizer][] = [
  ['sgd', () => df.train.sgd(0.1), () => tf.train.sgd(0.1)],
  ['momentum', () => df.train.momentum(0.05, 0.9), () => tf.train.momentum(0.05, 0.9)],
  ['nesterov', () => df.train.momentum(0.05, 0.9, true), () => tf.train.momentum(0.05, 0.9, true)],
  ['adagrad', () => df.train.adagrad(0.1), () => tf.train.adagrad(0.1)],
  ['rmsprop', () => df.train.rmsprop(0.01), () => tf.train.rmsprop(0.01)],
  ['rmsprop with momentum', () => df.train.rmsprop(0.01, 0.8, 0.5), () => tf.train.rmsprop(0.01, 0.8, 0.5)],
  ['adamax', () => df.train.adamax(0.01), () => tf.train.adamax(0.01)],
];

describe('optimizers match TensorFlow.js over 50 steps', () => {
  it.each(cases)('%s', async (_name, ours, theirs) => {
    const next = rng(17);
    const model = df.sequential({
      seed: 5,
      layers: [df.layers.dense({ units: 6, activation: 'tanh', inputShape: [4] }), df.layers.dense({ units: 3, activation: 'softmax' })],
    });
    model.compile({ optimizer: ours(), loss: 'categoricalCrossentropy' });
    const tfModel = tf.sequential({
      layers: [tf.layers.dense({ units: 6, activation: 'tanh', inputShape: [4] }), tf.layers.dense({ units: 3, activation: 'softmax' })],
    });
    tfModel.setWeights(model.getWeights().map((w) => tf.tensor(w.dataSync(), w.shape)));
    tfModel.compile({ optimizer: theirs(), loss: 'categoricalCrossentropy' });
    for (let s = 0; s < STEPS; s++) {
      const x = uniform(next, 8 * 4, -2, 2);
      const y = new Float32Array(8 * 3);
      for (let r = 0; r < 8; r++) y[r * 3 + Math.floor(next() * 3)] = 1;
      const ourLoss = model.trainOnBatch({ data: x, shape: [8, 4] }, { data: y, shape: [8, 3] });
      const theirLoss = (await tfModel.trainOnBatch(tf.tensor2d(x, [8, 4]), tf.tensor2d(y, [8, 3]))) as number;
      expect(Math.abs(ourLoss - theirLoss)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(theirLoss)));
    }
    const ws = model.getWeights();
    tfModel.getWeights().forEach((t, i) => {
      const want = t.dataSync();
      const got = ws[i].dataSync();
      const max = Math.max(...Array.from(want, Math.abs));
      const { err, at } = worst(got, want, (j) => Math.max(Math.abs(want[j]), FLOOR * max));
      expect(err, `weight ${i} index ${at}: ${got[at]} vs ${want[at]}`).toBeLessThanOrEqual(TOL);
    });
  });
});
