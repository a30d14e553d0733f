// The check the layer kinds' threads tests share: train the same seeded model in the single-thread module,
// then with 2, 1 and 3 threads with every kernel forced to split, and compare every bit.
import { expect } from 'vitest';
import * as df from '../../src/index.js';
import { getRuntime } from '../../src/wasm/load.js';
import type { ThreadKernels } from '../../src/wasm/threads.js';

/** What a training run leaves, as raw float32 bits. */
export interface TrainedBits {
  losses: number[];
  weights: number[][];
  predictions: number[][];
  grads: number[][];
}

const bits = (ts: df.Tensor[]) => ts.map((t) => Array.from(new Uint32Array(t.dataSync().buffer)));

/** Compiles `model` (Adam, binary crossentropy), fits it, then predicts and takes gradients on the same rows. */
export async function trainBits(model: df.Sequential, x: df.Input, y: df.Input, args: df.FitArgs): Promise<TrainedBits> {
  model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const h = await model.fit(x, y, { verbose: 0, ...args });
  const out = { losses: h.history.loss, weights: bits(model.getWeights()), predictions: bits([model.predict(x)]), grads: bits(model.computeGradients(x, y).grads) };
  model.dispose();
  return out;
}

/**
 * `train` in the single-thread module, then with 2, 1 and 3 threads, every kernel forced to split: the same
 * bits each time, and passes were split into jobs (which thread ran a chunk is the scheduler's choice, and no
 * bit depends on it; test/kernels/threads.test.ts checks that workers take chunks). Leaves one thread.
 */
export async function expectSameBitsAcrossThreads(train: () => Promise<TrainedBits>): Promise<void> {
  expect(df.getThreads()).toBe(1);
  const reference = await train();
  for (const threads of [2, 1, 3]) {
    expect(await df.setThreads(threads)).toBe(threads);
    const k = getRuntime().kernels as ThreadKernels;
    k.threads_tune(0, 0, -1, -1, -1);
    const before = k.threads_jobs();
    try {
      const got = await train();
      if (threads > 1) expect(k.threads_jobs()).toBeGreaterThan(before);
      expect(got.losses, `losses with ${threads} threads`).toEqual(reference.losses);
      got.weights.forEach((w, i) => expect(w, `weights[${i}] with ${threads} threads`).toEqual(reference.weights[i]));
      expect(got.predictions, `predictions with ${threads} threads`).toEqual(reference.predictions);
      got.grads.forEach((g, i) => expect(g, `grads[${i}] with ${threads} threads`).toEqual(reference.grads[i]));
    } finally {
      k.threads_tune_defaults();
    }
  }
  await df.setThreads(1);
}
