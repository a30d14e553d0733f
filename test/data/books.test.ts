// The book's CSV files ("모두의 딥러닝"), when present at ../shared/datasets next to the repository (always under CI):
// each parses into the documented rows × columns with the documented target column.

import { describe, expect, it } from 'vitest';
import { readCsvFile, type CsvOptions, type Table } from '../../src/data/index.js';
import { file, has } from '../books/helpers.js';

function counts(values: ArrayLike<number>): Record<number, number> {
  const out: Record<number, number> = {};
  for (let i = 0; i < values.length; i++) out[values[i]] = (out[values[i]] ?? 0) + 1;
  return out;
}

interface Book {
  name: string;
  rows: number;
  cols: number;
  header: boolean;
  target: number;
  targetName?: string;
  classes?: Record<number, number>;
  options?: CsvOptions;
  check?: (t: Table) => void;
}

const houseOptions: CsvOptions = { missing: { numeric: 'mean', category: 'category' } };

const books: Book[] = [
  { name: 'ThoraricSurgery.csv', rows: 470, cols: 18, header: false, target: 17, classes: { 0: 400, 1: 70 },
    check: (t) => expect(Array.from(t.column(0)).sort((a, b) => a - b)).toEqual(Array.from({ length: 470 }, (_, i) => i + 1)) },
  { name: 'ThoraricSurgery3.csv', rows: 470, cols: 17, header: false, target: 16, classes: { 0: 400, 1: 70 } },
  { name: 'pima-indians-diabetes.csv', rows: 768, cols: 9, header: false, target: 8, classes: { 0: 500, 1: 268 } },
  { name: 'pima-indians-diabetes3.csv', rows: 768, cols: 9, header: true, target: 8, targetName: 'diabetes', classes: { 0: 500, 1: 268 },
    check: (t) => expect(t.columns).toEqual(['pregnant', 'plasma', 'pressure', 'thickness', 'insulin', 'bmi', 'pedigree', 'age', 'diabetes']) },
  { name: 'iris.csv', rows: 150, cols: 5, header: false, target: 4, classes: { 0: 50, 1: 50, 2: 50 },
    check: (t) => expect(t.categories(4)).toEqual(['Iris-setosa', 'Iris-versicolor', 'Iris-virginica']) },
  { name: 'iris3.csv', rows: 150, cols: 5, header: true, target: 4, targetName: 'species', classes: { 0: 50, 1: 50, 2: 50 },
    check: (t) => expect(t.columns.slice(0, 4)).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']) },
  { name: 'sonar.csv', rows: 208, cols: 61, header: false, target: 60, classes: { 0: 111, 1: 97 },
    check: (t) => expect(t.encodings['60']).toEqual({ M: 0, R: 1 }) },
  { name: 'sonar3.csv', rows: 208, cols: 61, header: false, target: 60, classes: { 0: 97, 1: 111 } },
  { name: 'wine.csv', rows: 6497, cols: 13, header: false, target: 12, classes: { 0: 4898, 1: 1599 },
    check: (t) => {
      const y = t.column(12);
      expect([y[0], y[1598], y[1599], y[6496]]).toEqual([1, 1, 0, 0]); // sorted by class
    } },
  { name: 'housing.csv', rows: 506, cols: 14, header: false, target: 13,
    check: (t) => {
      const medv = t.column(13);
      expect([Math.min(...medv), Math.max(...medv)]).toEqual([5, 50]);
    } },
  { name: 'house_train.csv', rows: 1460, cols: 81, header: true, target: 80, targetName: 'SalePrice', options: houseOptions,
    check: (t) => {
      const price = t.column('SalePrice');
      expect([Math.min(...price), Math.max(...price)]).toEqual([34900, 755000]);
      expect(t.categories('Alley')).toEqual(['Grvl', 'NA', 'Pave']); // NA = "no alley", a real category
      const { x, y } = t.split({ target: 'SalePrice', features: ['OverallQual', 'GrLivArea', 'GarageCars', 'GarageArea', 'TotalBsmtSF'] });
      expect([x.shape, y.shape]).toEqual([[1460, 5], [1460, 1]]);
    } },
  { name: 'house_test.csv', rows: 1459, cols: 80, header: true, target: -1, options: houseOptions,
    check: (t) => {
      expect(t.columns).not.toContain('SalePrice');
      expect(() => t.split({ target: 'SalePrice' })).toThrow(/no column "SalePrice"/);
    } },
  { name: 'sentiment_data.csv', rows: 2000, cols: 2, header: true, target: 1, targetName: 'label', classes: { 0: 1000, 1: 1000 },
    check: (t) => {
      expect(t.columns).toEqual(['sentence', 'label']);
      expect(t.types).toEqual(['category', 'number']);
      expect(t.row(0)).toEqual(['I love this product', 1]);
    } },
];

describe('the book\'s CSV files', () => {
  for (const b of books) {
    it.skipIf(!has(b.name))(`${b.name}: ${b.rows} × ${b.cols}, ${b.header ? 'header' : 'no header'}, target column ${b.target}`, async () => {
      const t = await readCsvFile(file(b.name), b.options);
      expect(t.shape).toEqual([b.rows, b.cols]);
      if (!b.header) expect(t.columns[0]).toBe('0');
      if (b.target >= 0) {
        expect(t.columns[b.target]).toBe(b.targetName ?? String(b.target));
        const { x, y } = t.split({ target: b.target });
        expect(x.shape).toEqual([b.rows, b.cols - 1]);
        expect(y.shape).toEqual([b.rows, 1]);
        if (b.classes) expect(counts(t.column(b.target))).toEqual(b.classes);
      }
      b.check?.(t);
    });
  }

  it.skipIf(!has('house_train.csv'))('house_train.csv without a missing-value policy stops at the first NA, naming it', async () => {
    await expect(readCsvFile(file('house_train.csv'))).rejects.toThrow(/house_train\.csv: line 2, column 7 \("Alley"\): missing value "NA"/);
  });

  it.skipIf(!has('house_train.csv') || !has('house_test.csv'))('house_test.csv with the training codes: NA is a true missing value in 7 text columns', async () => {
    const train = await readCsvFile(file('house_train.csv'), houseOptions);
    await expect(readCsvFile(file('house_test.csv'), { ...houseOptions, encodings: train.encodings })).rejects.toThrow(/line 457, column 3 \("MSZoning"\): "NA" is not in the given encoding/);
    const test = await readCsvFile(file('house_test.csv'), { ...houseOptions, encodings: train.encodings, unknownCategory: 'append' });
    const grown = test.columns.filter((c) => test.categories(c).length > train.categories(c).length);
    expect(grown).toEqual(['MSZoning', 'Utilities', 'Exterior1st', 'Exterior2nd', 'KitchenQual', 'Functional', 'SaleType']);
    // The book's five features have 3 NAs in the test file (filled with the mean in ch. 22).
    const raw = await readCsvFile(file('house_test.csv'), { naValues: [] });
    const five = ['OverallQual', 'GrLivArea', 'GarageCars', 'GarageArea', 'TotalBsmtSF'];
    const na = five.reduce((s, c) => s + (raw.types[raw.indexOf(c)] === 'category' ? raw.decode(c, raw.column(c)).filter((v) => v === 'NA').length : 0), 0);
    expect(na).toBe(3);
  });
});
