import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';

beforeAll(() => df.ready());

const xor = { x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]] };

describe("a layer's tfjs members reach its model's weights", () => {
  it('outputShape, countParams and getWeights wait for the input shape, then follow it', () => {
    const layer = df.layers.dense({ units: 3 });
    expect(() => layer.outputShape).toThrow(/^outputShape: layer 'dense' \(Dense\) is not built: add it to a model/);
    const model = df.sequential({ layers: [layer] });
    expect(() => layer.countParams()).toThrow(/^countParams: layer 'dense' \(Dense\) is not built yet: its model does not know its input shape/);
    expect(() => layer.setWeights([])).toThrow(/^setWeights: layer 'dense' \(Dense\) is not built yet/);
    model.predict([[1, 2, 3, 4]]);
    expect(layer.outputShape).toEqual([null, 3]);
    expect(layer.countParams()).toBe(4 * 3 + 3);
    expect(layer.getWeights().map((w) => w.shape)).toEqual([[4, 3], [3]]);
  });

  it("getWeights are copies of the model's current values, in the model's getWeights order", async () => {
    const model = df.sequential({ seed: 5, layers: [df.layers.dense({ units: 4, activation: 'tanh', inputShape: [2] }), df.layers.batchNormalization(), df.layers.dense({ units: 1, activation: 'sigmoid' })] });
    model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
    await model.fit(xor.x, xor.y, { epochs: 5, verbose: 0 });
    const all = model.getWeights().map((w) => w.arraySync());
    // Model order: every trainable weight, then the non-trainable ones (batch norm's moving statistics).
    const [k0, b0, gamma, beta, k2, b2, mean, variance] = all;
    expect(model.layers.map((l) => l.getWeights().map((w) => w.arraySync()))).toEqual([[k0, b0], [gamma, beta, mean, variance], [k2, b2]]);
    model.layers[0].getWeights()[0].dataSync()[0] = 99;
    (model.layers[0].getWeights()[0].arraySync() as number[][])[0][0] = 99;
    expect(model.getWeights()[0].arraySync()).toEqual(k0);
  });

  it("setWeights writes only that layer's weights; a bad value leaves every weight as it was", () => {
    const model = df.sequential({ seed: 2, layers: [df.layers.dense({ units: 2, inputShape: [2] }), df.layers.dense({ units: 1 })] });
    const before = model.getWeights().map((w) => w.arraySync());
    model.layers[1].setWeights([[[1], [2]], [0.5]]);
    expect(model.getWeights().map((w) => w.arraySync())).toEqual([before[0], before[1], [[1], [2]], [0.5]]);
    expect(() => model.layers[0].setWeights([[[1, 2], [3, 4]], [NaN, 0]])).toThrow(/setWeights on layer 'dense' \(Dense\): weights\[1\] \(bias\)\[0\]\[0\] is NaN/);
    expect(() => model.layers[0].setWeights('no' as never)).toThrow(/expected an array of 2 weights \(kernel \[2, 2\], bias \[2\]\), got string/);
    expect(model.getWeights().map((w) => w.arraySync())).toEqual([before[0], before[1], [[1], [2]], [0.5]]);
  });

  it('a layer added to a second model reads and writes that model', () => {
    const layer = df.layers.dense({ units: 1, inputShape: [1], kernelInitializer: 'ones' });
    const first = df.sequential({ layers: [layer] });
    layer.setWeights([[[2]], [0]]);
    const second = df.sequential({ layers: [layer] });
    expect(layer.getWeights()[0].arraySync()).toEqual([[1]]);
    expect(first.getWeights()[0].arraySync()).toEqual([[2]]);
    expect(second.predict([[3]]).arraySync()).toEqual([[3]]);
  });

  it("a disposed model's layers say so", () => {
    const model = df.sequential({ layers: [df.layers.dense({ units: 1, inputShape: [1] })] });
    model.dispose();
    expect(() => model.layers[0].getWeights()).toThrow(/model 'sequential' has been disposed/);
  });

  it('countParams and outputShape of image layers', () => {
    const model = df.sequential({ layers: [df.layers.conv2d({ filters: 4, kernelSize: 3, inputShape: [6, 6, 2] }), df.layers.batchNormalization(), df.layers.globalAveragePooling2d({})] });
    expect(model.layers.map((l) => l.countParams())).toEqual([3 * 3 * 2 * 4 + 4, 4 * 4, 0]);
    expect(model.layers.map((l) => l.outputShape)).toEqual([[null, 4, 4, 4], [null, 4, 4, 4], [null, 4]]);
  });
});
