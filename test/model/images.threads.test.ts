// Image networks train to the same bits on one thread and on several: a CNN using every image layer kind,
// trained in the single-thread module, then in the threaded module with 2 and 3 threads and every kernel
// forced to split (down to a few rows), ends with identical losses, weights (batch norm's moving
// statistics included) and predictions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { getRuntime } from '../../src/wasm/load.js';
import type { ThreadKernels } from '../../src/wasm/threads.js';
import { rng, uniform } from '../helpers/random.js';

beforeAll(() => df.ready());
afterAll(async () => {
  await df.setThreads(1);
});

const bits = (ts: df.Tensor[]) => ts.map((t) => Array.from(new Uint32Array(t.dataSync().buffer)));

const make = () => {
  const m = df.sequential({
    seed: 17,
    layers: [
      df.layers.zeroPadding2d({ padding: [[1, 0], [0, 1]], inputShape: [9, 7, 3] }),
      df.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'gelu' }),
      df.layers.batchNormalization({ momentum: 0.9 }),
      df.layers.leakyReLU(),
      df.layers.maxPooling2d({ poolSize: 2, padding: 'same' }),
      df.layers.conv2d({ filters: 5, kernelSize: [2, 3], dilationRate: [2, 1], activation: 'tanh' }),
      df.layers.upSampling2d({ size: [2, 1] }),
      df.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
      df.layers.conv2d({ filters: 17, kernelSize: 1, activation: 'relu' }),
      df.layers.reshape({ targetShape: [-1, 17] }),
      df.layers.dense({ units: 6, activation: 'swish' }),
      df.layers.flatten(),
      df.layers.dense({ units: 4, activation: 'softmax' }),
    ],
  });
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
};

const n = 60;
const next = rng(31);
const x = { data: uniform(next, n * 9 * 7 * 3, -1, 1), shape: [n, 9, 7, 3] };
const y = { data: Float32Array.from({ length: n * 4 }, (_, i) => (i % 4 === Math.floor(i / 4) % 4 ? 1 : 0)), shape: [n, 4] };

async function train() {
  const m = make();
  const h = await m.fit(x, y, { epochs: 2, batchSize: 16, validationSplit: 0.2, verbose: 0 });
  const out = { losses: Array.from(new Uint32Array(Float32Array.from([...h.history.loss, ...h.history.val_loss]).buffer)), weights: bits(m.getWeights()), predictions: bits([m.predict(x)]) };
  m.dispose();
  return out;
}

describe('image networks across threads', () => {
  it('train to identical bits with 1, 2 and 3 threads, every kernel forced to split', async () => {
    expect(df.getThreads()).toBe(1);
    const reference = await train();
    for (const threads of [2, 3]) {
      expect(await df.setThreads(threads)).toBe(threads);
      const k = getRuntime().kernels as ThreadKernels;
      k.threads_tune(0, 0, -1, -1, -1);
      const before = k.threads_worker_chunks();
      try {
        const got = await train();
        expect(k.threads_worker_chunks()).toBeGreaterThan(before);
        expect(got.losses, `losses with ${threads} threads`).toEqual(reference.losses);
        got.weights.forEach((w, i) => expect(w, `weights[${i}] with ${threads} threads`).toEqual(reference.weights[i]));
        expect(got.predictions, `predictions with ${threads} threads`).toEqual(reference.predictions);
      } finally {
        k.threads_tune_defaults();
      }
    }
  });
});
