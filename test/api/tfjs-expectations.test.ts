// What a TensorFlow.js user writes, run on deltaflow: each case is tfjs code where only the import
// changes (`tf` is deltaflow here), checked against @tensorflow/tfjs itself (`tfjs`) wherever the two
// can be compared. Organized by the items of issue 14; one describe per item.
import * as tfjs from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import * as tf from '../../src/index.js';
import { useTfjsPeer } from '../helpers/tfjs.js';

useTfjsPeer();

/** The same small model in both libraries: named layers (tfjs names its own 'dense_Dense1'), Keras's initializer. */
function twinModels() {
  const build = (lib: typeof tf | typeof tfjs) => [
    lib.layers.dense({ units: 4, activation: 'relu', inputShape: [3], name: 'hidden', kernelInitializer: 'glorotUniform' }),
    lib.layers.batchNormalization({ name: 'norm' }),
    lib.layers.dense({ units: 2, activation: 'softmax', name: 'out', kernelInitializer: 'glorotUniform' }),
  ];
  const model = tf.sequential({ seed: 1, layers: build(tf) as tf.Layer[] });
  const reference = tfjs.sequential({ layers: build(tfjs) as tfjs.layers.Layer[] });
  return { model, reference };
}

/** What console.log receives while `fn` runs. */
function logged(fn: () => void): string {
  const spy = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    fn();
    return spy.mock.calls.map((c) => c.join(' ')).join('\n');
  } finally {
    spy.mockRestore();
  }
}

describe('6. layer objects and model members', () => {
  it('model.layers[i].getWeights() returns Tensors in tfjs order: kernel then bias; gamma, beta, moving_mean, moving_variance', () => {
    const { model, reference } = twinModels();
    const shapes = (ws: { shape: readonly (number | null)[] }[]) => ws.map((w) => w.shape);
    for (let i = 0; i < 3; i++) expect(shapes(model.layers[i].getWeights())).toEqual(shapes(reference.layers[i].getWeights()));
    // A new BatchNormalization starts at gamma 1, beta 0, moving mean 0, moving variance 1, as tfjs's.
    expect(model.layers[1].getWeights().map((w) => w.arraySync())).toEqual(reference.layers[1].getWeights().map((w) => w.arraySync()));
    expect(model.layers[0].getWeights()[0]).toBeInstanceOf(tf.Tensor);
    // getWeights(trainableOnly) leaves out the moving statistics.
    expect(shapes(model.layers[1].getWeights(true))).toEqual(shapes(reference.layers[1].getWeights(true)));
    expect(model.layers[1].getWeights(true)).toHaveLength(2);
  });

  it('layer.setWeights([...]) replaces that layer’s weights: the same weights predict the same as tfjs', () => {
    const { model, reference } = twinModels();
    // tfjs's own tensors go in as they are.
    reference.layers.forEach((layer, i) => model.layers[i].setWeights(layer.getWeights()));
    const x = [[0.5, -1, 2], [1, 0, -0.25]];
    const got = model.predict(tf.tensor2d(x)).arraySync() as number[][];
    const want = (reference.predict(tfjs.tensor2d(x)) as tfjs.Tensor2D).arraySync();
    got.flat().forEach((v, i) => expect(v).toBeCloseTo(want.flat()[i], 5));
  });

  it('layer.setWeights with a wrong count or shape names the layer, the index and both shapes, and changes nothing', () => {
    const { model } = twinModels();
    const dense = model.layers[0];
    const before = dense.getWeights().map((w) => w.arraySync());
    const filled = (shape: number[], v: number) => tf.tensor(new Array(shape.reduce((a, b) => a * b, 1)).fill(v), shape);
    expect(() => dense.setWeights([filled([3, 4], 0)])).toThrow(/layer 'hidden' \(Dense\): expected 2 weights \(kernel \[3, 4\], bias \[4\]\), got 1/);
    expect(() => dense.setWeights([filled([3, 4], 1), filled([3], 1)])).toThrow(/layer 'hidden' \(Dense\): weights\[1\] \(bias\) has shape \[3\] but the layer needs \[4\]/);
    expect(() => dense.setWeights([filled([4, 3], 1), filled([4], 1)])).toThrow(/weights\[0\] \(kernel\) has shape \[4, 3\] but the layer needs \[3, 4\]/);
    expect(dense.getWeights().map((w) => w.arraySync())).toEqual(before);
  });

  it('layer.countParams() and model.countParams() count as tfjs does (non-trainable weights too)', () => {
    const { model, reference } = twinModels();
    model.layers.forEach((layer, i) => expect(layer.countParams()).toBe(reference.layers[i].countParams()));
    expect(model.countParams()).toBe(reference.countParams());
  });

  it('layer.outputShape and model.outputShape are [null, …] as in tfjs, for dense and image models', () => {
    const { model, reference } = twinModels();
    model.layers.forEach((layer, i) => expect(layer.outputShape).toEqual(reference.layers[i].outputShape));
    expect(model.outputShape).toEqual(reference.outputShape);
    const conv = (lib: typeof tf | typeof tfjs) => [
      lib.layers.conv2d({ filters: 4, kernelSize: 3, inputShape: [8, 8, 1] }),
      lib.layers.maxPooling2d({ poolSize: 2 }),
      lib.layers.flatten(),
    ];
    const ours = tf.sequential({ layers: conv(tf) as tf.Layer[] });
    const theirs = tfjs.sequential({ layers: conv(tfjs) as tfjs.layers.Layer[] });
    ours.layers.forEach((layer, i) => expect(layer.outputShape).toEqual(theirs.layers[i].outputShape));
    expect(ours.outputShape).toEqual(theirs.outputShape);
  });

  it('layer.name is the name given, or Keras’s default', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3], name: 'first' }), tf.layers.dense({ units: 1 })] });
    expect(model.layers.map((l) => l.name)).toEqual(['first', 'dense']);
  });

  it('layer.getConfig() returns what tfjs’s does, key for key', () => {
    const { model, reference } = twinModels();
    model.layers.forEach((layer, i) => expect(layer.getConfig()).toEqual(reference.layers[i].getConfig()));
    const images = (lib: typeof tf | typeof tfjs) => [
      lib.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', inputShape: [6, 6, 1], name: 'conv', kernelInitializer: 'glorotUniform' }),
      lib.layers.maxPooling2d({ poolSize: 2, name: 'pool' }),
      lib.layers.dropout({ rate: 0.25, name: 'drop' }),
      lib.layers.flatten({ name: 'flat' }),
    ];
    const ours = tf.sequential({ layers: images(tf) as tf.Layer[] });
    const theirs = tfjs.sequential({ layers: images(tfjs) as tfjs.layers.Layer[] });
    ours.layers.forEach((layer, i) => expect(Object.keys(layer.getConfig()).sort()).toEqual(Object.keys(theirs.layers[i].getConfig()).sort()));
    expect(ours.layers[0].getConfig()).toEqual(theirs.layers[0].getConfig());
  });

  it('model.weights: one variable per weight with tfjs’s name, shape, dtype, trainable and read()', () => {
    const { model, reference } = twinModels();
    const describe = (ws: { name: string; shape: readonly (number | null)[]; dtype: string; trainable: boolean }[]) =>
      // tfjs suffixes a variable name already used in the process ('hidden/kernel_6').
      ws.map((w) => ({ name: w.name.replace(/_\d+$/, ''), shape: [...w.shape], dtype: w.dtype, trainable: w.trainable }));
    expect(describe(model.weights)).toEqual(describe(reference.weights));
    expect(model.weights.map((w) => w.read().arraySync())).toEqual(model.getWeights().map((w) => w.arraySync()));
  });

  it('model.getLayer(name), getLayer(index) and getLayer(undefined, index); an unknown name lists the layers', () => {
    const { model, reference } = twinModels();
    expect(model.getLayer('norm').name).toBe(reference.getLayer('norm').name);
    expect(model.getLayer(2).name).toBe(reference.getLayer(2).name);
    expect(model.getLayer(undefined, 0).name).toBe(reference.getLayer(undefined as unknown as string, 0).name);
    expect(() => model.getLayer('nope')).toThrow(/no layer named 'nope'; its layers are 'hidden', 'norm', 'out'/);
    expect(() => model.getLayer(undefined, 3)).toThrow(/index 3 is out of range: model 'sequential' has 3 layer\(s\)/);
  });

  it('model.predictOnBatch(x) predicts x as one batch', () => {
    const { model, reference } = twinModels();
    reference.layers.forEach((layer, i) => model.layers[i].setWeights(layer.getWeights().map((w) => tf.tensor(w.arraySync() as number[], w.shape))));
    const x = tfjs.randomUniform([40, 3], -1, 1, 'float32', 3);
    const got = model.predictOnBatch(tf.tensor(x.dataSync(), x.shape));
    const want = reference.predictOnBatch(x) as tfjs.Tensor;
    expect(got.shape).toEqual(want.shape);
    Array.from(got.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(want.dataSync()[i], 5));
    expect(got.dataSync()).toEqual(model.predict(tf.tensor(x.dataSync(), x.shape)).dataSync());
  });

  it('getWeights on a layer whose model does not know its input shape yet is a clear error', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 2 })] });
    expect(() => model.layers[0].getWeights()).toThrow(/getWeights: layer 'dense' \(Dense\) is not built yet: .*give the first layer an inputShape, or call fit or predict/);
    expect(() => tf.layers.dense({ units: 2 }).getWeights()).toThrow(/layer 'dense' \(Dense\) is not built: add it to a model/);
  });
});

describe('7. tensors', () => {
  it('tensor, tensor1d…tensor4d and scalar have tfjs’s shape, dtype, rank and size', () => {
    const make = (lib: typeof tf | typeof tfjs) => [
      lib.scalar(3.5),
      lib.tensor1d([1, 2, 3]),
      lib.tensor2d([[1, 2], [3, 4], [5, 6]]),
      lib.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]),
      lib.tensor3d([[[1], [2]], [[3], [4]]]),
      lib.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]),
      lib.tensor([[[1, 2, 3]]]),
      lib.tensor([1, 2, 3, 4], [2, 2]),
    ];
    const facts = (ts: { shape: readonly number[]; dtype: string; rank: number; size: number }[]) => ts.map(({ shape, dtype, rank, size }) => ({ shape: [...shape], dtype, rank, size }));
    expect(facts(make(tf))).toEqual(facts(make(tfjs)));
  });

  it('dataSync(), data(), arraySync() and array() read as in tfjs; arraySync is typed by rank', async () => {
    const t = tf.tensor2d([[1, 2], [3, 4]]);
    const r = tfjs.tensor2d([[1, 2], [3, 4]]);
    expect(t.dataSync()).toEqual(r.dataSync());
    expect(await t.data()).toEqual(await r.data());
    expect(t.arraySync()).toEqual(r.arraySync());
    expect(await t.array()).toEqual(await r.array());
    // No cast needed: a Tensor2D's arraySync() is number[][].
    const corner: number = t.arraySync()[1][1];
    expect(corner).toBe(4);
    expect(tf.scalar(2).arraySync() + 1).toBe(3);
    expect(tf.tensor1d([5, 6]).arraySync()[1]).toBe(6);
  });

  it('print() writes what tfjs’s print() writes', () => {
    const cases: [number[], number[]][] = [
      [[1, 2, 3, 4], [2, 2]],
      [[1, 2.5, 3], [3]],
      [[3], []],
      [[1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]],
      [[1.123456789, -2, 300, 4], [2, 2]],
      [[1, 2], [1, 2]],
      [Array.from({ length: 25 }, (_, i) => i / 3), [25]],
      [Array.from({ length: 50 }, (_, i) => i - 20), [25, 2]],
      [Array.from({ length: 48 }, (_, i) => i * 1.5), [2, 24]],
      [Array.from({ length: 16 }, (_, i) => i), [2, 2, 2, 2]],
    ];
    for (const [values, shape] of cases) {
      expect(logged(() => tf.tensor(values, shape).print())).toBe(logged(() => tfjs.tensor(values, shape).print()));
      expect(logged(() => tf.tensor(values, shape).print(true))).toBe(logged(() => tfjs.tensor(values, shape).print(true)));
    }
    expect(tf.tensor2d([[1, 2], [3, 4]]).toString()).toBe('Tensor\n    [[1, 2],\n     [3, 4]]');
  });

  it('reshape(shape) with one -1 axis gives tfjs’s shape and values; a size mismatch is a clear error', () => {
    const values = [1, 2, 3, 4, 5, 6];
    for (const shape of [[3, 2], [-1, 3], [2, -1], [6], [1, -1, 2]]) {
      const got = tf.tensor(values).reshape(shape);
      const want = tfjs.tensor(values).reshape(shape);
      expect(got.shape).toEqual(want.shape);
      expect(got.arraySync()).toEqual(want.arraySync());
    }
    expect(() => tf.tensor(values).reshape([4, -1])).toThrow(/reshape: cannot reshape \[6\] \(6 values\) to \[4, -1\]: 6 is not a multiple of 4/);
    expect(() => tf.tensor(values).reshape([4, 2])).toThrow(/cannot reshape \[6\] \(6 values\) to \[4, 2\]: that shape holds 8 values/);
    expect(() => tf.tensor(values).reshape([-1, -1])).toThrow(/at most one axis may be -1/);
  });

  it('a @tensorflow/tfjs Tensor goes into fit, predict, evaluate and tensor() as it is', async () => {
    const xs = tfjs.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]);
    const ys = tfjs.tensor2d([[0], [1], [1], [0]]);
    const model = tf.sequential({ seed: 3, layers: [tf.layers.dense({ units: 8, activation: 'tanh', inputShape: [2] }), tf.layers.dense({ units: 1, activation: 'sigmoid' })] });
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'binaryCrossentropy' });
    const h = await model.fit(xs, ys, { epochs: 300, batchSize: 4, verbose: 0 });
    expect(h.history.loss.at(-1)!).toBeLessThan(0.1);
    expect(model.evaluate(xs, ys).loss).toBeCloseTo(h.history.loss.at(-1)!, 1);
    expect(Array.from(model.predict(xs).dataSync()).map(Math.round)).toEqual([0, 1, 1, 0]);
    expect(tf.tensor(xs).arraySync()).toEqual(xs.arraySync());
  });

  it('int32 and bool tfjs tensors are read as numbers', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'ones' })] });
    expect(model.predict(tfjs.tensor2d([[1, 2]], [1, 2], 'int32')).arraySync()).toEqual([[3]]);
    expect(model.predict(tfjs.tensor2d([[1, 0]], [1, 2], 'bool')).arraySync()).toEqual([[1]]);
    expect(tf.tensor(tfjs.tensor1d([4, 5], 'int32')).dataSync()).toEqual(new Float32Array([4, 5]));
  });
});

describe('8. fit yields to the event loop as tfjs’s yieldEvery does', () => {
  const xorModel = () => {
    const model = tf.sequential({ seed: 4, layers: [tf.layers.dense({ units: 8, activation: 'tanh', inputShape: [2] }), tf.layers.dense({ units: 1, activation: 'sigmoid' })] });
    model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
    return model;
  };
  const xs = [[0, 0], [0, 1], [1, 0], [1, 1]];
  const ys = [[0], [1], [1], [0]];

  it("fit({ yieldEvery: 'auto' | 'batch' | 'epoch' | 'never' | ms }) trains the same weights whatever it is", async () => {
    const weights: number[][][] = [];
    for (const yieldEvery of ['auto', 'batch', 'epoch', 'never', 5] as const) {
      const model = xorModel();
      await model.fit(xs, ys, { epochs: 20, batchSize: 1, verbose: 0, seed: 1, yieldEvery });
      weights.push(model.getWeights().map((w) => Array.from(w.dataSync())));
    }
    for (const w of weights.slice(1)) expect(w).toEqual(weights[0]);
  });

  it("yieldEvery: 'batch' lets a timer run between batches (a macrotask, so a page can paint)", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      await xorModel().fit(xs, ys, { epochs: 10, batchSize: 1, verbose: 0, yieldEvery: 'batch' });
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0);
  });

  it('callbacks: { onYield(epoch, batch, logs) } is called at each yield', async () => {
    const seen: [number, number][] = [];
    await xorModel().fit(xs, ys, { epochs: 2, batchSize: 2, verbose: 0, yieldEvery: 'batch', callbacks: { onYield: (epoch: number, batch: number) => void seen.push([epoch, batch]) } });
    expect(seen.length).toBeGreaterThanOrEqual(3);
    for (const [epoch, batch] of seen) expect(epoch >= 0 && epoch < 2 && batch >= 0 && batch < 2).toBe(true);
  });
});

describe('9. options objects are checked; Keras spellings are the same options; tfjs options that exist work', () => {
  const dense = () => [tf.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [2] })];
  const compiled = () => {
    const model = tf.sequential({ seed: 1, layers: dense() });
    model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
    return model;
  };
  const xs = [[0, 1], [1, 0], [1, 1], [0, 0]];
  const ys = [[1], [1], [0], [0]];

  it("a misspelt option ('epocs') is an error with a did-you-mean", async () => {
    await expect(compiled().fit(xs, ys, { epocs: 3 } as never)).rejects.toThrow(/fit: unknown option 'epocs' — did you mean 'epochs'\?/);
    expect(() => tf.layers.dense({ unit: 3 } as never)).toThrow(/unknown option 'unit' — did you mean 'units'\?/);
  });

  it('Keras’s snake_case keys (input_shape, batch_size, validation_split, restore_best_weights) are the same options', async () => {
    const model = tf.sequential({ seed: 1, layers: [tf.layers.dense({ units: 1, activation: 'sigmoid', input_shape: [2] } as never)] });
    expect(model.inputShape).toEqual([2]);
    model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
    const stop = tf.callbacks.earlyStopping({ monitor: 'val_loss', patience: 1, restore_best_weights: true } as never);
    const h = await model.fit(xs.concat(xs), ys.concat(ys), { epochs: 2, batch_size: 2, validation_split: 0.25, verbose: 0, callbacks: [stop] } as never);
    expect(h.history.val_loss).toHaveLength(2);
  });

  it('kernelRegularizer / biasRegularizer: the loss and the step are tfjs’s', async () => {
    const model = tf.sequential({ seed: 5, layers: [tf.layers.dense({ units: 2, inputShape: [3], kernelRegularizer: tf.regularizers.l2({ l2: 0.05 }), biasRegularizer: tf.regularizers.l1({ l1: 0.02 }) })] });
    const reference = tfjs.sequential({ layers: [tfjs.layers.dense({ units: 2, inputShape: [3], kernelRegularizer: tfjs.regularizers.l2({ l2: 0.05 }), biasRegularizer: tfjs.regularizers.l1({ l1: 0.02 }) })] });
    reference.setWeights([tfjs.tensor2d([[0.3, -0.2], [0.1, 0.5], [-0.4, 0.2]]), tfjs.tensor1d([0.1, -0.3])]);
    model.setWeights(reference.getWeights());
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    reference.compile({ optimizer: tfjs.train.sgd(0.1), loss: 'meanSquaredError' });
    const x = [[1, 2, 3], [0.5, -1, 2]];
    const y = [[0.2, 0.1], [-0.3, 0.4]];
    const ours = model.trainOnBatch(x, y);
    const theirs = (await reference.trainOnBatch(tfjs.tensor2d(x), tfjs.tensor2d(y))) as number;
    expect(ours).toBeCloseTo(theirs, 5);
    const want = reference.getWeights().map((w) => Array.from(w.dataSync()));
    model.getWeights().forEach((w, i) => Array.from(w.dataSync()).forEach((v, j) => expect(v).toBeCloseTo(want[i][j], 5)));
  });

  it('a tfjs option deltaflow lacks (kernelConstraint) says so, not "unknown"', () => {
    expect(() => tf.layers.dense({ units: 1, kernelConstraint: 'maxNorm' } as never)).toThrow(/kernelConstraint.*not supported by deltaflow/);
  });

  it('a tfjs loss function over Tensors is refused with what to write instead; a loss object over Float32Arrays trains', async () => {
    const model = tf.sequential({ seed: 1, layers: dense() });
    const tfjsStyle = (yTrue: tfjs.Tensor, yPred: tfjs.Tensor) => tfjs.losses.meanSquaredError(yTrue, yPred);
    expect(() => model.compile({ optimizer: 'sgd', loss: tfjsStyle as never })).toThrow(/loss is a function.*custom loss is an object \{ name, fn/);
    const squared: tf.LossFunction = {
      name: 'squared',
      fn: (t, p, rows) => Float32Array.from({ length: rows }, (_, r) => (p[r] - t[r]) ** 2),
      grad: (t, p) => p.map((v, i) => 2 * (v - t[i])),
    };
    model.compile({ optimizer: 'sgd', loss: squared });
    const h = await model.fit(xs, ys, { epochs: 2, verbose: 0 });
    expect(h.history.loss).toHaveLength(2);
  });

  it('a metric function is logged under its name, as tfjs does', async () => {
    const model = tf.sequential({ seed: 1, layers: dense() });
    function meanPrediction(_t: Float32Array, p: Float32Array) {
      return p.reduce((a, b) => a + b, 0) / p.length;
    }
    model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: [meanPrediction] });
    const h = await model.fit(xs, ys, { epochs: 1, batchSize: 4, verbose: 0, shuffle: false });
    const before = model.predict(xs);
    expect(h.history.meanPrediction).toHaveLength(1);
    expect(model.evaluate(xs, ys).meanPrediction).toBeCloseTo(before.dataSync().reduce((a, b) => a + b, 0) / 4, 5);
  });
});

describe('10. evaluate returns plain numbers (a difference from tfjs, which returns Scalars)', () => {
  it('model.evaluate(x, y) gives { loss, …metrics } as numbers', () => {
    const model = tf.sequential({ seed: 2, layers: [tf.layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid' })] });
    model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const logs = model.evaluate(tf.tensor2d([[0, 1], [1, 0]]), tf.tensor2d([[1], [0]]));
    expect(typeof logs.loss).toBe('number');
    expect(typeof logs.accuracy).toBe('number');
    // tfjs gives a Scalar (or a list of them) instead.
    const reference = tfjs.sequential({ layers: [tfjs.layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid' })] });
    reference.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const theirs = reference.evaluate(tfjs.tensor2d([[0, 1], [1, 0]]), tfjs.tensor2d([[1], [0]])) as tfjs.Scalar[];
    expect(theirs[0]).toBeInstanceOf(tfjs.Tensor);
  });
});
