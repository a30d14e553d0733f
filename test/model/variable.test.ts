import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';

beforeAll(() => df.ready());

describe('model.weights (LayerVariable)', () => {
  it("names each weight 'layer/weight' and reads and writes the model's current values", () => {
    const model = df.sequential({ seed: 1, layers: [df.layers.dense({ units: 2, inputShape: [1] }), df.layers.batchNormalization()] });
    const ws = model.weights;
    expect(ws.map((w) => [w.name, w.originalName, w.shape, w.dtype, w.trainable])).toEqual([
      ['dense/kernel', 'dense/kernel', [1, 2], 'float32', true],
      ['dense/bias', 'dense/bias', [2], 'float32', true],
      ['batch_normalization/gamma', 'batch_normalization/gamma', [2], 'float32', true],
      ['batch_normalization/beta', 'batch_normalization/beta', [2], 'float32', true],
      ['batch_normalization/moving_mean', 'batch_normalization/moving_mean', [2], 'float32', false],
      ['batch_normalization/moving_variance', 'batch_normalization/moving_variance', [2], 'float32', false],
    ]);
    ws[1].write([0.5, -0.5]);
    expect(ws[1].read().arraySync()).toEqual([0.5, -0.5]);
    expect(model.getWeights()[1].arraySync()).toEqual([0.5, -0.5]);
    expect(ws[5].read().arraySync()).toEqual([1, 1]);
    expect(() => ws[0].write([[1, 2, 3]])).toThrow(/weights\[0\] \(kernel\) has shape \[1, 3\] but the layer needs \[1, 2\]/);
    expect(model.getWeights()[1].arraySync()).toEqual([0.5, -0.5]);
  });

  it('needs the input shape, as getWeights does', () => {
    const model = df.sequential({ layers: [df.layers.dense({ units: 2 })] });
    expect(() => model.weights).toThrow(/the model has no weights yet: give the first layer an inputShape/);
  });
});
