// Recurrent weights as Keras and its converter name them, under the cell ('lstm/lstm_cell/kernel',
// 'bidirectional/forward_gru/gru_cell_3/recurrent_kernel'): they load into the same layers as tfjs's names.
import { beforeAll, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { capture } from './helpers.js';
import { rng, uniform } from '../helpers/random.js';

beforeAll(() => df.ready());

function model() {
  const m = df.sequential({
    seed: 5,
    layers: [
      df.layers.lstm({ units: 3, returnSequences: true, inputShape: [4, 2] }),
      df.layers.bidirectional({ layer: df.layers.gru({ units: 2, resetAfter: false }) }),
      df.layers.dense({ units: 1 }),
    ],
  });
  m.setWeights(m.getWeights().map((w, i) => ({ data: uniform(rng(i + 1), w.size, -0.5, 0.5), shape: w.shape })));
  return m;
}

const x = { data: uniform(rng(9), 3 * 4 * 2, -1, 1), shape: [3, 4, 2] };

it("loads weights named under Keras's cells, with and without ':0' and numbered cells", async () => {
  const m = model();
  const saved = await capture((h) => m.save(h));
  const renamed = {
    ...saved,
    weightSpecs: saved.weightSpecs!.map((s) => ({
      ...s,
      name: s.name
        .replace(/^lstm\//, 'lstm/lstm_cell/')
        .replace(/^(bidirectional\/(forward|backward)_gru)\//, (_, p: string, d: string) => `${p}/gru_cell_${d === 'forward' ? 7 : 8}/`)
        .replace(/kernel$/, 'kernel:0'),
    })),
  };
  expect(renamed.weightSpecs.map((s) => s.name)).toContain('lstm/lstm_cell/recurrent_kernel:0');
  const back = await df.loadLayersModel(df.io.fromMemory(renamed));
  expect(Array.from(back.predict(x).dataSync())).toEqual(Array.from(m.predict(x).dataSync()));
});

it('strips only recurrent cells: a Dense weight under another segment is still missing', async () => {
  const saved = await capture((h) => model().save(h));
  const extra = { ...saved, weightSpecs: saved.weightSpecs!.map((s) => (s.name === 'dense/bias' ? { ...s, name: 'dense/dense_cell/bias' } : s)) };
  await expect(df.loadLayersModel(df.io.fromMemory(extra))).rejects.toThrow(/the weights have no 'dense\/bias'/);
});
