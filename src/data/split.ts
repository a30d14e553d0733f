// Seeded splits: shuffle, train/test split (optionally stratified), k-fold (optionally stratified).
// Same seed, same split, in every JS runtime.

import type { Input } from '../tensor.js';
import { Rng, permutation } from './random.js';
import { gather, labelsOf, readRows, shaped, type Shaped } from './matrix.js';
import { checkOptions, type OptionSpec } from '../options.js';

/** Options of `df.data.trainTestSplit(x, y, options)`. */
export interface TrainTestSplitOptions {
  /** A fraction in (0, 1) of the rows, or a row count ≥ 1 (default 0.25). The test set gets ceil(fraction · n) rows. */
  testSize?: number;
  /** Shuffle before splitting (default true). Without it the test set is the last rows, as in scikit-learn. */
  shuffle?: boolean;
  /** Seed of the shuffle (default 0). */
  seed?: number;
  /** Keep class proportions: `true` to stratify by y (its values, or the arg-max of one-hot rows), or the labels to stratify by. */
  stratify?: boolean | ArrayLike<number | string>;
}

// scikit-learn's names for what these spell differently.
const useSeed = { instead: 'use seed (an integer; the same seed gives the same split)' };

const TRAIN_TEST_SPLIT_OPTIONS: OptionSpec<TrainTestSplitOptions> = {
  known: { testSize: true, shuffle: true, seed: true, stratify: true },
  unsupported: { randomState: useSeed, trainSize: { instead: 'give testSize; the training set is every other row' } },
};

/** The two parts of a train/test split, and which rows went where. */
export interface TrainTestSplit {
  /** Inputs to train on. */
  xTrain: Shaped;
  /** Inputs held out for testing. */
  xTest: Shaped;
  /** Targets of the training rows. */
  yTrain: Shaped;
  /** Targets of the test rows. */
  yTest: Shaped;
  /** The row of x behind each training / test row. */
  trainIndices: number[];
  /** The row of x behind each test row. */
  testIndices: number[];
}

/** Options of `df.data.kFold(n, options)`. */
export interface KFoldOptions {
  /** Number of folds (default 5). */
  k?: number;
  /** Shuffle the rows before cutting folds (default false, as in scikit-learn). */
  shuffle?: boolean;
  /** Seed of the shuffle (default 0). */
  seed?: number;
  /** Labels (one per row, or one-hot rows) to keep class proportions in every fold. */
  stratify?: ArrayLike<number | string> | Input;
}

const KFOLD_OPTIONS: OptionSpec<KFoldOptions> = {
  known: { k: true, shuffle: true, seed: true, stratify: true },
  unsupported: { randomState: useSeed, nSplits: { instead: 'use k, the number of folds' } },
};

/** One fold of k-fold cross-validation: the rows to train on and the rows to test on. */
export interface Fold {
  /** Row indices, ascending. */
  train: number[];
  /** The held-out row indices, ascending. */
  test: number[];
}

/**
 * Splits rows into a training and a test set: `const { xTrain, xTest, yTrain, yTest } =
 * trainTestSplit(x, y, { testSize: 0.3, seed: 0, stratify: true })`. x and y keep their rank.
 */
export function trainTestSplit(x: Input, y: Input, given?: TrainTestSplitOptions): TrainTestSplit {
  const options = checkOptions('trainTestSplit', given, TRAIN_TEST_SPLIT_OPTIONS);
  const { m: xm, rank: xr } = readRows(x, 'trainTestSplit: x');
  const { m: ym, rank: yr } = readRows(y, 'trainTestSplit: y');
  const n = xm.rows;
  if (ym.rows !== n) throw new Error(`trainTestSplit: x has ${n} rows but y has ${ym.rows}`);
  const nTest = testCount(options.testSize ?? 0.25, n);
  const shuffle = options.shuffle ?? true;
  const seed = options.seed ?? 0;
  let test: number[];
  let train: number[];
  if (options.stratify !== undefined && options.stratify !== false) {
    if (!shuffle) throw new Error('trainTestSplit: stratify needs shuffle (scikit-learn refuses it too)');
    const labels = options.stratify === true ? Array.from(labelsOf(y, 'trainTestSplit: y')) : checkLabels(options.stratify, n, 'trainTestSplit: stratify');
    [train, test] = stratifiedSplit(labels, nTest, seed);
  } else if (shuffle) {
    const p = permutation(n, seed);
    test = p.slice(0, nTest);
    train = p.slice(nTest);
  } else {
    train = range(0, n - nTest);
    test = range(n - nTest, n);
  }
  return {
    xTrain: shaped(gather(xm, train), train.length, xm.cols, xr),
    xTest: shaped(gather(xm, test), test.length, xm.cols, xr),
    yTrain: shaped(gather(ym, train), train.length, ym.cols, yr),
    yTest: shaped(gather(ym, test), test.length, ym.cols, yr),
    trainIndices: train,
    testIndices: test,
  };
}

function testCount(testSize: number, n: number): number {
  if (typeof testSize !== 'number' || !Number.isFinite(testSize) || testSize <= 0) {
    throw new Error(`trainTestSplit: testSize must be a fraction in (0, 1) or a row count, got ${String(testSize)}`);
  }
  let t: number;
  if (testSize < 1) t = Math.ceil(testSize * n);
  else if (Number.isInteger(testSize)) t = testSize;
  else throw new Error(`trainTestSplit: testSize ${testSize} is neither a fraction below 1 nor a whole row count`);
  if (t < 1 || t > n - 1) {
    throw new Error(`trainTestSplit: testSize ${testSize} of ${n} rows gives ${t} test and ${n - t} training rows; both sets need at least one row`);
  }
  return t;
}

/** Rows grouped by label, classes in sorted order. */
function groups(labels: ArrayLike<number | string>): number[][] {
  const byKey = new Map<string, { key: number | string; rows: number[] }>();
  for (let i = 0; i < labels.length; i++) {
    const k = labels[i];
    const id = typeof k === 'number' ? `n${k}` : `s${k}`;
    let g = byKey.get(id);
    if (!g) byKey.set(id, (g = { key: k, rows: [] }));
    g.rows.push(i);
  }
  return [...byKey.values()]
    .sort((a, b) => (typeof a.key === typeof b.key ? (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) : typeof a.key === 'number' ? -1 : 1))
    .map((g) => g.rows);
}

/**
 * Each class gives floor(its share of the test rows); the rows left over go to the classes with the
 * largest remainders (ties: the larger class, then the first in order). Rows within a class are
 * shuffled, and both sets are shuffled so classes are mixed.
 */
function stratifiedSplit(labels: ArrayLike<number | string>, nTest: number, seed: number): [number[], number[]] {
  const n = labels.length;
  const gs = groups(labels);
  const rng = new Rng(seed);
  const quota = gs.map((g) => Math.floor((g.length * nTest) / n));
  let left = nTest - quota.reduce((a, b) => a + b, 0);
  const order = gs
    .map((g, i) => ({ i, rem: g.length * nTest - quota[i] * n, size: g.length }))
    .sort((a, b) => b.rem - a.rem || b.size - a.size || a.i - b.i);
  for (const o of order) {
    if (left === 0) break;
    if (quota[o.i] < gs[o.i].length) {
      quota[o.i]++;
      left--;
    }
  }
  const train: number[] = [];
  const test: number[] = [];
  gs.forEach((g, i) => {
    const rows = rng.shuffleInPlace([...g]);
    test.push(...rows.slice(0, quota[i]));
    train.push(...rows.slice(quota[i]));
  });
  return [rng.shuffleInPlace(train), rng.shuffleInPlace(test)];
}

/**
 * k folds of 0 … n − 1: every row is in exactly one test fold, fold sizes differ by at most one.
 * With `stratify`, every fold also holds each class in proportion (within one row).
 */
export function kFold(n: number, given?: KFoldOptions): Fold[] {
  const options = checkOptions('kFold', given, KFOLD_OPTIONS);
  if (!Number.isInteger(n) || n < 2) throw new Error(`kFold: n must be an integer ≥ 2, got ${String(n)}`);
  const k = options.k ?? 5;
  if (!Number.isInteger(k) || k < 2 || k > n) throw new Error(`kFold: k must be an integer in [2, n = ${n}], got ${String(k)}`);
  const shuffle = options.shuffle ?? false;
  const rng = new Rng(options.seed ?? 0);
  const foldOf = new Int32Array(n);
  if (options.stratify !== undefined) {
    const labels = stratifyLabels(options.stratify, n);
    // Deal the rows class by class round-robin: each class splits evenly, and so do the folds.
    let p = 0;
    for (const g of groups(labels)) {
      const rows = shuffle ? rng.shuffleInPlace([...g]) : g;
      for (const r of rows) foldOf[r] = p++ % k;
    }
  } else {
    const order = shuffle ? rng.shuffleInPlace(range(0, n)) : range(0, n);
    const base = Math.floor(n / k);
    const extra = n % k;
    let pos = 0;
    for (let f = 0; f < k; f++) {
      const size = base + (f < extra ? 1 : 0);
      for (let j = 0; j < size; j++) foldOf[order[pos++]] = f;
    }
  }
  const folds: Fold[] = Array.from({ length: k }, () => ({ train: [], test: [] }));
  for (let r = 0; r < n; r++) {
    for (let f = 0; f < k; f++) (f === foldOf[r] ? folds[f].test : folds[f].train).push(r);
  }
  return folds;
}

function stratifyLabels(s: KFoldOptions['stratify'], n: number): ArrayLike<number | string> {
  if (Array.isArray(s) && s.length > 0 && typeof s[0] === 'string') return checkLabels(s as string[], n, 'kFold: stratify');
  const labels = labelsOf(s as Input, 'kFold: stratify');
  if (labels.length !== n) throw new Error(`kFold: stratify has ${labels.length} labels for n = ${n} rows`);
  return Array.from(labels);
}

function checkLabels(labels: ArrayLike<number | string>, n: number, what: string): (number | string)[] {
  if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') throw new Error(`${what} must be true or an array of labels`);
  if (labels.length !== n) throw new Error(`${what} has ${labels.length} labels for ${n} rows`);
  const out = Array.from(labels);
  out.forEach((v, i) => {
    if (!(typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) throw new Error(`${what}[${i}] is ${String(v)}: labels must be numbers or strings`);
  });
  return out;
}

/**
 * `shuffle(n, seed)`: a seeded permutation of 0 … n − 1. `shuffle([x, y], seed)`: the same seeded
 * row order applied to every array (they must have equal row counts); each keeps its rank.
 */
export function shuffle(n: number, seed?: number): number[];
export function shuffle(arrays: readonly Input[], seed?: number): Shaped[];
export function shuffle(arg: number | readonly Input[], seed = 0): number[] | Shaped[] {
  if (typeof arg === 'number') return permutation(arg, seed);
  if (!Array.isArray(arg) || arg.length === 0) throw new Error('shuffle takes a row count or a non-empty list of arrays: shuffle(n, seed) or shuffle([x, y], seed)');
  if (arg.every((a) => typeof a === 'number')) {
    throw new Error('shuffle got a list of numbers: pass a row count, shuffle(n, seed), or wrap the arrays, shuffle([values], seed)');
  }
  const read = arg.map((a, i) => readRows(a, `shuffle: array ${i}`));
  const n = read[0].m.rows;
  read.forEach(({ m }, i) => {
    if (m.rows !== n) throw new Error(`shuffle: array ${i} has ${m.rows} rows, array 0 has ${n}`);
  });
  const p = permutation(n, seed);
  return read.map(({ m, rank }) => shaped(gather(m, p), n, m.cols, rank));
}

function range(a: number, b: number): number[] {
  const out: number[] = [];
  for (let i = a; i < b; i++) out.push(i);
  return out;
}
