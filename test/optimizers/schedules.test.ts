// Learning-rate schedules against their Keras 3 formulas, and their use inside fit and applyGradients.
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';

beforeAll(() => df.ready());
const S = df.optimizers.schedules;

describe('schedules (Keras 3 formulas, step = updates so far)', () => {
  it('exponentialDecay, smooth and staircase', () => {
    const s = S.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    expect(s.at(0)).toBe(0.1);
    expect(s.at(10)).toBeCloseTo(0.05, 12);
    expect(s.at(5)).toBeCloseTo(0.1 * Math.pow(0.5, 0.5), 12);
    const st = S.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true });
    expect(st.at(9)).toBe(0.1);
    expect(st.at(25)).toBeCloseTo(0.025, 12);
  });

  it('inverseTimeDecay', () => {
    const s = S.inverseTimeDecay({ initialLearningRate: 1, decaySteps: 4, decayRate: 0.5 });
    expect(s.at(8)).toBeCloseTo(1 / (1 + 0.5 * 2), 12);
    const st = S.inverseTimeDecay({ initialLearningRate: 1, decaySteps: 4, decayRate: 0.5, staircase: true });
    expect(st.at(7)).toBeCloseTo(1 / 1.5, 12);
  });

  it('piecewiseConstantDecay switches after each boundary (inclusive)', () => {
    const s = S.piecewiseConstantDecay({ boundaries: [10, 20], values: [1, 0.5, 0.1] });
    expect([0, 10, 11, 20, 21, 1000].map((t) => s.at(t))).toEqual([1, 1, 0.5, 0.5, 0.1, 0.1]);
    expect(() => S.piecewiseConstantDecay({ boundaries: [10], values: [1] })).toThrow(/one more entry than boundaries/);
    expect(() => S.piecewiseConstantDecay({ boundaries: [10, 5], values: [1, 2, 3] })).toThrow(/boundaries must increase/);
  });

  it('polynomialDecay holds at the end, or cycles', () => {
    const s = S.polynomialDecay({ initialLearningRate: 1, decaySteps: 10, endLearningRate: 0.1, power: 2 });
    expect(s.at(5)).toBeCloseTo(0.9 * 0.25 + 0.1, 12);
    expect(s.at(50)).toBeCloseTo(0.1, 12);
    const c = S.polynomialDecay({ initialLearningRate: 1, decaySteps: 10, endLearningRate: 0, cycle: true });
    expect(c.at(15)).toBeCloseTo(1 - 15 / 20, 12);
  });

  it('cosineDecay with and without warmup', () => {
    const s = S.cosineDecay({ initialLearningRate: 1, decaySteps: 100, alpha: 0.1 });
    expect(s.at(0)).toBeCloseTo(1, 12);
    expect(s.at(50)).toBeCloseTo(0.9 * 0.5 + 0.1, 12);
    expect(s.at(500)).toBeCloseTo(0.1, 12);
    const w = S.cosineDecay({ initialLearningRate: 0, decaySteps: 100, warmupTarget: 1, warmupSteps: 10 });
    expect(w.at(5)).toBeCloseTo(0.5, 12);
    expect(w.at(10)).toBeCloseTo(1, 12);
    expect(w.at(60)).toBeCloseTo(0.5, 12);
  });

  it('the optimizer asks the schedule with the number of earlier updates', () => {
    const seen: number[] = [];
    class Spy extends df.LearningRateSchedule {
      readonly name = 'Spy';
      at(step: number) {
        seen.push(step);
        return 0.1;
      }
      getConfig() {
        return {};
      }
    }
    const opt = df.optimizers.sgd({ learningRate: new Spy() });
    const p = new Float32Array([1, 2]);
    opt.applyGradients(p, [1, 1]);
    opt.applyGradients(p, [1, 1]);
    expect(seen).toEqual([0, 1]);
    // p −= g·lr twice, in f32.
    const f = Math.fround;
    const step = (v: number) => f(v - f(1 * f(0.1)));
    expect(Array.from(p)).toEqual([step(step(1)), step(step(2))]);
  });

  it('a schedule that returns NaN stops the step with a clear error and leaves the weights', async () => {
    class Broken extends df.LearningRateSchedule {
      readonly name = 'Broken';
      at(step: number) {
        return step >= 2 ? NaN : 0.1;
      }
      getConfig() {
        return {};
      }
    }
    const model = df.sequential({ seed: 1, layers: [df.layers.dense({ units: 1, inputShape: [2] })] });
    model.compile({ optimizer: df.optimizers.adam({ learningRate: new Broken() }), loss: 'mse' });
    const x = [[0, 1], [1, 0]];
    const y = [[1], [0]];
    model.trainOnBatch(x, y);
    model.trainOnBatch(x, y);
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(() => model.trainOnBatch(x, y)).toThrow(/optimizer 'adam': the learning rate at step 3 is NaN; weights left unchanged/);
    await expect(model.fit(x, y, { epochs: 1, verbose: 0 })).rejects.toThrow(/learning rate at step 3 is NaN/);
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
  });

  it('fit uses the scheduled rate per step: a zero-rate stretch leaves the weights alone', async () => {
    const model = df.sequential({ seed: 2, layers: [df.layers.dense({ units: 1, inputShape: [2] })] });
    const opt = df.optimizers.sgd({ learningRate: S.piecewiseConstantDecay({ boundaries: [1], values: [0.1, 0] }) });
    model.compile({ optimizer: opt, loss: 'mse' });
    const x = [[0, 1], [1, 0], [1, 1], [0, 0]];
    const y = [[1], [0], [2], [0]];
    await model.fit(x, y, { epochs: 1, batchSize: 1, shuffle: false, verbose: 0 });
    const after2 = model.getWeights().map((w) => Array.from(w.dataSync()));
    await model.fit(x, y, { epochs: 3, batchSize: 1, verbose: 0 });
    expect(opt.iterations).toBe(16);
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(after2);
  });
});
