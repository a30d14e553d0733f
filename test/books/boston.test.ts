// Boston housing (book ch. 15, 2nd ed.): whitespace-separated, no header; 70/30 split, 13 → 30 relu →
// 6 relu → 1, mean squared error, adam, 200 epochs, batch 10, raw inputs; the book's final training
// MSE is 24.49 (no test metric is printed).
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { file, has, stack } from './helpers.js';

beforeAll(() => df.ready());

describe('book: Boston housing', () => {
  it.skipIf(!has('housing.csv'))('test RMSE below 6 ($1000s), training MSE near the book\'s', async () => {
    const table = await df.data.readCsvFile(file('housing.csv'));
    expect(table.shape).toEqual([506, 14]);
    const { x, y } = table.split({ target: 13 });
    const { xTrain, xTest, yTrain, yTest } = df.data.trainTestSplit(x, y, { testSize: 0.3, seed: 0 });
    const model = stack(7, 13, [30, 'relu'], [6, 'relu'], [1]);
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const h = await model.fit(xTrain, yTrain, { epochs: 200, batchSize: 10, verbose: 0 });
    expect(h.history.loss.at(-1)!).toBeLessThan(40);
    expect(Math.sqrt(model.evaluate(xTest, yTest).loss)).toBeLessThan(6);
  });
});
