// House prices (book ch. 15, 3rd ed.; Kaggle's Ames data): 1,460 sales, 79 columns. The book fills
// NA with column means and keeps the five columns most correlated with SalePrice; this example
// computes those correlations and finds the same five (OverallQual, GrLivArea, GarageCars,
// GarageArea, TotalBsmtSF). 80/20 split, 5 → Dense(10, relu) → Dense(30, relu) → Dense(40, relu) →
// Dense(1), mean squared error, adam, batch 32, validation_split 0.25, up to 2000 epochs with
// EarlyStopping(patience=20). No scaling, as in the book: prices are in dollars, so the MSE is ~1e9.
import { compare, describe, df, requireDataset, seconds, stack, title } from './lib/book.mjs';

const EXAMPLE = 'House prices';
const file = requireDataset('house_train.csv', EXAMPLE);
await df.ready();
const layers = [[10, 'relu'], [30, 'relu'], [40, 'relu'], [1]];
title(`${EXAMPLE} (house_train.csv, 1460 × 80): ${describe(5, ...layers)}, mean_squared_error, adam, batch 32, early stopping (patience 20)`);

// 'NA' is both "missing" and a real category here ("no alley"); numeric gaps take the column mean.
const table = await df.data.readCsvFile(file, { missing: { numeric: 'mean', category: 'category' } });
const price = table.column('SalePrice');
const numeric = table.columns.filter((c, i) => table.types[i] === 'number' && c !== 'SalePrice' && c !== 'Id');
const ranked = numeric.map((c) => [c, pearson(table.column(c), price)]).sort((a, b) => b[1] - a[1]);
const features = ranked.slice(0, 5).map(([c]) => c);
console.log(`  most correlated with SalePrice: ${ranked.slice(0, 5).map(([c, r]) => `${c} ${r.toFixed(3)}`).join(', ')}`);

const { x, y } = table.split({ target: 'SalePrice', features });
const { xTrain, xTest, yTrain, yTest } = df.data.trainTestSplit(x, y, { testSize: 0.2, seed: 0 });
const model = stack(7, 5, ...layers);
model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
const early = df.callbacks.earlyStopping({ monitor: 'val_loss', patience: 20 });
const t0 = performance.now();
const h = await model.fit(xTrain, yTrain, { epochs: 2000, batchSize: 32, validationSplit: 0.25, callbacks: [early], verbose: 0 });
const test = model.evaluate(xTest, yTest).loss;
console.log(`  stopped at epoch ${h.history.loss.length} (book: 145); training MSE ${h.history.loss.at(-1).toExponential(3)}, val MSE ${h.history.val_loss.at(-1).toExponential(3)}; ${seconds(t0)}`);
compare({ example: EXAMPLE, measure: 'validation RMSE ($) at the stop', book: 44800, bookText: '≈ 44,800 (MSE 2.01e9)', digits: 0, deltaflow: Math.round(Math.sqrt(h.history.val_loss.at(-1))) });
compare({ example: EXAMPLE, measure: 'test RMSE ($)', book: null, bookText: '— (not reported)', digits: 0, deltaflow: Math.round(Math.sqrt(test)) });

function pearson(a, b) {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) [ma, mb] = [ma + a[i] / n, mb + b[i] / n];
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    const [da, db] = [a[i] - ma, b[i] - mb];
    [ab, aa, bb] = [ab + da * db, aa + da * da, bb + db * db];
  }
  return ab / Math.sqrt(aa * bb);
}
