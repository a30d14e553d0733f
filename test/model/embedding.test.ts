// Embedding: the table's gradient against a float64 reference and finite differences, repeated indices
// accumulating, every bad index refused (by row, position and value) before anything changes, the
// first-layer rule, maskZero's refusals where Keras would use the mask, and the textbook's sentiment model.
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { rng, uniform } from '../helpers/random.js';
import type { Trainer } from '../../src/engine/trainer.js';

beforeAll(() => df.ready());

const VOCAB = 7;
const DIM = 5;
const STEPS = 3;

/** Embedding(VOCAB, DIM) → Flatten → Dense(1, linear or sigmoid), seeded. */
function model(activation: 'linear' | 'sigmoid' = 'linear', extra: Partial<df.EmbeddingConfig> = {}): df.Sequential {
  return df.sequential({
    seed: 3,
    layers: [
      df.layers.embedding({ inputDim: VOCAB, outputDim: DIM, inputLength: STEPS, ...extra }),
      df.layers.flatten(),
      df.layers.dense({ units: 1, activation }),
    ],
  });
}

const X = [
  [1, 4, 1],
  [0, 6, 2],
  [1, 1, 1],
  [5, 3, 0],
];
const Y = [[0.5], [-1], [2], [0.25]];

/** Float64 reference of mse(Embedding → Flatten → Dense) and its table gradient. */
function reference(table: Float32Array, kernel: Float32Array, bias: number, x: number[][], y: number[][]) {
  const rows = x.length;
  const grad = new Float64Array(VOCAB * DIM);
  let loss = 0;
  for (let r = 0; r < rows; r++) {
    let out = bias;
    x[r].forEach((i, p) => {
      for (let k = 0; k < DIM; k++) out += table[i * DIM + k] * kernel[p * DIM + k];
    });
    const e = out - y[r][0];
    loss += (e * e) / rows;
    const dOut = (2 * e) / rows;
    x[r].forEach((i, p) => {
      for (let k = 0; k < DIM; k++) grad[i * DIM + k] += dOut * kernel[p * DIM + k];
    });
  }
  return { loss, grad };
}

describe('embedding: forward and gradient', () => {
  it('outputs the rows its indices name', () => {
    const m = df.sequential({ seed: 1, layers: [df.layers.embedding({ inputDim: VOCAB, outputDim: DIM, inputShape: [STEPS] })] });
    const table = m.getWeights()[0].dataSync();
    const out = m.predict(X);
    expect(out.shape).toEqual([4, STEPS, DIM]);
    const got = out.dataSync();
    X.flat().forEach((i, p) => expect(Array.from(got.subarray(p * DIM, (p + 1) * DIM))).toEqual(Array.from(table.subarray(i * DIM, (i + 1) * DIM))));
  });

  it('starts from randomUniform ±0.05, as Keras and tfjs', () => {
    const table = model().getWeights()[0].dataSync();
    expect(Math.max(...table)).toBeLessThanOrEqual(0.05);
    expect(Math.min(...table)).toBeGreaterThanOrEqual(-0.05);
    expect(new Set(table).size).toBe(table.length);
  });

  it('gives the table gradient of a float64 reference; repeated indices accumulate, unused rows get zero', () => {
    const m = model();
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const [table, kernel, bias] = m.getWeights().map((w) => w.dataSync());
    const { loss, grads } = m.computeGradients(X, Y);
    const ref = reference(table, kernel, bias[0], X, Y);
    expect(loss).toBeCloseTo(ref.loss, 6);
    const got = grads[0].dataSync();
    expect(grads[0].shape).toEqual([VOCAB, DIM]);
    for (let j = 0; j < got.length; j++) expect(Math.abs(got[j] - ref.grad[j])).toBeLessThan(1e-6 + 1e-5 * Math.abs(ref.grad[j]));
    // Row 1 appears five times (three in one row) and its gradient is their sum (the reference's); rows no index names get zeros.
    const used = new Set(X.flat());
    for (let i = 0; i < VOCAB; i++) {
      const row = Array.from(got.subarray(i * DIM, (i + 1) * DIM));
      if (used.has(i)) expect(row.some((v) => v !== 0)).toBe(true);
      else expect(row).toEqual(new Array(DIM).fill(0));
    }
  });

  it('matches central finite differences of the loss', () => {
    const m = model();
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const weights = m.getWeights();
    const table = weights[0].dataSync().slice();
    const grad = m.computeGradients(X, Y).grads[0].dataSync();
    const lossWith = (t: Float32Array) => {
      m.setWeights([{ data: t, shape: [VOCAB, DIM] }, weights[1], weights[2]]);
      return m.evaluate(X, Y).loss;
    };
    const eps = 1e-2;
    for (const j of [1 * DIM, 1 * DIM + 4, 6 * DIM + 2, 0, 3 * DIM + 1]) {
      const up = table.slice();
      up[j] += eps;
      const down = table.slice();
      down[j] -= eps;
      const fd = (lossWith(up) - lossWith(down)) / (2 * eps);
      expect(Math.abs(fd - grad[j])).toBeLessThan(2e-3 * Math.max(1, Math.abs(grad[j])));
    }
  });

  it('one sgd step moves exactly the rows the batch names', () => {
    const m = model();
    m.compile({ optimizer: df.train.sgd(0.1), loss: 'mse' });
    const before = m.getWeights()[0].dataSync().slice();
    const grad = m.computeGradients(X, Y).grads[0].dataSync();
    m.trainOnBatch(X, Y);
    const after = m.getWeights()[0].dataSync();
    // The update is dense (as tfjs and Keras's JAX backend): rows no index names have zero gradient and stay put.
    for (let j = 0; j < before.length; j++) {
      if (grad[j] === 0) expect(after[j]).toBe(before[j]);
      else expect(Math.abs(after[j] - (before[j] - 0.1 * grad[j]))).toBeLessThan(1e-8);
    }
  });
});

describe('embedding: bad indices', () => {
  const cases: [string, number, RegExp][] = [
    ['negative', -1, /x row 2, position 1 is -1, outside the table's 7 rows/],
    ['past the table', VOCAB, /x row 2, position 1 is 7, outside the table's 7 rows.*\[0, 6\] \(inputDim 7\)/],
    ['fractional', 2.5, /x row 2, position 1 is 2\.5, not an integer/],
    // NaN and infinities are refused for every model, before the layer sees them.
    ['NaN', NaN, /x\[2\]\[1\] is NaN/],
  ];
  for (const [what, value, message] of cases) {
    it(`${what}: refused by fit, predict, evaluate, trainOnBatch and computeGradients with the model untouched`, async () => {
      const m = model();
      m.compile({ optimizer: 'adam', loss: 'mse' });
      const bad = X.map((r) => [...r]);
      bad[2][1] = value;
      const before = m.getWeights().map((w) => Array.from(w.dataSync()));
      const state = m.getOptimizerState();
      await expect(m.fit(bad, Y, { epochs: 1, verbose: 0 })).rejects.toThrow(message);
      await expect(m.fit(X, Y, { epochs: 1, verbose: 0, validationData: [bad, Y] })).rejects.toThrow(message);
      expect(() => m.predict(bad)).toThrow(message);
      expect(() => m.evaluate(bad, Y)).toThrow(message);
      expect(() => m.trainOnBatch(bad, Y)).toThrow(message);
      expect(() => m.computeGradients(bad, Y)).toThrow(message);
      expect(m.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
      expect(m.getOptimizerState().iterations).toBe(state.iterations);
      expect(m.getOptimizerState().slots.map((s) => Array.from(s))).toEqual(state.slots.map((s) => Array.from(s)));
    });
  }
  it('WASM traps on an index past the TS check instead of reading outside the table', () => {
    const m = model();
    const arena = m.ready([STEPS]);
    const trainer = (m as unknown as { trainer: Trainer }).trainer;
    const bad = { data: Float32Array.from([0, 1, VOCAB]), rows: 1, cols: STEPS, shape: [STEPS], dims: [1, STEPS] };
    expect(() => trainer.predict(arena, bad, 1, 1)).toThrow(/unreachable/);
    expect(() => trainer.predict(arena, { ...bad, data: Float32Array.from([0, -1, 1]) }, 1, 1)).toThrow(/unreachable/);
    expect(() => trainer.predict(arena, { ...bad, data: Float32Array.from([0, 0.5, 1]) }, 1, 1)).toThrow(/unreachable/);
    expect(trainer.predict(arena, { ...bad, data: Float32Array.from([0, VOCAB - 1, 1]) }, 1, 1)).toHaveLength(1);
  });

  it('names the layer', () => {
    const m = df.sequential({ layers: [df.layers.embedding({ inputDim: 3, outputDim: 2, inputShape: [2], name: 'words' })] });
    expect(() => m.predict([[0, 3]])).toThrow(/layer 'words' \(Embedding\): x row 0, position 1 is 3/);
  });
});

describe('embedding: config', () => {
  it('must be the first layer', () => {
    const m = df.sequential({ layers: [df.layers.dense({ units: 2, inputShape: [3] })] });
    expect(() => m.add(df.layers.embedding({ inputDim: 4, outputDim: 2 }))).toThrow(/layer 'embedding' \(Embedding\) must be the model's first layer: its inputs are integer indices/);
    expect(m.layers.length).toBe(1);
  });

  it('checks its options, naming them', () => {
    expect(() => df.layers.embedding({ inputDim: 0, outputDim: 2 })).toThrow(/embedding: inputDim must be a positive integer/);
    expect(() => df.layers.embedding({ inputDim: 2 ** 24 + 1, outputDim: 2 })).toThrow(/embedding: inputDim must be a positive integer/);
    expect(() => df.layers.embedding({ inputDim: 3, outputDim: 1.5 })).toThrow(/embedding: outputDim must be a positive integer/);
    expect(() => df.layers.embedding({ inputDim: 3, outputDim: 2, maskZero: 1 as never })).toThrow(/embedding: maskZero must be true or false/);
    expect(() => df.layers.embedding({ inputDim: 3, outputDim: 2, inputLength: 0 })).toThrow(/embedding: inputLength must be a positive integer/);
    expect(() => df.layers.embedding({ inputDim: 3, outputDim: 2, inputLength: 4, inputShape: [5] })).toThrow(/embedding: inputLength 4 does not match the input shape \[5\]/);
    expect(() => df.layers.embedding({ inputDim: 3, outputDim: 2, embeddingsConstraint: 'nonNeg' } as never)).toThrow(/embedding: option 'embeddingsConstraint' is not supported/);
    expect(() => df.layers.embedding({ inputDim: 3, outputDim: 2, lora_rank: 4 } as never)).toThrow(/embedding: option 'lora_rank' is not supported by deltaflow; LoRA/);
    expect(() => df.layers.embedding({ inputDim: 3, outputDim: 2, outputdim: 2 } as never)).toThrow(/embedding: .*'outputdim'/);
    // Keras's snake_case spellings.
    const e = df.layers.embedding({ input_dim: 9, output_dim: 4, mask_zero: true, input_length: 6 } as never);
    expect([e.inputDim, e.outputDim, e.maskZero, e.inputShape]).toEqual([9, 4, true, [6]]);
  });

  it('has getConfig, summary and weight names as tfjs', () => {
    const m = model('sigmoid', { name: 'emb' });
    const e = m.layers[0];
    expect(e.getConfig()).toMatchObject({ name: 'emb', inputDim: VOCAB, outputDim: DIM, maskZero: false, inputLength: STEPS, embeddingsInitializer: { className: 'RandomUniform', config: { minval: -0.05, maxval: 0.05 } } });
    expect(m.weights[0].name).toBe('emb/embeddings');
    expect(e.countParams()).toBe(VOCAB * DIM);
    const text = m.summary(null);
    expect(text).toMatch(/emb \(Embedding\)\s+│ \(None, 3, 5\)\s+│\s+35 │/);
    expect(m.outputShape).toEqual([null, 1]);
  });

  it('maskZero: kept and harmless before flatten; refused where Keras would compute with the mask', async () => {
    const ok = model('sigmoid', { maskZero: true });
    ok.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
    await ok.fit(X, [[0], [1], [1], [0]], { epochs: 1, verbose: 0 });
    const reaching = df.sequential({ layers: [df.layers.embedding({ inputDim: VOCAB, outputDim: 2, inputLength: STEPS, maskZero: true }), df.layers.dense({ units: 1 })] });
    // Predictions are Keras's: Dense ignores the mask, only the loss would use it.
    expect(reaching.predict(X).shape).toEqual([4, STEPS, 1]);
    reaching.compile({ optimizer: 'sgd', loss: 'mse' });
    expect(() => reaching.evaluate(X, [[[0], [0], [0]], [[0], [0], [0]], [[0], [0], [0]], [[0], [0], [0]]].map((r) => r.flat()))).toThrow(
      /layer 'embedding' \(Embedding\) has maskZero: its mask would reach the loss.*add flatten\(\) after it.*or set maskZero false/,
    );
    const norm = df.sequential({ layers: [df.layers.embedding({ inputDim: VOCAB, outputDim: 2, inputLength: STEPS, maskZero: true }), df.layers.batchNormalization(), df.layers.flatten(), df.layers.dense({ units: 1 })] });
    norm.compile({ optimizer: 'sgd', loss: 'mse' });
    expect(() => norm.trainOnBatch(X, Y)).toThrow(/its mask would reach layer 'batch_normalization' \(BatchNormalization\)/);
  });
});

describe("the textbook's sentiment model", () => {
  it('Embedding(vocab, 8, inputLength) → Flatten → Dense(1, sigmoid) learns a tiny sentiment set', async () => {
    // Padded word indices of ten short reviews: 1–5 positive words, 6–10 negative, 0 padding.
    const docs = [
      [1, 2, 0, 0], [3, 0, 0, 0], [4, 5, 1, 0], [2, 3, 0, 0], [5, 4, 0, 0],
      [6, 7, 0, 0], [8, 0, 0, 0], [9, 10, 6, 0], [7, 8, 0, 0], [10, 9, 0, 0],
    ];
    const labels = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0].map((v) => [v]);
    const m = df.sequential({ seed: 11, layers: [df.layers.embedding({ inputDim: 11, outputDim: 8, inputLength: 4 }), df.layers.flatten(), df.layers.dense({ units: 1, activation: 'sigmoid' })] });
    m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const h = await m.fit(docs, labels, { epochs: 50, verbose: 0 });
    expect(h.history.loss.at(-1)!).toBeLessThan(h.history.loss[0]);
    expect(m.evaluate(docs, labels).accuracy).toBe(1);
  });
});

describe('embedding: any rank of indices', () => {
  it('[2, 3] indices per row give [2, 3, outputDim]', () => {
    const m = df.sequential({ seed: 2, layers: [df.layers.embedding({ inputDim: 4, outputDim: 3, inputShape: [2, 3] })] });
    const x = { data: Float32Array.from(uniform(rng(1), 12, 0, 3.99).map(Math.floor)), shape: [2, 2, 3] };
    expect(m.predict(x).shape).toEqual([2, 2, 3, 3]);
  });
});
