// Saving with { includeOptimizer: true } captures everything fit() depends on — the optimizer's
// configuration, its state ('iter', then each '<weight>/<slot>') and the model's generator states
// (shuffling, dropout masks) — so 10 epochs, save, load, 10 more is bit for bit 20 epochs straight.
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { rng, uniform } from '../helpers/random.js';
import { bits, bytesOf, capture, modelJSON } from './helpers.js';

beforeAll(() => df.ready());

const ROWS = 120;
const next = rng(77);
const x = { data: uniform(next, ROWS * 4), shape: [ROWS, 4] };
const y = { data: Float32Array.from({ length: ROWS }, () => (next() < 0.5 ? 0 : 1)), shape: [ROWS, 1] };

function model(optimizer: df.Optimizer) {
  const m = df.sequential({
    seed: 7,
    layers: [
      df.layers.dense({ units: 8, activation: 'tanh', inputShape: [4] }),
      df.layers.dropout({ rate: 0.2 }),
      df.layers.dense({ units: 6, activation: 'relu' }),
      df.layers.dropout({ rate: 0.1, seed: 5 }),
      df.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  m.compile({ optimizer, loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return m;
}

const optimizers: [string, () => df.Optimizer][] = [
  ['adam', () => df.optimizers.adam({ learningRate: 0.01 })],
  ['rmsprop with momentum', () => df.optimizers.rmsprop({ learningRate: 0.005, momentum: 0.9 })],
  ['centered rmsprop', () => df.optimizers.rmsprop({ learningRate: 0.005, centered: true })],
  ['sgd with nesterov momentum', () => df.optimizers.sgd({ learningRate: 0.05, momentum: 0.9, nesterov: true })],
  ['adagrad', () => df.optimizers.adagrad({ learningRate: 0.05 })],
  ['adadelta', () => df.optimizers.adadelta({ learningRate: 1 })],
  ['adamax', () => df.optimizers.adamax({ learningRate: 0.01 })],
  ['nadam, clipnorm, a schedule', () => df.optimizers.nadam({ learningRate: df.optimizers.schedules.exponentialDecay({ initialLearningRate: 0.01, decaySteps: 20, decayRate: 0.9 }), clipnorm: 1 })],
  ['amsgrad with weight decay', () => df.optimizers.adam({ learningRate: 0.01, amsgrad: true, weightDecay: 0.01 })],
  ['adamw', () => df.optimizers.adamw({ learningRate: 0.01 })],
  ['lion', () => df.optimizers.lion({ learningRate: 0.001 })],
];

describe('10 epochs + save + load + 10 epochs = 20 epochs, bit for bit', () => {
  for (const [name, make] of optimizers) {
    it(name, async () => {
      const straight = model(make());
      await straight.fit(x, y, { epochs: 20, batchSize: 16, verbose: 0 });

      const first = model(make());
      await first.fit(x, y, { epochs: 10, batchSize: 16, verbose: 0 });
      const artifacts = await capture((h) => first.save(h, { includeOptimizer: true }));
      first.dispose();
      // Through model.json text and weights.bin bytes, as a file would carry them.
      const resumed = await df.loadLayersModel(df.io.fromFiles({ 'model.json': JSON.stringify(modelJSON(artifacts)), 'weights.bin': bytesOf(artifacts.weightData) }));
      expect(resumed.optimizer!.getConfig()).toEqual(make().getConfig());
      await resumed.fit(x, y, { epochs: 10, batchSize: 16, verbose: 0 });

      expect(bits(resumed)).toEqual(bits(straight));
      const a = resumed.getOptimizerState();
      const b = straight.getOptimizerState();
      expect(a.iterations).toBe(b.iterations);
      expect(a.slots.map((s) => Array.from(new Uint32Array(s.buffer)))).toEqual(b.slots.map((s) => Array.from(new Uint32Array(s.buffer))));
      expect(resumed.evaluate(x, y)).toEqual(straight.evaluate(x, y));
    });
  }

  it('without includeOptimizer the model loads uncompiled, weights only', async () => {
    const m = model(df.optimizers.adam());
    await m.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
    const artifacts = await capture((h) => m.save(h));
    expect(artifacts.trainingConfig).toBeUndefined();
    expect(artifacts.weightSpecs!.every((s) => s.group === undefined)).toBe(true);
    const back = await df.loadLayersModel(df.io.fromMemory(artifacts));
    expect(back.optimizer).toBeUndefined();
    expect(bits(back)).toEqual(bits(m));
    back.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
    await back.fit(x, y, { epochs: 1, verbose: 0 });
  });

  it('save({ includeOptimizer }) on an uncompiled model is a clear error', async () => {
    const m = df.sequential({ layers: [df.layers.dense({ units: 1, inputShape: [2] })] });
    await expect(m.save(df.io.withSaveHandler(() => undefined), { includeOptimizer: true })).rejects.toThrow(/includeOptimizer needs a compiled model/);
    const unbuilt = df.sequential({ layers: [df.layers.dense({ units: 1 })] });
    await expect(unbuilt.save(df.io.withSaveHandler(() => undefined))).rejects.toThrow(/no weights yet/);
  });
});

describe('userDefinedMetadata', () => {
  it('round-trips, and travels with the loaded model into its next save', async () => {
    const m = model(df.optimizers.sgd());
    const stats = { normalization: { mean: [0.5, -1.25, 3, 1e-8], std: [1, 2, 0.5, 4] }, note: 'ünïcödé', nested: [[1, 2], { a: null }] };
    const artifacts = await capture((h) => m.save(h, { userDefinedMetadata: stats }));
    expect(artifacts.userDefinedMetadata).toEqual(stats);
    const back = await df.loadLayersModel(df.io.fromFiles({ 'model.json': JSON.stringify(modelJSON(artifacts)), 'weights.bin': bytesOf(artifacts.weightData) }));
    expect(df.io.getUserDefinedMetadata(back)).toEqual(stats);
    const again = await capture((h) => back.save(h));
    expect(again.userDefinedMetadata).toEqual(stats);
    df.io.setUserDefinedMetadata(back, { v: 2 });
    expect((await capture((h) => back.save(h))).userDefinedMetadata).toEqual({ v: 2 });
    expect(() => df.io.setUserDefinedMetadata(back, [1] as never)).toThrow(/plain object/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(back.save(df.io.withSaveHandler(() => undefined), { userDefinedMetadata: cyclic as never })).rejects.toThrow(/not JSON-serializable/);
  });
});
