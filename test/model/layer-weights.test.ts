import { describe, expect, it } from 'vitest';
import { readLayerWeights } from '../../src/model/layer-weights.js';

const slots = [
  { name: 'kernel', shape: [2, 3], offset: 0 },
  { name: 'bias', shape: [3], offset: 6 },
];

describe('readLayerWeights', () => {
  it('returns the values of each weight in order', () => {
    const [k, b] = readLayerWeights("layer 'd'", slots, [[[1, 2, 3], [4, 5, 6]], { data: [7, 8, 9], shape: [3] }]);
    expect([Array.from(k), Array.from(b)]).toEqual([[1, 2, 3, 4, 5, 6], [7, 8, 9]]);
  });

  it('names the layer, the index, the weight and both shapes on a mismatch', () => {
    expect(() => readLayerWeights("layer 'd'", slots, [[[1, 2, 3], [4, 5, 6]]])).toThrow("setWeights on layer 'd': expected 2 weights (kernel [2, 3], bias [3]), got 1");
    expect(() => readLayerWeights("layer 'd'", slots, [[[1, 2], [3, 4], [5, 6]], [1, 2, 3]])).toThrow(
      "setWeights on layer 'd': weights[0] (kernel) has shape [3, 2] but the layer needs [2, 3]",
    );
    expect(() => readLayerWeights("layer 'd'", slots, [[[1, 2, 3], [4, 5, 6]], [[1, 2, 3]]])).toThrow("weights[1] (bias) has shape [1, 3] but the layer needs [3]");
    expect(() => readLayerWeights("layer 'd'", slots, [[[1, 2, 3], [4, 5, Infinity]], [1, 2, 3]])).toThrow(/weights\[0\] \(kernel\)\[1\]\[2\] is Infinity/);
  });
});
