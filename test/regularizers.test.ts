// Kernel and bias regularizers: the factories and names (tfjs's defaults), and on a model the training
// loss = the unregularized loss + l1·Σ|w| + l2·Σw², its gradient = the unregularized one + l1·sign(w) +
// 2·l2·w (against a float64 oracle and finite differences), in trainOnBatch, fit and evaluate alike.
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../src/index.js';
import { rng, uniform } from './helpers/random.js';
import { refPenalty, refPenaltyGrad } from './ref/regularizers.js';

beforeAll(() => df.ready());

describe('df.regularizers', () => {
  it("take tfjs's defaults (0.01) and Keras's spellings", () => {
    expect(df.regularizers.l1().getConfig()).toEqual({ l1: 0.01, l2: 0 });
    expect(df.regularizers.l2().getConfig()).toEqual({ l1: 0, l2: 0.01 });
    expect(df.regularizers.l1l2().getConfig()).toEqual({ l1: 0.01, l2: 0.01 });
    expect(df.regularizers.l1l2({ l2: 0.5 }).getConfig()).toEqual({ l1: 0.01, l2: 0.5 });
    expect(df.regularizers.l2({ l2: 1e-4 }).l2).toBe(1e-4);
    for (const [name, l1, l2] of [['l1', 0.01, 0], ['l2', 0, 0.01], ['l1l2', 0.01, 0.01], ['l1_l2', 0.01, 0.01]] as const) {
      const d = df.layers.dense({ units: 2, kernel_regularizer: name } as never);
      expect(d.kernelRegularizer?.getConfig()).toEqual({ l1, l2 });
    }
  });

  it('refuse bad factors, options and names, naming them', () => {
    expect(() => df.regularizers.l2({ l2: -1 })).toThrow('l2: l2 must be');
    expect(() => df.regularizers.l1({ l1: 1e39 })).toThrow('l1: l1 must be');
    expect(() => df.regularizers.l1({ l2: 0.1 } as never)).toThrow("l1: option 'l2' is not supported by deltaflow; for both penalties use df.regularizers.l1l2({ l1, l2 })");
    expect(() => df.regularizers.l1l2({ L1: 0.1 } as never)).toThrow("l1l2: unknown option 'L1' — did you mean 'l1'?");
    expect(() => df.layers.dense({ units: 2, kernelRegularizer: 'l3' } as never)).toThrow("dense: kernelRegularizer must be df.regularizers.l1({ l1 }), l2({ l2 }), l1l2({ l1, l2 }) or one of 'l1', 'l2', 'l1l2', got 'l3'");
    expect(() => df.layers.conv2d({ filters: 1, kernelSize: 1, biasRegularizer: { l2: 1 } } as never)).toThrow('conv2d: biasRegularizer must be');
  });
});

const X = [[0.3, -1.2, 0.8], [1.5, 0.1, -0.4], [-0.7, 0.9, 1.1], [0.2, -0.3, -1.6], [1.0, 1.0, 0.5]];
const Y = [[0.5, -1], [1, 0.2], [-0.3, 0.8], [0, 0], [1.2, -0.4]];
const KERNEL = { l1: 0.02, l2: 0.03 };
const BIAS = { l1: 0, l2: 0.05 };
const OUT = { l1: 0.04, l2: 0 };

/** The same network with and without regularizers, with the same (non-zero) weights. */
function twins(optimizer: () => df.Optimizer = () => df.optimizers.sgd({ learningRate: 0.1 })) {
  const make = (reg: boolean) => {
    const m = df.sequential({
      seed: 9,
      layers: [
        df.layers.dense({ units: 4, activation: 'tanh', inputShape: [3], ...(reg ? { kernelRegularizer: df.regularizers.l1l2(KERNEL), biasRegularizer: df.regularizers.l2({ l2: BIAS.l2 }) } : {}) }),
        df.layers.dense({ units: 2, ...(reg ? { kernelRegularizer: df.regularizers.l1({ l1: OUT.l1 }) } : {}) }),
      ],
    });
    m.compile({ optimizer: optimizer(), loss: 'meanSquaredError' });
    return m;
  };
  const reg = make(true);
  const plain = make(false);
  const next = rng(4);
  const weights = reg.getWeights().map((w) => ({ data: uniform(next, w.size, -0.9, 0.9), shape: w.shape }));
  reg.setWeights(weights);
  plain.setWeights(weights);
  return { reg, plain };
}

/** The penalty of the twins' weights [k0, b0, k1, b1], in float64. */
function penalty(ws: Float32Array[]): number {
  return refPenalty(ws[0], KERNEL.l1, KERNEL.l2) + refPenalty(ws[1], BIAS.l1, BIAS.l2) + refPenalty(ws[2], OUT.l1, OUT.l2);
}
const FACTORS = [KERNEL, BIAS, OUT, { l1: 0, l2: 0 }];
const f32 = (fs: typeof KERNEL) => ({ l1: Math.fround(fs.l1), l2: Math.fround(fs.l2) });
const weightsOf = (m: df.Sequential) => m.getWeights().map((t) => t.dataSync() as Float32Array);

describe('a model with kernel and bias regularizers', () => {
  it('has the loss of the same model without them plus the penalty, and their gradients plus l1·sign(w) + 2·l2·w', () => {
    const { reg, plain } = twins();
    const ws = weightsOf(reg);
    const r = reg.computeGradients(X, Y);
    const p = plain.computeGradients(X, Y);
    // The factors as the kernel reads them (f32).
    const pen = ws.reduce((s, w, i) => s + refPenalty(w, f32(FACTORS[i]).l1, f32(FACTORS[i]).l2), 0);
    expect(pen).toBeCloseTo(penalty(ws), 6);
    expect(Math.abs(r.loss - (p.loss + pen))).toBeLessThanOrEqual(1e-6 * r.loss);
    r.grads.forEach((g, i) => {
      const { l1, l2 } = f32(FACTORS[i]);
      const want = refPenaltyGrad(ws[i], p.grads[i].dataSync(), l1, l2);
      const got = g.dataSync();
      for (let j = 0; j < want.length; j++) expect(Math.abs(got[j] - want[j]), `grads[${i}][${j}]`).toBeLessThanOrEqual(1e-6 * (Math.abs(want[j]) + l1 + 1e-3));
    });
  });

  it('has the gradient of its loss: central differences agree', () => {
    const { reg } = twins();
    const ws = weightsOf(reg);
    const { grads } = reg.computeGradients(X, Y);
    const h = 1e-2;
    const lossWith = (t: number, j: number, d: number) => {
      const moved = ws.map((w) => Float32Array.from(w));
      moved[t][j] += d;
      reg.setWeights(moved.map((w, i) => ({ data: w, shape: reg.getWeights()[i].shape })));
      return reg.computeGradients(X, Y).loss;
    };
    for (const [t, j] of [[0, 0], [0, 5], [0, 11], [1, 2], [2, 3], [2, 7], [3, 1]]) {
      // Away from the kink of |w| at 0, where the difference quotient would straddle it.
      if (Math.abs(ws[t][j]) < 2 * h) continue;
      const fd = (lossWith(t, j, h) - lossWith(t, j, -h)) / (2 * h);
      const g = grads[t].dataSync()[j];
      expect(Math.abs(fd - g), `d loss / d w[${t}][${j}]: ${fd} vs ${g}`).toBeLessThanOrEqual(2e-3 + 1e-2 * Math.abs(g));
    }
  });

  it('reports the penalty in trainOnBatch, fit and evaluate (as Keras 3), and steps with its gradient', async () => {
    const { reg, plain } = twins();
    const ws = weightsOf(reg);
    const pen = penalty(ws);
    const evalPlain = plain.evaluate(X, Y).loss;
    expect(reg.evaluate(X, Y).loss).toBeCloseTo(evalPlain + pen, 5);
    const h = await reg.fit(X, Y, { epochs: 1, batchSize: 5, shuffle: false, verbose: 0 });
    expect(h.history.loss[0]).toBeCloseTo(evalPlain + pen, 5);
    // One SGD step: w − 0.1·(g + l1·sign(w) + 2·l2·w), the plain model's gradient at the same weights.
    const { grads } = plain.computeGradients(X, Y);
    weightsOf(reg).forEach((w, i) => {
      const { l1, l2 } = f32(FACTORS[i]);
      const g = refPenaltyGrad(ws[i], grads[i].dataSync(), l1, l2);
      for (let j = 0; j < w.length; j++) expect(w[j]).toBeCloseTo(ws[i][j] - 0.1 * g[j], 6);
    });
    // trainOnBatch returns the loss before its step, with the penalty of the weights it starts from.
    plain.setWeights(reg.getWeights());
    const expected = plain.evaluate(X, Y).loss + penalty(weightsOf(reg));
    expect(reg.trainOnBatch(X, Y)).toBeCloseTo(expected, 5);
  });

  it('adds the penalty and its gradient with a loss written in JS too', async () => {
    // MSE as the kernel computes it, so the two paths agree but for rounding.
    const f = Math.fround;
    const jsMse: df.LossFunction = {
      name: 'jsMse',
      fn: (yTrue, yPred, rows, cols) => Array.from({ length: rows }, (_, r) => {
        let s = 0;
        for (let c = r * cols; c < (r + 1) * cols; c++) s += (yPred[c] - yTrue[c]) ** 2;
        return s / cols;
      }),
      grad: (yTrue, yPred, _rows, cols) => yPred.map((p, i) => f((2 / cols) * f(p - yTrue[i]))),
    };
    const a = twins().reg;
    const b = twins().reg;
    b.compile({ optimizer: df.optimizers.sgd({ learningRate: 0.1 }), loss: jsMse });
    const [ga, gb] = [a.computeGradients(X, Y), b.computeGradients(X, Y)];
    expect(gb.loss).toBeCloseTo(ga.loss, 6);
    ga.grads.forEach((g, i) => gb.grads[i].dataSync().forEach((v, j) => expect(v).toBeCloseTo(g.dataSync()[j], 6)));
    expect(b.evaluate(X, Y).loss).toBeCloseTo(a.evaluate(X, Y).loss, 6);
    const [ha, hb] = [await a.fit(X, Y, { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 }), await b.fit(X, Y, { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 })];
    hb.history.loss.forEach((l, i) => expect(l).toBeCloseTo(ha.history.loss[i], 5));
  });

  it('regularizes a conv2d kernel and bias the same way', () => {
    const make = (reg: boolean) => {
      const m = df.sequential({
        seed: 2,
        layers: [
          df.layers.conv2d({ filters: 2, kernelSize: 2, inputShape: [3, 3, 1], ...(reg ? { kernelRegularizer: 'l2', biasRegularizer: df.regularizers.l1({ l1: 0.1 }) } : {}) }),
          df.layers.flatten(),
        ],
      });
      m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      return m;
    };
    const [reg, plain] = [make(true), make(false)];
    const w = reg.getWeights().map((t) => ({ data: uniform(rng(3), t.size, -1, 1), shape: t.shape }));
    reg.setWeights(w);
    plain.setWeights(w);
    const x = { data: uniform(rng(5), 18), shape: [2, 3, 3, 1] };
    const y = { data: uniform(rng(6), 16), shape: [2, 8] };
    const r = reg.computeGradients(x, y);
    const p = plain.computeGradients(x, y);
    const pen = refPenalty(w[0].data, 0, Math.fround(0.01)) + refPenalty(w[1].data, Math.fround(0.1), 0);
    expect(r.loss).toBeCloseTo(p.loss + pen, 5);
    const gk = refPenaltyGrad(w[0].data, p.grads[0].dataSync(), 0, Math.fround(0.01));
    const gb = refPenaltyGrad(w[1].data, p.grads[1].dataSync(), Math.fround(0.1), 0);
    r.grads[0].dataSync().forEach((g, j) => expect(g).toBeCloseTo(gk[j], 5));
    r.grads[1].dataSync().forEach((g, j) => expect(g).toBeCloseTo(gb[j], 5));
  });
});
