// A model trained with a loss or metric written in JS saves their names; loading hands the functions back
// through customObjects (Keras's custom_objects), and without them the error says how.
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { rng, uniform } from '../helpers/random.js';
import { capture } from './helpers.js';

beforeAll(() => df.ready());

const ROWS = 64;
const next = rng(11);
const x = { data: uniform(next, ROWS * 3), shape: [ROWS, 3] };
const y = { data: uniform(next, ROWS * 2), shape: [ROWS, 2] };

// A squared error written in JS: one loss per row, and its gradient per row.
const myLoss: df.LossFunction = {
  name: 'myLoss',
  fn: (t, p, rows, cols) => Float32Array.from({ length: rows }, (_, r) => {
    let s = 0;
    for (let c = 0; c < cols; c++) s += (p[r * cols + c] - t[r * cols + c]) ** 2;
    return s / cols;
  }),
  grad: (t, p, _rows, cols) => p.map((v, i) => (2 * (v - t[i])) / cols),
};
function maxError(t: Float32Array, p: Float32Array, rows: number, cols: number) {
  return Float32Array.from({ length: rows }, (_, r) => Math.max(...Array.from({ length: cols }, (_, c) => Math.abs(p[r * cols + c] - t[r * cols + c]))));
}

async function trained() {
  const m = df.sequential({ seed: 3, layers: [df.layers.dense({ units: 4, activation: 'tanh', inputShape: [3] }), df.layers.dense({ units: 2 })] });
  m.compile({ optimizer: df.optimizers.adam({ learningRate: 0.01 }), loss: myLoss, metrics: ['mae', maxError] });
  await m.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0, seed: 1 });
  return { m, artifacts: await capture((h) => m.save(h, { includeOptimizer: true })) };
}

describe('loading a model trained with JS functions', () => {
  it('saves their names in the training config', async () => {
    const { artifacts } = await trained();
    expect(artifacts.trainingConfig?.loss).toBe('my_loss');
    expect(artifacts.trainingConfig?.metrics).toEqual(['mae', 'maxError']);
  });

  it('resumes training bit for bit when customObjects hands them back (either spelling)', async () => {
    const { m, artifacts } = await trained();
    const a = await m.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0, seed: 9 });
    for (const customObjects of [{ my_loss: myLoss, maxError }, { myLoss, max_error: maxError }] as df.CustomObjects[]) {
      const loaded = await df.loadLayersModel(df.io.fromMemory(artifacts), { customObjects });
      const b = await loaded.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0, seed: 9 });
      expect(Object.keys(b.history).sort()).toEqual(['loss', 'mae', 'maxError']);
      expect(b.history.loss).toEqual(a.history.loss);
      expect(b.history.maxError).toEqual(a.history.maxError);
      expect(loaded.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(m.getWeights().map((w) => Array.from(w.dataSync())));
    }
  });

  it('without them, says how to pass them back, and loads with { compile: false }', async () => {
    const { artifacts } = await trained();
    await expect(df.loadLayersModel(df.io.fromMemory(artifacts))).rejects.toThrow(/Unknown loss "my_loss".*customObjects: \{ my_loss: … \}.*compile: false/);
    await expect(df.loadLayersModel(df.io.fromMemory(artifacts), { customObjects: { myLoss } })).rejects.toThrow(/'maxError' is your own metric.*customObjects: \{ maxError: … \}/);
    const plain = await df.loadLayersModel(df.io.fromMemory(artifacts), { compile: false });
    expect(plain.predict(x).shape).toEqual([ROWS, 2]);
  });

  it('refuses a custom object of the wrong kind, naming it', async () => {
    const { artifacts } = await trained();
    await expect(df.loadLayersModel(df.io.fromMemory(artifacts), { customObjects: { my_loss: maxError, maxError } })).rejects.toThrow(/customObjects\.my_loss: loss is a function/);
    await expect(df.loadLayersModel(df.io.fromMemory(artifacts), { customObjects: { myLoss, maxError: myLoss as never } })).rejects.toThrow(/customObjects\.maxError must be a metric function/);
  });
});
