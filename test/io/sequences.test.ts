// The 1-D layers in TensorFlow.js's layers-model format (src/io/topology.ts's Conv1D and 1-D pooling rows):
// a deltaflow save loads back with the same weights, configs and predictions; Keras 3's spellings (plain
// integers for kernel_size and pool_size, keepdims false, groups 1) load; and what deltaflow cannot run is
// a ModelFormatError naming the layer and the key.
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { rng, uniform } from '../helpers/random.js';
import { capture } from './helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let base: df.ModelArtifacts;
let model: df.Sequential;
const x = { data: uniform(rng(71), 3 * 12 * 2, -1, 1), shape: [3, 12, 2] };

beforeAll(async () => {
  await df.ready();
  model = df.sequential({
    seed: 7,
    layers: [
      df.layers.conv1d({ name: 'causal', filters: 4, kernelSize: 3, dilationRate: 2, padding: 'causal', activation: 'tanh', inputShape: [12, 2] }),
      df.layers.conv1d({ name: 'same', filters: 3, kernelSize: 4, strides: 2, padding: 'same', useBias: false, kernelInitializer: 'heNormal' }),
      df.layers.maxPooling1d({ name: 'max', poolSize: 2, strides: 1, padding: 'same' }),
      df.layers.averagePooling1d({ name: 'avg', poolSize: 3 }),
      df.layers.globalMaxPooling1d({ name: 'gmp' }),
      df.layers.reshape({ name: 'rs', targetShape: [3, 1] }),
      df.layers.globalAveragePooling1d({ name: 'gap' }),
    ],
  });
  base = await capture((h) => model.save(h));
});

function loadEdited(edit: (layers: Record<string, Json>) => void) {
  const top = JSON.parse(JSON.stringify(base.modelTopology));
  edit(Object.fromEntries(top.config.layers.map((l: Json) => [l.config.name, l.config])));
  return df.loadLayersModel(df.io.fromMemory({ ...base, modelTopology: top }));
}

async function fails(p: Promise<unknown>, message: RegExp) {
  const e = await p.then(() => undefined, (err) => err);
  expect(e, `expected a ModelFormatError matching ${message}`).toBeInstanceOf(df.ModelFormatError);
  expect(e.message).toMatch(message);
}

describe('the 1-D layers saved and loaded', () => {
  it('write what tfjs writes: one-element kernel_size, strides, dilation_rate, pool_size; the padding as given', () => {
    const layers = (base.modelTopology as Json).config.layers as Json[];
    expect(layers.map((l) => l.class_name)).toEqual(['Conv1D', 'Conv1D', 'MaxPooling1D', 'AveragePooling1D', 'GlobalMaxPooling1D', 'Reshape', 'GlobalAveragePooling1D']);
    expect(layers[0].config).toMatchObject({ filters: 4, kernel_size: [3], strides: [1], dilation_rate: [2], padding: 'causal', data_format: 'channels_last', activation: 'tanh', use_bias: true });
    expect(layers[1].config).toMatchObject({ kernel_size: [4], strides: [2], padding: 'same', use_bias: false });
    expect(layers[2].config).toEqual({ name: 'max', trainable: true, pool_size: [2], padding: 'same', strides: [1], data_format: 'channels_last' });
    expect(layers[4].config).toEqual({ name: 'gmp', trainable: true, data_format: 'channels_last' });
    expect(base.weightSpecs!.map((w) => [w.name, w.shape])).toEqual([['causal/kernel', [3, 2, 4]], ['causal/bias', [4]], ['same/kernel', [4, 4, 3]]]);
  });

  it('load back with the same configs, weights and predictions', async () => {
    const back = await df.loadLayersModel(df.io.fromMemory(base));
    expect(back.layers.map((l) => l.getConfig())).toEqual(model.layers.map((l) => l.getConfig()));
    expect(back.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(model.getWeights().map((w) => Array.from(w.dataSync())));
    expect(Array.from(back.predict(x).dataSync())).toEqual(Array.from(model.predict(x).dataSync()));
  });

  it("Keras 3's spellings: integers for kernel_size, strides, dilation_rate and pool_size, keepdims false, groups 1", async () => {
    const m = await loadEdited((l) => {
      Object.assign(l.causal, { kernel_size: 3, strides: 1, dilation_rate: 2, groups: 1 });
      Object.assign(l.max, { pool_size: 2, strides: null });
      l.avg.pool_size = 3;
      l.gmp.keepdims = false;
      l.gap.keepdims = false;
    });
    expect(m.layers[2].getConfig()).toMatchObject({ poolSize: [2], strides: [2] });
    const same = await loadEdited((l) => Object.assign(l.max, { pool_size: 2, strides: 1 }));
    expect(Array.from(same.predict(x).dataSync())).toEqual(Array.from(model.predict(x).dataSync()));
  });
});

describe('what deltaflow cannot run is a ModelFormatError naming the layer and the key', () => {
  it('causal pooling, other paddings, channels_first, keepdims true, groups, two-element sizes, windows that do not fit', async () => {
    await fails(loadEdited((l) => (l.max.padding = 'causal')), /layer 2 \('max'\)\.padding the string "causal": only 'valid' and 'same' are supported/);
    await fails(loadEdited((l) => (l.causal.padding = 'full')), /layer 0 \('causal'\)\.padding the string "full": only 'valid', 'same' and 'causal' are supported/);
    await fails(loadEdited((l) => (l.same.data_format = 'channels_first')), /'same'\)\.data_format the string "channels_first": only channels_last/);
    await fails(loadEdited((l) => (l.gap.keepdims = true)), /'gap'\)\.keepdims true: only keepdims false/);
    await fails(loadEdited((l) => (l.causal.groups = 2)), /'causal'\)\.groups 2: only groups 1/);
    await fails(loadEdited((l) => (l.causal.kernel_size = [3, 3])), /'causal'\)\.kernel_size has 2 entries; at most 1/);
    await fails(loadEdited((l) => (l.avg.pool_size = [])), /'avg'\)\.pool_size must be an integer or \[n\], got an empty array/);
    await fails(loadEdited((l) => (l.causal.strides = 0)), /'causal'\)\.strides must be an integer in \[1, 65536\]/);
    await fails(loadEdited((l) => delete l.causal.kernel_size), /'causal'\)\.kernel_size is required/);
    await fails(loadEdited((l) => (l.avg.pool_size = [9])), /layer 3 \('avg'\).*a window of 9 does not fit in a sequence of 6 steps/);
    await fails(loadEdited((l) => (l.causal.kernel_size = [2])), /weight 'causal\/kernel' has shape \[3, 2, 4\] but the layer needs \[2, 2, 4\]/);
  });
});
