// A loader no file can break: each kind of malformed input is a ModelFormatError whose message names
// the problem, raised before anything large is allocated.
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { getRuntime } from '../../src/wasm/load.js';
import { bytesOf, capture, modelJSON } from './helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let base: df.ModelArtifacts;
let json: Json;
let bin: Uint8Array;

beforeAll(async () => {
  await df.ready();
  const m = df.sequential({
    seed: 3,
    layers: [df.layers.dense({ units: 4, activation: 'relu', inputShape: [3] }), df.layers.dropout({ rate: 0.5 }), df.layers.dense({ units: 2, activation: 'sigmoid' })],
  });
  m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  await m.fit([[1, 2, 3]], [[0, 1]], { epochs: 2, verbose: 0 });
  base = await capture((h) => m.save(h, { includeOptimizer: true }));
  json = modelJSON(base);
  bin = bytesOf(base.weightData);
});

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

/** Loads model.json (edited by `edit`) with weights.bin through the file-style path. */
function loadJSON(edit: (j: Json) => void, weights: Uint8Array = bin, options?: df.LoadOptions) {
  const j = clone(json);
  edit(j);
  return df.loadLayersModel(df.io.fromFiles({ 'model.json': JSON.stringify(j), 'weights.bin': weights }), options);
}

/** Loads artifacts (edited by `edit`) through fromMemory. */
function loadArtifacts(edit: (a: Json) => void) {
  const a: Json = { ...clone({ ...base, weightData: undefined }), weightData: base.weightData };
  edit(a);
  return df.loadLayersModel(df.io.fromMemory(a));
}

async function fails(p: Promise<unknown>, message: RegExp) {
  const e = await p.then(() => undefined, (err) => err);
  expect(e, 'expected a ModelFormatError').toBeInstanceOf(df.ModelFormatError);
  expect(e.name).toBe('ModelFormatError');
  expect(e.message).toMatch(message);
}

const layer = (j: Json, i: number) => j.modelTopology.config.layers[i].config;
const specs = (j: Json) => j.weightsManifest[0].weights;

describe('malformed model.json', () => {
  it('bad JSON, not UTF-8, not an object', async () => {
    await fails(df.loadLayersModel(df.io.fromFiles({ 'model.json': '{"modelTopology": ', 'weights.bin': bin })), /model.json is not valid JSON/);
    await fails(df.loadLayersModel(df.io.fromFiles({ 'model.json': new Uint8Array([0x7b, 0xff, 0x7d]), 'weights.bin': bin })), /not UTF-8/);
    await fails(df.loadLayersModel(df.io.fromFiles({ 'model.json': '[1, 2]', 'weights.bin': bin })), /model.json must be an object/);
    await fails(df.loadLayersModel(df.io.fromFiles({ 'model.json': '['.repeat(1e6), 'weights.bin': bin })), /nests arrays and objects more than 1000 deep/);
  });

  it('missing or wrong-typed fields', async () => {
    await fails(loadJSON((j) => delete j.modelTopology), /no modelTopology/);
    await fails(loadJSON((j) => (j.modelTopology = 'Sequential')), /modelTopology must be a JSON object/);
    await fails(loadJSON((j) => (j.modelTopology.class_name = 'Graph')), /class_name the string "Graph": expected 'Sequential', 'Model' or 'Functional'/);
    await fails(loadJSON((j) => (j.modelTopology.config.layers = {})), /layers must be an array/);
    await fails(loadJSON((j) => (layer(j, 0).units = '4')), /units must be an integer/);
    await fails(loadJSON((j) => (layer(j, 0).use_bias = 'yes')), /use_bias must be true or false/);
    await fails(loadJSON((j) => (layer(j, 1).rate = null)), /rate must be a finite number/);
    await fails(loadJSON((j) => (layer(j, 0).name = 7)), /name must be a non-empty string/);
    await fails(loadJSON((j) => (j.weightsManifest = { paths: [] })), /weightsManifest must be an array/);
    await fails(loadJSON((j) => (specs(j)[0].shape = '4,3')), /shape must be an array/);
    await fails(loadJSON((j) => delete specs(j)[0].name), /name must be a non-empty string, got missing/);
    await fails(loadJSON((j) => (j.weightsManifest[0].paths = 'weights.bin')), /paths must be an array/);
    await fails(loadJSON((j) => (j.format = 'graph-model')), /graph-model/);
  });

  it('unknown layer classes and activations', async () => {
    await fails(loadJSON((j) => (j.modelTopology.config.layers[1].class_name = 'Conv3D')), /unknown layer class 'Conv3D'/);
    await fails(loadJSON((j) => (j.modelTopology.config.layers[1].class_name = 'constructor')), /unknown layer class 'constructor'/);
    await fails(loadJSON((j) => (layer(j, 0).activation = 'logSoftmax')), /unknown activation 'logSoftmax'/);
    await fails(loadJSON((j) => (layer(j, 0).activation = 'gelu_new')), /unknown activation 'gelu_new'/);
    await fails(loadJSON((j) => (layer(j, 0).activation = 'deltaflow>quantum')), /unknown activation 'deltaflow>quantum'/);
  });

  it('negative, fractional, zero and absurd sizes', async () => {
    for (const units of [-1, 1.5, 0, 1e12, 2 ** 53]) await fails(loadJSON((j) => (layer(j, 0).units = units)), /units must be an integer in \[1, 16777216\]/);
    await fails(loadJSON((j) => (layer(j, 0).batch_input_shape = [null, -3])), /input shape\[1\] must be an integer in \[1, 16777216\]/);
    await fails(loadJSON((j) => (layer(j, 0).batch_input_shape = [null, 4096, 4096, 4096])), /at most 16777216 are accepted/);
    await fails(loadJSON((j) => (specs(j)[0].shape = [2 ** 31 - 1, 2 ** 31 - 1, 2 ** 31 - 1])), /more than \d+ values/);
    await fails(loadJSON((j) => (specs(j)[0].shape = [3, -4])), /shape\[1\] must be an integer in \[0, 2147483647\]/);
    await fails(loadJSON((j) => (specs(j)[0].shape = [3, 4.5])), /shape\[1\] must be an integer/);
    // A model bigger than the cap is refused from its topology alone: WASM memory does not grow.
    const before = getRuntime().heap.memoryBytes;
    await fails(
      loadJSON((j) => {
        layer(j, 0).units = 16_000_000;
        layer(j, 0).batch_input_shape = [null, 4000];
      }),
      /more than 268435456 parameters/,
    );
    await fails(loadJSON(() => undefined, bin, { maxParameters: 20 }), /more than 20 parameters/);
    expect(getRuntime().heap.memoryBytes).toBe(before);
  });

  it('weights shorter or longer than the manifest says', async () => {
    await fails(loadJSON(() => undefined, bin.subarray(0, bin.length - 4)), /too short/);
    await fails(loadJSON(() => undefined, new Uint8Array([...bin, 0, 0, 0, 0])), /too long/);
    await fails(loadArtifacts((a) => (a.weightData = new ArrayBuffer(8))), /weight data is 8 bytes but the weight specs need \d+ \(too short\)/);
    await fails(loadArtifacts((a) => (a.weightData = [base.weightData, new ArrayBuffer(4)])), /too long/);
    await fails(loadArtifacts((a) => (a.weightData = 'AAAA')), /weightData must be an ArrayBuffer/);
    await fails(loadArtifacts((a) => delete a.weightData), /no weightData/);
  });

  it('dtype mismatches and unsupported dtypes', async () => {
    await fails(loadJSON((j) => (specs(j)[0].dtype = 'int32')), /layer weights must be float32/);
    await fails(loadJSON((j) => (specs(j)[0].dtype = 'float64')), /dtype the string "float64": expected 'float32' or 'int32'/);
    await fails(loadJSON((j) => (specs(j)[0].dtype = 'string')), /deltaflow reads only float32 and int32 weights/);
    await fails(loadJSON((j) => (specs(j)[0].quantization = { dtype: 'int4' })), /quantized as the string "int4"/);
    await fails(loadJSON((j) => (specs(j)[0].quantization = { dtype: 'uint8', min: 0 })), /quantization.scale must be a finite number/);
  });

  it('NaN and Infinity weights are refused', async () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const b = bin.slice();
      new DataView(b.buffer).setFloat32(8, bad, true);
      await fails(loadJSON(() => undefined, b), new RegExp(`weight 'dense/kernel' holds ${bad} at index 2`));
    }
    // uint8 quantization whose scale overflows float32.
    await fails(
      loadJSON(
        (j) => (j.weightsManifest[0].weights = [{ ...specs(j)[0], quantization: { dtype: 'uint8', min: 0, scale: 1e300 } }, ...specs(j).slice(1)]),
        new Uint8Array([...new Uint8Array(12).fill(1), ...bin.subarray(48)]),
      ),
      /holds Infinity at index 0 \(after uint8 dequantization\)/,
    );
  });

  it('duplicate weight names and names no layer has', async () => {
    await fails(loadJSON((j) => (specs(j)[1].name = specs(j)[0].name)), /lists the weight 'dense\/kernel' twice/);
    await fails(loadJSON((j) => (specs(j)[1].name = 'dense/gamma')), /no 'dense\/bias'/);
    await fails(loadJSON((j) => (j.weightsManifest[0].paths = ['weights.bin', 'weights.bin'])), /lists the file "weights.bin" twice/);
    await fails(loadJSON((j) => (layer(j, 2).name = 'dense')), /two layers are named 'dense'/);
  });

  it('manifest paths that leave the folder', async () => {
    for (const [p, why] of [
      ['../weights.bin', /leaves the model's folder/],
      ['/etc/passwd', /absolute/],
      ['C:\\weights.bin', /not allowed/],
      ['file:///etc/passwd', /URL/],
      ['https://evil.example/w.bin', /URL/],
      ['a//b.bin', /empty/],
      ['', /relative file name/],
    ] as const) {
      await fails(loadJSON((j) => (j.weightsManifest[0].paths = [p])), why);
    }
  });

  it("layers whose input size does not match the previous layer's output", async () => {
    await fails(loadJSON((j) => (specs(j)[2].shape = [5, 2])), /weight 'dense_1\/kernel' has shape \[5, 2\] but the layer needs \[4, 2\]/);
    await fails(loadJSON((j) => (layer(j, 2).batch_input_shape = [null, 7])), /declares an input of shape \[7\] but the previous layer's output has shape \[4\]/);
    // Dense works on the last axis (Keras): rows [2, 5] need a kernel [5, units].
    await fails(loadJSON((j) => (layer(j, 0).batch_input_shape = [null, 2, 5])), /weight 'dense\/kernel' has shape \[3, 4\] but the layer needs \[5, 4\]/);
    await fails(loadJSON((j) => delete layer(j, 0).batch_input_shape), /declares no input shape/);
  });

  it('functional models that are not a single chain', async () => {
    const fn = (edit: (layers: Json[], cfg: Json) => void) =>
      loadJSON((j) => {
        const seq = j.modelTopology.config.layers;
        const layers: Json[] = [
          { name: 'in', class_name: 'InputLayer', config: { batch_input_shape: [null, 3], name: 'in' }, inbound_nodes: [] },
          { name: 'dense', class_name: 'Dense', config: seq[0].config, inbound_nodes: [[['in', 0, 0, {}]]] },
          { name: 'dense_1', class_name: 'Dense', config: seq[2].config, inbound_nodes: [[['dense', 0, 0, {}]]] },
        ];
        delete layers[1].config.batch_input_shape;
        const cfg = { name: 'f', layers, input_layers: [['in', 0, 0]], output_layers: [['dense_1', 0, 0]] };
        edit(layers, cfg);
        j.modelTopology = { class_name: 'Functional', config: cfg };
        delete j.trainingConfig; // it names the Dropout layer left out here
      });
    expect((await fn(() => undefined)).layers.map((l) => l.name)).toEqual(['dense', 'dense_1']);
    await fails(fn((l) => (l[2].inbound_nodes = [[['in', 0, 0, {}]]])), /'in' feeds both/);
    await fails(fn((l) => (l[2].inbound_nodes = [[['dense', 0, 0, {}], ['in', 0, 0, {}]]])), /at most 1/);
    await fails(fn((l) => (l[1].inbound_nodes = [[['nowhere', 0, 0, {}]]])), /'nowhere', which is not in the model/);
    await fails(fn((_, c) => (c.output_layers = [['dense', 0, 0]])), /single chain|not at the end/);
    await fails(fn((_, c) => (c.input_layers = [['in', 0, 0], ['dense', 0, 0]])), /at most 1|exactly one layer/);
  });

  it('training configuration and optimizer state that do not fit', async () => {
    await fails(loadJSON((j) => (j.trainingConfig.loss = 'hinge')), /Unknown loss "hinge"/);
    await fails(loadJSON((j) => (j.trainingConfig.loss = ['mse', 'mse'])), /one output/);
    await fails(loadJSON((j) => (j.trainingConfig.optimizer_config.class_name = 'Ftrl')), /unknown optimizer class 'Ftrl'/);
    await fails(loadJSON((j) => (j.trainingConfig.optimizer_config.config.learningRate = -1)), /learningRate must be a finite number ≥ 0/);
    await fails(loadJSON((j) => (j.trainingConfig.optimizer_config.config.beta1 = 'x')), /beta1 must be a finite number/);
    await fails(loadJSON((j) => (specs(j)[4].name = 'step')), /must start with its step count 'iter'/);
    await fails(loadJSON((j) => (specs(j)[5].name = 'dense/kernel/velocity')), /should be 'dense\/bias\/velocity'|keeps \[m, v\]/);
    await fails(loadJSON((j) => (j.trainingConfig.optimizer_config.class_name = 'SGD')), /holds slots \[m, v\] but 'sgd' keeps \[\]/);
    const negIter = bin.slice();
    new DataView(negIter.buffer).setInt32(specs(json).slice(0, 4).reduce((n: number, s: Json) => n + 4 * s.shape.reduce((a: number, b: number) => a * b, 1), 0), -5, true);
    await fails(loadJSON(() => undefined, negIter), /step count 'iter' is -5/);
    await fails(loadJSON((j) => (j.trainingConfig.deltaflow.rng_state = [0, 0, 0, 0])), /all zeros/);
    await fails(loadJSON((j) => (j.trainingConfig.deltaflow.rng_state = [1, 2, 3])), /4 words/);
    await fails(loadJSON((j) => (j.trainingConfig.deltaflow.layer_rng_states = { dense: [1, 2, 3, 4] })), /not a Dropout layer/);
    // compile: false ignores the training configuration altogether.
    const m = await loadJSON((j) => (j.trainingConfig.loss = 'hinge'), bin, { compile: false });
    expect(m.optimizer).toBeUndefined();
  });

  it('userDefinedMetadata must be an object', async () => {
    await fails(loadJSON((j) => (j.userDefinedMetadata = [1, 2])), /userDefinedMetadata must be an object/);
  });
});
