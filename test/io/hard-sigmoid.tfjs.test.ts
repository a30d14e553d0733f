// 'hard_sigmoid' means tfjs's clip(0.2·x + 0.5, 0, 1) in tfjs and Keras 2 files and Keras 3's x/6 + 0.5
// in Keras 3 files: a model tfjs saves with its hardSigmoid (a Dense's, or its LSTM's and GRU's default
// recurrentActivation) loads as hardSigmoidTfjs and predicts (and differentiates) as tfjs does,
// deltaflow's hardSigmoidTfjs loads in tfjs, and Keras 3's stays its own.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { rng, uniform } from '../helpers/random.js';
import { useTfjsPeer } from '../helpers/tfjs.js';
import { capture, maxRel, modelJSON } from './helpers.js';

// Both compute in f32 in different orders (and tfjs rounds 0.2·x, deltaflow (x + 2.5)/5): outputs agree
// within 1e-5 of max(|tfjs|, 0.1 × the batch's largest |output|), gradients within 1e-4 of max(|tfjs|,
// 0.01 × the tensor's largest |gradient|).
const PREDICT_TOL = 1e-5;
const GRAD_TOL = 1e-4;
const ROWS = 64;
const IN = 6;

useTfjsPeer();

const scaleOf = (v: ArrayLike<number>) => Array.from(v).reduce((m, a) => Math.max(m, Math.abs(a)), 0);

function agree(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, floor: number) {
  expect(maxRel(got, want, Math.max(floor * scaleOf(want), 1e-30))).toBeLessThan(tol);
}

/** Rows wide enough that the first layer's pre-activations reach both clipped sides (asserted below). */
const inputs = (seed: number) => uniform(rng(seed), ROWS * IN, -4, 4);

function tfTwoLayers(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 5, inputShape: [IN], activation: 'hardSigmoid', kernelInitializer: tf.initializers.randomUniform({ minval: -1, maxval: 1, seed: 3 }), biasInitializer: 'ones' }),
      tf.layers.dense({ units: 3, activation: 'hardSigmoid', kernelInitializer: tf.initializers.randomUniform({ minval: -4, maxval: 4, seed: 4 }) }),
    ],
  });
}

function tfPredict(m: tf.LayersModel, x: Float32Array): Float32Array {
  return tf.tidy(() => (m.predict(tf.tensor(x, [ROWS, IN])) as tf.Tensor).dataSync() as Float32Array);
}

/** The batch reaches both clipped sides and the slope between them, in the first layer and at the output. */
function expectBothClips(t: tf.Sequential, x: Float32Array) {
  const hidden = tf.tidy(() => (t.layers[0].apply(tf.tensor(x, [ROWS, IN])) as tf.Tensor).dataSync());
  for (const v of [hidden, tfPredict(t, x)]) {
    expect(v.some((a) => a === 0) && v.some((a) => a === 1) && v.some((a) => a > 0.05 && a < 0.95)).toBe(true);
  }
}

describe("tfjs's hardSigmoid (0.2·x + 0.5)", () => {
  it('a Dense model tfjs saves with it loads as hardSigmoidTfjs and predicts what tfjs predicts', async () => {
    const t = tfTwoLayers();
    const artifacts = await capture((h) => t.save(h as tf.io.IOHandler));
    const m = await df.loadLayersModel(df.io.fromMemory(artifacts));
    expect(m.layers.map((l) => (l as df.Dense).activation.name)).toEqual(['hardSigmoidTfjs', 'hardSigmoidTfjs']);
    const x = inputs(1);
    expectBothClips(t, x);
    agree(m.predict({ data: x, shape: [ROWS, IN] }).dataSync(), tfPredict(t, x), PREDICT_TOL, 0.1);
    t.dispose();
  });

  it('computeGradients gives the gradients tf.variableGrads gives, slope 0.2 inside, 0 where clipped', async () => {
    const t = tfTwoLayers();
    const m = await df.loadLayersModel(df.io.fromMemory(await capture((h) => t.save(h as tf.io.IOHandler))));
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const x = inputs(2);
    expectBothClips(t, x);
    const y = uniform(rng(3), ROWS * 3, 0, 1);
    const ours = m.computeGradients({ data: x, shape: [ROWS, IN] }, { data: y, shape: [ROWS, 3] });
    const vars = t.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(
      () => tf.losses.meanSquaredError(tf.tensor(y, [ROWS, 3]), t.apply(tf.tensor(x, [ROWS, IN])) as tf.Tensor) as tf.Scalar,
      vars,
    );
    expect(Math.abs(ours.loss - value.dataSync()[0]) / value.dataSync()[0]).toBeLessThan(1e-5);
    vars.forEach((v, i) => {
      const want = grads[v.name].dataSync();
      expect(scaleOf(want)).toBeGreaterThan(0);
      agree(ours.grads[i].dataSync(), want, GRAD_TOL, 0.01);
    });
    tf.dispose([value, ...Object.values(grads)]);
    t.dispose();
  });

  it("deltaflow's hardSigmoidTfjs is saved as 'hard_sigmoid' and tfjs predicts the same with it", async () => {
    const m = df.sequential({
      seed: 4,
      layers: [df.layers.dense({ units: 4, activation: 'hardSigmoidTfjs', inputShape: [IN], kernelInitializer: 'heUniform' }), df.layers.activation({ activation: 'hard_sigmoid_tfjs' })],
    });
    const artifacts = await capture((h) => m.save(h));
    const layers = (modelJSON(artifacts).modelTopology as { config: { layers: { config: { activation: string } }[] } }).config.layers;
    expect(layers.map((l) => l.config.activation)).toEqual(['hard_sigmoid', 'hard_sigmoid']);
    const t = await tf.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    const x = inputs(5);
    agree(m.predict({ data: x, shape: [ROWS, IN] }).dataSync(), tfPredict(t, x), PREDICT_TOL, 0.1);
    const back = await df.loadLayersModel(df.io.fromMemory(artifacts));
    expect(back.layers.map((l) => (l as df.Dense).activation.name)).toEqual(['hardSigmoidTfjs', 'hardSigmoidTfjs']);
    t.dispose();
  });

  it("the same 'hard_sigmoid' is Keras 3's x/6 + 0.5 in a Keras 3 file, tfjs's everywhere else", async () => {
    const t = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [1], activation: 'hardSigmoid', kernelInitializer: 'ones' })] });
    const artifacts = await capture((h) => t.save(h as tf.io.IOHandler));
    const withVersion = (v: string | undefined) => {
      const topology = { ...(artifacts.modelTopology as Record<string, unknown>) };
      if (v === undefined) delete topology.keras_version;
      else topology.keras_version = v;
      return df.loadLayersModel(df.io.fromMemory({ ...artifacts, modelTopology: topology }));
    };
    const x = [[-4], [-1], [0.5], [2], [4]];
    const tfjs = (v: number) => Math.min(Math.max(0.2 * v + 0.5, 0), 1);
    const keras3 = (v: number) => Math.min(Math.max(v / 6 + 0.5, 0), 1);
    for (const [version, name, f] of [
      ['3.3.3', 'hardSigmoid', keras3],
      ['2.15.0', 'hardSigmoidTfjs', tfjs],
      ['deltaflow 0.1.0', 'hardSigmoidTfjs', tfjs],
      [undefined, 'hardSigmoidTfjs', tfjs],
    ] as const) {
      const m = await withVersion(version);
      expect((m.layers[0] as df.Dense).activation.name, String(version)).toBe(name);
      const got = Array.from(m.predict(x).dataSync());
      x.forEach(([v], i) => {
        expect(got[2 * i], `${version}: f(${v})`).toBeCloseTo(f(v), 6);
        expect(got[2 * i + 1]).toBe(got[2 * i]);
      });
    }
    t.dispose();
  });

  it("tfjs's default LSTM and GRU (recurrentActivation hardSigmoid) load and predict what tfjs predicts", async () => {
    const [steps, features] = [5, 4];
    const n = 16;
    const x = uniform(rng(7), n * steps * features, -2, 2);
    for (const [name, layer] of [
      ['lstm', tf.layers.lstm({ units: 3, inputShape: [steps, features] })],
      ['gru', tf.layers.gru({ units: 2, inputShape: [steps, features] })],
    ] as const) {
      // Biases that push some gates into the clipped sides, so both sides and the slope are exercised.
      const t = tf.sequential({ layers: [layer] });
      t.setWeights(t.getWeights().map((w, i) => (i === 2 ? tf.tensor(uniform(rng(8 + i), w.size, -3, 3), w.shape) : w)));
      const artifacts = await capture((h) => t.save(h as tf.io.IOHandler));
      const m = await df.loadLayersModel(df.io.fromMemory(artifacts));
      expect((m.layers[0] as df.LSTM | df.GRU).recurrentActivation.name, name).toBe('hardSigmoidTfjs');
      const want = tf.tidy(() => (t.predict(tf.tensor(x, [n, steps, features])) as tf.Tensor).dataSync());
      const got = m.predict({ data: x, shape: [n, steps, features] }).dataSync();
      expect(maxRel(got, want, Math.max(0.1 * scaleOf(want), 1e-30)), name).toBeLessThan(PREDICT_TOL);
      t.dispose();
    }
  });

  it("recurrentActivation: 'hardSigmoidTfjs' in df.layers.lstm and gru computes tfjs's default gates", async () => {
    const [steps, features] = [4, 3];
    const n = 8;
    const x = uniform(rng(11), n * steps * features, -2, 2);
    for (const kind of ['lstm', 'gru'] as const) {
      const recurrentActivation: df.ActivationName = 'hardSigmoidTfjs';
      const m = df.sequential({ seed: 9, layers: [kind === 'lstm' ? df.layers.lstm({ units: 3, recurrentActivation, inputShape: [steps, features] }) : df.layers.gru({ units: 2, recurrentActivation, resetAfter: false, inputShape: [steps, features] })] });
      const artifacts = await capture((h) => m.save(h));
      const t = await tf.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
      expect((t.layers[0].getConfig() as { recurrentActivation: string }).recurrentActivation, kind).toBe('hardSigmoid');
      const want = tf.tidy(() => (t.predict(tf.tensor(x, [n, steps, features])) as tf.Tensor).dataSync());
      const got = m.predict({ data: x, shape: [n, steps, features] }).dataSync();
      expect(maxRel(got, want, Math.max(0.1 * scaleOf(want), 1e-30)), kind).toBeLessThan(PREDICT_TOL);
      t.dispose();
    }
  });
});
