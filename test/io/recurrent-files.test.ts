// Hostile model.json files with recurrent layers (src/io/topology.ts's SimpleRNN, LSTM, GRU and
// Bidirectional rows): every field the reader checks, set wrong, is a ModelFormatError naming the layer
// and the key (or the weight), raised before anything is allocated in WebAssembly; valid saves, and the
// spellings Keras and tfjs write, load back with the same weights and predictions.
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { getRuntime } from '../../src/wasm/load.js';
import { rng, uniform } from '../helpers/random.js';
import { bytesOf, capture, modelJSON } from './helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let base: df.ModelArtifacts;
let model: df.Sequential;
let masked: df.ModelArtifacts;
let maskedModel: df.Sequential;
const x = { data: uniform(rng(31), 2 * 6 * 3, -1, 1), shape: [2, 6, 3] };
const indices = { data: new Float32Array([0, 0, 3, 1, 4, 2, 5, 0, 0, 0]), shape: [2, 5] };

beforeAll(async () => {
  await df.ready();
  const L = df.layers;
  model = df.sequential({
    seed: 11,
    layers: [
      L.simpleRNN({ name: 'rnn', units: 3, returnSequences: true, inputShape: [6, 3] }),
      L.bidirectional({ name: 'bi', layer: L.lstm({ units: 2, returnSequences: true, goBackwards: true }) }),
      L.gru({ name: 'gru', units: 2, returnSequences: true }),
      L.gru({ name: 'gru0', units: 3, resetAfter: false, recurrentActivation: 'hardSigmoid' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'mse' });
  await model.fit(x, { data: uniform(rng(32), 6, -1, 1), shape: [2, 3] }, { epochs: 2, verbose: 0 });
  base = await capture((h) => model.save(h, { includeOptimizer: true }));
  maskedModel = df.sequential({
    seed: 12,
    layers: [
      L.embedding({ name: 'emb', inputDim: 6, outputDim: 3, maskZero: true, inputShape: [5] }),
      L.bidirectional({ name: 'bigru', layer: L.gru({ units: 2, returnSequences: true }) }),
      L.globalAveragePooling1d({ name: 'gap' }),
      L.dense({ name: 'out', units: 1 }),
    ],
  });
  masked = await capture((h) => maskedModel.save(h));
});

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

/** Loads `a` (default: the four-layer model) with its model.json and weight specs edited. */
function loadEdited(edit: (layers: Record<string, Json>, a: Json) => void, a: df.ModelArtifacts = base) {
  const copy: Json = { ...clone({ ...a, weightData: undefined }), weightData: a.weightData };
  edit(Object.fromEntries(copy.modelTopology.config.layers.map((l: Json) => [l.config.name, l.config])), copy);
  return df.loadLayersModel(df.io.fromMemory(copy));
}

/** Bytes handed out by the runtime, not counting the shared workspace. */
const used = () => getRuntime().heap.allocatedBytes - df.memory().workspaceBytes;

/** A ModelFormatError matching `message`, and nothing left allocated by the attempt. */
async function fails(p: () => Promise<unknown>, message: RegExp) {
  const before = used();
  const e = await p().then(() => undefined, (err) => err);
  expect(e, `expected a ModelFormatError matching ${message}`).toBeInstanceOf(df.ModelFormatError);
  expect(e.message).toMatch(message);
  expect(used()).toBe(before);
}

const same = async (loaded: df.Sequential, original: df.Sequential, input: df.Input) => {
  expect(loaded.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(original.getWeights().map((w) => Array.from(w.dataSync())));
  expect(Array.from(loaded.predict(input).dataSync())).toEqual(Array.from(original.predict(input).dataSync()));
};

describe('recurrent models saved and loaded', () => {
  it('load back with the same configs, weights, optimizer state and predictions', async () => {
    const back = await df.loadLayersModel(df.io.fromMemory(base));
    expect(back.layers.map((l) => l.getConfig())).toEqual(model.layers.map((l) => l.getConfig()));
    expect(back.getOptimizerState()).toEqual(model.getOptimizerState());
    await same(back, model, x);
    const m = await df.loadLayersModel(df.io.fromMemory(masked));
    await same(m, maskedModel, indices);
  });

  it('through model.json and weights.bin as files, too', async () => {
    const m = await df.loadLayersModel(df.io.fromFiles({ 'model.json': JSON.stringify(modelJSON(base)), 'weights.bin': bytesOf(base.weightData) }));
    await same(m, model, x);
  });

  it("the spellings Keras 3 and tfjs write: camelCase keys, no merge_mode (Keras's default 'concat'), unit_forget_bias null, harmless dropout 0 and unroll", async () => {
    const m = await loadEdited((l) => {
      delete l.bi.merge_mode;
      l.bi.layer.config.unit_forget_bias = null;
      Object.assign(l.gru, { unroll: true, dropout: null, recurrent_dropout: 0, time_major: false, stateful: null });
      l.rnn.returnSequences = l.rnn.return_sequences;
      delete l.rnn.return_sequences;
    });
    await same(m, model, x);
  });

  it("hard_sigmoid means Keras 3's function in a Keras 3 file, tfjs's 0.2·x + 0.5 in a tfjs file", async () => {
    const m = await loadEdited((l, a) => {
      l.gru0.recurrent_activation = 'hard_sigmoid';
      a.modelTopology.keras_version = '3.3.3';
    });
    await same(m, model, x);
    const tfjs = await loadEdited((l, a) => {
      l.gru0.recurrent_activation = 'hard_sigmoid';
      a.modelTopology.keras_version = 'tfjs-layers 4.22.0';
    });
    expect((tfjs.layers[3] as df.GRU).recurrentActivation.name).toBe('hardSigmoidTfjs');
    expect(Array.from(tfjs.predict(x).dataSync())).not.toEqual(Array.from(model.predict(x).dataSync()));
  });
});

describe('each field of a recurrent layer, set wrong, is a ModelFormatError naming the layer and the key', () => {
  it('units: 0, -1, 1e9, "4", 2.5, missing; in the wrapped layer of a Bidirectional too', async () => {
    const units = /must be an integer in \[1, \d+\], got/;
    await fails(() => loadEdited((l) => (l.rnn.units = 0)), new RegExp(`layer 0 \\('rnn'\\)\\.units ${units.source} 0$`));
    await fails(() => loadEdited((l) => (l.gru.units = -1)), new RegExp(`layer 2 \\('gru'\\)\\.units ${units.source} -1$`));
    await fails(() => loadEdited((l) => (l.gru0.units = 1e9)), new RegExp(`layer 3 \\('gru0'\\)\\.units ${units.source} 1000000000$`));
    await fails(() => loadEdited((l) => (l.rnn.units = '4')), /layer 0 \('rnn'\)\.units must be an integer .*, got the string "4"/);
    await fails(() => loadEdited((l) => (l.rnn.units = 2.5)), /layer 0 \('rnn'\)\.units must be an integer .*, got 2\.5/);
    await fails(() => loadEdited((l) => delete l.gru.units), /layer 2 \('gru'\)\.units must be an integer .*, got missing/);
    await fails(() => loadEdited((l) => (l.bi.layer.config.units = 0)), /layer 1 \('bi'\)\.layer\.config\.units must be an integer .*, got 0/);
    await fails(() => loadEdited((l) => (l.bi.layer.config.units = 1e9)), /layer 1 \('bi'\)\.layer\.config\.units must be an integer .*, got 1000000000/);
  });

  it('what deltaflow does not run: return_state, stateful, dropout, recurrent_dropout, time_major, constraints', async () => {
    await fails(() => loadEdited((l) => (l.gru.return_state = true)), /layer 2 \('gru'\)\.return_state true: not supported \(only false\)/);
    await fails(() => loadEdited((l) => (l.rnn.stateful = true)), /layer 0 \('rnn'\)\.stateful true: not supported \(only false\)/);
    await fails(() => loadEdited((l) => (l.gru0.dropout = 0.5)), /layer 3 \('gru0'\)\.dropout 0\.5: not supported \(only 0\)/);
    await fails(() => loadEdited((l) => (l.rnn.recurrent_dropout = 0.2)), /layer 0 \('rnn'\)\.recurrent_dropout 0\.2: not supported \(only 0\)/);
    await fails(() => loadEdited((l) => (l.bi.layer.config.recurrent_dropout = 0.2)), /layer 1 \('bi'\)\.layer\.config\.recurrent_dropout 0\.2: not supported/);
    await fails(() => loadEdited((l) => (l.bi.layer.config.stateful = true)), /layer 1 \('bi'\)\.layer\.config\.stateful true: not supported/);
    await fails(() => loadEdited((l) => (l.bi.layer.config.return_state = true)), /layer 1 \('bi'\)\.layer\.config\.return_state true: not supported/);
    await fails(() => loadEdited((l) => (l.rnn.time_major = true)), /layer 0 \('rnn'\)\.time_major true: not supported \(only false\)/);
    await fails(() => loadEdited((l) => (l.gru.dropout = '0')), /layer 2 \('gru'\)\.dropout the string "0": not supported \(only 0\)/);
    await fails(() => loadEdited((l) => (l.gru.recurrent_constraint = { class_name: 'NonNeg', config: {} })), /layer 2 \('gru'\)\.recurrent_constraint an object: constraints are not supported/);
    await fails(() => loadEdited((l) => (l.rnn.kernel_constraint = 'max_norm')), /layer 0 \('rnn'\)\.kernel_constraint the string "max_norm": constraints are not supported/);
  });

  it('activations: unknown, not a name, and ones a step cannot differentiate from its output', async () => {
    await fails(() => loadEdited((l) => (l.gru.recurrent_activation = 'nope')), /layer 2 \('gru'\)\.recurrent_activation: unknown activation 'nope'/);
    await fails(() => loadEdited((l) => (l.bi.layer.config.recurrent_activation = 'nope')), /layer 1 \('bi'\)\.layer\.config\.recurrent_activation: unknown activation 'nope'/);
    await fails(() => loadEdited((l) => (l.rnn.activation = 3)), /layer 0 \('rnn'\)\.activation must be an activation name, got 3/);
    await fails(() => loadEdited((l) => (l.gru.recurrent_activation = 'softmax')), /layer 2 \('gru'\): gru: recurrentActivation: 'softmax' is not supported in a recurrent layer/);
    await fails(() => loadEdited((l) => (l.rnn.activation = 'gelu')), /layer 0 \('rnn'\): simple_rnn: activation: 'gelu' is not supported in a recurrent layer/);
    await fails(() => loadEdited((l) => (l.bi.layer.config.activation = 'swish')), /layer 1 \('bi'\): lstm: activation: 'swish' is not supported in a recurrent layer/);
  });

  it('flags that are not booleans: reset_after "yes", unit_forget_bias 1, return_sequences "true", go_backwards 1, use_bias "no"', async () => {
    await fails(() => loadEdited((l) => (l.gru.reset_after = 'yes')), /layer 2 \('gru'\)\.reset_after must be true or false, got the string "yes"/);
    await fails(() => loadEdited((l) => (l.bi.layer.config.unit_forget_bias = 1)), /layer 1 \('bi'\)\.layer\.config\.unit_forget_bias must be true or false, got 1/);
    await fails(() => loadEdited((l) => (l.rnn.return_sequences = 'true')), /layer 0 \('rnn'\)\.return_sequences must be true or false, got the string "true"/);
    await fails(() => loadEdited((l) => (l.gru0.go_backwards = 1)), /layer 3 \('gru0'\)\.go_backwards must be true or false, got 1/);
    await fails(() => loadEdited((l) => (l.gru0.use_bias = 'no')), /layer 3 \('gru0'\)\.use_bias must be true or false, got the string "no"/);
  });

  it('shapes that do not chain: a sequence where a step needs one, rows that are not [timesteps, features], timesteps 0 or 1e9', async () => {
    await fails(() => loadEdited((l) => (l.rnn.return_sequences = false)), /layer 1 \('bi'\): layer 'lstm' \(LSTM\): expects rows of \[timesteps, features\].*got rows of \[3\]/);
    await fails(() => loadEdited((l) => (l.bi.layer.config.return_sequences = false)), /layer 2 \('gru'\): layer 'gru' \(GRU\): expects rows of \[timesteps, features\].*got rows of \[4\]/);
    await fails(() => loadEdited((l) => (l.rnn.batch_input_shape = [null, 18])), /layer 0 \('rnn'\): layer 'rnn' \(SimpleRNN\): expects rows of \[timesteps, features\].*got rows of \[18\]/);
    await fails(() => loadEdited((l) => (l.rnn.batch_input_shape = [null, 0, 3])), /layer 0 \('rnn'\) input shape\[1\] must be an integer in \[1, \d+\], got 0/);
    await fails(() => loadEdited((l) => (l.rnn.batch_input_shape = [null, 1e9, 3])), /layer 0 \('rnn'\) input shape\[1\] must be an integer in \[1, \d+\], got 1000000000/);
  });
});

describe('a Bidirectional wrong in each of its fields is a ModelFormatError naming it', () => {
  it("merge_mode other than 'concat' (null is Keras's two outputs), a backward_layer, a wrapped layer that is missing, not an object, or not recurrent", async () => {
    for (const mode of ['sum', 'mul', 'ave', null, 3]) {
      await fails(() => loadEdited((l) => (l.bi.merge_mode = mode)), /layer 1 \('bi'\)\.merge_mode .*: only 'concat' is supported/);
    }
    await fails(() => loadEdited((l) => (l.bi.backward_layer = clone(l.bi.layer))), /layer 1 \('bi'\)\.backward_layer: a separate backward layer is not supported/);
    await fails(() => loadEdited((l) => delete l.bi.layer), /layer 1 \('bi'\)\.layer must be an object, got missing/);
    await fails(() => loadEdited((l) => (l.bi.layer = null)), /layer 1 \('bi'\)\.layer must be an object, got null/);
    await fails(() => loadEdited((l) => (l.bi.layer = 'LSTM')), /layer 1 \('bi'\)\.layer must be an object, got the string "LSTM"/);
    await fails(() => loadEdited((l) => (l.bi.layer = { class_name: 'Dense', config: { units: 2 } })), /layer 1 \('bi'\)\.layer\.class_name the string "Dense": a Bidirectional must wrap SimpleRNN, LSTM or GRU/);
    await fails(() => loadEdited((l) => (l.bi.layer = { class_name: 'Bidirectional', config: clone(l.bi) })), /layer 1 \('bi'\)\.layer\.class_name the string "Bidirectional": a Bidirectional must wrap/);
    await fails(() => loadEdited((l) => (l.bi.layer = { class_name: 'constructor', config: {} })), /layer 1 \('bi'\)\.layer\.class_name the string "constructor": a Bidirectional must wrap/);
    await fails(() => loadEdited((l) => delete l.bi.layer.class_name), /layer 1 \('bi'\)\.layer\.class_name missing: a Bidirectional must wrap/);
    await fails(() => loadEdited((l) => delete l.bi.layer.config), /layer 1 \('bi'\)\.layer\.config\.units must be an integer .*, got missing/);
    await fails(() => loadEdited((l) => (l.bi.layer.config = [])), /layer 1 \('bi'\)\.layer\.config must be an object/);
    await fails(() => loadEdited((l) => (l.bi.layer.config.name = '')), /layer 1 \('bi'\)\.layer\.config\.name must be a non-empty string, got the string ""/);
  });

  it('a wrapped layer of another kind or size than the weights: every weight is named', async () => {
    await fails(() => loadEdited((l) => (l.bi.layer.class_name = 'GRU')), /weight 'bi\/forward_lstm\/kernel' has shape \[3, 8\] but the layer needs \[3, 6\]|the weights have no 'bi\/forward_gru\//);
    await fails(() => loadEdited((l) => (l.bi.layer.config.units = 3)), /weight 'bi\/forward_lstm\/kernel' has shape \[3, 8\] but the layer needs \[3, 12\]/);
    await fails(() => loadEdited((l) => (l.bigru.layer.config.reset_after = false), masked), /weight 'bigru\/forward_gru\/bias' has shape \[2, 6\] but the layer needs \[6\]/);
  });
});

describe('weights that do not fit the recurrent layers are a ModelFormatError naming the weight', () => {
  it("GRU's bias: [2, 3U] with reset_after (Keras 3), [3U] without (tfjs); a missing reset_after is tfjs's false", async () => {
    await fails(() => loadEdited((l) => (l.gru.reset_after = false)), /weight 'gru\/bias' has shape \[2, 6\] but the layer needs \[6\]/);
    await fails(() => loadEdited((l) => delete l.gru.reset_after), /weight 'gru\/bias' has shape \[2, 6\] but the layer needs \[6\]/);
    await fails(() => loadEdited((l) => (l.gru0.reset_after = true)), /weight 'gru0\/bias' has shape \[9\] but the layer needs \[2, 9\]/);
    await fails(() => loadEdited((_, a) => (a.weightSpecs.find((w: Json) => w.name === 'gru/bias').shape = [12])), /weight 'gru\/bias' has shape \[12\] but the layer needs \[2, 6\]/);
  });

  it('kernels of the wrong size, no bias with use_bias, a bias without it, missing, extra and renamed weights', async () => {
    await fails(() => loadEdited((l) => (l.gru.units = 3)), /weight 'gru\/kernel' has shape \[4, 6\] but the layer needs \[4, 9\]/);
    await fails(() => loadEdited((l) => (l.rnn.use_bias = false)), /the weights include 'rnn\/bias', which no layer of the model has/);
    await fails(() => loadEdited((_, a) => a.weightSpecs.splice(2, 1)), /the weights have no 'rnn\/bias' \(shape \[3\]\)/);
    await fails(
      () => loadEdited((_, a) => a.weightSpecs.splice(3, 0, { name: 'rnn/extra', shape: [1], dtype: 'float32' })),
      /the weights include 'rnn\/extra', which no layer of the model has/,
    );
    await fails(() => loadEdited((_, a) => (a.weightSpecs[4].name = 'bi/forward_lstm/recurrent')), /the weights have no 'bi\/forward_lstm\/recurrent_kernel' \(shape \[2, 8\]\)/);
    await fails(() => loadEdited((_, a) => (a.weightSpecs[7].name = 'bi/forward_lstm/recurrent_kernel')), /'bi\/forward_lstm\/recurrent_kernel'/);
    await fails(() => loadEdited((_, a) => (a.weightSpecs[8].shape = [2, 4])), /weight 'bi\/backward_lstm\/bias' has shape \[2, 4\] but the layer needs \[8\]/);
  });

  it('weight data that is short or not finite', async () => {
    await fails(() => loadEdited((_, a) => (a.weightData = (a.weightData as ArrayBuffer).slice(0, 40))), /the weight data is 40 bytes but the weight specs need \d+ \(too short\)/);
    await fails(() => loadEdited((_, a) => {
      const w = new Float32Array((a.weightData as ArrayBuffer).slice(0));
      w[9 + 9 + 3 + 5] = Number.NaN;
      a.weightData = w.buffer;
    }), /weight 'bi\/forward_lstm\/kernel' holds NaN at index 5: weights must be finite/);
  });

  it('after every refusal a valid file still loads and predicts as the saved model', async () => {
    const m = await df.loadLayersModel(df.io.fromMemory(base));
    await same(m, model, x);
  });
});
