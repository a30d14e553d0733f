// Regularizers against TensorFlow.js 4.22.0 (cpu backend): the same network, weights and batches with
// l2, l1 and l1l2 kernel and bias regularizers train to the same weights with SGD and Adam, and the
// regularizers survive a save → tfjs load → tfjs save → deltaflow load round trip (and Keras 3's form).
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import * as df from '../src/index.js';
import { rng, uniform } from './helpers/random.js';
import { useTfjsPeer } from './helpers/tfjs.js';
import { capture } from './io/helpers.js';

// Both compute in f32 in different orders: weights within 1e-5 of max(|tfjs|, 0.1 × the tensor's
// largest |weight|) (Adam's steps are ~lr whatever the gradient, so a small weight carries the rounding
// of its larger neighbours' steps); the training losses 1e-5 relative (tfjs's includes the penalty too).
const TOL = 1e-5;
const FLOOR = 0.1;
const STEPS = 5;

useTfjsPeer();

const ROWS = 8;
const x = uniform(rng(31), ROWS * 4, -1, 1);
const y = uniform(rng(32), ROWS * 2, -1, 1);

/** One network in both libraries; `reg` gives each library's regularizers for a (layer, weight). */
function pair(kernel: [number, number][], bias: [number, number][], ours: df.Optimizer, theirs: tf.Optimizer) {
  const dfReg = ([l1, l2]: [number, number]) => (l1 || l2 ? df.regularizers.l1l2({ l1, l2 }) : undefined);
  const tfReg = ([l1, l2]: [number, number]) => (l1 || l2 ? tf.regularizers.l1l2({ l1, l2 }) : undefined);
  const shape = [{ units: 6, activation: 'tanh' as const, inputShape: [4] }, { units: 2 }];
  const model = df.sequential({ seed: 5, layers: shape.map((s, i) => df.layers.dense({ ...s, kernelRegularizer: dfReg(kernel[i]), biasRegularizer: dfReg(bias[i]) })) });
  const tfModel = tf.sequential({ layers: shape.map((s, i) => tf.layers.dense({ ...s, kernelRegularizer: tfReg(kernel[i]), biasRegularizer: tfReg(bias[i]) })) });
  // Non-zero biases: tfjs's gradient of |b| at 0 is −1 (step(x, −1)), TensorFlow's and deltaflow's 0.
  const next = rng(7);
  const weights = model.getWeights().map((w) => ({ data: uniform(next, w.size, -0.8, 0.8), shape: w.shape }));
  model.setWeights(weights);
  tfModel.setWeights(weights.map((w) => tf.tensor(w.data, w.shape)));
  model.compile({ optimizer: ours, loss: 'meanSquaredError' });
  tfModel.compile({ optimizer: theirs, loss: 'meanSquaredError' });
  return { model, tfModel };
}

const cases: [string, [number, number][], [number, number][], () => df.Optimizer, () => tf.Optimizer][] = [
  ['sgd, l2 kernels', [[0, 0.05], [0, 0.02]], [[0, 0], [0, 0]], () => df.train.sgd(0.1), () => tf.train.sgd(0.1)],
  ['sgd, l1 kernels and l1l2 biases', [[0.03, 0], [0.01, 0]], [[0.02, 0.04], [0, 0.1]], () => df.train.sgd(0.1), () => tf.train.sgd(0.1)],
  // ε 1e-10: tfjs adds ε to √v̂, Keras (and deltaflow) to √v, which differ once ε is not negligible.
  ['adam, l1l2 kernels, l2 bias', [[0.01, 0.02], [0.005, 0.05]], [[0, 0.03], [0, 0]], () => df.train.adam(0.01, 0.9, 0.999, 1e-10), () => tf.train.adam(0.01, 0.9, 0.999, 1e-10)],
];

describe('regularized training matches TensorFlow.js', () => {
  it.each(cases)('%s', async (_name, kernel, bias, ours, theirs) => {
    const { model, tfModel } = pair(kernel, bias, ours(), theirs());
    const tx = tf.tensor2d(x, [ROWS, 4]);
    const ty = tf.tensor2d(y, [ROWS, 2]);
    for (let s = 0; s < STEPS; s++) {
      const loss = model.trainOnBatch({ data: x, shape: [ROWS, 4] }, { data: y, shape: [ROWS, 2] });
      const theirLoss = (await tfModel.trainOnBatch(tx, ty)) as number;
      expect(Math.abs(loss - theirLoss), `loss at step ${s}`).toBeLessThanOrEqual(TOL * Math.abs(theirLoss));
    }
    const theirs_ = tfModel.getWeights().map((w) => w.dataSync());
    model.getWeights().forEach((w, i) => {
      const got = w.dataSync();
      const want = theirs_[i];
      const scale = FLOOR * Math.max(...Array.from(want, Math.abs));
      for (let j = 0; j < want.length; j++) expect(Math.abs(got[j] - want[j]), `weights[${i}][${j}]`).toBeLessThanOrEqual(TOL * Math.max(Math.abs(want[j]), scale));
    });
    tx.dispose();
    ty.dispose();
    tfModel.dispose();
  });
});

describe('saved regularizers', () => {
  it("are written as tfjs's L1L2, load in tfjs, and come back from tfjs's own save", async () => {
    const model = df.sequential({
      layers: [
        df.layers.conv2d({ filters: 2, kernelSize: 2, inputShape: [4, 4, 1], kernelRegularizer: df.regularizers.l2({ l2: 0.003 }), biasRegularizer: 'l1' }),
        df.layers.flatten(),
        df.layers.dense({ units: 3, kernelRegularizer: df.regularizers.l1l2({ l1: 0.1, l2: 0.2 }) }),
      ],
    });
    const saved = await capture((h) => model.save(h));
    const layers = (saved.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers;
    expect(layers[0].config.kernel_regularizer).toEqual({ class_name: 'L1L2', config: { l1: 0, l2: 0.003 } });
    expect(layers[0].config.bias_regularizer).toEqual({ class_name: 'L1L2', config: { l1: 0.01, l2: 0 } });
    expect(layers[2].config.bias_regularizer).toBeNull();
    const t = await tf.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    const conf = (i: number, k: string) => (t.layers[i].getConfig()[k] as { config: unknown }).config;
    expect(conf(0, 'kernelRegularizer')).toEqual({ l1: 0, l2: 0.003 });
    expect(conf(2, 'kernelRegularizer')).toEqual({ l1: 0.1, l2: 0.2 });
    const again = await capture((h) => t.save(h as tf.io.IOHandler));
    const back = await df.loadLayersModel(df.io.fromMemory(again));
    const [conv, , dense] = back.layers as [df.Conv2D, df.Layer, df.Dense];
    expect(conv.kernelRegularizer?.getConfig()).toEqual({ l1: 0, l2: 0.003 });
    expect(conv.biasRegularizer?.getConfig()).toEqual({ l1: 0.01, l2: 0 });
    expect(dense.kernelRegularizer?.getConfig()).toEqual({ l1: 0.1, l2: 0.2 });
    expect(dense.biasRegularizer).toBeUndefined();
    t.dispose();
  });

  it("read Keras 3's L1 and L2 with their module, and refuse other regularizers, naming the field", async () => {
    const model = df.sequential({ layers: [df.layers.dense({ units: 2, inputShape: [3] }), df.layers.dense({ units: 1 })] });
    const saved = await capture((h) => model.save(h));
    const edit = (k: unknown, b: unknown) => {
      const copy = JSON.parse(JSON.stringify(saved.modelTopology));
      copy.config.layers[0].config.kernel_regularizer = k;
      copy.config.layers[1].config.bias_regularizer = b;
      return df.loadLayersModel(df.io.fromMemory({ ...saved, modelTopology: copy }));
    };
    const keras3 = (cls: string, config: unknown) => ({ module: 'keras.regularizers', class_name: cls, config, registered_name: null });
    const back = await edit(keras3('L2', { l2: 0.25 }), keras3('L1', {}));
    expect((back.layers[0] as df.Dense).kernelRegularizer?.getConfig()).toEqual({ l1: 0, l2: 0.25 });
    expect((back.layers[1] as df.Dense).biasRegularizer?.getConfig()).toEqual({ l1: 0.01, l2: 0 });
    await expect(edit(keras3('OrthogonalRegularizer', { factor: 0.01 }), null)).rejects.toThrow(/kernel_regularizer: regularizer the string "OrthogonalRegularizer" is not supported/);
    await expect(edit(keras3('L2', { l2: -1 }), null)).rejects.toThrow(/kernel_regularizer\.config\.l2 must be ≥ 0/);
  });
});
