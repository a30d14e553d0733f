// Thoracic surgery (book ch. 1/10, 2nd ed.): will a lung-cancer patient survive a year after surgery?
// 470 patients, 17 inputs (the book keeps the patient-ID column as an input), Risk1Yr as the target.
// Dense(30, relu) → Dense(1, sigmoid), binary crossentropy, adam, 100 epochs, batch 10.
import { compare, describe, df, requireDataset, seconds, stack, title } from './lib/book.mjs';

const EXAMPLE = 'Thoracic surgery';
const file = requireDataset('ThoraricSurgery.csv', EXAMPLE);
await df.ready();
const layers = [[30, 'relu'], [1, 'sigmoid']];
title(`${EXAMPLE} (ThoraricSurgery.csv, 470 × 17): ${describe(17, ...layers)}, binary_crossentropy, adam, 100 epochs, batch 10`);

const table = await df.data.readCsvFile(file);
const { x, y } = table.split({ target: 17 });
const model = stack(7, 17, ...layers);
model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
const t0 = performance.now();
await model.fit(x, y, { epochs: 100, batchSize: 10, verbose: 0 });
const { loss, accuracy } = model.evaluate(x, y);
const died = Array.from(y.data).filter((v) => v === 1).length;
console.log(`  trained in ${seconds(t0)}; loss ${loss.toFixed(4)}. ${died} of ${y.shape[0]} patients died within a year, so always answering "survives" scores ${(1 - died / y.shape[0]).toFixed(4)}.`);
compare({ example: EXAMPLE, measure: 'training accuracy', book: 0.8553, bookText: '0.8553 (Colab 0.8468)', deltaflow: accuracy });
