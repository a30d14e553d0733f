// Wine (book ch. 14, 3rd ed.): 80/20 split, validation_split 0.25, 12 → 30 → 12 → 8 relu → 1 sigmoid,
// binary crossentropy, adam, batch 500, EarlyStopping(patience=20) on val_loss; the book stops at
// epoch 394 with test accuracy 0.9885.
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { file, has, stack } from './helpers.js';

beforeAll(() => df.ready());

describe('book: Wine', () => {
  it.skipIf(!has('wine.csv'))('early stopping on val_loss stops well before 2000 epochs; held-out accuracy ≥ 0.97', async () => {
    const { x, y } = (await df.data.readCsvFile(file('wine.csv'))).split({ target: 12 });
    expect(x.shape).toEqual([6497, 12]);
    const { xTrain, xTest, yTrain, yTest } = df.data.trainTestSplit(x, y, { testSize: 0.2, seed: 0 });
    const model = stack(7, 12, [30, 'relu'], [12, 'relu'], [8, 'relu'], [1, 'sigmoid']);
    model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const early = df.callbacks.earlyStopping({ monitor: 'val_loss', patience: 20 });
    const h = await model.fit(xTrain, yTrain, { epochs: 2000, batchSize: 500, validationSplit: 0.25, callbacks: [early], verbose: 0 });
    expect(early.stoppedEpoch).toBeGreaterThan(0);
    expect(h.history.loss.length).toBeLessThan(2000);
    expect(h.history.val_accuracy.at(-1)!).toBeGreaterThanOrEqual(0.95);
    expect(model.evaluate(xTest, yTest).accuracy).toBeGreaterThanOrEqual(0.97);
  });
});
