// Recurrent layers in the threaded build: the all-steps GEMMs split across workers by rows, the per-step
// products and the gate math stay on the calling thread, so training with 1, 2 and 3 threads (every kernel
// forced to split) ends with the same bits as the single-thread module, masks and both directions included.
import { afterAll, beforeAll, it } from 'vitest';
import * as df from '../../src/index.js';
import { rng, uniform } from '../helpers/random.js';
import { expectSameBitsAcrossThreads, trainBits } from '../helpers/threads.js';

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

const train = () =>
  trainBits(
    df.sequential({
      seed: 4,
      layers: [
        df.layers.embedding({ inputDim: VOCAB, outputDim: 6, maskZero: true, inputLength: STEPS }),
        df.layers.bidirectional({ layer: df.layers.lstm({ units: 5, returnSequences: true }) }),
        df.layers.gru({ units: 7 }),
        df.layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    }),
    x,
    y,
    { epochs: 2, batchSize: 32, shuffle: true },
  );

it('trains to the same bits with 1, 2 and 3 threads as in the single-thread module', () => expectSameBitsAcrossThreads(train));
