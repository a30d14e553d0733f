// The checks and reductions around losses and metrics written in JS, on hand-computed batches.
import { describe, expect, it } from 'vitest';
import { checkLossFunction, checkMetricFunction, lossAndGradient, lossValue, metricSum, type LossFunction } from '../../src/registry/js-functions.js';

const yTrue = Float32Array.of(0, 1, 1, 0, 2, 2);
const yPred = Float32Array.of(0.5, 1, 1, 1, 2, 3);
// Per row: sum of absolute errors, gradient its sign.
const l1: LossFunction = {
  name: 'l1',
  fn: (t, p, rows, cols) => Array.from({ length: rows }, (_, r) => Math.abs(p[r * cols] - t[r * cols]) + Math.abs(p[r * cols + 1] - t[r * cols + 1])),
  grad: (t, p) => Array.from(p, (v, i) => Math.sign(v - t[i])),
};

describe('lossAndGradient', () => {
  it('averages the rows and scales each row’s gradient by 1/rows', () => {
    const { value, grad } = lossAndGradient(l1, yTrue, yPred, 3, 2, undefined);
    expect(value).toBeCloseTo((0.5 + 1 + 1) / 3, 15);
    expect(Array.from(grad)).toEqual([1 / 3, 0, 0, 1 / 3, 0, 1 / 3].map(Math.fround));
  });

  it('weighs rows as Keras’s sample_weight: Σ w·loss / rows, w·grad / rows', () => {
    const w = Float32Array.of(2, 0, 0.5);
    const { value, grad } = lossAndGradient(l1, yTrue, yPred, 3, 2, w);
    expect(value).toBeCloseTo((2 * 0.5 + 0 + 0.5 * 1) / 3, 15);
    expect(Array.from(grad)).toEqual([2 / 3, 0, 0, 0, 0, 0.5 / 3].map(Math.fround));
    expect(lossValue(l1, yTrue, yPred, 3, 2, w)).toBe(value);
  });

  it('hands the functions copies, so they cannot write into the batch', () => {
    const t = yTrue.slice();
    const p = yPred.slice();
    const vandal: LossFunction = { name: 'vandal', fn: (a, b, rows) => (a.fill(9), b.fill(9), new Array(rows).fill(0)), grad: (a, b) => (a.fill(9), Array.from(b.fill(9), () => 0)) };
    lossAndGradient(vandal, t, p, 3, 2, undefined);
    expect(t).toEqual(yTrue);
    expect(p).toEqual(yPred);
  });

  it('refuses a gradient that overflows float32 once scaled', () => {
    const huge: LossFunction = { ...l1, grad: (_, p) => Array.from(p, () => 1e300) };
    expect(() => lossAndGradient(huge, yTrue, yPred, 3, 2, undefined)).toThrow(/loss 'l1': grad\[0\] = 1e\+300 overflows float32/);
  });
});

describe('metricSum', () => {
  it('sums per-row values, or multiplies a batch mean by the rows', () => {
    expect(metricSum('m', () => [1, 2, 4], yTrue, yPred, 3, 2)).toBe(7);
    expect(metricSum('m', () => 2.5, yTrue, yPred, 3, 2)).toBe(7.5);
  });

  it('names the metric in every error', () => {
    expect(() => metricSum('m', () => Number.NaN, yTrue, yPred, 3, 2)).toThrow(/metric 'm' returned NaN; it must return a finite number or one value per row/);
    expect(() => metricSum('m', () => 'x' as never, yTrue, yPred, 3, 2)).toThrow(/metric 'm' returned string/);
    expect(() => metricSum('m', () => [1, Infinity, 0], yTrue, yPred, 3, 2)).toThrow(/metric 'm' returned Infinity at index 1/);
    expect(() => metricSum('m', () => { throw new TypeError('nope'); }, yTrue, yPred, 3, 2)).toThrow(/metric 'm' threw: nope/);
  });
});

describe('checkLossFunction / checkMetricFunction', () => {
  it('accepts a named object with fn and grad', () => {
    expect(checkLossFunction(l1)).toBe(l1);
  });

  it('explains what a loss must be', () => {
    expect(() => checkLossFunction(function myLoss(_a: unknown, _b: unknown) { return 0; })).toThrow(/loss is a function \(myLoss, 2 arguments\)/);
    expect(() => checkLossFunction({ name: '', fn: l1.fn, grad: l1.grad })).toThrow(/needs a name/);
    expect(() => checkLossFunction({ name: 'x', fn: 3, grad: l1.grad })).toThrow(/custom loss 'x' has no fn/);
  });

  it('takes a metric’s name from its function', () => {
    expect(checkMetricFunction(function precisionAt5() { return 0; })).toBe('precisionAt5');
    const anonymous = [() => 0][0];
    expect(() => checkMetricFunction(anonymous)).toThrow(/needs a name/);
  });
});
