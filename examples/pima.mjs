// Pima Indians diabetes (book ch. 11, 2nd ed.): 768 women, 8 measurements (zeros stand for missing
// values; the book neither cleans nor scales them), diabetes within five years as the target.
// 8 → Dense(12, relu) → Dense(8, relu) → Dense(1, sigmoid), binary crossentropy, adam, 200 epochs, batch 10.
import { compare, describe, df, requireDataset, seconds, stack, title } from './lib/book.mjs';

const EXAMPLE = 'Pima Indians diabetes';
const file = requireDataset('pima-indians-diabetes.csv', EXAMPLE);
await df.ready();
const layers = [[12, 'relu'], [8, 'relu'], [1, 'sigmoid']];
title(`${EXAMPLE} (pima-indians-diabetes.csv, 768 × 8): ${describe(8, ...layers)}, binary_crossentropy, adam, 200 epochs, batch 10`);

const table = await df.data.readCsvFile(file);
const { x, y } = table.split({ target: 8 });
const model = stack(7, 8, ...layers);
model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
const t0 = performance.now();
await model.fit(x, y, { epochs: 200, batchSize: 10, verbose: 0 });
const { loss, accuracy } = model.evaluate(x, y);
console.log(`  trained in ${seconds(t0)}; loss ${loss.toFixed(4)} (the book measures accuracy on the training rows)`);
compare({ example: EXAMPLE, measure: 'training accuracy', book: 0.7253, bookText: '0.7253 (Colab 0.7708)', deltaflow: accuracy });
