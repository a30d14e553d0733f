// Image layers in TensorFlow.js's layers-model format, both ways: every kind survives a deltaflow save
// and load (same predictions, weights and configs); deltaflow writes what tfjs 4.22 writes for the same
// model; the textbook's CNN, an autoencoder and a batch-normalized net saved by deltaflow load in tfjs,
// and saved by tfjs load in deltaflow, predicting the same; Keras 3's spellings load; and every value
// deltaflow cannot run is a ModelFormatError naming the layer and the key.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { rng, uniform, worst } from '../helpers/random.js';
import { useTfjsPeer } from '../helpers/tfjs.js';
import { dfTwin, imageBatch, imageCases, tfTwin } from '../helpers/image-models.js';
import { bytesOf, capture, modelJSON } from './helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// Both compute in f32 in different orders: outputs within 1e-5 of max(|tfjs|, 0.1 × the batch's largest).
const TOL = 1e-5;
const FLOOR = 0.1;
const ROWS = 6;

useTfjsPeer();

function agree(got: ArrayLike<number>, want: ArrayLike<number>) {
  let max = 0;
  for (let i = 0; i < want.length; i++) max = Math.max(max, Math.abs(want[i]));
  const { err, at } = worst(got, want, (i) => Math.max(Math.abs(want[i]), FLOOR * max, 1e-30));
  expect(err, `output[${at}]: deltaflow ${got[at]}, tfjs ${want[at]}`).toBeLessThan(TOL);
}

const topology = (a: df.ModelArtifacts) => a.modelTopology as Json;
const layerConfigs = (a: df.ModelArtifacts): Json[] => topology(a).config.layers;
const rowsOf = (shape: number[], seed: number) => ({ data: uniform(rng(seed), ROWS * shape.reduce((p, d) => p * d, 1), -1, 1), shape: [ROWS, ...shape] });

/** Bit patterns of every weight, for exact comparisons. */
const bits = (ws: { dataSync(): ArrayLike<number> }[]) => ws.map((w) => Array.from(new Uint32Array(Float32Array.from(w.dataSync()).buffer)));

// ---- every kind, deltaflow → deltaflow ----

/** Models that between them hold every layer kind, most with settings other than the defaults. */
const everyKind: { name: string; make: () => df.Sequential }[] = [
  {
    name: 'Conv2D (strides, dilation, same padding, no bias), BatchNormalization, LeakyReLU, ZeroPadding2D, pooling, Flatten, Dropout, Dense',
    make: () =>
      df.sequential({
        seed: 31,
        name: 'kinds_a',
        layers: [
          df.layers.conv2d({ filters: 5, kernelSize: [3, 2], strides: [2, 1], padding: 'same', activation: 'tanh', useBias: false, kernelInitializer: 'heNormal', inputShape: [9, 8, 3] }),
          df.layers.batchNormalization({ momentum: 0.7, epsilon: 0.01, gammaInitializer: 'randomNormal', movingVarianceInitializer: 'ones' }),
          df.layers.leakyReLU({ alpha: 0.15 }),
          df.layers.zeroPadding2d({ padding: [[1, 2], [0, 3]] }),
          df.layers.conv2d({ filters: 4, kernelSize: 3, dilationRate: 2, activation: 'elu', biasInitializer: 'ones' }),
          df.layers.maxPooling2d({ poolSize: [2, 3], strides: 1, padding: 'same' }),
          df.layers.averagePooling2d({ poolSize: 2, padding: 'valid' }),
          df.layers.flatten(),
          df.layers.dropout({ rate: 0.3, seed: 7 }),
          df.layers.dense({ units: 3, activation: 'softmax' }),
        ],
      }),
  },
  {
    name: 'UpSampling2D, Reshape, BatchNormalization without center/scale, GlobalMaxPooling2D, Activation',
    make: () =>
      df.sequential({
        seed: 32,
        name: 'kinds_b',
        layers: [
          df.layers.reshape({ targetShape: [4, -1, 2], inputShape: [24] }),
          df.layers.upSampling2d({ size: [2, 3] }),
          df.layers.batchNormalization({ center: false }),
          df.layers.conv2d({ filters: 3, kernelSize: 2, activation: 'relu' }),
          df.layers.batchNormalization({ scale: false }),
          df.layers.globalMaxPooling2d(),
          df.layers.activation({ activation: 'sigmoid' }),
        ],
      }),
  },
  {
    name: 'GlobalAveragePooling2D after a strided valid Conv2D, Dense on it',
    make: () =>
      df.sequential({
        seed: 33,
        name: 'kinds_c',
        layers: [
          df.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, inputShape: [7, 7, 2] }),
          df.layers.globalAveragePooling2d(),
          df.layers.dense({ units: 2, useBias: false }),
        ],
      }),
  },
];

/** Non-trivial values for every weight (moving variances positive), set the same way in any copy. */
function scramble(m: df.Sequential, seed: number) {
  const next = rng(seed);
  m.setWeights(m.getWeights().map((w) => ({ data: uniform(next, w.size, 0.2, 1.2).map((v, i) => (i % 3 === 0 ? v : -v * 0.5)).map((v) => (w.shape.length === 1 ? Math.abs(v) : v)), shape: w.shape })));
}

describe('every image layer kind: deltaflow → memory → deltaflow', () => {
  for (const k of everyKind) {
    it(`${k.name}: the same layers, configs, weights and predictions`, async () => {
      const m = k.make();
      scramble(m, 41);
      const saved = await capture((h) => m.save(h));
      expect(layerConfigs(saved)[0].config.batch_input_shape).toEqual([null, ...m.inputShape!]);
      const back = await df.loadLayersModel(df.io.fromMemory(saved));
      expect(back.name).toBe(m.name);
      expect(back.inputShape).toEqual(m.inputShape);
      expect(back.layers.map((l) => [l.className, l.name])).toEqual(m.layers.map((l) => [l.className, l.name]));
      // Every config as written again: nothing lost or changed on the way.
      const again = await capture((h) => back.save(h));
      expect(again.modelTopology).toEqual(saved.modelTopology);
      expect(again.weightSpecs).toEqual(saved.weightSpecs);
      expect(back.summary(null)).toBe(m.summary(null));
      expect(bits(back.getWeights())).toEqual(bits(m.getWeights()));
      const x = rowsOf(m.inputShape!, 42);
      expect(Array.from(back.predict(x).dataSync())).toEqual(Array.from(m.predict(x).dataSync()));
      m.dispose();
      back.dispose();
    });
  }

  it('the layers themselves carry the configs back (windows, paddings, statistics, slopes)', async () => {
    const m = everyKind[0].make();
    const back = await df.loadLayersModel(df.io.fromMemory(await capture((h) => m.save(h))));
    const [conv, bn, leaky, pad, conv2, max, avg] = back.layers as unknown as Json[];
    expect(conv.window).toEqual({ kernel: [3, 2], strides: [2, 1], dilation: [1, 1], padding: 'same' });
    expect([conv.filters, conv.useBias, conv.activation.name, conv.kernelInitializer.name]).toEqual([5, false, 'tanh', 'heNormal']);
    expect([bn.momentum, bn.epsilon, bn.center, bn.scale, bn.initializers.gamma.name]).toEqual([0.7, 0.01, true, true, 'randomNormal']);
    expect(leaky.alpha).toBe(0.15);
    expect(pad.padding).toEqual([[1, 2], [0, 3]]);
    expect([conv2.window.dilation, conv2.biasInitializer.name]).toEqual([[2, 2], 'ones']);
    expect(max.window).toEqual({ kernel: [2, 3], strides: [1, 1], dilation: [1, 1], padding: 'same' });
    expect(avg.window).toEqual({ kernel: [2, 2], strides: [2, 2], dilation: [1, 1], padding: 'valid' });
    m.dispose();
    back.dispose();
  });

  it('training state: Adam keeps moments for the trainable weights only, and training resumes exactly', async () => {
    const c = imageCases[2];
    const m = dfTwin(c);
    m.compile({ optimizer: 'adam', loss: c.loss, metrics: ['accuracy'] });
    const { x, y } = imageBatch(c, rng(5), 8);
    const xs = { data: x, shape: [8, ...c.inputShape] };
    const ys = { data: y, shape: [8, ...c.outputShape] };
    m.trainOnBatch(xs, ys);
    const saved = await capture((h) => m.save(h, { includeOptimizer: true }));
    const names = saved.weightSpecs!.map((s) => s.name);
    const trainable = saved.weightSpecs!.filter((s) => s.group !== 'optimizer' && !/moving_/.test(s.name)).map((s) => s.name);
    // The model's weights (trainable, then the moving statistics), 'iter', then m and v per trainable weight.
    expect(names.slice(trainable.length + 4)).toEqual(['iter', ...trainable.map((n) => `${n}/m`), ...trainable.map((n) => `${n}/v`)]);
    expect(names.slice(trainable.length, trainable.length + 4)).toEqual(['bn1/moving_mean', 'bn1/moving_variance', 'bn2/moving_mean', 'bn2/moving_variance']);
    const back = await df.loadLayersModel(df.io.fromMemory(saved));
    expect(back.getOptimizerState()).toEqual(m.getOptimizerState());
    expect(back.trainOnBatch(xs, ys)).toBe(m.trainOnBatch(xs, ys));
    expect(bits(back.getWeights())).toEqual(bits(m.getWeights()));
    // tfjs reads the same file, optimizer included.
    const t = await tf.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    expect(t.optimizer.getClassName()).toBe('Adam');
    t.dispose();
    m.dispose();
    back.dispose();
  });
});

// ---- deltaflow ⇄ TensorFlow.js ----

describe('deltaflow writes what tfjs writes', () => {
  it('the same layer configs (keys in tfjs order, values) and weight manifest, optimizer state included', async () => {
    const glorot = { kernelInitializer: 'glorotUniform' as const };
    const m = df.sequential({
      name: 'same',
      layers: [
        df.layers.conv2d({ name: 'w_c', filters: 4, kernelSize: [3, 2], strides: [1, 2], padding: 'same', activation: 'relu', inputShape: [8, 8, 2] }),
        df.layers.batchNormalization({ name: 'w_bn', momentum: 0.9 }),
        df.layers.leakyReLU({ name: 'w_lr', alpha: 0.1 }),
        df.layers.zeroPadding2d({ name: 'w_zp', padding: [[1, 0], [2, 1]] }),
        df.layers.maxPooling2d({ name: 'w_mp', poolSize: 2 }),
        df.layers.upSampling2d({ name: 'w_up', size: [2, 1] }),
        df.layers.averagePooling2d({ name: 'w_ap', poolSize: [2, 2], strides: 1, padding: 'same' }),
        df.layers.conv2d({ name: 'w_c2', filters: 3, kernelSize: 1, dilationRate: 1, useBias: false, kernelInitializer: 'heNormal' }),
        df.layers.reshape({ name: 'w_rs', targetShape: [6, 12] }),
        df.layers.reshape({ name: 'w_rs2', targetShape: [6, 4, 3] }),
        df.layers.globalMaxPooling2d({ name: 'gmp' }),
        df.layers.reshape({ name: 'w_rs3', targetShape: [1, 1, 3] }),
        df.layers.globalAveragePooling2d({ name: 'gap' }),
        df.layers.reshape({ name: 'w_rs4', targetShape: [1, 3] }),
        df.layers.flatten({ name: 'fl' }),
        df.layers.dense({ name: 'w_d', units: 2, activation: 'softmax' }),
      ],
    });
    m.compile({ optimizer: df.optimizers.adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy' });
    const x = rowsOf([8, 8, 2], 3);
    await m.fit(x, { data: new Float32Array(ROWS * 2).map((_, i) => i % 2), shape: [ROWS, 2] }, { epochs: 1, verbose: 0 });
    const mine = await capture((h) => m.save(h, { includeOptimizer: true }));
    // (Layer names no other tfjs model here uses: tfjs names optimizer state by its process-wide unique
    // variable names, 'c/kernel_1/m' for a second 'c'.)

    const t = tf.sequential({
      name: 'same',
      layers: [
        tf.layers.conv2d({ name: 'w_c', filters: 4, kernelSize: [3, 2], strides: [1, 2], padding: 'same', activation: 'relu', inputShape: [8, 8, 2], ...glorot }),
        tf.layers.batchNormalization({ name: 'w_bn', momentum: 0.9 }),
        tf.layers.leakyReLU({ name: 'w_lr', alpha: 0.1 }),
        tf.layers.zeroPadding2d({ name: 'w_zp', padding: [[1, 0], [2, 1]] }),
        tf.layers.maxPooling2d({ name: 'w_mp', poolSize: 2 }),
        tf.layers.upSampling2d({ name: 'w_up', size: [2, 1] }),
        tf.layers.averagePooling2d({ name: 'w_ap', poolSize: [2, 2], strides: 1, padding: 'same' }),
        tf.layers.conv2d({ name: 'w_c2', filters: 3, kernelSize: 1, dilationRate: 1, useBias: false, kernelInitializer: 'heNormal' }),
        tf.layers.reshape({ name: 'w_rs', targetShape: [6, 12] }),
        tf.layers.reshape({ name: 'w_rs2', targetShape: [6, 4, 3] }),
        tf.layers.globalMaxPooling2d({ name: 'gmp' }),
        tf.layers.reshape({ name: 'w_rs3', targetShape: [1, 1, 3] }),
        tf.layers.globalAveragePooling2d({ name: 'gap' }),
        tf.layers.reshape({ name: 'w_rs4', targetShape: [1, 3] }),
        tf.layers.flatten({ name: 'fl' }),
        tf.layers.dense({ name: 'w_d', units: 2, activation: 'softmax', ...glorot }),
      ],
    });
    t.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    await t.fit(tf.tensor(x.data, x.shape), tf.oneHot(tf.tensor1d([0, 1, 0, 1, 0, 1], 'int32'), 2), { epochs: 1, verbose: 0 });
    const theirs = await capture((h) => t.save(h as tf.io.IOHandler, { includeOptimizer: true }));

    const mineLayers = layerConfigs(mine);
    const theirLayers = layerConfigs(theirs);
    expect(mineLayers.map((l) => l.class_name)).toEqual(theirLayers.map((l) => l.class_name));
    mineLayers.forEach((l, i) => {
      expect(Object.keys(l.config), l.class_name).toEqual(Object.keys(theirLayers[i].config));
      expect(l.config, l.class_name).toEqual(theirLayers[i].config);
    });
    // Weights (trainable, then the moving statistics), 'iter', then m and v for the trainable ones.
    expect(mine.weightSpecs).toEqual(theirs.weightSpecs);
    expect(bytesOf(mine.weightData).byteLength).toBe(bytesOf(theirs.weightData).byteLength);
    t.dispose();
    m.dispose();
  });
});

describe.each(imageCases.map((c) => [c.name, c] as const))('%s', (_, c) => {
  it('saved by deltaflow, loads in tfjs and predicts the same', async () => {
    const m = dfTwin(c);
    const artifacts = await capture((h) => m.save(h));
    const t = await tf.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    expect(t.layers.map((l) => [l.getClassName(), l.name])).toEqual(m.layers.map((l) => [l.className, l.name]));
    expect(t.inputs[0].shape).toEqual([null, ...c.inputShape]);
    expect(bits(t.getWeights())).toEqual(bits(m.getWeights()));
    const x = rowsOf(c.inputShape, 51);
    agree(m.predict(x).dataSync(), tf.tidy(() => (t.predict(tf.tensor(x.data, x.shape)) as tf.Tensor).dataSync()));
    t.dispose();
    m.dispose();
  });

  it('saved by tfjs, loads in deltaflow and predicts the same', async () => {
    const donor = dfTwin(c);
    const t = tfTwin(c, donor);
    donor.dispose();
    const artifacts = await capture((h) => t.save(h as tf.io.IOHandler));
    const m = await df.loadLayersModel(df.io.fromMemory(artifacts));
    // Every layer of the file, Flatten and Dropout included, as in tfjs's summary.
    expect(m.layers.map((l) => [l.className, l.name])).toEqual(t.layers.map((l) => [l.getClassName(), l.name]));
    expect(m.inputShape).toEqual(c.inputShape);
    expect(bits(m.getWeights())).toEqual(bits(t.getWeights()));
    const x = rowsOf(c.inputShape, 52);
    agree(m.predict(x).dataSync(), tf.tidy(() => (t.predict(tf.tensor(x.data, x.shape)) as tf.Tensor).dataSync()));
    // The same file through model.json and a weights file.
    const files = await df.loadLayersModel(df.io.fromFiles({ 'model.json': JSON.stringify(modelJSON(artifacts)), 'weights.bin': bytesOf(artifacts.weightData) }));
    expect(Array.from(files.predict(x).dataSync())).toEqual(Array.from(m.predict(x).dataSync()));
    t.dispose();
    m.dispose();
    files.dispose();
  });
});

// ---- other writers, and what deltaflow refuses ----

let base: df.ModelArtifacts;

beforeAll(async () => {
  await df.ready();
  const m = df.sequential({
    seed: 9,
    name: 'hostile',
    layers: [
      df.layers.conv2d({ name: 'conv', filters: 3, kernelSize: 3, activation: 'relu', inputShape: [6, 6, 1] }),
      df.layers.batchNormalization({ name: 'bn' }),
      df.layers.leakyReLU({ name: 'leaky', alpha: 0.25 }),
      df.layers.zeroPadding2d({ name: 'pad', padding: 1 }),
      df.layers.maxPooling2d({ name: 'max', poolSize: 2 }),
      df.layers.upSampling2d({ name: 'up', size: 2 }),
      df.layers.averagePooling2d({ name: 'avg', poolSize: 2 }),
      df.layers.globalAveragePooling2d({ name: 'gap' }),
      df.layers.reshape({ name: 'rs', targetShape: [1, 1, 3] }),
      df.layers.globalMaxPooling2d({ name: 'gmp' }),
      df.layers.reshape({ name: 'rs2', targetShape: [3, 1] }),
      df.layers.flatten({ name: 'flat' }),
      df.layers.dense({ name: 'out', units: 2 }),
    ],
  });
  base = await capture((h) => m.save(h));
  m.dispose();
});

/** Loads the base model with layer `name`'s config edited (or the topology edited, given a function of it). */
function loadEdited(edit: (layers: Record<string, Json>, top: Json) => void) {
  const top = JSON.parse(JSON.stringify(base.modelTopology));
  const byName = Object.fromEntries(top.config.layers.map((l: Json) => [l.config.name, l.config]));
  edit(byName, top);
  return df.loadLayersModel(df.io.fromMemory({ ...base, modelTopology: top }));
}

async function fails(p: Promise<unknown>, message: RegExp) {
  const e = await p.then(() => undefined, (err) => err);
  expect(e, `expected a ModelFormatError matching ${message}`).toBeInstanceOf(df.ModelFormatError);
  expect(e.message).toMatch(message);
}

describe('image layers as Keras writes them', () => {
  it("Keras 3's spellings: negative_slope, keepdims false, groups 1, axis as Keras 2 leaves it built ([3])", async () => {
    const x = rowsOf([6, 6, 1], 61);
    const want = (await df.loadLayersModel(df.io.fromMemory(base))).predict(x).dataSync();
    const m = await loadEdited((l) => {
      l.leaky.negative_slope = l.leaky.alpha;
      delete l.leaky.alpha;
      l.gap.keepdims = false;
      l.gmp.keepdims = false;
      l.conv.groups = 1;
      l.bn.axis = [3];
      l.up.size = [2, 2];
      l.pad.padding = [1, 1];
      l.max.strides = null;
      l.rs2.target_shape = [3, -1];
    });
    expect(Array.from(m.predict(x).dataSync())).toEqual(Array.from(want));
    // Keras 3's LeakyReLU default slope is 0.2, but it always writes it; without either key, tfjs's 0.3.
    const d = await loadEdited((l) => delete l.leaky.alpha);
    expect((d.layers[2] as unknown as Json).alpha).toBe(0.3);
  });

  it('an old file whose Flatten the previous reader dropped now keeps it in model.layers and the summary', async () => {
    const m = await df.loadLayersModel(df.io.fromMemory(base));
    expect(m.layers.map((l) => l.className)).toContain('Flatten');
    expect(m.summary(null)).toMatch(/flat \(Flatten\) +│ \(None, 3\)/);
  });
});

describe('what deltaflow cannot run is a ModelFormatError naming the layer and the key', () => {
  it('channels_first, bilinear, axis other than the last, keepdims true, groups, causal padding', async () => {
    await fails(loadEdited((l) => (l.conv.data_format = 'channels_first')), /layer 0 \('conv'\)\.data_format the string "channels_first": only channels_last/);
    await fails(loadEdited((l) => (l.max.data_format = 'channelsFirst')), /layer 4 \('max'\)\.data_format/);
    await fails(loadEdited((l) => (l.gap.data_format = 'channels_first')), /'gap'\)\.data_format/);
    await fails(loadEdited((l) => (l.up.interpolation = 'bilinear')), /layer 5 \('up'\)\.interpolation the string "bilinear": only 'nearest'/);
    await fails(loadEdited((l) => (l.bn.axis = 1)), /layer 1 \('bn'\)\.axis 1: only the last axis/);
    await fails(loadEdited((l) => (l.bn.axis = [1, 3])), /'bn'\)\.axis \[1, 3\]/);
    await fails(loadEdited((l) => (l.bn.renorm = true)), /'bn'\)\.renorm true: not supported/);
    await fails(loadEdited((l) => (l.gap.keepdims = true)), /layer 7 \('gap'\)\.keepdims true: only keepdims false/);
    await fails(loadEdited((l) => (l.gmp.keepdims = true)), /'gmp'\)\.keepdims true/);
    await fails(loadEdited((l) => (l.conv.groups = 3)), /'conv'\)\.groups 3: only groups 1/);
    await fails(loadEdited((l) => (l.conv.padding = 'causal')), /'conv'\)\.padding the string "causal": only 'valid' and 'same'/);
    await fails(loadEdited((l) => (l.flat.data_format = 'channels_first', l.rs2.target_shape = [1, 3, 1])), /'flat'\)\.data_format/);
    await fails(loadEdited((l) => (l.conv.activation = 'softmax')), /'conv'.*softmax over feature maps is not supported/);
  });

  it('sizes: missing, fractional, negative, past the caps, windows that do not fit, outputs too wide', async () => {
    await fails(loadEdited((l) => delete l.conv.kernel_size), /'conv'\)\.kernel_size is required/);
    await fails(loadEdited((l) => (l.conv.kernel_size = [3, 3, 3])), /'conv'\)\.kernel_size has 3 entries/);
    await fails(loadEdited((l) => (l.conv.kernel_size = [3, 1.5])), /'conv'\)\.kernel_size\[1\] must be an integer in \[1, 65536\]/);
    await fails(loadEdited((l) => (l.conv.strides = 0)), /'conv'\)\.strides must be an integer in \[1, 65536\]/);
    await fails(loadEdited((l) => (l.conv.dilation_rate = 2 ** 20)), /'conv'\)\.dilation_rate must be an integer in \[1, 65536\]/);
    await fails(loadEdited((l) => (l.conv.filters = 2 ** 24 + 1)), /'conv'\)\.filters must be an integer in \[1, 16777216\]/);
    await fails(loadEdited((l) => ((l.conv.strides = [2, 2]), (l.conv.dilation_rate = [2, 2]))), /'conv'.*strides > 1 and dilationRate > 1 cannot be combined/);
    await fails(loadEdited((l) => (l.conv.kernel_size = [7, 3])), /layer 0 \('conv'\).*a 7×3 window does not fit in an input of 6×6/);
    await fails(loadEdited((l) => (l.max.pool_size = 'two')), /'max'\)\.pool_size must be an array/);
    await fails(loadEdited((l) => (l.pad.padding = [[1, -1], [1, 1]])), /'pad'\)\.padding\[0\]\[1\] must be an integer in \[0, 65536\]/);
    await fails(loadEdited((l) => (l.pad.padding = [1, 1, 1])), /'pad'\)\.padding has 3 entries/);
    await fails(loadEdited((l) => (l.up.size = [2 ** 16, 2 ** 16])), /layer 5 \('up'\): its output rows of shape \[196608, 196608, 3\] have .* values; at most 16777216/);
    await fails(loadEdited((l) => (l.rs.target_shape = [2, 2, 1])), /'rs'.*cannot reshape rows of shape \[3\]/);
    await fails(loadEdited((l) => (l.rs.target_shape = [-1, -1, 3])), /'rs'\)\.target_shape: at most one axis may be inferred/);
    await fails(loadEdited((l) => (l.rs.target_shape = [1, 1, 1, 1, 3])), /'rs'\)\.target_shape has 5 entries/);
    await fails(loadEdited((l) => (l.bn.momentum = 1.5)), /'bn'\)\.momentum must be in \[0, 1\]/);
    await fails(loadEdited((l) => (l.bn.epsilon = 0)), /'bn'\)\.epsilon must be positive/);
    await fails(loadEdited((l) => (l.bn.center = 'yes')), /'bn'\)\.center must be true or false/);
    await fails(loadEdited((l) => (l.leaky.alpha = -1)), /'leaky'\)\.alpha must be ≥ 0/);
    await fails(loadEdited((l) => (l.conv.batch_input_shape = [null, 6, 6, 1, 1, 1])), /'conv'.*inputs of rank 5 per row are not supported/);
    // A model too large for maxParameters is refused before its weights are read.
    await fails(
      df.loadLayersModel(df.io.fromMemory(base), { maxParameters: 20 }),
      /layer 0 \('conv'\): the model has more than 20 parameters/,
    );
  });

  it("weights that do not fit the layer's shapes, and batch norm's statistics missing", async () => {
    await fails(loadEdited((l) => (l.conv.kernel_size = [2, 3])), /weight 'conv\/kernel' has shape \[3, 3, 1, 3\] but the layer needs \[2, 3, 1, 3\]/);
    await fails(loadEdited((l) => (l.conv.batch_input_shape = [null, 6, 6, 2])), /weight 'conv\/kernel' has shape \[3, 3, 1, 3\] but the layer needs \[3, 3, 2, 3\]/);
    await fails(loadEdited((l) => (l.bn.center = false)), /the weights include 'bn\/beta', which no layer of the model has/);
    const noStats = { ...base, weightSpecs: base.weightSpecs!.filter((s) => !s.name.endsWith('moving_variance')), weightData: bytesOf(base.weightData).slice(0, -12).buffer };
    await fails(df.loadLayersModel(df.io.fromMemory(noStats)), /the weights have no 'bn\/moving_variance' \(shape \[3\]\)/);
  });
});
