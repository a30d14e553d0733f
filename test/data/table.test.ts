import { describe, expect, it } from 'vitest';
import { oneHot, readCsv, take, type SplitOptions } from '../../src/data/index.js';

const text = 'sepal,petal,colour,species\n5.1,1.4,red,setosa\n7.0,4.7,blue,versicolor\n6.3,6.0,red,virginica\n4.9,1.4,green,setosa\n';

describe('Table', () => {
  const t = readCsv(text);

  it('columns, rows, shape, types, column by name or index', () => {
    expect(t.columns).toEqual(['sepal', 'petal', 'colour', 'species']);
    expect(t.rows).toBe(4);
    expect(t.shape).toEqual([4, 4]);
    expect(t.types).toEqual(['number', 'number', 'category', 'category']);
    expect(Array.from(t.column('petal'))).toEqual([1.4, 4.7, 6, 1.4]);
    expect(Array.from(t.column(1))).toEqual(Array.from(t.column('petal')));
    t.column(0)[0] = 99; // a copy
    expect(t.column(0)[0]).toBe(5.1);
    expect(() => t.column('petl')).toThrow(/no column "petl"; the columns are: "sepal", "petal", "colour", "species"/);
    expect(() => t.column(4)).toThrow(/column index 4 is out of range: the table has 4 columns/);
    expect(String(t)).toMatch(/Table 4 rows × 4 columns/);
  });

  it('select gives deltaflow input { data: Float32Array, shape }, codes or one-hot for categories', () => {
    const s = t.select(['sepal', 1]);
    expect(s.data).toBeInstanceOf(Float32Array);
    expect(s.shape).toEqual([4, 2]);
    expect(Array.from(s.data)).toEqual(Array.from(new Float32Array([5.1, 1.4, 7, 4.7, 6.3, 6, 4.9, 1.4])));
    expect(t.select('colour').columns).toEqual(['colour']);
    expect(Array.from(t.select('colour').data)).toEqual([2, 0, 2, 1]);
    const oh = t.select(['colour'], { categorical: 'oneHot' });
    expect(oh.columns).toEqual(['colour=blue', 'colour=green', 'colour=red']);
    expect(Array.from(oh.data)).toEqual([0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 1, 0]);
    expect(t.select().shape).toEqual([4, 4]);
    expect(() => readCsv('a\n1e39\n').select()).toThrow(/column "a", row 0 \(line 2\): 1e\+39 does not fit a 32-bit float/);
  });

  it('split picks the target and the features by name or index', () => {
    const { x, y, features, target, classes } = t.split({ target: 'species' });
    expect(x.shape).toEqual([4, 3]);
    expect(y.shape).toEqual([4, 1]);
    expect(features).toEqual(['sepal', 'petal', 'colour']);
    expect(target).toEqual(['species']);
    expect(classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(Array.from(y.data)).toEqual([0, 1, 2, 0]);
    const byIndex = t.split({ target: 3, features: [0, 'petal'] });
    expect(byIndex.features).toEqual(['sepal', 'petal']);
    const hot = t.split({ target: 'species', features: ['sepal'], oneHot: true });
    expect(hot.y.shape).toEqual([4, 3]);
    expect(hot.target).toEqual(['species=setosa', 'species=versicolor', 'species=virginica']);
    expect(Array.from(hot.y.data.slice(3, 6))).toEqual([0, 1, 0]);
    const wide = t.split({ target: 'species', categorical: 'oneHot' });
    expect(wide.features).toEqual(['sepal', 'petal', 'colour=blue', 'colour=green', 'colour=red']);
    expect(t.split({ target: ['sepal', 'petal'] }).y.shape).toEqual([4, 2]);
  });

  it('split names a missing target column and other mistakes', () => {
    expect(() => t.split({ target: 'class' })).toThrow(/no column "class"; the columns are: "sepal", "petal", "colour", "species"/);
    expect(() => t.split({} as never)).toThrow(/split needs a target column/);
    expect(() => t.split({ target: 'species', features: ['species'] })).toThrow(/"species" is both a feature and the target/);
    expect(() => t.split({ target: 'sepal', oneHot: true })).toThrow(/target "sepal": oneHot: label 5.1 at position 0 is not a non-negative integer/);
  });

  it('take, drop, row, decode', () => {
    const sub = t.take([3, 0]);
    expect(sub.rows).toBe(2);
    expect(sub.row(0)).toEqual([4.9, 1.4, 'green', 'setosa']);
    expect(Array.from(sub.lines)).toEqual([5, 2]);
    expect(sub.encodings).toEqual(t.encodings);
    expect(t.drop(['colour', 0]).columns).toEqual(['petal', 'species']);
    expect(t.decode('species', [1])).toEqual(['versicolor']);
    expect(() => t.decode('species', [3])).toThrow(/code 3 at position 0 is not a category of "species"/);
    expect(() => t.decode('sepal', [0])).toThrow(/is numeric/);
    expect(() => t.take([4])).toThrow(/index 4/);
  });
});

describe('oneHot and take', () => {
  it('oneHot from arrays, columns and shaped input; numClasses; clear errors', () => {
    expect(oneHot([0, 2, 1])).toEqual({ data: new Float32Array([1, 0, 0, 0, 0, 1, 0, 1, 0]), shape: [3, 3] });
    expect(oneHot({ data: new Float32Array([1, 0]), shape: [2, 1] }, 4).shape).toEqual([2, 4]);
    expect(oneHot([[1], [0]]).shape).toEqual([2, 2]);
    expect(() => oneHot([0, 1.5])).toThrow(/label 1.5 at position 1 is not a non-negative integer/);
    expect(() => oneHot([0, 3], 3)).toThrow(/label 3 at position 1 is not below numClasses = 3/);
    expect(() => oneHot([[0, 1]])).toThrow(/one label per row, got 2 columns/);
  });

  it('take gathers rows and keeps the rank', () => {
    expect(take([[1, 2], [3, 4], [5, 6]], [2, 0])).toEqual({ data: new Float32Array([5, 6, 1, 2]), shape: [2, 2] });
    expect(take(new Float32Array([7, 8, 9]), [1])).toEqual({ data: new Float32Array([8]), shape: [1] });
    expect(() => take([1, 2], [2])).toThrow(/index 2 at position 0 is not a row of x/);
  });
});

describe('select and split options are checked', () => {
  const t = readCsv(text);

  it('a misspelt option gets the closest name', () => {
    expect(() => t.select(['colour'], { categorial: 'oneHot' } as object)).toThrow("select: unknown option 'categorial' — did you mean 'categorical'?");
    expect(() => t.split({ target: 'species', feature: ['sepal'] } as unknown as SplitOptions)).toThrow("split: unknown option 'feature' — did you mean 'features'?");
    expect(() => t.split({ targt: 'species' } as unknown as SplitOptions)).toThrow("split: unknown option 'targt' — did you mean 'target'?");
  });

  it("snake_case is the same option, and the caller's object is left as it was", () => {
    const given = { target: 'species', features: ['sepal'], one_hot: true };
    const xy = t.split(given as unknown as SplitOptions);
    expect(xy.y.shape).toEqual([4, 3]);
    expect(xy.target).toEqual(['species=setosa', 'species=versicolor', 'species=virginica']);
    expect(given).toEqual({ target: 'species', features: ['sepal'], one_hot: true });
  });
});
