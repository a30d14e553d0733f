// Bad image-layer configurations and inputs: each is a clear Error naming the layer (its kind at
// construction, its name in the model once added) and the problem, thrown before anything changes.
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';

beforeAll(() => df.ready());

// Configs as a JavaScript caller could write them, past the types.
const L = df.layers as unknown as Record<string, (config?: unknown) => df.Layer>;

const snapshot = (m: df.Sequential) => m.getWeights().map((w) => Array.from(w.dataSync()));

const images = (n: number, shape: number[]) => ({ data: Float32Array.from({ length: n * shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i)), shape: [n, ...shape] });
const onehot = (n: number, k: number) => Array.from({ length: n }, (_, r) => Array.from({ length: k }, (_, j) => (j === r % k ? 1 : 0)));

/** A small compiled CNN on [8, 8, 1] images. */
function cnn() {
  const m = df.sequential({
    seed: 1,
    layers: [df.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1] }), df.layers.maxPooling2d({ poolSize: 2 }), df.layers.flatten(), df.layers.dense({ units: 3, activation: 'softmax' })],
  });
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  return m;
}

/** Runs `bad`, expects an Error matching `message`, then checks the model is untouched and still trains. */
async function rejects(m: df.Sequential, bad: () => unknown, message: RegExp) {
  const before = snapshot(m);
  const layers = m.layers.map((l) => l.name);
  let error: unknown;
  try {
    await bad();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).message).toMatch(message);
  expect(snapshot(m)).toEqual(before);
  expect(m.layers.map((l) => l.name)).toEqual(layers);
  const h = await m.fit(images(6, m.inputShape!), onehot(6, 3), { epochs: 1, batchSize: 3, verbose: 0 });
  expect(Number.isFinite(h.history.loss[0])).toBe(true);
}

describe('layer configuration errors name the kind and the problem', () => {
  it('conv2d', () => {
    expect(() => L.conv2d({ filters: 0, kernelSize: 3 })).toThrow(/^conv2d: filters must be a positive integer, got 0$/);
    expect(() => L.conv2d({ filters: 2.5, kernelSize: 3 })).toThrow(/conv2d: filters must be a positive integer, got 2.5/);
    expect(() => L.conv2d({ filters: 2, kernelSize: 'a' })).toThrow(/^conv2d: kernelSize must be a positive integer or a pair of them such as \[3, 3\], got "a"$/);
    expect(() => L.conv2d({ filters: 2, kernelSize: [3] })).toThrow(/conv2d: kernelSize must be a positive integer or a pair of them/);
    expect(() => L.conv2d({ filters: 2, kernelSize: 0 })).toThrow(/conv2d: kernelSize must be a positive integer or a pair of them/);
    expect(() => L.conv2d({ filters: 2 })).toThrow(/conv2d: kernelSize is required/);
    expect(() => L.conv2d({ filters: 2, kernelSize: 3, padding: 'full' })).toThrow(/^conv2d: padding must be 'valid' or 'same', got "full"$/);
    expect(() => L.conv2d({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 })).toThrow(/^conv2d: strides > 1 and dilationRate > 1 cannot be combined$/);
    expect(() => L.conv2d({ filters: 2, kernelSize: 3, strides: [1, 2], dilationRate: [2, 1] })).toThrow(/strides > 1 and dilationRate > 1 cannot be combined/);
    expect(() => L.conv2d({ filters: 2, kernelSize: 3, strides: 0 })).toThrow(/conv2d: strides must be a positive integer or a pair/);
    expect(() => L.conv2d({ filters: 2, kernelSize: 3, dataFormat: 'channelsFirst' })).toThrow(/conv2d: dataFormat must be 'channelsLast' \(images are \[height, width, channels\]\), got "channelsFirst"/);
    expect(() => L.conv2d({ filters: 2, kernelSize: 3, activation: 'relu7' })).toThrow(/Unknown activation "relu7"/);
    expect(() => L.conv2d()).toThrow(/conv2d: expected a config object such as \{ filters: 32, kernelSize: 3 \}/);
    // Strides and dilation of 1 together are fine, as is either one alone.
    expect(() => L.conv2d({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 1 })).not.toThrow();
  });

  it('pooling', () => {
    expect(() => L.maxPooling2d({ poolSize: 0 })).toThrow(/^maxPooling2d: poolSize must be a positive integer or a pair of them/);
    expect(() => L.averagePooling2d({ strides: 'a' })).toThrow(/^averagePooling2d: strides must be a positive integer or a pair of them such as \[3, 3\], got "a"$/);
    expect(() => L.maxPooling2d({ padding: 'full' })).toThrow(/^maxPooling2d: padding must be 'valid' or 'same', got "full"$/);
    expect(() => L.globalAveragePooling2d({ keepdims: true })).toThrow(/globalAveragePooling2d: option 'keepdims' is not supported by deltaflow; add a reshape\(\) after it/);
    expect(() => L.globalMaxPooling2d({ dataFormat: 'channels_first' })).toThrow(/globalMaxPooling2d: dataFormat must be 'channelsLast'/);
  });

  it('reshape, upSampling2d, zeroPadding2d', () => {
    expect(() => L.reshape({ targetShape: [-1, -1] })).toThrow(/reshape: at most one entry of targetShape may be -1, got \[-1,-1\]/);
    expect(() => L.reshape({ targetShape: [0, 2] })).toThrow(/reshape: targetShape must be 1 to 4 positive integers \(one may be -1\), got \[0,2\]/);
    expect(() => L.reshape({ targetShape: [] })).toThrow(/reshape: targetShape must be 1 to 4 positive integers/);
    expect(() => L.reshape({})).toThrow(/reshape: targetShape must be/);
    expect(() => L.upSampling2d({ interpolation: 'bilinear' })).toThrow(/^upSampling2d: interpolation "bilinear" is not supported, only 'nearest'$/);
    expect(() => L.upSampling2d({ size: 0 })).toThrow(/upSampling2d: size must be a positive integer or a pair of them/);
    expect(() => L.zeroPadding2d({ padding: -1 })).toThrow(/^zeroPadding2d: padding must be n, \[rows, cols\] or \[\[top, bottom\], \[left, right\]\] of integers ≥ 0, got -1$/);
    expect(() => L.zeroPadding2d({ padding: [1, -2] })).toThrow(/zeroPadding2d: padding must be .* got \[1,-2\]/);
    expect(() => L.zeroPadding2d({ padding: [[1, -1], [0, 0]] })).toThrow(/zeroPadding2d: padding must be .* got \[\[1,-1\],\[0,0\]\]/);
    expect(() => L.zeroPadding2d({ padding: 1.5 })).toThrow(/zeroPadding2d: padding must be/);
  });

  it('batchNormalization and leakyReLU', () => {
    expect(() => L.batchNormalization({ axis: 1 })).toThrow(/^batchNormalization: only axis -1 \(the last, channels\) is supported, got 1$/);
    expect(() => L.batchNormalization({ axis: 3 })).toThrow(/only axis -1/);
    expect(() => L.batchNormalization({ epsilon: 0 })).toThrow(/^batchNormalization: epsilon must be a finite number > 0, got 0$/);
    expect(() => L.batchNormalization({ epsilon: -1e-3 })).toThrow(/batchNormalization: epsilon must be a finite number > 0/);
    expect(() => L.batchNormalization({ momentum: 2 })).toThrow(/batchNormalization: momentum must be in \[0, 1\], got 2/);
    expect(() => L.batchNormalization({ gammaInitializer: 'nope' })).toThrow(/Unknown initializer "nope"/);
    expect(() => L.leakyReLU({ alpha: -1 })).toThrow(/leakyReLU: alpha must be a finite number ≥ 0, got -1/);
    expect(() => L.leakyReLU({ alpha: NaN })).toThrow(/leakyReLU: alpha must be/);
    expect(() => L.batchNormalization({ axis: -1 })).not.toThrow();
  });
});

describe('shape errors name the layer as the model names it, and its sizes', () => {
  it("a kernel bigger than the input with 'valid' padding", () => {
    expect(() => df.sequential({ layers: [df.layers.conv2d({ filters: 2, kernelSize: 5, inputShape: [4, 4, 1] })] })).toThrow(
      /^layer 'conv2d' \(Conv2D\): a 5×5 window does not fit in an input of 4×4 with padding 'valid'$/,
    );
    expect(() => df.sequential({ layers: [df.layers.conv2d({ filters: 2, kernelSize: [2, 3], dilationRate: 3, inputShape: [7, 5, 1] })] })).toThrow(
      /layer 'conv2d' \(Conv2D\): a 2×3 window dilated by 3×3 does not fit in an input of 7×5 with padding 'valid'/,
    );
    // The second conv is 'conv2d_1': the error names it so, not as the first.
    expect(() => df.sequential({ layers: [df.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [6, 6, 1] }), df.layers.conv2d({ filters: 2, kernelSize: 5 })] })).toThrow(
      /^layer 'conv2d_1' \(Conv2D\): a 5×5 window does not fit in an input of 4×4 with padding 'valid'$/,
    );
    expect(() => df.sequential({ layers: [df.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [4, 4, 1] }), df.layers.maxPooling2d({ poolSize: 3 })] })).toThrow(
      /^layer 'max_pooling2d' \(MaxPooling2D\): a 3×3 window does not fit in an input of 2×2 with padding 'valid'$/,
    );
    expect(() => df.sequential({ layers: [df.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [4, 4, 1] }), df.layers.averagePooling2d({ poolSize: 3, name: 'pool' })] })).toThrow(/^layer 'pool' \(AveragePooling2D\)/);
    // 'same' padding always fits.
    expect(() => df.sequential({ layers: [df.layers.conv2d({ filters: 2, kernelSize: 5, padding: 'same', inputShape: [1, 1, 1] })] })).not.toThrow();
  });

  it('a declared input shape that differs from the previous output names the new layer', () => {
    const m = df.sequential({ layers: [df.layers.dense({ units: 4, inputShape: [2] })] });
    expect(() => m.add(df.layers.dense({ units: 1, inputShape: [3] }))).toThrow(/^layer 'dense_1' declares input shape \[3\] but the previous layer's output shape is \[4\]$/);
  });

  it('image layers after rows of features, softmax over feature maps', () => {
    for (const [layer, name] of [[df.layers.conv2d({ filters: 2, kernelSize: 1 }), "'conv2d' \\(Conv2D\\)"], [df.layers.upSampling2d(), "'up_sampling2d' \\(UpSampling2D\\)"], [df.layers.globalMaxPooling2d(), "'global_max_pooling2d' \\(GlobalMaxPooling2D\\)"], [df.layers.zeroPadding2d(), "'zero_padding2d' \\(ZeroPadding2D\\)"], [df.layers.maxPooling2d(), "'max_pooling2d' \\(MaxPooling2D\\)"]] as const) {
      expect(() => df.sequential({ layers: [df.layers.dense({ units: 4, inputShape: [3] }), layer] })).toThrow(new RegExp(`^layer ${name}: expects images \\[height, width, channels\\], got rows of shape \\[4\\]$`));
    }
    expect(() => df.sequential({ layers: [df.layers.conv2d({ filters: 2, kernelSize: 3, activation: 'softmax', inputShape: [5, 5, 1] })] })).toThrow(
      /layer 'conv2d' \(Conv2D\): softmax over feature maps is not supported; flatten, then a dense softmax/,
    );
  });

  it('reshape to a target of another size', () => {
    expect(() => df.sequential({ layers: [df.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [5, 5, 1] }), df.layers.reshape({ targetShape: [5, 5] })] })).toThrow(
      /^layer 'reshape' \(Reshape\): cannot reshape rows of shape \[3, 3, 2\] \(18 values\) to \[5, 5\]$/,
    );
    expect(() => df.sequential({ layers: [df.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [5, 5, 1] }), df.layers.reshape({ targetShape: [-1, 4] })] })).toThrow(
      /cannot reshape rows of shape \[3, 3, 2\] \(18 values\) to \[-1, 4\]/,
    );
  });

  it('a model without an input shape refuses images too small for it when they come, and stays usable', () => {
    const m = df.sequential({ seed: 3, layers: [df.layers.conv2d({ filters: 2, kernelSize: 5 }), df.layers.flatten()] });
    expect(() => m.predict(images(2, [4, 4, 1]))).toThrow(/^layer 'conv2d' \(Conv2D\): a 5×5 window does not fit in an input of 4×4 with padding 'valid'$/);
    expect(m.inputShape).toBeUndefined();
    expect(m.predict(images(2, [6, 5, 1])).shape).toEqual([2, 2 * 1 * 2]);
  });
});

describe('bad image data', () => {
  it('x of the wrong shape for inputShape [28, 28, 1], with the hint when only the layout differs', async () => {
    const m = df.sequential({
      seed: 2,
      layers: [df.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [28, 28, 1] }), df.layers.maxPooling2d({ poolSize: 2 }), df.layers.flatten(), df.layers.dense({ units: 3, activation: 'softmax' })],
    });
    m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    const hint = /the same 784 values: pass them as \{ data, shape: \[rows, 28, 28, 1\] \}/;
    const flat = { data: new Float32Array(2 * 784), shape: [2, 784] };
    await rejects(m, () => m.fit(flat, onehot(2, 3), { verbose: 0 }), /^x has rows of shape \[784\] but the model's input shape is \[28, 28, 1\] \(the same 784 values/);
    await rejects(m, () => m.predict(flat), hint);
    await rejects(m, () => m.predict({ data: new Float32Array(2 * 784), shape: [2, 28, 28] }), /x has rows of shape \[28, 28\] but the model's input shape is \[28, 28, 1\] \(the same 784 values/);
    await rejects(m, () => m.evaluate([new Array(784).fill(0)], onehot(1, 3)), hint);
    await rejects(m, () => m.trainOnBatch({ data: new Float32Array(784), shape: [1, 1, 28, 28] }, onehot(1, 3)), /x has rows of shape \[1, 28, 28\] but the model's input shape is \[28, 28, 1\] \(the same 784 values/);
    // A different size: no hint.
    const err = (() => {
      try {
        m.predict({ data: new Float32Array(1024), shape: [1, 32, 32, 1] });
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(err).toBe("x has rows of shape [32, 32, 1] but the model's input shape is [28, 28, 1]");
  });

  it('a dense softmax after a conv without flatten: the loss needs rows of class scores', async () => {
    const m = df.sequential({ seed: 1, layers: [df.layers.conv2d({ filters: 4, kernelSize: 3, inputShape: [8, 8, 1] }), df.layers.dense({ units: 3, activation: 'softmax' })] });
    m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    const message = /^loss 'categoricalCrossentropy' needs rows of class scores, but the model's output shape is \[6, 6, 3\]; add a flatten\(\) layer$/;
    const before = snapshot(m);
    await expect(m.fit(images(2, [8, 8, 1]), onehot(2, 3), { verbose: 0 })).rejects.toThrow(message);
    expect(() => m.computeGradients(images(2, [8, 8, 1]), onehot(2, 3))).toThrow(message);
    expect(() => m.evaluate(images(2, [8, 8, 1]), onehot(2, 3))).toThrow(message);
    m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    expect(() => m.trainOnBatch(images(2, [8, 8, 1]), [0, 1])).toThrow(/loss 'sparseCategoricalCrossentropy' needs rows of class scores, but the model's output shape is \[6, 6, 3\]/);
    expect(snapshot(m)).toEqual(before);
    // predict is fine: a softmax per position, as Keras's Dense over the last axis.
    expect(m.predict(images(1, [8, 8, 1])).shape).toEqual([1, 6, 6, 3]);
  });

  it('image targets of the wrong shape', async () => {
    const m = df.sequential({ seed: 1, layers: [df.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', activation: 'sigmoid', inputShape: [4, 4, 1] })] });
    m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
    expect(() => m.trainOnBatch(images(2, [4, 4, 1]), images(2, [4, 4, 1]))).toThrow(/^y has rows of shape \[4, 4, 1\] but the model's output shape is \[4, 4, 2\]$/);
    expect(() => m.trainOnBatch(images(2, [4, 4, 1]), images(3, [4, 4, 2]))).toThrow(/y has 3 rows but x has 2/);
  });
});

describe('a failed add() leaves the model as it was', () => {
  it('a kernel too big, a reshape that does not fit, an image layer after features: same layers, weights and training', async () => {
    const m = cnn();
    await m.fit(images(6, [8, 8, 1]), onehot(6, 3), { epochs: 1, batchSize: 3, verbose: 0 });
    const tooBig = df.layers.conv2d({ filters: 2, kernelSize: 5 });
    // Added after the dense: the dense's output is rows of 3 features.
    await rejects(m, () => m.add(tooBig), /^layer 'conv2d_1' \(Conv2D\): expects images \[height, width, channels\], got rows of shape \[3\]$/);
    expect(tooBig.name).toBeUndefined();
    await rejects(m, () => m.add(df.layers.reshape({ targetShape: [2, 2] })), /^layer 'reshape' \(Reshape\): cannot reshape rows of shape \[3\] \(3 values\) to \[2, 2\]$/);
    await rejects(m, () => m.add(df.layers.maxPooling2d({ name: 'pool' })), /^layer 'pool' \(MaxPooling2D\): expects images/);
    expect(m.layers.map((l) => l.name)).toEqual(['conv2d', 'max_pooling2d', 'flatten', 'dense']);
    expect(m.outputShape).toEqual([null, 3]);
    // The refused layer can go into a model it fits.
    const other = df.sequential({ layers: [tooBig] });
    expect(other.predict(images(1, [5, 5, 1])).shape).toEqual([1, 1, 1, 2]);
    expect(tooBig.name).toBe('conv2d');
  });

  it('into a model built on images: a window too big for what the pool left', async () => {
    const m = df.sequential({ seed: 4, layers: [df.layers.conv2d({ filters: 3, kernelSize: 3, inputShape: [8, 8, 1] }), df.layers.maxPooling2d({ poolSize: 2 })] });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const before = snapshot(m);
    expect(() => m.add(df.layers.conv2d({ filters: 2, kernelSize: 4 }))).toThrow(/^layer 'conv2d_1' \(Conv2D\): a 4×4 window does not fit in an input of 3×3 with padding 'valid'$/);
    expect(snapshot(m)).toEqual(before);
    expect(m.outputShape).toEqual([null, 3, 3, 3]);
    // The same kernel with 'same' padding goes in, keeping the weights there were.
    m.add(df.layers.conv2d({ filters: 2, kernelSize: 4, padding: 'same' }));
    expect(m.layers.map((l) => l.name)).toEqual(['conv2d', 'max_pooling2d', 'conv2d_1']);
    expect(snapshot(m).slice(0, 2)).toEqual(before);
    expect(m.predict(images(2, [8, 8, 1])).shape).toEqual([2, 3, 3, 2]);
  });
});
