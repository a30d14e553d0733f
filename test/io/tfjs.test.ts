// Files interchangeable with TensorFlow.js 4.22.0: what deltaflow writes matches what tfjs writes for
// the same model and loads in tfjs; what tfjs (and the converter: shards, quantization) writes loads
// in deltaflow; in both directions predictions agree on 100 random rows.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { rng, uniform } from '../helpers/random.js';
import { useTfjsPeer } from '../helpers/tfjs.js';
import { bytesOf, capture, maxRel, modelJSON, quantize, shard } from './helpers.js';

// Both compute in f32 in different orders, so outputs are compared relative to max(|tfjs|, 0.1 × the
// batch's largest |output|): near-zero outputs of a linear layer are differences of larger terms.
const TOL = 1e-6;
const FLOOR = 0.1;
const ROWS = 100;

useTfjsPeer();

function agree(got: Float32Array, want: Float32Array) {
  const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  expect(maxRel(got, want, Math.max(FLOOR * scale, 1e-30))).toBeLessThan(TOL);
}

function rows(seed: number, cols: number) {
  return uniform(rng(seed), ROWS * cols, -2, 2);
}

function tfPredict(m: tf.LayersModel, x: Float32Array, shape: number[]): Float32Array {
  return tf.tidy(() => (m.predict(tf.tensor(x, [ROWS, ...shape])) as tf.Tensor).dataSync() as Float32Array);
}

function dfModel(seed = 5) {
  return df.sequential({
    seed,
    name: 'mixed',
    layers: [
      df.layers.dense({ units: 12, activation: 'gelu', inputShape: [6] }),
      df.layers.dropout({ rate: 0.25 }),
      df.layers.dense({ units: 10, activation: 'mish', kernelInitializer: 'heNormal' }),
      df.layers.activation({ activation: 'swish' }),
      df.layers.dense({ units: 9, activation: 'selu', useBias: false }),
      df.layers.dense({ units: 8, activation: 'elu', kernelInitializer: 'lecunUniform', biasInitializer: 'ones' }),
      df.layers.dense({ units: 7, activation: 'softplus' }),
      df.layers.dense({ units: 6, activation: 'relu6' }),
      df.layers.dense({ units: 5, activation: 'softsign' }),
      df.layers.dense({ units: 4, activation: 'tanh' }),
      df.layers.activation({ activation: 'relu' }),
      df.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
}

describe('deltaflow → TensorFlow.js', () => {
  it('writes the structure tfjs writes for the same model', async () => {
    const m = df.sequential({
      seed: 1,
      layers: [
        df.layers.dense({ units: 3, activation: 'relu', inputShape: [4], name: 'd1' }),
        df.layers.dropout({ rate: 0.25, seed: 3, name: 'drop' }),
        df.layers.activation({ activation: 'tanh', name: 'act' }),
        df.layers.dense({ units: 2, useBias: false, kernelInitializer: 'heNormal', name: 'd2' }),
      ],
    });
    m.compile({ optimizer: df.train.adam(0.01), loss: 'meanSquaredError', metrics: ['accuracy'] });
    await m.fit([[1, 2, 3, 4]], [[1, 1]], { epochs: 1, verbose: 0 });
    const mine = await capture((h) => m.save(h, { includeOptimizer: true }));

    const t = tf.sequential();
    t.add(tf.layers.dense({ units: 3, activation: 'relu', inputShape: [4], name: 'd1', kernelInitializer: 'glorotUniform' }));
    t.add(tf.layers.dropout({ rate: 0.25, seed: 3, name: 'drop' }));
    t.add(tf.layers.activation({ activation: 'tanh', name: 'act' }));
    t.add(tf.layers.dense({ units: 2, useBias: false, kernelInitializer: 'heNormal', name: 'd2' }));
    t.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError', metrics: ['accuracy'] });
    await t.fit(tf.ones([1, 4]), tf.ones([1, 2]), { epochs: 1, verbose: 0 });
    const theirs = await capture((h) => t.save(h as tf.io.IOHandler, { includeOptimizer: true }));

    expect(mine.format).toBe(theirs.format);
    expect(mine.convertedBy).toBe(null);
    const topo = (a: df.ModelArtifacts) => a.modelTopology as { class_name: string; config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
    expect(topo(mine).class_name).toBe(topo(theirs).class_name);
    const mineLayers = topo(mine).config.layers;
    const theirLayers = topo(theirs).config.layers;
    expect(mineLayers.map((l) => l.class_name)).toEqual(theirLayers.map((l) => l.class_name));
    mineLayers.forEach((l, i) => {
      // Same keys in the same order, same values (initializers included: tfjs writes the Glorot and
      // He families as VarianceScaling).
      expect(Object.keys(l.config)).toEqual(Object.keys(theirLayers[i].config));
      expect(l.config).toEqual(theirLayers[i].config);
    });
    // The weights manifest: names, shapes, dtypes and groups, tfjs's 'iter' first, then m, then v.
    expect(mine.weightSpecs).toEqual(theirs.weightSpecs);
    expect(bytesOf(mine.weightData).byteLength).toBe(bytesOf(theirs.weightData).byteLength);
    const { deltaflow, ...training } = mine.trainingConfig as unknown as Record<string, unknown>;
    expect(training).toEqual(theirs.trainingConfig);
    expect(deltaflow).toBeDefined();
  });

  it('a deltaflow model loads in tfjs and predicts the same on 100 random rows', async () => {
    const m = dfModel();
    m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    const x = rows(11, 6);
    const y = new Float32Array(ROWS * 3).map((_, i) => (i % 3 === 0 ? 1 : 0));
    await m.fit({ data: x, shape: [ROWS, 6] }, { data: y, shape: [ROWS, 3] }, { epochs: 3, verbose: 0 });
    for (const includeOptimizer of [false, true]) {
      const artifacts = await capture((h) => m.save(h, { includeOptimizer }));
      const t = await tf.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
      agree(m.predict({ data: x, shape: [ROWS, 6] }).dataSync(), tfPredict(t, x, [6]));
      if (includeOptimizer) expect(t.optimizer.getClassName()).toBe('Adam');
      t.dispose();
    }
  });

  it('tfjs refuses what it would compute differently: hardSigmoid, leakyRelu', async () => {
    for (const activation of ['hardSigmoid', 'leakyRelu']) {
      const m = df.sequential({ seed: 2, layers: [df.layers.dense({ units: 2, activation, inputShape: [3] })] });
      const artifacts = await capture((h) => m.save(h));
      await expect(tf.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts))).rejects.toThrow(/Unknown activation/);
      // deltaflow reads them back as they were.
      const back = await df.loadLayersModel(df.io.fromMemory(artifacts));
      const x = [[0.5, -4, 2]];
      expect(back.predict(x).dataSync()).toEqual(m.predict(x).dataSync());
    }
  });

  it('tfjs refuses an optimizer it does not have rather than training differently', async () => {
    const m = df.sequential({ seed: 2, layers: [df.layers.dense({ units: 2, inputShape: [3] })] });
    m.compile({ optimizer: 'nadam', loss: 'mse' });
    await m.fit([[1, 2, 3]], [[1, 0]], { epochs: 1, verbose: 0 });
    const artifacts = await capture((h) => m.save(h, { includeOptimizer: true }));
    expect((artifacts.trainingConfig!.optimizer_config as { class_name: string }).class_name).toBe('deltaflow>Nadam');
    await expect(tf.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts))).rejects.toThrow(/deltaflow>Nadam/);
  });
});

// tfjs initializers are seeded so every run checks the same weights.
const seeded = (seed: number) => ({
  kernelInitializer: tf.initializers.glorotUniform({ seed }),
  biasInitializer: tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: seed + 1 }),
});

function tfSequential() {
  const t = tf.sequential();
  t.add(tf.layers.flatten({ inputShape: [2, 3] }));
  t.add(tf.layers.dense({ units: 16, activation: 'elu', ...seeded(1) }));
  t.add(tf.layers.dropout({ rate: 0.5 }));
  t.add(tf.layers.activation({ activation: 'softsign' }));
  t.add(tf.layers.dense({ units: 8, activation: 'relu6', useBias: false, kernelInitializer: tf.initializers.heNormal({ seed: 3 }) }));
  t.add(tf.layers.dense({ units: 4, activation: 'softmax', ...seeded(4) }));
  return t;
}

function tfFunctional() {
  const input = tf.input({ shape: [5] });
  let h = tf.layers.dense({ units: 7, activation: 'tanh', ...seeded(6) }).apply(input) as tf.SymbolicTensor;
  h = tf.layers.dropout({ rate: 0.1 }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.activation({ activation: 'sigmoid' }).apply(h) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 3, ...seeded(8) }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

describe('TensorFlow.js → deltaflow', () => {
  const cases = [
    { name: 'Sequential with Flatten, Dropout and Activation', make: tfSequential, shape: [2, 3] },
    { name: 'functional Model (InputLayer, inbound_nodes)', make: tfFunctional, shape: [5] },
  ];
  for (const c of cases) {
    it(`${c.name}: predicts the same on 100 random rows`, async () => {
      const t = c.make();
      const artifacts = await capture((h) => t.save(h as tf.io.IOHandler));
      const m = await df.loadLayersModel(df.io.fromMemory(artifacts));
      expect(m.layers.map((l) => l.className)).toEqual(t.layers.map((l) => l.getClassName()).filter((c) => c !== 'InputLayer'));
      expect(m.inputShape).toEqual(c.shape);
      const cols = c.shape.reduce((a, b) => a * b, 1);
      const x = rows(21, cols);
      agree(m.predict({ data: x, shape: [ROWS, ...c.shape] }).dataSync(), tfPredict(t, x, c.shape));
      // And deltaflow's re-save loads in tfjs again, with the same input shape.
      const again = await capture((h) => m.save(h));
      const t2 = await tf.loadLayersModel(tf.io.fromMemory(again as tf.io.ModelArtifacts));
      agree(tfPredict(t2, x, c.shape), tfPredict(t, x, c.shape));
      t.dispose();
      t2.dispose();
    });
  }

  it('in the converter wrapper { model_config, keras_version } with sharded weights (a tensor straddling two shards)', async () => {
    const t = tfSequential();
    const a = await capture((h) => t.save(h as tf.io.IOHandler));
    const bytes = bytesOf(a.weightData);
    // 6·16·4 = 384 bytes of kernel first: cutting at 100 and 401 splits the first kernel and the bias after it.
    const { paths, files } = shard(bytes, [100, 401]);
    const json = modelJSON({ ...a, modelTopology: { model_config: a.modelTopology, keras_version: '2.15.0', backend: 'tensorflow' } }, paths);
    const m = await df.loadLayersModel(df.io.fromFiles({ 'model.json': JSON.stringify(json), ...files }));
    const x = rows(22, 6);
    agree(m.predict({ data: x, shape: [ROWS, 2, 3] }).dataSync(), tfPredict(t, x, [2, 3]));
    t.dispose();
  });

  it('quantized uint8, uint16 and float16 weights dequantize exactly as tfjs does', async () => {
    const t = tfSequential();
    const a = await capture((h) => t.save(h as tf.io.IOHandler));
    for (const kinds of [['uint8'], ['uint16'], ['float16'], ['uint8', 'float16', 'uint16', 'none']] as const) {
      const q = quantize(a, [...kinds]);
      const tq = await tf.loadLayersModel(tf.io.fromMemory(q as tf.io.ModelArtifacts));
      const { paths, files } = shard(bytesOf(q.weightData), [37]);
      const m = await df.loadLayersModel(df.io.fromFiles({ 'model.json': JSON.stringify(modelJSON(q, paths)), ...files }));
      // Bit for bit the same weights as tfjs decodes...
      const theirs = tq.getWeights().map((w) => Array.from(new Uint32Array((w.dataSync() as Float32Array).slice().buffer)));
      expect(m.getWeights().map((w) => Array.from(new Uint32Array(w.dataSync().buffer)))).toEqual(theirs);
      // ...so the same predictions.
      const x = rows(23, 6);
      agree(m.predict({ data: x, shape: [ROWS, 2, 3] }).dataSync(), tfPredict(tq, x, [2, 3]));
      tq.dispose();
    }
    t.dispose();
  });

  it('training state from tfjs: iterations and Adam moments, slot by slot', async () => {
    const t = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2], activation: 'sigmoid', ...seeded(10) })] });
    t.compile({ optimizer: tf.train.adam(0.02), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    await t.fit(tf.tensor([[0, 1], [1, 0], [1, 1]]), tf.tensor([[1, 0, 1], [0, 1, 1], [1, 1, 0]]), { epochs: 4, batchSize: 3, verbose: 0 });
    const a = await capture((h) => t.save(h as tf.io.IOHandler, { includeOptimizer: true }));
    const m = await df.loadLayersModel(df.io.fromMemory(a));
    expect(m.optimizer?.name).toBe('adam');
    expect(m.optimizer?.learningRate).toBeCloseTo(0.02, 12);
    const state = m.getOptimizerState();
    expect(state.iterations).toBe(4);
    const w = await t.optimizer.getWeights();
    const flat = (names: string[]) => Float32Array.from(names.flatMap((n) => Array.from(w.find((x) => x.name === n)!.tensor.dataSync())));
    const names = t.weights.map((v) => v.originalName);
    expect(Array.from(state.slots[0])).toEqual(Array.from(flat(names.map((n) => `${n}/m`))));
    expect(Array.from(state.slots[1])).toEqual(Array.from(flat(names.map((n) => `${n}/v`))));
    t.dispose();
  });

  it("tfjs's RMSProp (which keeps a momentum accumulator even without momentum) and Momentum", async () => {
    const data = [tf.tensor([[0, 1], [1, 0], [1, 1]]), tf.tensor([[1], [0], [1]])] as const;
    for (const [optimizer, name, slots] of [
      [tf.train.rmsprop(0.01), 'rmsprop', ['rms']],
      [tf.train.rmsprop(0.01, 0.9, 0.5), 'rmsprop', ['rms', 'momentum']],
      [tf.train.momentum(0.1, 0.9, true), 'sgd', ['momentum']],
    ] as const) {
      const t = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2], ...seeded(12) })] });
      t.compile({ optimizer, loss: 'meanSquaredError' });
      await t.fit(data[0], data[1], { epochs: 3, verbose: 0 });
      const a = await capture((h) => t.save(h as tf.io.IOHandler, { includeOptimizer: true }));
      const m = await df.loadLayersModel(df.io.fromMemory(a));
      expect(m.optimizer?.name).toBe(name);
      const state = m.getOptimizerState();
      expect(state.iterations).toBe(3);
      const w = await t.optimizer.getWeights();
      slots.forEach((slot, s) => {
        const want = t.weights.flatMap((v) => Array.from(w.find((x) => x.name === `${v.originalName}/${slot}`)!.tensor.dataSync()));
        expect(Array.from(state.slots[s])).toEqual(want);
      });
      t.dispose();
    }
  });
});
