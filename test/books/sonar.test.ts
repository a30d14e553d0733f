// Sonar (book ch. 13): 60 → 24 relu → 10 relu → 1 sigmoid with mean squared error, adam, batch 5.
// 70/30 split, 130 epochs: the book reports test accuracy 0.8095; stratified 10-fold, 100 epochs: mean 0.808.
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { file, has, stack } from './helpers.js';

beforeAll(() => df.ready());

const sonar = (seed: number) => {
  const m = stack(seed, 60, [24, 'relu'], [10, 'relu'], [1, 'sigmoid']);
  m.compile({ optimizer: 'adam', loss: 'meanSquaredError', metrics: ['accuracy'] });
  return m;
};

describe('book: Sonar', () => {
  it.skipIf(!has('sonar.csv'))('70/30 split: ≥ 0.75 test accuracy', async () => {
    const table = await df.data.readCsvFile(file('sonar.csv'));
    const { x, y, classes } = table.split({ target: 60 });
    expect(classes).toEqual(['M', 'R']); // LabelEncoder's order: M → 0, R → 1
    const { xTrain, xTest, yTrain, yTest } = df.data.trainTestSplit(x, y, { testSize: 0.3, seed: 0 });
    expect(yTest.shape[0]).toBe(63);
    const model = sonar(3);
    await model.fit(xTrain, yTrain, { epochs: 130, batchSize: 5, verbose: 0 });
    expect(model.evaluate(xTest, yTest).accuracy).toBeGreaterThanOrEqual(0.75);
  });

  it.skipIf(!has('sonar.csv'))('stratified 10-fold: mean accuracy ≥ 0.75, every row tested once', async () => {
    const { x, y } = (await df.data.readCsvFile(file('sonar.csv'))).split({ target: 60 });
    const folds = df.data.kFold(208, { k: 10, shuffle: true, seed: 0, stratify: y });
    expect(folds.flatMap((f) => f.test).sort((a, b) => a - b)).toEqual(Array.from({ length: 208 }, (_, i) => i));
    let sum = 0;
    for (const [i, fold] of folds.entries()) {
      const model = sonar(7 + i);
      await model.fit(df.data.take(x, fold.train), df.data.take(y, fold.train), { epochs: 100, batchSize: 5, verbose: 0 });
      sum += model.evaluate(df.data.take(x, fold.test), df.data.take(y, fold.test)).accuracy;
      model.dispose();
    }
    expect(sum / folds.length).toBeGreaterThanOrEqual(0.75);
  });
});
