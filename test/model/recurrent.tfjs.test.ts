// The recurrent layers against TensorFlow.js 4.22.0 (cpu backend) on the same weights and batches:
// predict, gradients, 3 Adam steps with trainOnBatch (every weight after them), and the saved model both
// ways. tfjs's GRU is Keras's reset_after=False and its gates default to its own hardSigmoid, so the twins
// use resetAfter false and 'sigmoid'; GRU's Keras 3 default (resetAfter true) and masked Bidirectional
// sequences (Keras zeroes the masked steps, tfjs does not) are checked against the float64 reference in
// recurrent.test.ts instead.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { rng, uniform } from '../helpers/random.js';
import { agree, KerasAdam, tfPredict, trainTwins, useTfjsPeer } from '../helpers/tfjs.js';
import { capture } from '../io/helpers.js';

useTfjsPeer();

const PREDICT_TOL = 1e-5;
const TRAIN_TOL = 1e-4;
const LEARNING_RATE = 1e-3;
const STEPS = 3;

type Kind = 'simpleRNN' | 'lstm' | 'gru';
interface Rec {
  kind: Kind;
  units: number;
  returnSequences?: boolean;
  goBackwards?: boolean;
  activation?: 'tanh' | 'relu' | 'sigmoid';
}
type Spec = { rec: Rec } | { bi: Rec } | { embedding: number } | { dense: number };

interface Case {
  name: string;
  /** Rows of [steps, features], or [steps] of indices when the first layer is an embedding. */
  inShape: number[];
  layers: Spec[];
  rows: number;
  seed: number;
  /** Rows of indices (with zeros, the mask) for a model that starts with an embedding. */
  indices?: number[];
}

const config = (r: Rec) => ({
  units: r.units,
  returnSequences: r.returnSequences ?? false,
  goBackwards: r.goBackwards ?? false,
  activation: r.activation ?? 'tanh',
  ...(r.kind === 'simpleRNN' ? {} : { recurrentActivation: 'sigmoid' as const }),
  ...(r.kind === 'gru' ? { resetAfter: false } : {}),
});

function dfLayer(s: Spec, input: { inputShape?: number[] }): df.Layer {
  if ('rec' in s) return df.layers[s.rec.kind]({ ...config(s.rec), ...input });
  if ('bi' in s) return df.layers.bidirectional({ layer: df.layers[s.bi.kind](config(s.bi)), ...input });
  if ('embedding' in s) return df.layers.embedding({ inputDim: 7, outputDim: s.embedding, maskZero: true, ...input });
  return df.layers.dense({ units: s.dense, activation: 'tanh', ...input });
}

function tfLayer(s: Spec, input: { inputShape?: number[] }): tf.layers.Layer {
  const make = (r: Rec) => (tf.layers[r.kind] as (c: object) => tf.layers.Layer)({ ...config(r), ...input });
  if ('rec' in s) return make(s.rec);
  if ('bi' in s) return tf.layers.bidirectional({ layer: (tf.layers[s.bi.kind] as (c: object) => tf.layers.Layer)(config(s.bi)) as tf.layers.RNN, ...input });
  if ('embedding' in s) return tf.layers.embedding({ inputDim: 7, outputDim: s.embedding, maskZero: true, ...input });
  return tf.layers.dense({ units: s.dense, activation: 'tanh', ...input });
}

const cases: Case[] = [
  { name: 'LSTM, last output', inShape: [6, 3], layers: [{ rec: { kind: 'lstm', units: 5 } }], rows: 4, seed: 1 },
  { name: 'LSTM sequences → LSTM backwards → dense', inShape: [5, 2], layers: [{ rec: { kind: 'lstm', units: 4, returnSequences: true } }, { rec: { kind: 'lstm', units: 3, goBackwards: true } }, { dense: 2 }], rows: 3, seed: 2 },
  { name: 'GRU (reset before), sequences, backwards', inShape: [7, 3], layers: [{ rec: { kind: 'gru', units: 6, returnSequences: true, goBackwards: true } }], rows: 3, seed: 3 },
  { name: 'GRU → dense', inShape: [4, 5], layers: [{ rec: { kind: 'gru', units: 3 } }, { dense: 2 }], rows: 5, seed: 4 },
  { name: 'SimpleRNN relu, sequences → SimpleRNN', inShape: [6, 2], layers: [{ rec: { kind: 'simpleRNN', units: 5, returnSequences: true, activation: 'relu' } }, { rec: { kind: 'simpleRNN', units: 3 } }], rows: 4, seed: 5 },
  { name: 'Bidirectional(LSTM), last outputs', inShape: [5, 3], layers: [{ bi: { kind: 'lstm', units: 4 } }], rows: 3, seed: 6 },
  { name: 'Bidirectional(LSTM) sequences → Bidirectional(GRU)', inShape: [4, 2], layers: [{ bi: { kind: 'lstm', units: 3, returnSequences: true } }, { bi: { kind: 'gru', units: 2 } }], rows: 3, seed: 7 },
  {
    name: 'Embedding(maskZero) → LSTM sequences → GRU backwards (padded and empty rows)',
    inShape: [6],
    layers: [{ embedding: 3 }, { rec: { kind: 'lstm', units: 4, returnSequences: true } }, { rec: { kind: 'gru', units: 3, goBackwards: true } }],
    rows: 4,
    seed: 8,
    indices: [0, 0, 1, 2, 3, 4, 5, 6, 0, 0, 1, 2, 1, 0, 2, 0, 3, 0, 0, 0, 0, 0, 0, 0],
  },
  {
    name: 'Embedding(maskZero) → Bidirectional(SimpleRNN) last outputs',
    inShape: [5],
    layers: [{ embedding: 2 }, { bi: { kind: 'simpleRNN', units: 3 } }],
    rows: 3,
    seed: 9,
    indices: [0, 1, 2, 3, 4, 5, 6, 0, 0, 1, 2, 0, 3, 0, 4],
  },
];

function twins(c: Case) {
  const model = df.sequential({ seed: c.seed, layers: c.layers.map((s, i) => dfLayer(s, i === 0 ? { inputShape: c.inShape } : {})) });
  const t = tf.sequential({ layers: c.layers.map((s, i) => tfLayer(s, i === 0 ? { inputShape: c.inShape } : {})) });
  expect(model.getWeights().map((w) => w.shape)).toEqual(t.weights.map((w) => w.shape));
  // Random biases too (zeros would hide a bias bug), the same in both.
  const next = rng(c.seed);
  const ws = model.getWeights().map((w) => ({ data: uniform(next, w.size, -0.7, 0.7), shape: w.shape }));
  model.setWeights(ws);
  t.setWeights(ws.map((w) => tf.tensor(w.data, w.shape)));
  const x = c.indices ? Float32Array.from(c.indices) : uniform(next, c.rows * c.inShape.reduce((a, b) => a * b, 1), -1.5, 1.5);
  return { model, t, x, shape: [c.rows, ...c.inShape] };
}

describe.each(cases.map((c) => [c.name, c] as const))('tfjs parity: %s', (_, c) => {
  it('predict gives the same outputs and shape', () => {
    const { model, t, x, shape } = twins(c);
    const got = model.predict({ data: x, shape });
    expect(got.shape).toEqual(t.outputs[0].shape.map((d) => d ?? c.rows));
    agree(got.dataSync(), tfPredict(t, x, shape), 0.1, PREDICT_TOL, 'output');
    t.dispose();
  });

  it('computeGradients gives the gradients tfjs computes', () => {
    const { model, t, x, shape } = twins(c);
    const outShape = [c.rows, ...(model.outputShape.slice(1) as number[])];
    const y = uniform(rng(c.seed + 7), outShape.reduce((a, b) => a * b, 1), -1, 1);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const ours = model.computeGradients({ data: x, shape }, { data: y, shape: outShape });
    const { value, grads } = tf.variableGrads(() => tf.losses.meanSquaredError(tf.tensor(y, outShape), t.apply(tf.tensor(x, shape)) as tf.Tensor) as tf.Scalar);
    expect(Math.abs(ours.loss - value.dataSync()[0]) / value.dataSync()[0]).toBeLessThan(1e-5);
    // variableGrads names each gradient by its tf.Variable (a LayerVariable's val).
    t.trainableWeights.forEach((w, i) => agree(ours.grads[i].dataSync(), grads[(w as unknown as { val: tf.Variable }).val.name].dataSync(), 0.01, 1e-4, `gradient of ${w.name}`));
    t.dispose();
  });

  it(`${STEPS} Adam steps with trainOnBatch give the same weights`, async () => {
    const { model, t, shape } = twins(c);
    model.compile({ optimizer: df.optimizers.adam({ learningRate: LEARNING_RATE }), loss: 'mse' });
    const optimizer = new KerasAdam(LEARNING_RATE);
    t.compile({ optimizer, loss: 'meanSquaredError' });
    const next = rng(c.seed + 1);
    const outShape = [c.rows, ...(model.outputShape.slice(1) as number[])];
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    await trainTwins(model, t, STEPS, (s) => ({
      x: c.indices ? Float32Array.from(c.indices.map((v, i) => (v === 0 ? 0 : 1 + ((v + s + i) % 6)))) : uniform(next, shape.reduce((a, b) => a * b, 1), -1.5, 1.5),
      xShape: shape,
      y: uniform(next, outShape.reduce((a, b) => a * b, 1), -1, 1),
      yShape: outShape,
    }));
    const theirs = t.getWeights();
    model.getWeights().forEach((w, i) => {
      // An embedding row no index names gets no gradient, but the rest of the table moves.
      expect(Array.from(w.dataSync()), `weight ${i} moved`).not.toEqual(before[i]);
      agree(w.dataSync(), theirs[i].dataSync(), 0.01, TRAIN_TOL, `weight ${i} after ${STEPS} steps`);
    });
    optimizer.dispose();
    t.dispose();
  });

  it("deltaflow's save loads in tfjs, and tfjs's save loads in deltaflow, predicting the same", async () => {
    const { model, t, x, shape } = twins(c);
    const want = tfPredict(t, x, shape);
    const saved = await capture((h) => model.save(h));
    const inTf = await tf.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    expect(inTf.layers.map((l) => l.getClassName())).toEqual(model.layers.map((l) => l.className));
    agree(tfPredict(inTf, x, shape), want, 0.1, PREDICT_TOL, "tfjs on deltaflow's save");
    const fromTf = await capture((h) => t.save(h as unknown as tf.io.IOHandler));
    const back = await df.loadLayersModel(df.io.fromMemory(fromTf));
    expect(back.layers.map((l) => l.className)).toEqual(model.layers.map((l) => l.className));
    expect(back.getWeights().map((w) => w.shape)).toEqual(model.getWeights().map((w) => w.shape));
    agree(back.predict({ data: x, shape }).dataSync(), want, 0.1, PREDICT_TOL, "deltaflow on tfjs's save");
    inTf.dispose();
    t.dispose();
  });
});
