import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';

beforeAll(() => df.ready());

const model = () => df.sequential({ seed: 4, layers: [df.layers.dense({ units: 3, inputShape: [2], name: 'a' }), df.layers.dropout({ rate: 0.5, name: 'b' }), df.layers.dense({ units: 2, name: 'c' })] });

describe("Sequential's tfjs members", () => {
  it('outputShape is [null, …one row], and an error naming the model while the input shape is unknown', () => {
    expect(model().outputShape).toEqual([null, 2]);
    const open = df.sequential({ name: 'm', layers: [df.layers.dense({ units: 2 })] });
    expect(() => open.outputShape).toThrow(/model 'm': its output shape follows its input shape, which is not known yet/);
    open.predict([[1, 2, 3]]);
    expect(open.outputShape).toEqual([null, 2]);
  });

  it('countParams counts every weight; an unbuilt model says why it has none', () => {
    expect(model().countParams()).toBe(2 * 3 + 3 + 3 * 2 + 2);
    expect(() => df.sequential({ layers: [df.layers.dense({ units: 2 })] }).countParams()).toThrow(/the model has no weights yet/);
  });

  it('getLayer by name or index, checking both', () => {
    const m = model();
    expect(m.getLayer('b')).toBe(m.layers[1]);
    expect(m.getLayer(2)).toBe(m.layers[2]);
    expect(m.getLayer(undefined, 0)).toBe(m.layers[0]);
    expect(m.getLayer('ignored', 1)).toBe(m.layers[1]);
    expect(() => m.getLayer('d')).toThrow("getLayer: model 'sequential' has no layer named 'd'; its layers are 'a', 'b', 'c'");
    expect(() => m.getLayer(-1)).toThrow('getLayer: index -1 is out of range');
    expect(() => m.getLayer(1.5)).toThrow('getLayer: index 1.5 is out of range');
    expect(() => m.getLayer()).toThrow('getLayer: expected a layer name or an index, got neither');
  });

  it('predictOnBatch predicts all rows in one batch, as predict does', () => {
    const m = model();
    const x = Array.from({ length: 70 }, (_, i) => [i / 70, 1 - i / 70]);
    const one = m.predictOnBatch(x);
    expect(one.shape).toEqual([70, 2]);
    expect(one.dataSync()).toEqual(m.predict(x, { batchSize: 70 }).dataSync());
    expect(() => m.predictOnBatch([[1, 2, 3]])).toThrow("x has 3 features per row but the model's input shape is [2]");
  });
});
