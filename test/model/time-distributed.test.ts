// TimeDistributed: shapes as Keras gives them, the inner layer's weights under the wrapper's name, a float64
// per-step oracle for predict and computeGradients (and finite differences), the same numbers as the inner
// layer on its own, the mask passing through, getConfig in tfjs's form, and every refusal naming the problem.
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { rng, uniform, worst } from '../helpers/random.js';

beforeAll(() => df.ready());

const L = df.layers;
const td = (units: number, extra: Partial<df.TimeDistributedConfig> = {}, act: 'linear' | 'relu' | 'tanh' = 'linear') =>
  L.timeDistributed({ layer: L.dense({ units, activation: act }), ...extra });

describe('TimeDistributed shapes and weights', () => {
  it.each([
    [[6, 5], 4, [6, 4]],
    [[1, 3], 2, [1, 2]],
    [[3, 4, 5], 2, [3, 4, 2]],
  ])('rows %j through dense(%i) give %j; the kernel is the inner [features, units]', (inShape, units, out) => {
    const m = df.sequential({ layers: [td(units, { inputShape: inShape })] });
    expect(m.outputShape).toEqual([null, ...out]);
    expect(m.layers[0].outputShape).toEqual([null, ...out]);
    expect(m.getWeights().map((w) => w.shape)).toEqual([[inShape.at(-1)!, units], [units]]);
    expect(m.layers[0].countParams()).toBe(inShape.at(-1)! * units + units);
  });

  it("names its weights as tfjs does ('time_distributed/kernel'), and the inner layer's weights are the wrapper's", () => {
    const inner = L.dense({ units: 4 });
    const wrapper = L.timeDistributed({ layer: inner, inputShape: [6, 5] });
    const m = df.sequential({ seed: 1, layers: [wrapper, td(3)] });
    expect(m.layers.map((l) => l.name)).toEqual(['time_distributed', 'time_distributed_1']);
    expect(m.weights.map((w) => w.name)).toEqual(['time_distributed/kernel', 'time_distributed/bias', 'time_distributed_1/kernel', 'time_distributed_1/bias']);
    expect(wrapper.layer).toBe(inner);
    // The inner layer sees one time step as its input, and the wrapper's weights as its own.
    expect(inner.outputShape).toEqual([null, 4]);
    expect(inner.countParams()).toBe(24);
    expect(inner.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(wrapper.getWeights().map((w) => Array.from(w.dataSync())));
    const k = Float32Array.from({ length: 20 }, (_, i) => i / 10);
    inner.setWeights([{ data: k, shape: [5, 4] }, { data: new Float32Array([1, 2, 3, 4]), shape: [4] }]);
    expect(Array.from(m.getWeights()[0].dataSync())).toEqual(Array.from(k));
    expect(Array.from(wrapper.getWeights()[1].dataSync())).toEqual([1, 2, 3, 4]);
  });

  it('summary() shows it as Keras does', () => {
    const m = df.sequential({ layers: [td(4, { inputShape: [6, 5] }, 'relu'), L.flatten(), L.dense({ units: 2, activation: 'softmax' })] });
    const text = m.summary();
    // Keras wraps a name too long for its column onto the next line.
    expect(text).toMatch(/│ time_distributed +│ \(None, 6, 4\) +│ +24 │\n│ \(TimeDistributed\) +│ +│ +│/);
    expect(text).toMatch(/Total params: 74 /);
  });

  it("getConfig is tfjs's: the inner layer's class and config, then the wrapper's name and input", () => {
    const m = df.sequential({ layers: [L.timeDistributed({ layer: L.dense({ units: 4, activation: 'relu', name: 'inner' }), inputShape: [6, 5], name: 'td' })] });
    expect(m.layers[0].getConfig()).toEqual({
      layer: {
        className: 'Dense',
        config: {
          units: 4, activation: 'relu', useBias: true,
          kernelInitializer: { className: 'VarianceScaling', config: { scale: 1, mode: 'fanAvg', distribution: 'uniform', seed: null } },
          biasInitializer: { className: 'Zeros', config: {} },
          kernelRegularizer: null, biasRegularizer: null, activityRegularizer: null, kernelConstraint: null, biasConstraint: null,
          name: 'inner', trainable: true,
        },
      },
      name: 'td', trainable: true, batchInputShape: [null, 6, 5], dtype: 'float32',
    });
  });
});

// ---- a float64 oracle: the inner Dense applied to each time step on its own ----

type Act = (v: number) => number;
const ACTS: Record<string, Act> = { linear: (v) => v, relu: (v) => Math.max(v, 0), tanh: Math.tanh };

/** One row [steps, fin] through timeDistributed(dense(units, act)) → flatten → dense(outs, linear). */
function forward(ws: Float64Array[], x: ArrayLike<number>, steps: number, fin: number, units: number, outs: number, act: Act): Float64Array {
  const [k1, b1, k2, b2] = ws;
  const h = new Float64Array(steps * units);
  for (let t = 0; t < steps; t++) {
    for (let u = 0; u < units; u++) {
      let s = b1[u];
      for (let f = 0; f < fin; f++) s += x[t * fin + f] * k1[f * units + u];
      h[t * units + u] = act(s);
    }
  }
  const y = new Float64Array(outs);
  for (let o = 0; o < outs; o++) {
    let s = b2[o];
    for (let i = 0; i < h.length; i++) s += h[i] * k2[i * outs + o];
    y[o] = s;
  }
  return y;
}

describe('TimeDistributed(Dense) computes the inner layer at every step', () => {
  const [rows, steps, fin, units, outs] = [5, 6, 5, 4, 3];
  const build = (act: 'relu' | 'tanh', seed: number) => {
    const m = df.sequential({ seed, layers: [td(units, { inputShape: [steps, fin] }, act), L.flatten(), L.dense({ units: outs })] });
    const next = rng(seed);
    // Biases away from zero, so the relu case has units on both sides.
    m.setWeights(m.getWeights().map((w) => ({ data: uniform(next, w.size, -0.8, 0.8), shape: w.shape })));
    return { m, x: uniform(next, rows * steps * fin), y: uniform(next, rows * outs) };
  };
  const mse = (ws: Float64Array[], x: Float32Array, y: Float32Array, act: Act) => {
    let s = 0;
    for (let r = 0; r < rows; r++) {
      const p = forward(ws, x.subarray(r * steps * fin), steps, fin, units, outs, act);
      for (let o = 0; o < outs; o++) s += (p[o] - y[r * outs + o]) ** 2;
    }
    return s / (rows * outs);
  };

  it.each(['tanh', 'relu'] as const)('%s: predict and computeGradients match the oracle; gradients match finite differences', (act) => {
    const { m, x, y } = build(act, act === 'tanh' ? 11 : 12);
    const ws = m.getWeights().map((w) => Float64Array.from(w.dataSync()));
    const got = m.predict({ data: x, shape: [rows, steps, fin] });
    expect(got.shape).toEqual([rows, outs]);
    const want = new Float64Array(rows * outs);
    for (let r = 0; r < rows; r++) want.set(forward(ws, x.subarray(r * steps * fin), steps, fin, units, outs, ACTS[act]), r * outs);
    const p = worst(got.dataSync(), want, (i) => Math.max(Math.abs(want[i]), 0.1));
    expect(p.err, `output[${p.at}]`).toBeLessThan(1e-5);

    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const { loss, grads } = m.computeGradients({ data: x, shape: [rows, steps, fin] }, { data: y, shape: [rows, outs] });
    expect(Math.abs(loss - mse(ws, x, y, ACTS[act])) / mse(ws, x, y, ACTS[act])).toBeLessThan(1e-5);
    expect(grads.map((g) => g.shape)).toEqual([[fin, units], [units], [steps * units, outs], [outs]]);
    const h = 1e-6;
    grads.forEach((g, t) => {
      const fd = new Float64Array(ws[t].length);
      for (let i = 0; i < fd.length; i++) {
        const keep = ws[t][i];
        ws[t][i] = keep + h;
        const up = mse(ws, x, y, ACTS[act]);
        ws[t][i] = keep - h;
        const down = mse(ws, x, y, ACTS[act]);
        ws[t][i] = keep;
        fd[i] = (up - down) / (2 * h);
      }
      const top = fd.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
      expect(top, `gradient[${t}] is not all zero`).toBeGreaterThan(1e-3);
      const e = worst(g.dataSync(), fd, (i) => Math.max(Math.abs(fd[i]), 0.02 * top, 1e-6));
      expect(e.err, `gradient[${t}][${e.at}]: ${g.dataSync()[e.at]} vs ${fd[e.at]}`).toBeLessThan(2e-3);
    });
  });

  it('gives the numbers of the inner Dense on the same rows, bit for bit (predict, gradients, a fit)', async () => {
    const next = rng(7);
    const x = uniform(next, rows * steps * fin);
    const y = uniform(next, rows * steps * units);
    const shape = [rows, steps, fin];
    const yShape = [rows, steps, units];
    const a = df.sequential({ seed: 3, layers: [td(units, { inputShape: [steps, fin] }, 'tanh')] });
    const b = df.sequential({ seed: 3, layers: [L.dense({ units, activation: 'tanh', inputShape: [steps, fin] })] });
    expect(a.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(b.getWeights().map((w) => Array.from(w.dataSync())));
    expect(Array.from(a.predict({ data: x, shape }).dataSync())).toEqual(Array.from(b.predict({ data: x, shape }).dataSync()));
    for (const m of [a, b]) m.compile({ optimizer: 'adam', loss: 'mse' });
    const [ga, gb] = [a, b].map((m) => m.computeGradients({ data: x, shape }, { data: y, shape: yShape }));
    expect(ga.loss).toBe(gb.loss);
    expect(ga.grads.map((g) => Array.from(g.dataSync()))).toEqual(gb.grads.map((g) => Array.from(g.dataSync())));
    for (const m of [a, b]) await m.fit({ data: x, shape }, { data: y, shape: yShape }, { epochs: 2, batchSize: 2, seed: 4, verbose: 0 });
    expect(a.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(b.getWeights().map((w) => Array.from(w.dataSync())));
  });

  it('activation and leakyReLU inside apply to each value, as per step', () => {
    const x = uniform(rng(9), 2 * 3 * 4, -2, 2);
    const shape = [2, 3, 4];
    const tanh = df.sequential({ layers: [L.timeDistributed({ layer: L.activation({ activation: 'tanh' }), inputShape: [3, 4] })] });
    const leaky = df.sequential({ layers: [L.timeDistributed({ layer: L.leakyReLU({ alpha: 0.2 }), inputShape: [3, 4] })] });
    expect(tanh.countParams()).toBe(0);
    const t = tanh.predict({ data: x, shape }).dataSync();
    const l = leaky.predict({ data: x, shape }).dataSync();
    x.forEach((v, i) => {
      expect(t[i]).toBeCloseTo(Math.tanh(v), 6);
      expect(l[i]).toBeCloseTo(v > 0 ? v : 0.2 * v, 6);
    });
  });
});

describe('TimeDistributed and an Embedding mask', () => {
  const emb = () => L.embedding({ inputDim: 10, outputDim: 3, inputLength: 4, maskZero: true });
  const x = { data: new Float32Array([1, 2, 0, 0, 3, 0, 0, 0]), shape: [2, 4] };

  it('passes the mask on as Keras does: refused where it would reach the loss, fine once flatten drops it', async () => {
    const reaching = df.sequential({ layers: [emb(), td(2)] });
    reaching.compile({ optimizer: 'sgd', loss: 'mse' });
    expect(() => reaching.trainOnBatch(x, { data: new Float32Array(16), shape: [2, 4, 2] })).toThrow(/has maskZero: its mask would reach the loss/);
    const flat = df.sequential({ layers: [emb(), td(2), L.flatten(), L.dense({ units: 1 })] });
    flat.compile({ optimizer: 'sgd', loss: 'mse' });
    expect(Number.isFinite(flat.trainOnBatch(x, { data: new Float32Array(2), shape: [2, 1] }))).toBe(true);
  });
});

describe('TimeDistributed refuses, naming the problem', () => {
  it('an inner layer that is not a deltaflow layer, or missing', () => {
    expect(() => L.timeDistributed({ layer: {} as never })).toThrow(/timeDistributed: layer must be a deltaflow layer such as df\.layers\.dense\(\{ units: 8 \}\), got an object \(Object\)/);
    expect(() => L.timeDistributed({} as never)).toThrow(/timeDistributed: layer must be a deltaflow layer.*got undefined/);
    expect(() => L.timeDistributed(undefined as never)).toThrow(/timeDistributed: expected a config object/);
  });

  it('an inner layer that cannot be applied per step here (dropout says where to put it)', () => {
    expect(() => L.timeDistributed({ layer: L.conv1d({ filters: 2, kernelSize: 2 }) })).toThrow(/timeDistributed: layer 'conv1d' \(Conv1D\) cannot be applied per time step here; the inner layer must be one of Dense, Activation, LeakyReLU/);
    expect(() => L.timeDistributed({ layer: L.dropout({ rate: 0.5 }) })).toThrow(/put df\.layers\.dropout before or after timeDistributed/);
    expect(() => L.timeDistributed({ layer: L.flatten() })).toThrow(/'flatten' \(Flatten\) cannot be applied per time step/);
  });

  it('an inner layer already in a model, or already wrapped; a wrapped layer later added to a model of its own', () => {
    const used = L.dense({ units: 2, inputShape: [3] });
    df.sequential({ layers: [used] });
    expect(() => L.timeDistributed({ layer: used })).toThrow(/timeDistributed: layer 'dense' \(Dense\) is already in a model or another timeDistributed; give timeDistributed a new layer/);
    const inner = L.dense({ units: 2, name: 'twice' });
    const wrapper = L.timeDistributed({ layer: inner, inputShape: [4, 3] });
    expect(() => L.timeDistributed({ layer: inner })).toThrow(/layer 'twice' \(Dense\) is already in a model or another timeDistributed/);
    const m = df.sequential({ layers: [wrapper] });
    df.sequential({ layers: [L.flatten({ inputShape: [4, 3] }), inner] });
    expect(() => m.predict({ data: new Float32Array(12), shape: [1, 4, 3] })).toThrow(/layer 'time_distributed' \(TimeDistributed\): its inner layer 'twice' \(Dense\) has since been added to a model of its own/);
  });

  it('an input without a time axis, declared or reaching it, leaving the model as it was', () => {
    expect(() => td(2, { inputShape: [5] })).toThrow(/timeDistributed: its input must have a time axis and at least one more \(\[timesteps, features\]\), got rows of shape \[5\]/);
    const m = df.sequential({ layers: [L.dense({ units: 3, inputShape: [5] })] });
    expect(() => m.add(td(2))).toThrow(/layer 'time_distributed' \(TimeDistributed\): its input must have a time axis.*got rows of shape \[3\]/);
    expect(m.layers.length).toBe(1);
    expect(m.outputShape).toEqual([null, 3]);
  });

  it("an inner layer whose own inputShape is not one time step's", () => {
    expect(() => L.timeDistributed({ layer: L.dense({ units: 2, inputShape: [4] }), inputShape: [6, 5] })).toThrow(
      /timeDistributed: its inner layer 'dense' declares inputShape \[4\], but one time step of its input \[6, 5\] has shape \[5\]/,
    );
    const m = df.sequential({ layers: [L.dense({ units: 3, inputShape: [6, 5] })] });
    expect(() => m.add(L.timeDistributed({ layer: L.dense({ units: 2, inputShape: [5] }) }))).toThrow(/its inner layer 'dense' declares inputShape \[5\], but one time step of its input \[6, 3\] has shape \[3\]/);
    expect(m.layers.length).toBe(1);
    // A matching one is fine.
    expect(df.sequential({ layers: [L.timeDistributed({ layer: L.dense({ units: 2, inputShape: [5] }), inputShape: [6, 5] })] }).outputShape).toEqual([null, 6, 2]);
  });

  it('options: a typo gets a suggestion; tfjs options deltaflow lacks say so', () => {
    expect(() => L.timeDistributed({ layr: L.dense({ units: 2 }) } as never)).toThrow(/timeDistributed: unknown option 'layr' — did you mean 'layer'\?/);
    expect(() => L.timeDistributed({ layer: L.dense({ units: 2 }), trainable: false } as never)).toThrow(/timeDistributed: option 'trainable' is not supported/);
    // Keras's snake_case spelling means the same option.
    expect(df.sequential({ layers: [L.timeDistributed({ layer: L.dense({ units: 2 }), input_shape: [3, 4] } as never)] }).outputShape).toEqual([null, 3, 2]);
  });

  it("the inner layer's own errors, named under the wrapper", () => {
    expect(() => df.sequential({ layers: [L.timeDistributed({ layer: L.activation({ activation: 'softmax' }), inputShape: [3, 4] })] })).toThrow(/layer 'time_distributed' \(TimeDistributed\): inner layer 'activation' \(Activation\): softmax over an input of shape \[3, 4\] is not supported/);
  });
});
