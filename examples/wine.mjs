// Wine, red or white (book ch. 14, 3rd ed.): 6,497 wines, 12 inputs (the quality score included), the
// colour as the target. The file is sorted by colour, so the rows are shuffled before anything is held
// out. 80/20 train/test split, then validation_split 0.25 of the training rows; 12 → Dense(30, relu) →
// Dense(12, relu) → Dense(8, relu) → Dense(1, sigmoid), binary crossentropy, adam, batch 500, up to
// 2000 epochs with EarlyStopping(patience=20) on val_loss. Inputs are raw, as in the book.
import { compare, describe, df, requireDataset, seconds, stack, title } from './lib/book.mjs';

const EXAMPLE = 'Wine';
const file = requireDataset('wine.csv', EXAMPLE);
await df.ready();
const layers = [[30, 'relu'], [12, 'relu'], [8, 'relu'], [1, 'sigmoid']];
title(`${EXAMPLE} (wine.csv, 6497 × 12): ${describe(12, ...layers)}, binary_crossentropy, adam, batch 500, early stopping (patience 20)`);

const table = await df.data.readCsvFile(file);
const { x, y } = table.split({ target: 12 });
const { xTrain, xTest, yTrain, yTest } = df.data.trainTestSplit(x, y, { testSize: 0.2, seed: 0 });
const model = stack(7, 12, ...layers);
model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
const early = df.callbacks.earlyStopping({ monitor: 'val_loss', patience: 20 });
const t0 = performance.now();
// validationSplit takes the last quarter of the (already shuffled) training rows, as Keras does.
const h = await model.fit(xTrain, yTrain, { epochs: 2000, batchSize: 500, validationSplit: 0.25, callbacks: [early], verbose: 0 });
const epochs = h.history.loss.length;
console.log(`  stopped at epoch ${epochs} (book: 394), best val_loss ${early.best.toFixed(4)} at epoch ${early.bestEpoch + 1}; ${seconds(t0)}`);
const test = model.evaluate(xTest, yTest);
compare({ example: EXAMPLE, measure: 'held-out test accuracy', book: 0.9885, deltaflow: test.accuracy });
