// MaxPooling1D, AveragePooling1D, GlobalMaxPooling1D, GlobalAveragePooling1D: Keras's output shapes, predict
// and computeGradients against the float64 reference and finite differences, and their options checked.
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { rng, uniform } from '../helpers/random.js';
import { checkAgainstReference, type Case1D } from '../helpers/specs1d.js';

beforeAll(() => df.ready());

const outOf = (layer: df.Layer, inShape: number[]) => df.sequential({ layers: [df.layers.dense({ units: inShape[1], inputShape: inShape }), layer] }).outputShape;

describe('1-D pooling shapes (Keras 3)', () => {
  it.each([
    ['maxPooling1d default (2, strides 2)', () => df.layers.maxPooling1d(), [9, 3], [4, 3]],
    ['maxPooling1d 3, strides 1, same', () => df.layers.maxPooling1d({ poolSize: 3, strides: 1, padding: 'same' }), [9, 3], [9, 3]],
    ['maxPooling1d 4 (the review model)', () => df.layers.maxPooling1d({ poolSize: 4 }), [96, 64], [24, 64]],
    ['averagePooling1d 3, same', () => df.layers.averagePooling1d({ poolSize: 3, padding: 'same' }), [10, 2], [4, 2]],
    ['averagePooling1d [2], strides [3]', () => df.layers.averagePooling1d({ poolSize: [2], strides: [3] }), [10, 2], [3, 2]],
    ['globalMaxPooling1d', () => df.layers.globalMaxPooling1d(), [10, 5], [5]],
    ['globalAveragePooling1d', () => df.layers.globalAveragePooling1d(), [10, 5], [5]],
  ] as const)('%s', (_, make, inShape, out) => {
    expect(outOf(make(), [...inShape])).toEqual([null, ...out]);
  });

  it('name themselves as Keras does and own no weights', () => {
    const m = df.sequential({ layers: [df.layers.conv1d({ filters: 2, kernelSize: 1, inputShape: [8, 1] }), df.layers.maxPooling1d(), df.layers.averagePooling1d(), df.layers.globalMaxPooling1d()] });
    const g = df.sequential({ layers: [df.layers.globalAveragePooling1d({ inputShape: [3, 2] })] });
    expect([...m.layers, ...g.layers].map((l) => [l.name, l.className, l.countParams()])).toEqual([
      ['conv1d', 'Conv1D', 4], ['max_pooling1d', 'MaxPooling1D', 0], ['average_pooling1d', 'AveragePooling1D', 0], ['global_max_pooling1d', 'GlobalMaxPooling1D', 0],
      ['global_average_pooling1d', 'GlobalAveragePooling1D', 0],
    ]);
  });
});

const cases: Case1D[] = [
  {
    name: "max 'valid' then average 'same' (the border average over the steps inside), dense",
    inShape: [11, 3],
    layers: [{ kind: 'conv1d', filters: 3, kernel: 2, activation: 'tanh' }, { kind: 'maxPooling1d', pool: 2 }, { kind: 'averagePooling1d', pool: 3, strides: 2, padding: 'same' }, { kind: 'flatten' }, { kind: 'dense', units: 2 }],
    rows: 3,
    seed: 11,
  },
  {
    name: "overlapping max 'same' stride 1, average 'valid' stride 3",
    inShape: [10, 2],
    layers: [{ kind: 'conv1d', filters: 4, kernel: 1, activation: 'sigmoid' }, { kind: 'maxPooling1d', pool: 3, strides: 1, padding: 'same' }, { kind: 'averagePooling1d', pool: 2, strides: 3 }],
    rows: 2,
    seed: 12,
  },
  {
    name: 'global max pooling after a causal conv',
    inShape: [7, 3],
    layers: [{ kind: 'conv1d', filters: 5, kernel: 3, padding: 'causal', activation: 'tanh' }, { kind: 'globalMaxPooling1d' }, { kind: 'dense', units: 2 }],
    rows: 3,
    seed: 13,
  },
  {
    name: 'global average pooling',
    inShape: [6, 4],
    layers: [{ kind: 'conv1d', filters: 3, kernel: 2, strides: 2 }, { kind: 'globalAveragePooling1d' }],
    rows: 4,
    seed: 14,
  },
];

describe.each(cases.map((c) => [c.name, c] as const))('1-D pooling vs the float64 reference: %s', (_, c) => {
  it('predict and computeGradients agree (gradients also vs finite differences)', () => checkAgainstReference(c));
});

describe('1-D pooling options', () => {
  it.each([
    [() => df.layers.maxPooling1d({ poolSize: 0 }), /maxPooling1d: poolSize must be a positive integer \(or \[n\]\), got 0/],
    [() => df.layers.averagePooling1d({ poolSize: [2, 2] as unknown as number }), /averagePooling1d: poolSize must be a positive integer \(or \[n\]\), got \[2,2\]/],
    [() => df.layers.maxPooling1d({ padding: 'causal' as 'same' }), /maxPooling1d: padding must be 'valid' or 'same', got "causal"/],
    [() => df.layers.averagePooling1d({ strides: -1 }), /averagePooling1d: strides must be a positive integer/],
    [() => df.layers.maxPooling1d({ poolSise: 2 } as unknown as df.Pooling1DConfig), /poolSise.*poolSize/],
    [() => df.layers.globalMaxPooling1d({ keepdims: true } as unknown as df.GlobalPooling1DConfig), /keepdims.*reshape/],
    [() => df.layers.globalAveragePooling1d({ dataFormat: 'channelsFirst' as 'channelsLast' }), /globalAveragePooling1d: dataFormat must be 'channelsLast'/],
  ])('%#: a bad option is refused', (make, message) => {
    expect(make).toThrow(message);
  });

  it('refuse rows that are not sequences, and a window longer than the sequence, naming the layer', () => {
    expect(() => df.sequential({ layers: [df.layers.maxPooling1d({ inputShape: [4, 4, 1] })] })).toThrow(/'max_pooling1d' \(MaxPooling1D\): expects sequences \[steps, channels\], got rows of shape \[4, 4, 1\]/);
    expect(() => df.sequential({ layers: [df.layers.globalAveragePooling1d({ inputShape: [4] })] })).toThrow(/'global_average_pooling1d' \(GlobalAveragePooling1D\): expects sequences/);
    expect(() => df.sequential({ layers: [df.layers.averagePooling1d({ poolSize: 5, inputShape: [4, 2] })] })).toThrow(/a window of 5 does not fit in a sequence of 4 steps/);
  });
});

describe('after an Embedding with maskZero', () => {
  const embed = () => df.layers.embedding({ inputDim: 10, outputDim: 4, inputLength: 6, maskZero: true });

  const gradients = (m: df.Sequential) => {
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    return m.computeGradients({ data: Float32Array.from({ length: 12 }, (_, i) => i % 10), shape: [2, 6] }, { data: new Float32Array(2), shape: [2, 1] });
  };

  // Keras 3: Σ over the kept steps / their count; deltaflow gives a row with none zeros (Keras: 0/0).
  const INDEX_ROWS = [
    [3, 0, 5, 7, 0, 1],
    [0, 0, 0, 0, 0, 0],
    [9, 8, 7, 6, 5, 4],
  ];
  const x = { data: Float32Array.from(INDEX_ROWS.flat()), shape: [3, 6] };

  /** The float64 model embedding → dense(3, tanh) → masked mean → dense(1), from the model's own weights. */
  function reference(ws: Float64Array[], rows: number[][]): number[] {
    const [table, k1, b1, k2, b2] = ws;
    return rows.map((row) => {
      const kept = row.filter((i) => i !== 0);
      const mean = [0, 0, 0];
      for (const i of kept) {
        for (let u = 0; u < 3; u++) {
          let z = b1[u];
          for (let f = 0; f < 4; f++) z += table[i * 4 + f] * k1[f * 3 + u];
          mean[u] += Math.tanh(z) / kept.length;
        }
      }
      return b2[0] + mean.reduce((s, m, u) => s + m * k2[u], 0);
    });
  }

  it('globalAveragePooling1d averages over the steps the mask keeps (Keras 3), predict and gradients vs float64', () => {
    const m = df.sequential({ seed: 4, layers: [embed(), df.layers.dense({ units: 3, activation: 'tanh' }), df.layers.globalAveragePooling1d(), df.layers.dense({ units: 1 })] });
    const next = rng(3);
    m.setWeights(m.getWeights().map((w) => ({ data: uniform(next, w.size, -0.8, 0.8), shape: w.shape })));
    const ws = m.getWeights().map((w) => Float64Array.from(w.dataSync()));
    const want = reference(ws, INDEX_ROWS);
    const got = Array.from(m.predict(x).dataSync());
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i], 6));
    expect(got[1]).toBe(ws[4][0]); // all padding: the mean is 0, only the bias is left
    const y = [0.5, -0.2, 0.1];
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const { grads } = m.computeGradients(x, { data: Float32Array.from(y), shape: [3, 1] });
    const loss = () => reference(ws, INDEX_ROWS).reduce((s, p, i) => s + (p - y[i]) ** 2, 0) / 3;
    grads.forEach((g, t) => {
      g.dataSync().forEach((v, i) => {
        const keep = ws[t][i];
        ws[t][i] = keep + 1e-6;
        const up = loss();
        ws[t][i] = keep - 1e-6;
        const down = loss();
        ws[t][i] = keep;
        expect(Math.abs(v - (up - down) / 2e-6), `gradient ${t}[${i}]`).toBeLessThan(2e-5);
      });
    });
    // Without maskZero every step counts.
    const plain = df.sequential({ layers: [df.layers.embedding({ inputDim: 10, outputDim: 4, inputLength: 6 }), df.layers.globalAveragePooling1d()] });
    const table = plain.getWeights()[0].dataSync();
    expect(plain.predict(x).dataSync()[0]).toBeCloseTo(INDEX_ROWS[0].reduce((s, i) => s + table[i * 4], 0) / 6, 6);
  });

  it('a conv1d or a max pooling drops the mask as in Keras 3, so what follows them computes as Keras does', () => {
    for (const layer of [df.layers.conv1d({ filters: 2, kernelSize: 3 }), df.layers.globalMaxPooling1d(), df.layers.maxPooling1d()]) {
      const m = df.sequential({ layers: [embed(), layer, ...(layer instanceof df.GlobalMaxPooling1D ? [] : [df.layers.globalAveragePooling1d()]), df.layers.dense({ units: 1 })] });
      expect(gradients(m).grads.length).toBe(m.getWeights().length);
    }
  });
});
