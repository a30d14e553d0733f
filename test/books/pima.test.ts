// Pima Indians diabetes (book ch. 11): 8 → 12 relu → 8 relu → 1 sigmoid, binary crossentropy, adam,
// 200 epochs, batch 10, raw inputs; the book reports training accuracy 0.7253 (Colab 0.7708).
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { file, has, stack, twice } from './helpers.js';

beforeAll(() => df.ready());

describe('book: Pima Indians diabetes', () => {
  it.skipIf(!has('pima-indians-diabetes.csv'))('reaches ≥ 0.70 training accuracy, the same in two seeded runs', async () => {
    const { x, y } = (await df.data.readCsvFile(file('pima-indians-diabetes.csv'))).split({ target: 8 });
    const accuracy = await twice(async () => {
      const model = stack(7, 8, [12, 'relu'], [8, 'relu'], [1, 'sigmoid']);
      model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
      await model.fit(x, y, { epochs: 200, batchSize: 10, verbose: 0 });
      const { accuracy } = model.evaluate(x, y);
      model.dispose();
      return accuracy;
    });
    expect(accuracy).toBeGreaterThanOrEqual(0.7);
  });
});
