// Counterexamples the property suite found (shrunk by fast-check), kept as plain regression tests.
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';

beforeAll(() => df.ready());

describe('found by the property suite', () => {
  it('add() to a trained model keeps each optimizer slot of the old weights in place; the new weights start as the optimizer starts them', async () => {
    // Slot s of weight i sits at s·n + i: with more weights each slot's block moves. The old copy moved
    // the whole block at once, shifting Adam's v into m and leaving the new weights' slots as garbage.
    for (const [name, start] of [['adam', 0], ['adagrad', 0.1]] as const) {
      const m = df.sequential({ seed: 1, layers: [df.layers.dense({ units: 2, inputShape: [3] })] });
      m.compile({ optimizer: name, loss: 'mse' });
      m.trainOnBatch([[1, 2, 3]], [[1, -1]]);
      const before = m.getOptimizerState().slots;
      m.add(df.layers.dense({ units: 1 }));
      const after = m.getOptimizerState().slots;
      const old = 3 * 2 + 2;
      after.forEach((slot, s) => {
        expect(Array.from(slot.subarray(0, old)), `${name} slot ${s}`).toEqual(Array.from(before[s]));
        expect(Array.from(slot.subarray(old)), `${name} slot ${s} of the new layer`).toEqual(Array(2 + 1).fill(Math.fround(start)));
      });
    }
  });

  it("a model whose output width follows its input width (Dropout, Activation) trains without an inputShape, and 'accuracy' fits the width it gets", async () => {
    const m = df.sequential({ layers: [df.layers.activation({ activation: 'sigmoid' })] });
    m.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    expect(() => m.outputUnits).toThrow(/its output shape follows its input shape, which is not known yet/);
    const h = await m.fit([[2], [-2]], [[1], [0]], { epochs: 1, verbose: 0 });
    // One output column: binary accuracy (the old resolution, with the width unknown, picked categorical: always 1).
    expect(h.history.accuracy).toEqual([1]);
    expect(m.evaluate([[2], [-2]], [[0], [1]]).accuracy).toBe(0);
  });

  it('{ data: plain array, shape } with a string in it is refused, as nested arrays are', () => {
    const m = df.sequential({ layers: [df.layers.dense({ units: 1, inputShape: [2] })] });
    expect(() => m.predict({ data: [1, '1'] as unknown as number[], shape: [1, 2] })).toThrow(/x\[0\]\[1\] is the string "1": values must be finite 32-bit floats/);
  });

  it('a diverged model (NaN weights) is refused by save, which would write what load refuses', async () => {
    const m = df.sequential({ layers: [df.layers.dense({ units: 1, inputShape: [1] })] });
    m.setWeights([[[1]], [0]]);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const w = m.getWeights();
    // Through the WASM path, as training would leave it.
    m.setWeights(w);
    (m as unknown as { box: { arena: { params(): Float32Array } } }).box.arena.params()[0] = Number.NaN;
    await expect(m.save(df.io.withSaveHandler(() => undefined))).rejects.toThrow(/save: weight 'dense\/kernel' holds NaN at index 0: a model with non-finite values cannot be loaded back/);
  });

  it('a model without weights saved with its optimizer state loads back with it', async () => {
    const m = df.sequential({ layers: [df.layers.dropout({ rate: 0.5, inputShape: [3] })] });
    m.compile({ optimizer: 'momentum', loss: 'mse' });
    await m.fit([[1, 2, 3]], [[1, 2, 3]], { epochs: 2, verbose: 0 });
    let saved: df.ModelArtifacts | undefined;
    await m.save(df.io.withSaveHandler((a) => void (saved = a)), { includeOptimizer: true });
    const loaded = await df.loadLayersModel(df.io.fromMemory(saved!));
    expect(loaded.getOptimizerState()).toEqual({ iterations: 2, slots: [new Float32Array(0)] });
  });
});
