// The 1-D layers against TensorFlow.js 4.22.0 (cpu backend) on the same weights and batches: predict,
// 3 Adam steps with trainOnBatch (every weight after them), and the saved model both ways — deltaflow's
// save loaded by tfjs and tfjs's save loaded by deltaflow predict the same. This pins the kernel layout
// [k, in, filters], TensorFlow's 'same' split, Keras's causal padding and the config keys tfjs writes;
// the text model (Embedding → Conv1D → pooling → Dense) on integer index batches, the same three ways.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { build1d, type Case1D } from '../helpers/specs1d.js';
import { rng, uniform, worst } from '../helpers/random.js';
import { agree, KerasAdam, tfPredict, trainTwins, useTfjsPeer } from '../helpers/tfjs.js';
import { shapes1d, type Spec1D } from '../ref/conv1d.js';
import { capture } from '../io/helpers.js';

useTfjsPeer();

// As parity.images.tfjs.test.ts: predictions within 1e-5 of max(|tfjs|, 0.1 × the largest), weights after
// 3 steps within 1e-4 of max(|tfjs|, 0.01 × the tensor's largest), a small learning rate for Adam.
const PREDICT_TOL = 1e-5;
const TRAIN_TOL = 1e-4;
const LEARNING_RATE = 1e-4;
const STEPS = 3;

/**
 * The tfjs layers for a spec, on rows of `shape`. tfjs 4.22 builds and saves a 'causal' Conv1D but cannot
 * run it ("not implemented yet"): as Keras defines it, its twin pads (k − 1)·d zeros in front, then 'valid'.
 */
function tfLayers(s: Spec1D, shape: number[], first: boolean, runnable: boolean): tf.layers.Layer[] {
  const input = first ? { inputShape: shape } : {};
  if (s.kind === 'conv1d' && s.padding === 'causal' && runnable) {
    const before = (s.kernel - 1) * (s.dilation ?? 1);
    return [
      tf.layers.reshape({ targetShape: [1, ...shape], ...input }),
      tf.layers.zeroPadding2d({ padding: [[0, 0], [before, 0]] }),
      tf.layers.reshape({ targetShape: [shape[0] + before, shape[1]] }),
      ...tfLayers({ ...s, padding: 'valid' }, [shape[0] + before, shape[1]], false, runnable),
    ];
  }
  switch (s.kind) {
    case 'conv1d':
      return [tf.layers.conv1d({ filters: s.filters, kernelSize: s.kernel, strides: s.strides ?? 1, dilationRate: s.dilation ?? 1, padding: s.padding ?? 'valid', activation: s.activation ?? 'linear', useBias: s.useBias ?? true, ...input })];
    case 'maxPooling1d':
      return [tf.layers.maxPooling1d({ poolSize: s.pool, strides: s.strides ?? s.pool, padding: s.padding ?? 'valid', ...input })];
    case 'averagePooling1d':
      return [tf.layers.averagePooling1d({ poolSize: s.pool, strides: s.strides ?? s.pool, padding: s.padding ?? 'valid', ...input })];
    case 'globalMaxPooling1d':
      return [tf.layers.globalMaxPooling1d(input)];
    case 'globalAveragePooling1d':
      return [tf.layers.globalAveragePooling1d(input)];
    case 'flatten':
      return [tf.layers.flatten(input)];
    case 'dense':
      return [tf.layers.dense({ units: s.units, activation: s.activation ?? 'linear', ...input })];
  }
}

interface ParityCase extends Case1D {
  /** Why tfjs cannot train it, if it cannot. */
  noTraining?: string;
}

// tfjs 4.22's cpu backend has no gradient for dilated convolutions, and its average-pooling gradient
// divides by the whole window where 'same' padding cuts it; conv1d.test.ts and pooling1d.test.ts check
// those against finite differences instead.
const cases: ParityCase[] = [
  {
    name: "the review model's shape: conv1d relu → maxPooling1d(4) → flatten → dense sigmoid",
    inShape: [24, 6],
    layers: [{ kind: 'conv1d', filters: 16, kernel: 5, activation: 'relu' }, { kind: 'maxPooling1d', pool: 4 }, { kind: 'flatten' }, { kind: 'dense', units: 1, activation: 'sigmoid' }],
    rows: 6,
    seed: 41,
  },
  {
    name: "'same' even kernel, strides 2, averagePooling1d 'valid', globalMaxPooling1d",
    inShape: [13, 3],
    layers: [{ kind: 'conv1d', filters: 5, kernel: 4, strides: 2, padding: 'same', activation: 'tanh' }, { kind: 'averagePooling1d', pool: 2, strides: 1 }, { kind: 'globalMaxPooling1d' }, { kind: 'dense', units: 2 }],
    rows: 4,
    seed: 42,
  },
  {
    name: "causal convolutions (one dilated), maxPooling1d 'same', globalAveragePooling1d",
    inShape: [10, 2],
    layers: [{ kind: 'conv1d', filters: 4, kernel: 3, padding: 'causal', activation: 'tanh' }, { kind: 'conv1d', filters: 3, kernel: 2, dilation: 2, padding: 'causal' }, { kind: 'maxPooling1d', pool: 3, padding: 'same' }, { kind: 'globalAveragePooling1d' }],
    rows: 3,
    seed: 43,
    noTraining: 'tfjs has no gradient for dilated convolutions',
  },
  {
    name: "strided causal, averagePooling1d 'same', no bias",
    inShape: [11, 3],
    layers: [{ kind: 'conv1d', filters: 4, kernel: 3, strides: 2, padding: 'causal', useBias: false, activation: 'sigmoid' }, { kind: 'averagePooling1d', pool: 2, padding: 'same' }, { kind: 'flatten' }, { kind: 'dense', units: 2 }],
    rows: 3,
    seed: 44,
    noTraining: "tfjs's averagePooling1d 'same' gradient divides by the whole window at the borders",
  },
];

/** The tfjs model for a case: `runnable` swaps a causal Conv1D for its padded twin (same weights, layer names aside). */
function tfModel(c: ParityCase, runnable: boolean): tf.Sequential {
  const layers: tf.layers.Layer[] = [];
  let shape = c.inShape;
  c.layers.forEach((s, i) => {
    layers.push(...tfLayers(s, shape, i === 0, runnable));
    shape = shapes1d(c.layers.slice(0, i + 1), c.inShape).out;
  });
  return tf.sequential({ layers });
}

function twins(c: ParityCase) {
  const { model, x } = build1d(c);
  const t = tfModel(c, true);
  expect(t.weights.map((w) => w.shape)).toEqual(model.getWeights().map((w) => w.shape));
  t.setWeights(model.getWeights().map((w) => tf.tensor(w.dataSync(), w.shape)));
  return { model, t, x };
}

describe.each(cases.map((c) => [c.name, c] as const))('tfjs parity: %s', (_, c) => {
  const shape = [c.rows, ...c.inShape];

  it('predict gives the same outputs and shape', () => {
    const { model, t, x } = twins(c);
    const got = model.predict({ data: x, shape });
    expect(got.shape).toEqual(t.outputs[0].shape.map((d) => d ?? c.rows));
    agree(got.dataSync(), tfPredict(t, x, shape), 0.1, PREDICT_TOL, 'output');
    t.dispose();
  });

  it.skipIf(c.noTraining)(`${STEPS} Adam steps with trainOnBatch give the same weights${c.noTraining ? ` (skipped: ${c.noTraining})` : ''}`, async () => {
    const { model, t } = twins(c);
    model.compile({ optimizer: df.optimizers.adam({ learningRate: LEARNING_RATE }), loss: 'mse' });
    const optimizer = new KerasAdam(LEARNING_RATE);
    t.compile({ optimizer, loss: 'meanSquaredError' });
    const next = rng(c.seed + 1);
    const outShape = [c.rows, ...(model.outputShape.slice(1) as number[])];
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    await trainTwins(model, t, STEPS, () => ({
      x: uniform(next, shape.reduce((a, b) => a * b, 1), -1.5, 1.5),
      xShape: shape,
      y: uniform(next, outShape.reduce((a, b) => a * b, 1), -1, 1),
      yShape: outShape,
    }));
    const theirs = t.getWeights();
    model.getWeights().forEach((w, i) => {
      expect(Array.from(w.dataSync()), `weight ${i} moved`).not.toEqual(before[i]);
      agree(w.dataSync(), theirs[i].dataSync(), 0.01, TRAIN_TOL, `weight ${i} after ${STEPS} steps`);
    });
    optimizer.dispose();
    t.dispose();
  });

  it("deltaflow's save loads in tfjs, and tfjs's save loads in deltaflow, predicting the same", async () => {
    const { model, t, x } = twins(c);
    const want = tfPredict(t, x, shape);
    const causal = c.layers.some((s) => s.kind === 'conv1d' && s.padding === 'causal');
    const saved = await capture((h) => model.save(h));
    const inTf = await tf.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    expect(inTf.layers.map((l) => l.getClassName())).toEqual(c.layers.map((s) => s.kind[0].toUpperCase() + s.kind.slice(1).replace('1d', '1D')));
    // tfjs 4.22 loads a causal Conv1D but cannot run it; the twin above stands in for it.
    if (!causal) agree(tfPredict(inTf, x, shape), want, 0.1, PREDICT_TOL, "tfjs on deltaflow's save");
    const source = causal ? tfModel(c, false) : t;
    if (causal) source.setWeights(model.getWeights().map((w) => tf.tensor(w.dataSync(), w.shape)));
    const fromTf = await capture((h) => source.save(h as unknown as tf.io.IOHandler));
    const back = await df.loadLayersModel(df.io.fromMemory(fromTf));
    // tfjs names its layers differently and starts Dense with glorotNormal: everything else is the same.
    const comparable = (l: df.Layer) => {
      const { name: _n, kernelInitializer: _k, biasInitializer: _b, ...rest } = l.getConfig();
      return { className: l.className, ...rest };
    };
    expect(back.layers.map(comparable)).toEqual(model.layers.map(comparable));
    agree(back.predict({ data: x, shape }).dataSync(), want, 0.1, PREDICT_TOL, "deltaflow on tfjs's save");
    inTf.dispose();
    if (source !== t) source.dispose();
    t.dispose();
  });
});

// Embedding → Conv1D: the text model's shape, on integer index batches. The table's gradient reaches
// only the rows a batch names (the others stay where they were in both libraries).
describe('tfjs parity: embedding(50, 8) → conv1d(16, 3, relu) → maxPooling1d(2) → flatten → dense(1, sigmoid)', () => {
  const [VOCAB, DIM, LENGTH, ROWS] = [50, 8, 20, 8];
  const shape = [ROWS, LENGTH];
  const ADAM_RATE = 1e-3;

  /** ROWS rows of LENGTH indices in [0, VOCAB), index 0 (padding) among them. */
  const indices = (seed: number) => {
    const x = Float32Array.from(uniform(rng(seed), ROWS * LENGTH, 0, VOCAB), Math.floor);
    x[0] = x[LENGTH + 3] = 0;
    x[1] = VOCAB - 1;
    return x;
  };
  const labels = (seed: number) => Float32Array.from(uniform(rng(seed), ROWS, 0, 1), (v) => (v < 0.5 ? 0 : 1));

  function textTwins() {
    const model = df.sequential({
      seed: 61,
      layers: [
        df.layers.embedding({ inputDim: VOCAB, outputDim: DIM, inputShape: [LENGTH] }),
        df.layers.conv1d({ filters: 16, kernelSize: 3, activation: 'relu' }),
        df.layers.maxPooling1d({ poolSize: 2 }),
        df.layers.flatten(),
        df.layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
    // A table of ±0.5 (not Keras's ±0.05) and biases off zero, so every layer's numbers matter.
    const next = rng(62);
    model.setWeights(model.getWeights().map((w) => ({ data: uniform(next, w.size, -0.5, 0.5), shape: w.shape })));
    const t = tf.sequential({
      layers: [
        tf.layers.embedding({ inputDim: VOCAB, outputDim: DIM, inputShape: [LENGTH] }),
        tf.layers.conv1d({ filters: 16, kernelSize: 3, activation: 'relu' }),
        tf.layers.maxPooling1d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
    expect(t.weights.map((w) => w.shape)).toEqual(model.getWeights().map((w) => w.shape));
    t.setWeights(model.getWeights().map((w) => tf.tensor(w.dataSync(), w.shape)));
    return { model, t };
  }

  it('predict gives the same outputs and shape', () => {
    const { model, t } = textTwins();
    const x = indices(63);
    const got = model.predict({ data: x, shape });
    expect(got.shape).toEqual([ROWS, 1]);
    agree(got.dataSync(), tfPredict(t, x, shape), 0, PREDICT_TOL, 'output');
    t.dispose();
  });

  it(`${STEPS} Adam steps of binary cross-entropy (batch ${ROWS}) give the same weights`, async () => {
    const { model, t } = textTwins();
    model.compile({ optimizer: df.optimizers.adam({ learningRate: ADAM_RATE }), loss: 'binaryCrossentropy' });
    const optimizer = new KerasAdam(ADAM_RATE);
    t.compile({ optimizer, loss: 'binaryCrossentropy' });
    const before = model.getWeights().map((w) => w.dataSync().slice());
    await trainTwins(model, t, STEPS, (s) => ({ x: indices(70 + s), xShape: shape, y: labels(80 + s), yShape: [ROWS, 1] }));
    const theirs = t.getWeights().map((w) => w.dataSync());
    model.getWeights().forEach((w, i) => {
      const got = w.dataSync();
      // Relative to the value or to how far it moved, whichever is larger (a value near zero is compared by its step).
      const { err, at } = worst(got, theirs[i], (k) => Math.max(Math.abs(theirs[i][k]), Math.abs(theirs[i][k] - before[i][k]), 1e-6));
      expect(err, `weight ${i}[${at}]: deltaflow ${got[at]}, tfjs ${theirs[i][at]}, from ${before[i][at]}`).toBeLessThanOrEqual(TRAIN_TOL);
      expect(Array.from(got), `weight ${i} moved`).not.toEqual(Array.from(before[i]));
    });
    optimizer.dispose();
    t.dispose();
  });

  it("deltaflow's save loads in tfjs, and tfjs's save loads in deltaflow, predicting the same", async () => {
    const { model, t } = textTwins();
    const x = indices(64);
    const want = tfPredict(t, x, shape);
    const saved = await capture((h) => model.save(h));
    const inTf = await tf.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    expect(inTf.layers.map((l) => l.getClassName())).toEqual(['Embedding', 'Conv1D', 'MaxPooling1D', 'Flatten', 'Dense']);
    agree(tfPredict(inTf, x, shape), want, 0, PREDICT_TOL, "tfjs on deltaflow's save");
    const fromTf = await capture((h) => t.save(h as unknown as tf.io.IOHandler));
    const back = await df.loadLayersModel(df.io.fromMemory(fromTf));
    expect(back.layers.map((l) => l.className)).toEqual(['Embedding', 'Conv1D', 'MaxPooling1D', 'Flatten', 'Dense']);
    expect(back.inputShape).toEqual([LENGTH]);
    expect(back.layers[0].getConfig()).toMatchObject({ inputDim: VOCAB, outputDim: DIM, maskZero: false });
    expect(back.layers[1].getConfig()).toMatchObject({ filters: 16, kernelSize: [3], strides: [1], padding: 'valid', activation: 'relu' });
    agree(back.predict({ data: x, shape }).dataSync(), want, 0, PREDICT_TOL, "deltaflow on tfjs's save");
    inTf.dispose();
    t.dispose();
  });
});
