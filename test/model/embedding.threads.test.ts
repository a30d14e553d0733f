// Embedding in the threaded build: its scatter-add stays on one thread in a fixed order, so training with
// 1, 2 and 3 threads (every kernel forced to split) ends with the same bits as the single-thread module.
import { afterAll, beforeAll, it } from 'vitest';
import * as df from '../../src/index.js';
import { rng, uniform } from '../helpers/random.js';
import { expectSameBitsAcrossThreads, trainBits } from '../helpers/threads.js';

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

const train = () =>
  trainBits(
    df.sequential({
      seed: 6,
      layers: [df.layers.embedding({ inputDim: VOCAB, outputDim: 16, inputLength: STEPS }), df.layers.flatten(), df.layers.dense({ units: 8, activation: 'relu' }), df.layers.dense({ units: 1, activation: 'sigmoid' })],
    }),
    x,
    y,
    { epochs: 3, batchSize: 32, shuffle: true },
  );

it('trains to the same bits with 1, 2 and 3 threads as in the single-thread module', () => expectSameBitsAcrossThreads(train));
