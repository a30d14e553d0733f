import { describe, expect, it, vi } from 'vitest';
import * as df from '../../src/index.js';
import { camel } from '../../src/model/layer-config.js';
import { layerConfig } from '../../src/io/topology.js';

describe('layer.getConfig()', () => {
  it("is the config save() writes for the layer, with tfjs's camelCase keys and values; names kept as written", () => {
    const layer = df.layers.dense({ units: 3, activation: 'relu', inputShape: [2], name: 'my_dense' });
    const saved = layerConfig(layer);
    const config = layer.getConfig();
    expect(Object.keys(config)).toEqual(Object.keys(saved).map(camel));
    expect(config).toMatchObject({ name: 'my_dense', units: 3, activation: 'relu', useBias: true, batchInputShape: [null, 2], dtype: 'float32', trainable: true });
    expect(config.kernelInitializer).toEqual({ className: 'VarianceScaling', config: { scale: 1, mode: 'fanAvg', distribution: 'uniform', seed: null } });
  });

  it('has batchInputShape only when the layer declares an input shape, and the default name before the layer is in a model', () => {
    const config = df.layers.maxPooling2d({ poolSize: 3 }).getConfig();
    expect(config).toEqual({ poolSize: [3, 3], padding: 'valid', strides: [3, 3], dataFormat: 'channelsLast', name: 'max_pooling2d', trainable: true });
  });

  it("needs the io module, and says so from 'deltaflow/core' alone", async () => {
    vi.resetModules();
    const core = await import('../../src/core.js');
    expect(() => core.layers.dense({ units: 1 }).getConfig()).toThrow(/layer.getConfig needs deltaflow's io module: import from 'deltaflow'/);
    vi.resetModules();
  });

  it('camel turns snake_case into camelCase and leaves camelCase alone', () => {
    expect(['use_bias', 'fan_avg', 'channels_last', 'units', 'batchInputShape', 'moving_mean_initializer'].map(camel)).toEqual([
      'useBias', 'fanAvg', 'channelsLast', 'units', 'batchInputShape', 'movingMeanInitializer',
    ]);
  });
});
