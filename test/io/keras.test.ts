// Topologies as Keras 2, Keras 3 and the converter write them (hand-written from their formats):
// the weights load into the same deltaflow model whatever the wrapping.
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';

beforeAll(() => df.ready());

const kernel = new Float32Array([0.5, -1, 2, 0.25, -0.75, 1.5]); // [3, 2]
const bias = new Float32Array([0.1, -0.2]);
const weightData = new Float32Array([...kernel, ...bias]).buffer;
const weightSpecs = [
  { name: 'dense/kernel', shape: [3, 2], dtype: 'float32' as const },
  { name: 'dense/bias', shape: [2], dtype: 'float32' as const },
];
const x = [[1, 2, 3], [-1, 0.5, 4]];

function expected(act: (v: number) => number) {
  return x.flatMap((row) => [0, 1].map((j) => act(row.reduce((s, v, i) => s + v * kernel[i * 2 + j], bias[j]))));
}

const keras3Dense = (activation: string) => ({
  module: 'keras.layers',
  class_name: 'Dense',
  config: {
    name: 'dense',
    trainable: true,
    dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
    units: 2,
    activation,
    use_bias: true,
    kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null }, registered_name: null },
    bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null },
    kernel_regularizer: null,
    bias_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
  },
  registered_name: null,
  build_config: { input_shape: [null, 3] },
});

async function load(modelTopology: unknown) {
  return df.loadLayersModel(df.io.fromMemory({ modelTopology, weightSpecs, weightData, format: 'layers-model' }));
}

function close(got: Float32Array, want: number[]) {
  want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 5));
}

describe('Keras and converter topologies', () => {
  it('Keras 3 Sequential: an InputLayer with batch_shape, object initializers and dtype policies', async () => {
    const m = await load({
      class_name: 'Sequential',
      config: {
        name: 'sequential',
        trainable: true,
        dtype: 'float32',
        layers: [{ module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 3], dtype: 'float32', sparse: false, name: 'input_layer' }, registered_name: null }, keras3Dense('hard_sigmoid')],
        build_input_shape: [null, 3],
      },
      keras_version: '3.3.3',
      backend: 'tensorflow',
    });
    // Keras 3's hard_sigmoid is deltaflow's: relu6(x + 3) / 6.
    close(m.predict(x).dataSync(), expected((v) => Math.min(Math.max(v / 6 + 0.5, 0), 1)));
    expect(m.layers.map((l) => l.className)).toEqual(['Dense']);
  });

  it("Keras 2 in the converter's wrapper (config as a list, training_config alongside); build_input_shape; build_config", async () => {
    const layer = keras3Dense('relu');
    const m = await load({
      keras_version: '2.4.0',
      backend: 'tensorflow',
      model_config: { class_name: 'Sequential', config: [{ class_name: 'Dense', config: { ...layer.config, batch_input_shape: [null, 3], dtype: 'float32', kernel_initializer: { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: null } } } }] },
      training_config: { loss: 'mse', optimizer_config: { class_name: 'Adam', config: {} } },
    });
    close(m.predict(x).dataSync(), expected((v) => Math.max(v, 0)));
    const m2 = await load({ class_name: 'Sequential', keras_version: '2.15.0', config: { name: 's', layers: [{ class_name: 'Dense', config: { ...layer.config, activation: 'linear' } }], build_input_shape: [null, 3] } });
    close(m2.predict(x).dataSync(), expected((v) => v));
    // Keras 3: only the layer's build_config says the input width.
    const m3 = await load({ class_name: 'Sequential', keras_version: '3.3.3', config: { name: 's', layers: [keras3Dense('sigmoid')] } });
    close(m3.predict(x).dataSync(), expected((v) => 1 / (1 + Math.exp(-v))));
  });

  it("Keras 2's hard_sigmoid (0.2x + 0.5) loads as hardSigmoidTfjs, unversioned files too", async () => {
    const topology = (version?: string) => ({ class_name: 'Sequential', ...(version && { keras_version: version }), config: { name: 's', layers: [{ class_name: 'Dense', config: { ...keras3Dense('hard_sigmoid').config, batch_input_shape: [null, 3] } }] } });
    for (const version of ['2.15.0', undefined]) {
      const m = await load(topology(version));
      expect((m.layers[0] as df.Dense).activation.name).toBe('hardSigmoidTfjs');
      close(m.predict(x).dataSync(), expected((v) => Math.min(Math.max(0.2 * v + 0.5, 0), 1)));
    }
  });

  it('Keras 3 Functional with __keras_tensor__ inbound nodes', async () => {
    const m = await load({
      class_name: 'Functional',
      config: {
        name: 'functional',
        layers: [
          { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 3], dtype: 'float32', sparse: false, name: 'in' }, registered_name: null, name: 'in', inbound_nodes: [] },
          {
            ...keras3Dense('tanh'),
            name: 'dense',
            inbound_nodes: [{ args: [{ class_name: '__keras_tensor__', config: { shape: [null, 3], dtype: 'float32', keras_history: ['in', 0, 0] } }], kwargs: {} }],
          },
        ],
        input_layers: [['in', 0, 0]],
        output_layers: [['dense', 0, 0]],
      },
      keras_version: '3.3.3',
    });
    close(m.predict(x).dataSync(), expected(Math.tanh));
  });
});
