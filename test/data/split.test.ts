import { describe, expect, it } from 'vitest';
import { Rng, kFold, permutation, shuffle, trainTestSplit } from '../../src/data/index.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sorted = (a: number[]) => [...a].sort((p, q) => p - q);

function count(labels: ArrayLike<number>, idx: number[], k: number): number {
  return idx.filter((i) => labels[i] === k).length;
}

describe('Rng (xoshiro128**)', () => {
  it('matches the reference sequence from state [1, 2, 3, 4]', () => {
    const r = Rng.fromState([1, 2, 3, 4]);
    // First outputs of the reference C implementation (Blackman & Vigna) from this state.
    expect([r.nextUint32(), r.nextUint32(), r.nextUint32(), r.nextUint32()]).toEqual([11520, 0, 5927040, 70819200]);
  });

  it('same seed, same numbers; different seeds differ; bounded ints are in range and cover it', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const xs = Array.from({ length: 8 }, () => a.nextUint32());
    expect(Array.from({ length: 8 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 8 }, () => new Rng(43).nextUint32())).not.toEqual(xs);
    const r = new Rng(7);
    const seen = new Array(6).fill(0);
    for (let i = 0; i < 6000; i++) seen[r.int(6)]++;
    for (const s of seen) expect(s).toBeGreaterThan(850);
    expect(r.float()).toBeLessThan(1);
    expect(() => new Rng(1.5)).toThrow(/safe integer/);
    expect(new Rng(2 ** 40).nextUint32()).not.toBe(new Rng(0).nextUint32());
  });

  it('pinned permutation: the same split in every runtime', () => {
    // Integer-only arithmetic: this array must never change (a change would silently alter users' splits).
    expect(permutation(10, 0)).toEqual(permutation(10, 0));
    expect(sorted(permutation(10, 0))).toEqual(range(10));
    expect(permutation(10, 0)).toEqual([6, 3, 5, 8, 0, 7, 1, 9, 2, 4]);
  });
});

describe('shuffle', () => {
  it('a count gives a permutation; arrays are shuffled together, keeping their rank', () => {
    const p = shuffle(20, 5);
    expect(sorted(p)).toEqual(range(20));
    expect(shuffle(20, 5)).toEqual(p);
    expect(shuffle(20, 6)).not.toEqual(p);
    const x = range(20).map((i) => [i, -i]);
    const y = new Float32Array(range(20));
    const [xs, ys] = shuffle([x, y], 5);
    expect(ys.shape).toEqual([20]);
    expect(xs.shape).toEqual([20, 2]);
    expect(Array.from(ys.data)).toEqual(p);
    for (let i = 0; i < 20; i++) {
      expect(xs.data[2 * i]).toBe(ys.data[i]);
      expect(xs.data[2 * i] + xs.data[2 * i + 1]).toBe(0);
    }
    expect(() => shuffle([x, [1, 2]])).toThrow(/array 1 has 2 rows, array 0 has 20/);
    expect(() => shuffle([1, 2, 3] as never)).toThrow(/got a list of numbers/);
  });
});

describe('trainTestSplit', () => {
  const n = 100;
  const x = range(n).map((i) => [i, i * 2]);
  const y = new Float32Array(range(n).map((i) => (i < 70 ? 0 : 1))); // sorted by class, like wine.csv

  it('sizes (fraction rounds the test set up, or a count), disjoint and covering', () => {
    const s = trainTestSplit(x, y, { testSize: 0.25, seed: 1 });
    expect(s.xTrain.shape).toEqual([75, 2]);
    expect(s.xTest.shape).toEqual([25, 2]);
    expect(s.yTrain.shape).toEqual([75]);
    expect(sorted([...s.trainIndices, ...s.testIndices])).toEqual(range(n));
    expect(trainTestSplit(x, y, { testSize: 0.333 }).testIndices.length).toBe(34);
    expect(trainTestSplit(x, y, { testSize: 10 }).testIndices.length).toBe(10);
    // Rows travel with their labels.
    s.testIndices.forEach((r, i) => {
      expect(s.xTest.data[2 * i]).toBe(r);
      expect(s.yTest.data[i]).toBe(y[r]);
    });
  });

  it('same seed, same split; another seed, another split; no shuffle takes the last rows', () => {
    const a = trainTestSplit(x, y, { seed: 3 });
    expect(trainTestSplit(x, y, { seed: 3 })).toEqual(a);
    expect(trainTestSplit(x, y, { seed: 4 }).testIndices).not.toEqual(a.testIndices);
    const tail = trainTestSplit(x, y, { testSize: 0.2, shuffle: false });
    expect(tail.testIndices).toEqual(range(20).map((i) => 80 + i));
    expect(Array.from(tail.yTest.data).every((v) => v === 1)).toBe(true);
  });

  it('stratify keeps class proportions (by y, by one-hot y, or by given labels)', () => {
    for (const seed of [0, 1, 2]) {
      const s = trainTestSplit(x, y, { testSize: 0.3, seed, stratify: true });
      expect(count(y, s.testIndices, 1)).toBe(9);
      expect(count(y, s.testIndices, 0)).toBe(21);
      expect(count(y, s.trainIndices, 1)).toBe(21);
    }
    const hot = range(n).map((i) => (y[i] ? [0, 1] : [1, 0]));
    const h = trainTestSplit(x, hot, { testSize: 0.3, seed: 0, stratify: true });
    expect(h.yTest.shape).toEqual([30, 2]);
    expect(count(y, h.testIndices, 1)).toBe(9);
    // Three uneven classes with string labels: each class within one row of its share.
    const labels = range(n).map((i) => (i < 50 ? 'a' : i < 83 ? 'b' : 'c'));
    const g = trainTestSplit(x, y, { testSize: 0.2, seed: 9, stratify: labels });
    expect(g.testIndices.length).toBe(20);
    const share = (c: string) => g.testIndices.filter((i) => labels[i] === c).length;
    expect(share('a')).toBe(10);
    expect(Math.abs(share('b') - 6.6)).toBeLessThan(1);
    expect(Math.abs(share('c') - 3.4)).toBeLessThan(1);
    // Classes are mixed in the output order (wine.csv is sorted by class).
    expect(new Set(h.trainIndices.slice(0, 20).map((i) => y[i])).size).toBe(2);
  });

  it('refuses impossible sizes, mismatched rows, stratify without shuffle', () => {
    expect(() => trainTestSplit(x, y, { testSize: 0 })).toThrow(/testSize must be a fraction in \(0, 1\) or a row count/);
    expect(() => trainTestSplit(x, y, { testSize: 100 })).toThrow(/gives 100 test and 0 training rows/);
    expect(() => trainTestSplit(x, y, { testSize: 2.5 })).toThrow(/neither a fraction below 1 nor a whole row count/);
    expect(() => trainTestSplit(x, [1, 2], {})).toThrow(/x has 100 rows but y has 2/);
    expect(() => trainTestSplit(x, y, { stratify: true, shuffle: false })).toThrow(/stratify needs shuffle/);
    expect(() => trainTestSplit(x, y, { stratify: [1, 2] })).toThrow(/stratify has 2 labels for 100 rows/);
  });
});

describe('kFold', () => {
  it('k folds, sizes within one, disjoint test folds covering every row, train = the rest', () => {
    for (const shuffleRows of [false, true]) {
      const folds = kFold(23, { k: 5, shuffle: shuffleRows, seed: 2 });
      expect(folds).toHaveLength(5);
      expect(folds.map((f) => f.test.length)).toEqual([5, 5, 5, 4, 4]);
      expect(sorted(folds.flatMap((f) => f.test))).toEqual(range(23));
      for (const f of folds) {
        expect(sorted([...f.train, ...f.test])).toEqual(range(23));
        expect(f.train.filter((i) => f.test.includes(i))).toEqual([]);
        expect(f.test).toEqual(sorted(f.test));
      }
    }
    expect(kFold(6, { k: 3 }).map((f) => f.test)).toEqual([[0, 1], [2, 3], [4, 5]]);
  });

  it('seeded: same seed same folds, different seed different folds', () => {
    const a = kFold(50, { k: 5, shuffle: true, seed: 11 });
    expect(kFold(50, { k: 5, shuffle: true, seed: 11 })).toEqual(a);
    expect(kFold(50, { k: 5, shuffle: true, seed: 12 })).not.toEqual(a);
  });

  it('stratified: every fold holds each class in proportion (sonar: 111 M, 97 R in 10 folds)', () => {
    const labels = range(208).map((i) => (i < 111 ? 0 : 1));
    for (const shuffleRows of [false, true]) {
      const folds = kFold(208, { k: 10, shuffle: shuffleRows, seed: 0, stratify: labels });
      expect(sorted(folds.flatMap((f) => f.test))).toEqual(range(208));
      for (const f of folds) {
        expect([20, 21]).toContain(f.test.length);
        expect([11, 12]).toContain(count(labels, f.test, 0));
        expect([9, 10]).toContain(count(labels, f.test, 1));
      }
    }
    const hot = labels.map((l) => (l ? [0, 1] : [1, 0]));
    expect(kFold(208, { k: 10, stratify: hot })).toEqual(kFold(208, { k: 10, stratify: labels }));
    expect(kFold(4, { k: 2, stratify: ['x', 'y', 'x', 'y'] }).map((f) => f.test)).toEqual([[0, 1], [2, 3]]);
  });

  it('refuses bad k and label counts', () => {
    expect(() => kFold(5, { k: 6 })).toThrow(/k must be an integer in \[2, n = 5\]/);
    expect(() => kFold(5, { k: 1 })).toThrow(/k must be/);
    expect(() => kFold(1)).toThrow(/n must be an integer ≥ 2/);
    expect(() => kFold(5, { stratify: [0, 1] })).toThrow(/stratify has 2 labels for n = 5 rows/);
  });
});

describe('trainTestSplit and kFold options are checked', () => {
  const x = range(10).map((i) => [i]);
  const y = range(10);

  it('a misspelt option gets the closest name', () => {
    expect(() => trainTestSplit(x, y, { testSise: 0.2 } as object)).toThrow("trainTestSplit: unknown option 'testSise' — did you mean 'testSize'?");
    expect(() => kFold(10, { shufle: true } as object)).toThrow("kFold: unknown option 'shufle' — did you mean 'shuffle'?");
  });

  it("scikit-learn's test_size is testSize, and the caller's object is left as it was", () => {
    const given = { test_size: 3, seed: 4 };
    const s = trainTestSplit(x, y, given as object);
    expect(s.testIndices).toHaveLength(3);
    expect(s).toEqual(trainTestSplit(x, y, { testSize: 3, seed: 4 }));
    expect(given).toEqual({ test_size: 3, seed: 4 });
  });

  it("scikit-learn's random_state, train_size and n_splits say what to use", () => {
    expect(() => trainTestSplit(x, y, { random_state: 1 } as object)).toThrow("trainTestSplit: option 'random_state' is not supported by deltaflow; use seed");
    expect(() => trainTestSplit(x, y, { train_size: 0.8 } as object)).toThrow(/option 'train_size' is not supported by deltaflow; give testSize/);
    expect(() => kFold(10, { n_splits: 3 } as object)).toThrow("kFold: option 'n_splits' is not supported by deltaflow; use k, the number of folds");
  });
});
