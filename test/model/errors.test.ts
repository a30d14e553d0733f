// Bad input: each case is a clear Error naming the problem, and the model is left as it was.
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';

beforeAll(() => df.ready());

const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
const y = [[0], [1], [1], [0]];

function model(loss = 'binaryCrossentropy', units = 1, activation = 'sigmoid') {
  const m = df.sequential({
    seed: 1,
    layers: [df.layers.dense({ units: 3, activation: 'tanh', inputShape: [2] }), df.layers.dense({ units, activation })],
  });
  m.compile({ optimizer: 'adam', loss, metrics: ['accuracy'] });
  return m;
}

const snapshot = (m: df.Sequential) => m.getWeights().map((w) => Array.from(w.dataSync()));

/** Runs `bad`, expects an Error matching `message`, then checks the model is untouched and still trains. */
async function rejects(m: df.Sequential, bad: () => unknown, message: RegExp) {
  const before = snapshot(m);
  let error: unknown;
  try {
    await bad();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).message).toMatch(message);
  expect(snapshot(m)).toEqual(before);
  const h = await m.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
  expect(Number.isFinite(h.history.loss[0])).toBe(true);
}

describe('bad input gets a clear error and loses nothing', () => {
  it('x not matching inputShape', async () => {
    const m = model();
    await rejects(m, () => m.fit([[1, 2, 3]], [[1]], { verbose: 0 }), /x has 3 features per row but the model's input shape is \[2\]/);
    await rejects(m, () => m.predict([[1, 2, 3]]), /input shape is \[2\]/);
  });

  it('y rows not matching x rows', async () => {
    const m = model();
    await rejects(m, () => m.fit(x, [[0], [1]], { verbose: 0 }), /y has 2 rows but x has 4/);
  });

  it('y width not matching the output', async () => {
    const m = model();
    await rejects(m, () => m.fit(x, [[0, 1], [1, 0], [1, 0], [0, 1]], { verbose: 0 }), /y has 2 columns per row but the model's output has 1 unit/);
  });

  it('NaN or Infinity in x or y', async () => {
    const m = model();
    await rejects(m, () => m.fit([[0, 0], [0, NaN], [1, 0], [1, 1]], y, { verbose: 0 }), /x\[1\]\[1\] is NaN/);
    await rejects(m, () => m.fit(x, [[0], [1], [Infinity], [0]], { verbose: 0 }), /y\[2\]\[0\] is Infinity/);
    await rejects(m, () => m.predict({ data: new Float32Array([0, 0, 1, -Infinity]), shape: [2, 2] }), /x\[1\]\[1\] is -Infinity/);
  });

  it('ragged arrays', async () => {
    const m = model();
    await rejects(m, () => m.fit([[0, 0], [0], [1, 0], [1, 1]], y, { verbose: 0 }), /x is ragged: row 1 has 1 values, row 0 has 2/);
  });

  it('non-numbers', async () => {
    const m = model();
    await rejects(m, () => m.predict([[0, '1' as unknown as number]]), /x\[0\]\[1\] is the string "1"/);
  });

  it('unknown activation, loss, optimizer, initializer names list the valid ones', () => {
    expect(() => df.layers.dense({ units: 2, activation: 'sigmoidd' })).toThrow(/Unknown activation "sigmoidd". Valid activations: linear, sigmoid, relu, tanh, softplus/);
    expect(() => df.layers.dense({ units: 2, kernelInitializer: 'glorot' })).toThrow(/Unknown initializer "glorot". Valid initializers: glorotUniform/);
    const m = model();
    expect(() => m.compile({ optimizer: 'adamm', loss: 'mse' })).toThrow(/Unknown optimizer "adamm". Valid optimizers: sgd, momentum, nesterov, adagrad, adadelta, rmsprop, adam, amsgrad, adamax, nadam, adamw, lion/);
    expect(() => m.compile({ optimizer: 'adam', loss: 'msee' })).toThrow(/Unknown loss "msee". Valid losses: meanSquaredError/);
    expect(() => m.compile({ optimizer: 'adam', loss: 'mse', metrics: ['precision'] })).toThrow(/Unknown metric "precision". Valid metrics: accuracy/);
  });

  it('a failed compile keeps the previous compilation', async () => {
    const m = model();
    expect(() => m.compile({ optimizer: 'adam', loss: 'nope' })).toThrow(/Unknown loss/);
    await rejects(m, () => m.compile({ optimizer: 'adam', loss: 'mse', metrics: ['nope'] }), /Unknown metric/);
    expect(m.lossRow?.name).toBe('binaryCrossentropy');
  });

  it('sparse labels out of range or fractional', async () => {
    const m = model('sparseCategoricalCrossentropy', 3, 'softmax');
    await rejects(m, () => m.fit(x, [0, 1, 3, 2], { verbose: 0 }), /y\[2\] = 3 is not a class label: 'sparseCategoricalCrossentropy' needs integers in \[0, 2\]/);
    await rejects(m, () => m.fit(x, [0, 1, 1.5, 2], { verbose: 0 }), /y\[2\] = 1.5 is not a class label/);
    await rejects(m, () => m.fit(x, [0, -1, 1, 2], { verbose: 0 }), /y\[1\] = -1 is not a class label/);
  });

  it('fit before compile', async () => {
    const m = df.sequential({ layers: [df.layers.dense({ units: 1, inputShape: [2] })] });
    await expect(m.fit(x, y, { verbose: 0 })).rejects.toThrow(/not compiled: call model.compile/);
    expect(() => m.evaluate(x, y)).toThrow(/not compiled/);
    expect(() => m.trainOnBatch(x, y)).toThrow(/not compiled/);
    expect(m.predict(x).shape).toEqual([4, 1]);
  });

  it('any call after dispose', async () => {
    const m = model();
    m.dispose();
    await expect(m.fit(x, y, { verbose: 0 })).rejects.toThrow(/has been disposed/);
    for (const call of [() => m.predict(x), () => m.evaluate(x, y), () => m.getWeights(), () => m.trainOnBatch(x, y), () => m.summary(null)]) {
      expect(call).toThrow(/has been disposed/);
    }
    expect(() => m.dispose()).not.toThrow();
  });

  it('batchSize ≤ 0 or not an integer, epochs < 0', async () => {
    const m = model();
    await rejects(m, () => m.fit(x, y, { batchSize: 0, verbose: 0 }), /batchSize must be a positive integer, got 0/);
    await rejects(m, () => m.fit(x, y, { batchSize: 2.5, verbose: 0 }), /batchSize must be a positive integer, got 2.5/);
    await rejects(m, () => m.fit(x, y, { batchSize: -4, verbose: 0 }), /batchSize must be a positive integer, got -4/);
    await rejects(m, () => m.fit(x, y, { epochs: -1, verbose: 0 }), /epochs must be an integer ≥ 0, got -1/);
    await rejects(m, () => m.fit(x, y, { validationSplit: 1, verbose: 0 }), /validationSplit must be a number in \[0, 1\)/);
  });

  it('setWeights with the wrong count or shapes writes nothing', async () => {
    const m = model();
    const ws = m.getWeights();
    await rejects(m, () => m.setWeights(ws.slice(1)), /expected 4 arrays/);
    const wrong = [df.tensor2d([[1, 2, 3]]), ws[1], ws[2], ws[3]];
    await rejects(m, () => m.setWeights(wrong), /weights\[0\] has shape \[1, 3\] but dense\/kernel needs \[2, 3\]/);
    const nan = [ws[0], { data: [0, NaN, 0], shape: [3] }, ws[2], ws[3]];
    await rejects(m, () => m.setWeights(nan), /weights\[1\]\[1\]\[0\] is NaN|weights\[1\]/);
  });

  it('invalid optimizer hyperparameters are rejected at construction', () => {
    expect(() => df.optimizers.adam({ learningRate: -1 })).toThrow(/learningRate must be a finite number ≥ 0 or a schedule, got -1/);
    expect(() => df.optimizers.adam({ learningRate: NaN })).toThrow(/learningRate must be a finite number/);
    expect(() => df.optimizers.adam({ beta1: 1 })).toThrow(/beta1 must be in \[0, 1\), got 1/);
    expect(() => df.optimizers.adam({ epsilon: 0 })).toThrow(/epsilon must be a finite number > 0/);
    expect(() => df.optimizers.sgd({ momentum: -0.1 })).toThrow(/momentum must be in \[0, 1\]/);
  });

  it('layer configuration errors', () => {
    expect(() => df.layers.dense({ units: 0 })).toThrow(/units must be a positive integer, got 0/);
    expect(() => df.layers.dense({ units: 2, inputShape: [2, 0] })).toThrow(/every input dimension must be a positive integer/);
    expect(() => df.layers.dense({ units: 2, inputShape: [] })).toThrow(/inputShape must be a non-empty array/);
    expect(() => df.layers.dense({ units: 2, inputShape: [1, 2, 3, 4, 5] })).toThrow(/rank 5 per row are not supported/);
    const m = df.sequential({ layers: [df.layers.dense({ units: 4, inputShape: [2] })] });
    expect(() => m.add(df.layers.dense({ units: 1, inputShape: [3] }))).toThrow(/declares input shape \[3\] but the previous layer's output shape is \[4\]/);
    expect(() => m.add(df.layers.dense({ units: 1, name: 'dense' }))).toThrow(/a layer named 'dense' is already in the model/);
  });
});
