// Embedding in the threaded build: its scatter-add stays on one thread in a fixed order, so training with
// 1, 2 and 3 threads (every kernel forced to split) ends with the same bits as the single-thread module.
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { getRuntime } from '../../src/wasm/load.js';
import type { ThreadKernels } from '../../src/wasm/threads.js';
import { rng, uniform } from '../helpers/random.js';

beforeAll(() => df.ready());
afterAll(async () => {
  await df.setThreads(1);
});

const VOCAB = 50;
const STEPS = 12;
const ROWS = 300;
const next = rng(8);
// Few distinct indices per batch, so rows of the table are hit many times.
const x = { data: Float32Array.from(uniform(next, ROWS * STEPS, 0, VOCAB), Math.floor), shape: [ROWS, STEPS] };
const y = { data: Float32Array.from(uniform(next, ROWS, 0, 1), (v) => (v > 0.5 ? 1 : 0)), shape: [ROWS, 1] };

const bits = (ts: df.Tensor[]) => ts.map((t) => Array.from(new Uint32Array(t.dataSync().buffer)));

async function train() {
  const m = df.sequential({
    seed: 6,
    layers: [df.layers.embedding({ inputDim: VOCAB, outputDim: 16, inputLength: STEPS }), df.layers.flatten(), df.layers.dense({ units: 8, activation: 'relu' }), df.layers.dense({ units: 1, activation: 'sigmoid' })],
  });
  m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const h = await m.fit(x, y, { epochs: 3, batchSize: 32, shuffle: true, verbose: 0 });
  const out = { losses: h.history.loss, weights: bits(m.getWeights()), predictions: bits([m.predict(x)]), grads: bits(m.computeGradients(x, y).grads) };
  m.dispose();
  return out;
}

it('trains to the same bits with 1, 2 and 3 threads as in the single-thread module', async () => {
  expect(df.getThreads()).toBe(1);
  const reference = await train();
  for (const threads of [2, 1, 3]) {
    expect(await df.setThreads(threads)).toBe(threads);
    const k = getRuntime().kernels as ThreadKernels;
    k.threads_tune(0, 0, -1, -1, -1);
    const before = k.threads_jobs();
    try {
      const got = await train();
      // Passes were split into jobs (which thread ran each chunk is the scheduler's choice, and no bit depends on it;
      // test/kernels/threads.test.ts checks that workers take chunks).
      if (threads > 1) expect(k.threads_jobs()).toBeGreaterThan(before);
      expect(got.losses, `losses with ${threads} threads`).toEqual(reference.losses);
      got.weights.forEach((w, i) => expect(w, `weights[${i}] with ${threads} threads`).toEqual(reference.weights[i]));
      expect(got.predictions, `predictions with ${threads} threads`).toEqual(reference.predictions);
      got.grads.forEach((g, i) => expect(g, `grads[${i}] with ${threads} threads`).toEqual(reference.grads[i]));
    } finally {
      k.threads_tune_defaults();
    }
  }
});
