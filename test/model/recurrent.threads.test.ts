// Recurrent layers in the threaded build: the per-step GEMMs split across workers by rows and the gate
// math stays on the calling thread, so training with 1, 2 and 3 threads (every kernel forced to split)
// ends with the same bits as the single-thread module, masks and both directions included.
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { getRuntime } from '../../src/wasm/load.js';
import type { ThreadKernels } from '../../src/wasm/threads.js';
import { rng, uniform } from '../helpers/random.js';

beforeAll(() => df.ready());
afterAll(async () => {
  await df.setThreads(1);
});

const VOCAB = 30;
const STEPS = 9;
const ROWS = 96;
const next = rng(12);
// Indices with zeros (the mask) scattered through the rows.
const x = { data: Float32Array.from(uniform(next, ROWS * STEPS, -8, VOCAB), (v) => Math.max(0, Math.floor(v))), shape: [ROWS, STEPS] };
const y = { data: Float32Array.from(uniform(next, ROWS, 0, 1), (v) => (v > 0.5 ? 1 : 0)), shape: [ROWS, 1] };

const bits = (ts: df.Tensor[]) => ts.map((t) => Array.from(new Uint32Array(t.dataSync().buffer)));

async function train() {
  const m = df.sequential({
    seed: 4,
    layers: [
      df.layers.embedding({ inputDim: VOCAB, outputDim: 6, maskZero: true, inputLength: STEPS }),
      df.layers.bidirectional({ layer: df.layers.lstm({ units: 5, returnSequences: true }) }),
      df.layers.gru({ units: 7 }),
      df.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const h = await m.fit(x, y, { epochs: 2, batchSize: 32, shuffle: true, verbose: 0 });
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
