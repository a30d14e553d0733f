// Conv1D: output shapes for 'valid', 'same', 'causal', strides and dilation as Keras gives them; the kernel
// [k, in, filters]; predict and computeGradients against the float64 reference and finite differences;
// the same numbers as Conv2D over [1, steps, c] with a 1×k window; options checked with clear errors.
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { checkAgainstReference, type Case1D } from '../helpers/specs1d.js';
import { rng, uniform } from '../helpers/random.js';

beforeAll(() => df.ready());

const shapeOf = (config: Partial<df.Conv1DConfig>, inShape: number[]) => {
  const m = df.sequential({ layers: [df.layers.conv1d({ filters: 4, kernelSize: 3, ...config, inputShape: inShape })] });
  return { out: m.outputShape, kernel: m.getWeights()[0].shape };
};

describe('Conv1D shapes (Keras 3)', () => {
  it.each([
    ['valid', { kernelSize: 3 }, [10, 2], [8, 4]],
    ['valid, strides 3', { kernelSize: 3, strides: 3 }, [10, 2], [3, 4]],
    ['valid, dilation 2', { kernelSize: 3, dilationRate: 2 }, [10, 2], [6, 4]],
    ['same', { kernelSize: 4, padding: 'same' }, [10, 2], [10, 4]],
    ['same, strides 3', { kernelSize: 3, strides: 3, padding: 'same' }, [10, 2], [4, 4]],
    ['same, dilation 3', { kernelSize: 3, dilationRate: 3, padding: 'same' }, [7, 2], [7, 4]],
    ['causal', { kernelSize: 5, padding: 'causal' }, [10, 2], [10, 4]],
    ['causal, strides 4', { kernelSize: 3, strides: 4, padding: 'causal' }, [10, 2], [3, 4]],
    ['causal, dilation 2', { kernelSize: 3, dilationRate: 2, padding: 'causal' }, [4, 2], [4, 4]],
    ['kernel as [k]', { kernelSize: [2], strides: [2] }, [9, 3], [4, 4]],
  ] as const)('%s', (_, config, inShape, out) => {
    const got = shapeOf(config as Partial<df.Conv1DConfig>, [...inShape]);
    expect(got.out).toEqual([null, ...out]);
    expect(got.kernel).toEqual([Number(config.kernelSize), inShape[1], 4]);
  });

  it('counts k·in·filters + filters parameters and names itself conv1d, conv1d_1', () => {
    const m = df.sequential({ layers: [df.layers.conv1d({ filters: 64, kernelSize: 5, inputShape: [100, 16] }), df.layers.conv1d({ filters: 8, kernelSize: 1, useBias: false })] });
    expect(m.layers.map((l) => [l.name, l.countParams()])).toEqual([['conv1d', 5 * 16 * 64 + 64], ['conv1d_1', 64 * 8]]);
    expect(m.layers[0].getConfig()).toMatchObject({ kernelSize: [5], strides: [1], dilationRate: [1], padding: 'valid', filters: 64 });
  });
});

const cases: Case1D[] = [
  { name: "'valid', tanh, then dense", inShape: [9, 3], layers: [{ kind: 'conv1d', filters: 4, kernel: 3, activation: 'tanh' }, { kind: 'flatten' }, { kind: 'dense', units: 2 }], rows: 3, seed: 1 },
  { name: "'same' with an even kernel (TF's split), strides 2", inShape: [9, 2], layers: [{ kind: 'conv1d', filters: 3, kernel: 4, strides: 2, padding: 'same', activation: 'sigmoid' }], rows: 2, seed: 2 },
  { name: "'same' dilated, no bias", inShape: [8, 3], layers: [{ kind: 'conv1d', filters: 5, kernel: 3, dilation: 2, padding: 'same', useBias: false }], rows: 3, seed: 3 },
  { name: "'valid' dilated 3", inShape: [11, 2], layers: [{ kind: 'conv1d', filters: 2, kernel: 3, dilation: 3, activation: 'tanh' }], rows: 2, seed: 4 },
  { name: "'causal', two stacked (a WaveNet-like dilation 1 then 2)", inShape: [10, 2], layers: [{ kind: 'conv1d', filters: 3, kernel: 2, padding: 'causal', activation: 'tanh' }, { kind: 'conv1d', filters: 2, kernel: 2, dilation: 2, padding: 'causal' }], rows: 3, seed: 5 },
  { name: "'causal' with strides 3", inShape: [10, 3], layers: [{ kind: 'conv1d', filters: 4, kernel: 4, strides: 3, padding: 'causal', activation: 'sigmoid' }], rows: 2, seed: 6 },
  { name: 'one channel in, 17 filters out, kernel 1', inShape: [5, 1], layers: [{ kind: 'conv1d', filters: 17, kernel: 1, activation: 'tanh' }], rows: 4, seed: 7 },
];

describe.each(cases.map((c) => [c.name, c] as const))('Conv1D vs the float64 reference: %s', (_, c) => {
  it('predict and computeGradients agree (gradients also vs finite differences)', () => checkAgainstReference(c));
});

describe('Conv1D is Conv2D over [1, steps, c] with a 1×k window', () => {
  it.each(['valid', 'same'] as const)("'%s': the same predictions and gradients, bit for bit, with the kernel's memory unchanged", (padding) => {
    const next = rng(21);
    const [steps, c, rows] = [12, 3, 4];
    const out = padding === 'same' ? 6 : 5;
    const one = df.sequential({ seed: 3, layers: [df.layers.conv1d({ filters: 5, kernelSize: 4, strides: 2, padding, activation: 'elu', inputShape: [steps, c] })] });
    const two = df.sequential({ seed: 3, layers: [df.layers.conv2d({ filters: 5, kernelSize: [1, 4], strides: [1, 2], padding, activation: 'elu', inputShape: [1, steps, c] })] });
    const [k, b] = [uniform(next, 4 * c * 5), uniform(next, 5)];
    one.setWeights([{ data: k, shape: [4, c, 5] }, { data: b, shape: [5] }]);
    two.setWeights([{ data: k, shape: [1, 4, c, 5] }, { data: b, shape: [5] }]);
    const x = uniform(next, rows * steps * c);
    const p1 = one.predict({ data: x, shape: [rows, steps, c] });
    const p2 = two.predict({ data: x, shape: [rows, 1, steps, c] });
    expect(p1.shape).toEqual([rows, out, 5]);
    expect(Array.from(p1.dataSync())).toEqual(Array.from(p2.dataSync()));
    one.compile({ optimizer: 'sgd', loss: 'mse' });
    two.compile({ optimizer: 'sgd', loss: 'mse' });
    const y = uniform(next, rows * out * 5);
    const g1 = one.computeGradients({ data: x, shape: [rows, steps, c] }, { data: y, shape: [rows, out, 5] });
    const g2 = two.computeGradients({ data: x, shape: [rows, 1, steps, c] }, { data: y, shape: [rows, 1, out, 5] });
    expect(g1.loss).toBe(g2.loss);
    expect(g1.grads.map((g) => Array.from(g.dataSync()))).toEqual(g2.grads.map((g) => Array.from(g.dataSync())));
  });
});

describe('Conv1D trains', () => {
  it("the textbook's review model shape (Conv1D(64, 5, relu) → MaxPooling1D(4) → Flatten → Dense(1, sigmoid)) learns which half holds a motif", async () => {
    const next = rng(31);
    const [n, steps, c] = [64, 40, 8];
    const x = uniform(next, n * steps * c, -0.5, 0.5);
    const y = new Float32Array(n);
    for (let r = 0; r < n; r++) {
      y[r] = r % 2;
      const at = (r % 2 ? 25 : 3) + Math.floor(next() * 10);
      for (let t = at; t < at + 3; t++) x[(r * steps + t) * c] = 2;
    }
    const m = df.sequential({ seed: 5, layers: [
      df.layers.conv1d({ filters: 64, kernelSize: 5, activation: 'relu', inputShape: [steps, c] }),
      df.layers.maxPooling1d({ poolSize: 4 }),
      df.layers.flatten(),
      df.layers.dense({ units: 1, activation: 'sigmoid' }),
    ] });
    expect(m.outputShape).toEqual([null, 1]);
    expect(m.layers[1].outputShape).toEqual([null, 9, 64]);
    m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const h = await m.fit({ data: x, shape: [n, steps, c] }, { data: y, shape: [n, 1] }, { epochs: 15, batchSize: 16, verbose: 0 });
    expect(h.history.loss[14]).toBeLessThan(h.history.loss[0] / 2);
    expect(h.history.acc?.[14] ?? h.history.accuracy[14]).toBe(1);
  });
  it("the review model itself: Embedding → Conv1D(64, 5, relu) → MaxPooling1D(4) → Flatten → Dense(1, sigmoid) on token ids", async () => {
    const next = rng(32);
    const [n, steps, vocab] = [64, 40, 50];
    const x = new Float32Array(n * steps);
    const y = new Float32Array(n);
    for (let r = 0; r < n; r++) {
      y[r] = r % 2;
      for (let t = 0; t < steps; t++) x[r * steps + t] = 3 + Math.floor(next() * (vocab - 3));
      // A positive review says token 1 three times in a row, a negative one token 2.
      const at = Math.floor(next() * (steps - 3));
      for (let t = at; t < at + 3; t++) x[r * steps + t] = r % 2 ? 1 : 2;
    }
    const m = df.sequential({ seed: 6, layers: [
      df.layers.embedding({ inputDim: vocab, outputDim: 8, inputLength: steps }),
      df.layers.conv1d({ filters: 64, kernelSize: 5, activation: 'relu' }),
      df.layers.maxPooling1d({ poolSize: 4 }),
      df.layers.flatten(),
      df.layers.dense({ units: 1, activation: 'sigmoid' }),
    ] });
    expect(m.layers.map((l) => l.outputShape)).toEqual([[null, 40, 8], [null, 36, 64], [null, 9, 64], [null, 576], [null, 1]]);
    m.compile({ optimizer: df.optimizers.adam({ learningRate: 0.01 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const h = await m.fit({ data: x, shape: [n, steps] }, { data: y, shape: [n, 1] }, { epochs: 20, batchSize: 16, verbose: 0 });
    expect(h.history.loss[19]).toBeLessThan(h.history.loss[0] / 4);
    expect(h.history.acc?.[19] ?? h.history.accuracy[19]).toBe(1);
  });
});

describe('Conv1D options', () => {
  it.each([
    [{ filters: 4 }, /conv1d: kernelSize is required/],
    [{ filters: 0, kernelSize: 3 }, /conv1d: filters must be a positive integer, got 0/],
    [{ filters: 4, kernelSize: [3, 3] }, /conv1d: kernelSize must be a positive integer \(or \[n\]\), got \[3,3\]/],
    [{ filters: 4, kernelSize: 3, strides: 0 }, /conv1d: strides must be a positive integer/],
    [{ filters: 4, kernelSize: 3, padding: 'full' }, /conv1d: padding must be 'valid' or 'same' or 'causal', got "full"/],
    [{ filters: 4, kernelSize: 3, strides: 2, dilationRate: 2 }, /conv1d: strides > 1 and dilationRate > 1 cannot be combined/],
    [{ filters: 4, kernelSize: 3, dataFormat: 'channelsFirst' }, /conv1d: dataFormat must be 'channelsLast'/],
    [{ filters: 4, kernelSize: 3, kernelSise: 3 }, /kernelSise.*kernelSize/],
    [{ filters: 4, kernelSize: 3, groups: 2 }, /groups/],
  ])('%j is refused', (config, message) => {
    expect(() => df.layers.conv1d(config as unknown as df.Conv1DConfig)).toThrow(message);
  });

  it('takes snake_case keys and a case-insensitive padding', () => {
    const l = df.layers.conv1d({ filters: 2, kernel_size: 3, padding: 'CAUSAL', dilation_rate: 2 } as unknown as df.Conv1DConfig);
    expect(l.window).toEqual({ kernel: 3, strides: 1, dilation: 2, padding: 'causal' });
  });

  it('refuses rows that are not sequences, and a window longer than the sequence, naming the layer', () => {
    expect(() => df.sequential({ layers: [df.layers.conv1d({ filters: 2, kernelSize: 3, inputShape: [10] })] })).toThrow(/'conv1d' \(Conv1D\): expects sequences \[steps, channels\], got rows of shape \[10\]/);
    expect(() => df.sequential({ layers: [df.layers.conv1d({ filters: 2, kernelSize: 3, dilationRate: 2, inputShape: [4, 1] })] })).toThrow(/a window of 3 dilated by 2 does not fit in a sequence of 4 steps with padding 'valid'/);
    expect(() => df.sequential({ layers: [df.layers.conv1d({ filters: 2, kernelSize: 3, activation: 'softmax', inputShape: [4, 1] })] })).toThrow(/softmax over sequences is not supported/);
  });
});
