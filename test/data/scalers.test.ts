import { describe, expect, it } from 'vitest';
import { MinMaxScaler, StandardScaler, minMax, scalerFromJSON, standardize, trainTestSplit } from '../../src/data/index.js';
import { rng } from '../helpers/random.js';

function dataset(rows: number, cols: number, seed = 3): number[][] {
  const next = rng(seed);
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => (c + 1) * 10 * next() + c * 100 + (r % 7)));
}

function columnMean(x: { data: Float32Array; shape: number[] }, c: number): number {
  const [rows, cols] = x.shape;
  let s = 0;
  for (let r = 0; r < rows; r++) s += x.data[r * cols + c];
  return s / rows;
}

describe('standardize', () => {
  const x = dataset(200, 3);
  const { xTrain, xTest } = trainTestSplit(x, new Float32Array(200), { testSize: 0.3, seed: 1 });

  it('is fitted on the training split only: its mean is the training mean, not the whole set\'s', () => {
    const s = standardize().fit(xTrain);
    const whole = { data: Float32Array.from(x.flat()), shape: [200, 3] };
    for (let c = 0; c < 3; c++) {
      expect(s.mean[c]).toBeCloseTo(columnMean(xTrain, c), 10);
      expect(Math.abs(s.mean[c] - columnMean(whole, c))).toBeGreaterThan(1e-4);
      expect(Math.abs(s.mean[c] - columnMean(xTest, c))).toBeGreaterThan(1e-4);
    }
    const tr = s.transform(xTrain);
    for (let c = 0; c < 3; c++) expect(Math.abs(columnMean(tr, c))).toBeLessThan(1e-5);
    // The test split's transformed mean is not 0: its own statistics were not used.
    const te = s.transform(xTest);
    expect(Math.max(...[0, 1, 2].map((c) => Math.abs(columnMean(te, c))))).toBeGreaterThan(1e-3);
  });

  it('unit variance, constant columns map to 0, inverseTransform undoes transform', () => {
    const s = standardize();
    const z = s.fitTransform([[1, 5], [2, 5], [3, 5], [4, 5]]);
    expect(Array.from(z.data).map((v) => Number(v.toFixed(5)))).toEqual([-1.34164, 0, -0.44721, 0, 0.44721, 0, 1.34164, 0]);
    expect(Array.from(s.std)).toEqual([Math.sqrt(1.25), 1]);
    expect(Array.from(s.inverseTransform(z).data)).toEqual([1, 5, 2, 5, 3, 5, 4, 5].map((v) => expect.closeTo(v, 5)) as never);
    // A 1-D input (e.g. regression targets) stays 1-D.
    const y = standardize().fit(new Float32Array([1, 2, 3]));
    expect(y.transform(new Float32Array([2, 4])).shape).toEqual([2]);
    expect(Array.from(y.transform([2]).data)).toEqual([0]);
  });

  it('JSON round trip gives the same transform; bad JSON is refused', () => {
    const s = standardize().fit(xTrain);
    const json = JSON.parse(JSON.stringify(s.toJSON()));
    expect(json.type).toBe('standardize');
    const back = StandardScaler.fromJSON(json);
    expect(back.transform(xTest)).toEqual(s.transform(xTest));
    expect(scalerFromJSON(json).transform(xTest)).toEqual(s.transform(xTest));
    expect(() => StandardScaler.fromJSON({ type: 'standardize', mean: [0], std: [0] })).toThrow(/std\[0\] is 0/);
    expect(() => StandardScaler.fromJSON({ type: 'standardize', mean: [0, 1], std: [1] })).toThrow(/mean has 2 values, std has 1/);
    expect(() => scalerFromJSON({ type: 'robust' } as never)).toThrow(/unknown scaler/);
    expect(() => standardize().toJSON()).toThrow(/not fitted/);
  });

  it('refuses data of another width, and transform before fit', () => {
    const s = standardize().fit(xTrain);
    expect(() => s.transform([[1, 2]])).toThrow(/standardize\.transform: the scaler was fitted on 3 columns, but x has 2/);
    expect(() => standardize().transform([[1]])).toThrow(/not fitted; call fit\(xTrain\) first/);
    expect(() => s.fit([[1, NaN]])).toThrow(/finite/);
  });
});

describe('minMax', () => {
  it('maps the training min/max to the range; test data may fall outside', () => {
    const s = minMax().fit([[0, 10], [5, 20], [10, 30]]);
    expect(Array.from(s.transform([[5, 20], [20, 0]]).data)).toEqual([0.5, 0.5, 2, -0.5]);
    const r = minMax({ range: [-1, 1] }).fit([[2], [4]]);
    expect(Array.from(r.transform([[2], [3], [4]]).data)).toEqual([-1, 0, 1]);
    expect(Array.from(minMax().fitTransform([[7], [7]]).data)).toEqual([0, 0]);
    expect(() => minMax({ range: [1, 0] })).toThrow(/low < high/);
  });

  it('is fitted on the training split only, and round-trips through JSON', () => {
    const x = dataset(100, 2, 9);
    x[99] = [-1000, 5000]; // extremes in the test split (the last rows without shuffling)
    const { xTrain, trainIndices } = trainTestSplit(x, new Float32Array(100), { testSize: 0.5, shuffle: false });
    const s = minMax().fit(xTrain);
    for (let c = 0; c < 2; c++) {
      expect(s.min[c]).toBe(Math.min(...trainIndices.map((i) => Math.fround(x[i][c]))));
      expect(s.max[c]).toBe(Math.max(...trainIndices.map((i) => Math.fround(x[i][c]))));
    }
    expect(s.min[0]).toBeGreaterThan(-1000);
    expect(s.max[1]).toBeLessThan(5000);
    const back = MinMaxScaler.fromJSON(JSON.parse(JSON.stringify(s)));
    expect(back.range).toEqual([0, 1]);
    expect(back.transform(x)).toEqual(s.transform(x));
    expect(() => back.transform([[1, 2, 3]])).toThrow(/minMax\.transform: the scaler was fitted on 2 columns, but x has 3/);
    expect(() => MinMaxScaler.fromJSON({ type: 'minMax', min: [2], max: [1], range: [0, 1] })).toThrow(/above max/);
  });
});

describe('minMax options are checked', () => {
  it("a misspelt option gets the closest name; scikit-learn's feature_range says to use range; the caller's object is left as it was", () => {
    expect(() => minMax({ rang: [0, 2] } as object)).toThrow("minMax: unknown option 'rang' — did you mean 'range'?");
    expect(() => minMax({ feature_range: [0, 2] } as object)).toThrow("minMax: option 'feature_range' is not supported by deltaflow; use range: [low, high]");
    const given = { range: [-1, 1] as [number, number] };
    expect(new MinMaxScaler(given).fit([[0], [4]]).transform([[2]])).toEqual({ data: new Float32Array([0]), shape: [1, 1] });
    expect(given).toEqual({ range: [-1, 1] });
  });
});
