// TimeDistributed against TensorFlow.js 4.22.0 (cpu backend): [6, 5] → timeDistributed(dense 4 relu) →
// flatten → dense 2 softmax on the same weights predicts the same and has the same weights after three
// Adam steps; a model saved by either library loads in the other (tfjs's config form, its weight names
// 'time_distributed/kernel'), and Keras 3's form of the wrapper loads too.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { capture } from '../io/helpers.js';
import { rng, uniform, worst } from '../helpers/random.js';
import { KerasAdam, tfPredict, trainTwins, useTfjsPeer } from '../helpers/tfjs.js';

useTfjsPeer();

const [STEPS, FEATURES, UNITS, CLASSES, ROWS] = [6, 5, 4, 2, 8];
const SHAPE = [ROWS, STEPS, FEATURES];
const PREDICT_TOL = 1e-5;
const WEIGHT_TOL = 1e-4;
const LEARNING_RATE = 1e-3;

const tfModel = () =>
  tf.sequential({
    layers: [
      tf.layers.timeDistributed({ layer: tf.layers.dense({ units: UNITS, activation: 'relu' }), inputShape: [STEPS, FEATURES] }),
      tf.layers.flatten(),
      tf.layers.dense({ units: CLASSES, activation: 'softmax' }),
    ],
  });

/** deltaflow's model, seeded, with `t` given its weights (biases moved off zero so they matter). */
function twins() {
  const m = df.sequential({
    seed: 8,
    layers: [
      df.layers.timeDistributed({ layer: df.layers.dense({ units: UNITS, activation: 'relu' }), inputShape: [STEPS, FEATURES] }),
      df.layers.flatten(),
      df.layers.dense({ units: CLASSES, activation: 'softmax' }),
    ],
  });
  const next = rng(17);
  m.setWeights(m.getWeights().map((w) => ({ data: uniform(next, w.size, -0.6, 0.6), shape: w.shape })));
  const t = tfModel();
  expect(t.weights.map((w) => w.shape)).toEqual(m.getWeights().map((w) => w.shape));
  t.setWeights(m.getWeights().map((w) => tf.tensor(w.dataSync(), w.shape)));
  return { m, t };
}

const batch = (seed: number) => uniform(rng(seed), ROWS * STEPS * FEATURES, -1.5, 1.5);
const oneHot = (seed: number) => {
  const next = rng(seed);
  const y = new Float32Array(ROWS * CLASSES);
  for (let r = 0; r < ROWS; r++) y[r * CLASSES + (next() < 0.5 ? 0 : 1)] = 1;
  return y;
};
const relative = (got: ArrayLike<number>, want: ArrayLike<number>) => worst(got, want, (i) => Math.max(Math.abs(want[i]), 1e-6));

describe('timeDistributed(dense relu) → flatten → dense softmax against TensorFlow.js', () => {
  it('predicts the same with the same weights', () => {
    const { m, t } = twins();
    const x = batch(1);
    const got = m.predict({ data: x, shape: SHAPE });
    expect(got.shape).toEqual([ROWS, CLASSES]);
    const { err, at } = relative(got.dataSync(), tfPredict(t, x, SHAPE));
    expect(err, `output[${at}]`).toBeLessThanOrEqual(PREDICT_TOL);
    t.dispose();
  });

  it('has the same weights after three Adam steps (categorical cross-entropy)', async () => {
    const { m, t } = twins();
    m.compile({ optimizer: df.optimizers.adam({ learningRate: LEARNING_RATE }), loss: 'categoricalCrossentropy' });
    const optimizer = new KerasAdam(LEARNING_RATE);
    t.compile({ optimizer, loss: 'categoricalCrossentropy' });
    const start = m.getWeights().map((w) => w.dataSync().slice());
    await trainTwins(m, t, 3, (s) => ({ x: batch(10 + s), xShape: SHAPE, y: oneHot(20 + s), yShape: [ROWS, CLASSES] }));
    const theirs = t.getWeights().map((w) => w.dataSync());
    m.getWeights().forEach((w, i) => {
      const got = w.dataSync();
      // Relative to the value or to how far it moved, whichever is larger.
      const { err, at } = worst(got, theirs[i], (k) => Math.max(Math.abs(theirs[i][k]), Math.abs(theirs[i][k] - start[i][k]), 1e-6));
      expect(err, `weights[${i}][${at}]: ${got[at]} vs ${theirs[i][at]} from ${start[i][at]}`).toBeLessThanOrEqual(WEIGHT_TOL);
      expect(Array.from(got), `weights[${i}] moved`).not.toEqual(Array.from(start[i]));
    });
    optimizer.dispose();
    t.dispose();
  });

  it("deltaflow's save loads in tfjs and tfjs's save loads in deltaflow, predicting the same", async () => {
    const { m, t } = twins();
    const x = batch(3);
    const want = tfPredict(t, x, SHAPE);

    const mine = await capture((h) => m.save(h));
    expect(mine.weightSpecs!.map((s) => s.name)).toEqual(['time_distributed/kernel', 'time_distributed/bias', 'dense/kernel', 'dense/bias']);
    const inTf = await tf.loadLayersModel(tf.io.fromMemory(mine as tf.io.ModelArtifacts));
    expect(inTf.layers.map((l) => l.getClassName())).toEqual(['TimeDistributed', 'Flatten', 'Dense']);
    const wrapped = (inTf.layers[0] as unknown as { layer: tf.layers.Layer }).layer;
    expect(wrapped.getClassName()).toBe('Dense');
    expect(wrapped.getConfig()).toMatchObject({ units: UNITS, activation: 'relu', useBias: true });
    expect(relative(tfPredict(inTf, x, SHAPE), want).err).toBeLessThanOrEqual(PREDICT_TOL);

    const theirs = await capture((h) => t.save(h as unknown as tf.io.IOHandler));
    const back = await df.loadLayersModel(df.io.fromMemory(theirs));
    expect(back.layers.map((l) => l.className)).toEqual(['TimeDistributed', 'Flatten', 'Dense']);
    expect(back.inputShape).toEqual([STEPS, FEATURES]);
    const inner = (back.layers[0] as df.TimeDistributed).layer as df.Dense;
    expect([inner.className, inner.units, inner.activation.name, inner.useBias]).toEqual(['Dense', UNITS, 'relu', true]);
    // The inner layer keeps the name tfjs gave it; the weights go by the wrapper's.
    expect(inner.name).toBe(((t.layers[0] as unknown as { layer: tf.layers.Layer }).layer).name);
    expect(back.weights.map((w) => w.name)).toEqual(t.weights.map((w) => w.name));
    expect(relative(back.predict({ data: x, shape: SHAPE }).dataSync(), want).err).toBeLessThanOrEqual(PREDICT_TOL);
    // And deltaflow's getConfig is the one tfjs gives, names and tfjs's Dense default initializer aside.
    const config = (c: tf.serialization.ConfigDict | df.ConfigDict) => {
      const { name: _n, layer, ...rest } = c as { name: string; layer: { className: string; config: Record<string, unknown> } };
      const { name: _i, kernelInitializer: _k, ...inner } = layer.config;
      return { ...rest, layer: { className: layer.className, config: inner } };
    };
    expect(config(back.layers[0].getConfig())).toEqual(config(t.layers[0].getConfig()));
    inTf.dispose();
    t.dispose();
  });

  it("Keras 3's form of the wrapper (module, registered_name, build_config, dtype policies) loads", async () => {
    const { m, t } = twins();
    const x = batch(4);
    const saved = await capture((h) => m.save(h));
    const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
    const dense = (name: string, units: number, activation: string, inputShape: number[]) => ({
      module: 'keras.layers',
      class_name: 'Dense',
      config: {
        name, trainable: true, dtype: policy, units, activation, use_bias: true,
        kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null }, registered_name: null },
        bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null },
        kernel_regularizer: null, bias_regularizer: null, kernel_constraint: null, bias_constraint: null,
      },
      registered_name: null,
      build_config: { input_shape: [null, ...inputShape] },
    });
    const modelTopology = {
      class_name: 'Sequential',
      config: {
        name: 'sequential', trainable: true, dtype: policy,
        layers: [
          { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, STEPS, FEATURES], dtype: 'float32', sparse: false, name: 'input_layer' }, registered_name: null },
          {
            module: 'keras.layers', class_name: 'TimeDistributed',
            config: { name: 'time_distributed', trainable: true, dtype: policy, layer: dense('dense_inner', UNITS, 'relu', [FEATURES]) },
            registered_name: null, build_config: { input_shape: [null, STEPS, FEATURES] },
          },
          { module: 'keras.layers', class_name: 'Flatten', config: { name: 'flatten', trainable: true, dtype: policy, data_format: 'channels_last' }, registered_name: null, build_config: { input_shape: [null, STEPS, UNITS] } },
          dense('dense', CLASSES, 'softmax', [STEPS * UNITS]),
        ],
        build_input_shape: [null, STEPS, FEATURES],
      },
      keras_version: '3.3.3',
      backend: 'tensorflow',
    };
    const k3 = await df.loadLayersModel(df.io.fromMemory({ ...saved, modelTopology }));
    expect(k3.layers.map((l) => l.className)).toEqual(['TimeDistributed', 'Flatten', 'Dense']);
    expect((k3.layers[0] as df.TimeDistributed).layer.name).toBe('dense_inner');
    expect(relative(k3.predict({ data: x, shape: SHAPE }).dataSync(), tfPredict(t, x, SHAPE)).err).toBeLessThanOrEqual(PREDICT_TOL);
    t.dispose();
  });

  it('refuses a saved wrapper it cannot run, naming the field', async () => {
    const { m, t } = twins();
    const saved = await capture((h) => m.save(h));
    const top = saved.modelTopology as { config: { layers: { config: { layer: { class_name: string; config: Record<string, unknown> } } }[] } };
    const edit = (change: (inner: { class_name: string; config: Record<string, unknown> }) => void) => {
      const copy = structuredClone(top);
      change(copy.config.layers[0].config.layer);
      return df.loadLayersModel(df.io.fromMemory({ ...saved, modelTopology: copy }));
    };
    await expect(edit((l) => (l.class_name = 'Conv1D'))).rejects.toThrow(/layer 0 \('time_distributed'\)\.layer: TimeDistributed over the string "Conv1D" is not supported; the inner layer must be one of Dense, Activation, LeakyReLU/);
    await expect(edit((l) => (l.config.batch_input_shape = [null, 7]))).rejects.toThrow(/\.layer declares an input of shape \[7\] but one time step has shape \[5\]/);
    await expect(edit((l) => (l.config.units = 0))).rejects.toThrow(/\.layer\.units must be an integer/);
    t.dispose();
  });
});
