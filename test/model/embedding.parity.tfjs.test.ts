// Embedding against TensorFlow.js 4.22.0 (cpu backend): the same table and dense weights give the same
// predictions, the same weights after three Adam steps (tfjs also updates its whole table densely), and
// a model saved by either library loads in the other with the same predictions.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { capture } from '../io/helpers.js';
import { rng, uniform, worst } from '../helpers/random.js';
import { tfPredict, useTfjsPeer } from '../helpers/tfjs.js';

useTfjsPeer();

const VOCAB = 13;
const DIM = 8;
const STEPS = 6;
const ROWS = 16;
const PREDICT_TOL = 1e-5;
const WEIGHT_TOL = 1e-4;

/** ROWS rows of STEPS indices, every index of the table used and some repeated within a row. */
function indices(seed: number): Float32Array {
  const x = Float32Array.from(uniform(rng(seed), ROWS * STEPS, 0, VOCAB), Math.floor);
  for (let i = 0; i < VOCAB; i++) x[i] = i;
  x[VOCAB] = x[VOCAB + 1] = 3;
  return x;
}

const labels = (seed: number) => Float32Array.from(uniform(rng(seed), ROWS, 0, 1), (v) => (v > 0.5 ? 1 : 0));

function tfModel(): tf.Sequential {
  const t = tf.sequential();
  t.add(tf.layers.embedding({ inputDim: VOCAB, outputDim: DIM, inputLength: STEPS }));
  t.add(tf.layers.flatten());
  t.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  return t;
}

/** deltaflow's twin of `t`, seeded, with t given the same weights. */
function twin(t: tf.Sequential): df.Sequential {
  const m = df.sequential({ seed: 5, layers: [df.layers.embedding({ inputDim: VOCAB, outputDim: DIM, inputLength: STEPS }), df.layers.flatten(), df.layers.dense({ units: 1, activation: 'sigmoid' })] });
  t.setWeights(m.getWeights().map((w) => tf.tensor(w.dataSync(), w.shape)));
  return m;
}

const relative = (got: ArrayLike<number>, want: ArrayLike<number>) => worst(got, want, (i) => Math.max(Math.abs(want[i]), 1e-3)).err;

describe('embedding → flatten → dense(sigmoid) against TensorFlow.js', () => {
  it('predicts the same with the same weights', () => {
    const t = tfModel();
    const m = twin(t);
    const x = indices(1);
    expect(relative(m.predict({ data: x, shape: [ROWS, STEPS] }).dataSync(), tfPredict(t, x, [ROWS, STEPS]))).toBeLessThanOrEqual(PREDICT_TOL);
    t.dispose();
  });

  it('has the same weights after three Adam steps', async () => {
    const t = tfModel();
    const m = twin(t);
    // A negligible ε: Keras (deltaflow) adds it to √v, tfjs to the bias-corrected √v̂, which differ ~30× at step 1.
    t.compile({ optimizer: tf.train.adam(0.01, 0.9, 0.999, 1e-10), loss: 'binaryCrossentropy' });
    m.compile({ optimizer: df.train.adam(0.01, 0.9, 0.999, 1e-10), loss: 'binaryCrossentropy' });
    const start = t.getWeights().map((w) => w.dataSync().slice());
    for (let s = 0; s < 3; s++) {
      const x = indices(10 + s);
      const y = labels(20 + s);
      await t.trainOnBatch(tf.tensor2d(x, [ROWS, STEPS]), tf.tensor2d(y, [ROWS, 1]));
      m.trainOnBatch({ data: x, shape: [ROWS, STEPS] }, { data: y, shape: [ROWS, 1] });
    }
    const theirs = t.getWeights().map((w) => w.dataSync());
    m.getWeights().forEach((w, i) => {
      // Relative to the value or to how far it moved, whichever is larger: a value that crossed zero is compared by its step.
      const { err, at } = worst(w.dataSync(), theirs[i], (k) => Math.max(Math.abs(theirs[i][k]), Math.abs(theirs[i][k] - start[i][k])));
      expect(err, `weights[${i}][${at}]: ${w.dataSync()[at]} vs ${theirs[i][at]} from ${start[i][at]}`).toBeLessThanOrEqual(WEIGHT_TOL);
      // Every value moved: each row of the table is named in every batch.
      expect(Array.from(w.dataSync()).every((v, k) => v !== start[i][k]), `weights[${i}] moved`).toBe(true);
    });
    t.dispose();
  });

  it('saves to tfjs and loads from it with the same predictions', async () => {
    const t = tfModel();
    const m = twin(t);
    const x = indices(3);
    const mine = await capture((h) => m.save(h));
    const fromDf = await tf.loadLayersModel(tf.io.fromMemory(mine as tf.io.ModelArtifacts));
    expect(Array.from(tfPredict(fromDf, x, [ROWS, STEPS]))).toEqual(Array.from(tfPredict(t, x, [ROWS, STEPS])));
    expect(fromDf.layers[0].getConfig()).toMatchObject({ inputDim: VOCAB, outputDim: DIM, maskZero: false, inputLength: STEPS });

    const theirs = await capture((h) => t.save(h as tf.io.IOHandler));
    const fromTf = await df.loadLayersModel(df.io.fromMemory(theirs));
    expect(fromTf.layers.map((l) => l.className)).toEqual(['Embedding', 'Flatten', 'Dense']);
    expect(fromTf.inputShape).toEqual([STEPS]);
    expect(fromTf.layers[0].getConfig()).toMatchObject({ inputDim: VOCAB, outputDim: DIM, maskZero: false });
    expect(relative(fromTf.predict({ data: x, shape: [ROWS, STEPS] }).dataSync(), tfPredict(t, x, [ROWS, STEPS]))).toBeLessThanOrEqual(PREDICT_TOL);
    t.dispose();
    fromDf.dispose();
  });

  it('keeps maskZero both ways', async () => {
    const t = tf.sequential({ layers: [tf.layers.embedding({ inputDim: VOCAB, outputDim: DIM, inputLength: STEPS, maskZero: true })] });
    const fromTf = await df.loadLayersModel(df.io.fromMemory(await capture((h) => t.save(h as tf.io.IOHandler))));
    expect((fromTf.layers[0] as df.Embedding).maskZero).toBe(true);
    const back = await tf.loadLayersModel(tf.io.fromMemory((await capture((h) => fromTf.save(h))) as tf.io.ModelArtifacts));
    expect(back.layers[0].getConfig().maskZero).toBe(true);
    t.dispose();
    back.dispose();
  });
});
