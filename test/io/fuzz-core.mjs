// The io fuzzer, shared by test/io/fuzz.test.ts (10,000 cases in `npm test`) and scripts/fuzz-io.mjs
// (larger seeded campaigns). It is given the library (src in the test, dist in the script), builds
// a corpus of valid models — every layer kind, deltaflow and tfjs-style, Sequential and functional, with optimizer
// state, dropout generator states, shards, quantized weights, the converter's wrapper — and loads
// seeded mutations of their model.json / weights.bin, through fromFiles and fromMemory. Every case
// must load a model that predicts or throw ModelFormatError: any other exception, a case slower than
// a second, or memory growth is a failure.

/** mulberry32: uniform floats in [0, 1). */
export function createRng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (r, list) => list[Math.floor(r() * list.length)];
const clone = (v) => JSON.parse(JSON.stringify(v));

function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

function bytesOf(data) {
  if (Array.isArray(data)) return concat(data.map((b) => new Uint8Array(b)));
  return new Uint8Array(data).slice();
}

async function artifactsOf(df, model, options) {
  let out;
  await model.save(df.io.withSaveHandler(async (a) => void (out = a)), options);
  return out;
}

function jsonOf(a, paths) {
  const json = { modelTopology: a.modelTopology, format: a.format, generatedBy: a.generatedBy, convertedBy: a.convertedBy, weightsManifest: [{ paths, weights: a.weightSpecs }] };
  if (a.trainingConfig) json.trainingConfig = a.trainingConfig;
  if (a.userDefinedMetadata) json.userDefinedMetadata = a.userDefinedMetadata;
  return json;
}

function split(bytes, cuts) {
  const bounds = [0, ...cuts.filter((c) => c > 0 && c < bytes.byteLength), bytes.byteLength];
  const files = {};
  const paths = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const name = `group1-shard${i + 1}of${bounds.length - 1}.bin`;
    paths.push(name);
    files[name] = bytes.slice(bounds[i], bounds[i + 1]);
  }
  return { paths, files };
}

/** Quantizes float32 entries (uint8 / uint16 / float16 by turns), tfjs's spec. */
function quantize(a) {
  const src = bytesOf(a.weightData);
  let at = 0;
  const parts = [];
  const specs = a.weightSpecs.map((spec, i) => {
    const n = spec.shape.reduce((x, y) => x * y, 1);
    const values = new Float32Array(src.slice(at, at + n * 4).buffer);
    at += n * 4;
    if (spec.dtype !== 'float32') {
      parts.push(new Uint8Array(values.buffer));
      return { ...spec };
    }
    const kind = ['uint8', 'float16', 'uint16'][i % 3];
    if (kind === 'float16') {
      const h = new Uint16Array(n);
      for (let k = 0; k < n; k++) h[k] = toHalf(values[k]);
      parts.push(new Uint8Array(h.buffer));
      return { ...spec, quantization: { dtype: 'float16' } };
    }
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) (min = Math.min(min, v)), (max = Math.max(max, v));
    if (max === min) min -= 1;
    const levels = kind === 'uint8' ? 255 : 65535;
    const scale = (max - min) / levels;
    const q = Array.from(values, (v) => Math.round((v - min) / scale));
    parts.push(kind === 'uint8' ? Uint8Array.from(q) : new Uint8Array(Uint16Array.from(q).buffer));
    return { ...spec, quantization: { dtype: kind, min, scale } };
  });
  return { ...a, weightSpecs: specs, weightData: concat(parts).buffer };
}

function toHalf(x) {
  const u = new Uint32Array(new Float32Array([x]).buffer)[0];
  const sign = (u >>> 16) & 0x8000;
  const exp = ((u >>> 23) & 0xff) - 112;
  if (exp <= 0) return sign;
  if (exp >= 31) return sign | 0x7c00;
  return sign | (exp << 10) | ((u >>> 13) & 0x3ff);
}

/** The functional form of a Sequential topology (tfjs's Model, or Keras 3's Functional node form). */
function functional(topology, keras3) {
  const layers = topology.config.layers.map((l) => clone(l));
  const first = layers[0].config;
  const shape = first.batch_input_shape;
  delete first.batch_input_shape;
  delete first.dtype;
  const input = { name: 'input_1', class_name: 'InputLayer', config: keras3 ? { batch_shape: shape, dtype: 'float32', sparse: false, name: 'input_1' } : { batch_input_shape: shape, dtype: 'float32', sparse: false, name: 'input_1' }, inbound_nodes: [] };
  let prev = 'input_1';
  const chain = layers.map((l) => {
    const node = keras3
      ? [{ args: [{ class_name: '__keras_tensor__', config: { shape: [null, 1], dtype: 'float32', keras_history: [prev, 0, 0] } }], kwargs: {} }]
      : [[[prev, 0, 0, {}]]];
    prev = l.config.name;
    return { name: l.config.name, class_name: l.class_name, config: l.config, inbound_nodes: node };
  });
  return {
    class_name: keras3 ? 'Functional' : 'Model',
    config: { name: 'model', layers: [input, ...chain], input_layers: [['input_1', 0, 0]], output_layers: [[prev, 0, 0]] },
    keras_version: keras3 ? '3.3.3' : 'tfjs-layers 4.22.0',
    backend: keras3 ? 'tensorflow' : 'tensor_flow.js',
  };
}

/** Valid models to mutate: { json, files } with model.json as an object. */
export async function makeCorpus(df) {
  const L = df.layers;
  const corpus = [];
  const add = (name, json, files) => corpus.push({ name, json, files });

  const a = df.sequential({ seed: 1, layers: [L.dense({ units: 5, activation: 'relu', inputShape: [3] }), L.dropout({ rate: 0.3 }), L.dense({ units: 2, activation: 'softmax' })] });
  a.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  await a.fit([[1, 2, 3], [3, 2, 1]], [[1, 0], [0, 1]], { epochs: 2, verbose: 0 });
  let art = await artifactsOf(df, a, { includeOptimizer: true, userDefinedMetadata: { mean: [1, 2, 3], note: 'x' } });
  add('adam + dropout + metadata', jsonOf(art, ['weights.bin']), { 'weights.bin': bytesOf(art.weightData) });

  const b = df.sequential({ seed: 2, layers: [L.activation({ activation: 'tanh', inputShape: [4] }), L.dense({ units: 3, activation: 'leakyRelu', useBias: false }), L.dropout({ rate: 0.1, seed: 9 }), L.dense({ units: 1, activation: 'hardSigmoid' })] });
  b.compile({ optimizer: df.optimizers.rmsprop({ learningRate: 0.01, momentum: 0.9, centered: true }), loss: 'mse' });
  await b.fit([[1, 2, 3, 4]], [[0.5]], { epochs: 1, verbose: 0 });
  art = await artifactsOf(df, b, { includeOptimizer: true });
  let s = split(bytesOf(art.weightData), [7, 30, 31]);
  add('rmsprop, sharded', jsonOf(art, s.paths), s.files);

  const c = df.sequential({ seed: 3, layers: [L.dense({ units: 6, activation: 'gelu', inputShape: [2] }), L.dense({ units: 4, activation: 'elu' }), L.dense({ units: 2, activation: 'sigmoid' })] });
  c.compile({ optimizer: df.optimizers.nadam({ learningRate: df.optimizers.schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 10 }), clipnorm: 1 }), loss: 'binaryCrossentropy' });
  await c.fit([[1, 2]], [[0, 1]], { epochs: 1, verbose: 0 });
  art = await artifactsOf(df, c, { includeOptimizer: true });
  add('nadam with a schedule', jsonOf(art, ['weights.bin']), { 'weights.bin': bytesOf(art.weightData) });

  art = await artifactsOf(df, c);
  const q = quantize(art);
  s = split(bytesOf(q.weightData), [5, 60]);
  add('quantized, sharded', jsonOf(q, s.paths.map((p) => `./${p}`)), s.files);

  const flat = clone(art);
  flat.modelTopology.config.layers.unshift({ class_name: 'Flatten', config: { name: 'flatten', trainable: true, batch_input_shape: [null, 1, 2], dtype: 'float32' } });
  delete flat.modelTopology.config.layers[1].config.batch_input_shape;
  add('Flatten first, converter wrapper', { ...jsonOf({ ...flat, weightSpecs: art.weightSpecs }, ['w.bin']), modelTopology: { model_config: flat.modelTopology, keras_version: '2.15.0', backend: 'tensorflow' } }, { 'w.bin': bytesOf(art.weightData) });

  add('tfjs functional Model', { ...jsonOf(art, ['weights.bin']), modelTopology: functional(art.modelTopology, false) }, { 'weights.bin': bytesOf(art.weightData) });
  add('Keras 3 Functional', { ...jsonOf(art, ['weights.bin']), modelTopology: functional(art.modelTopology, true) }, { 'weights.bin': bytesOf(art.weightData) });
  // Image layers, ending in Flatten → Dense so that any change to the spatial sizes meets a kernel
  // whose shape no longer fits.
  const d = df.sequential({
    seed: 4,
    layers: [
      L.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [6, 6, 2], useBias: false }),
      L.batchNormalization({ momentum: 0.9 }),
      L.leakyReLU({ alpha: 0.2 }),
      L.zeroPadding2d({ padding: [[1, 0], [0, 1]] }),
      L.maxPooling2d({ poolSize: 2 }),
      L.upSampling2d({ size: 2 }),
      L.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
      L.reshape({ targetShape: [3, 9] }),
      L.flatten(),
      L.dense({ units: 2, activation: 'softmax' }),
    ],
  });
  d.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  await d.fit({ data: new Float32Array(144).map((_, k) => Math.sin(k)), shape: [2, 6, 6, 2] }, [[1, 0], [0, 1]], { epochs: 1, verbose: 0 });
  art = await artifactsOf(df, d, { includeOptimizer: true });
  add('conv, batch norm and pooling, adam', jsonOf(art, ['weights.bin']), { 'weights.bin': bytesOf(art.weightData) });
  const e = df.sequential({
    seed: 5,
    layers: [L.conv2d({ filters: 2, kernelSize: [2, 3], strides: [1, 2], inputShape: [5, 7, 1] }), L.globalMaxPooling2d(), L.dense({ units: 1 })],
  });
  art = await artifactsOf(df, e);
  add('conv and global max pooling', jsonOf(art, ['weights.bin']), { 'weights.bin': bytesOf(art.weightData) });
  const e2 = df.sequential({ seed: 10, layers: [L.conv2d({ filters: 2, kernelSize: 2, inputShape: [3, 4, 2] }), L.globalAveragePooling2d(), L.dense({ units: 2 })] });
  art = await artifactsOf(df, e2);
  add('conv and global average pooling', jsonOf(art, ['weights.bin']), { 'weights.bin': bytesOf(art.weightData) });
  // Recurrent layers: every cell, a Bidirectional (its wrapped layer's config and two weight sets), GRU's
  // [2, 3U] and [3U] biases side by side, so a changed units, reset_after or class meets weights that no longer fit.
  const f = df.sequential({
    seed: 6,
    layers: [
      L.simpleRNN({ units: 3, returnSequences: true, inputShape: [5, 2] }),
      L.bidirectional({ layer: L.lstm({ units: 2, returnSequences: true, goBackwards: true }) }),
      L.gru({ units: 2, returnSequences: true }),
      L.gru({ units: 3, resetAfter: false, recurrentActivation: 'hardSigmoid' }),
      L.dense({ units: 1 }),
    ],
  });
  f.compile({ optimizer: 'adam', loss: 'mse' });
  await f.fit({ data: new Float32Array(20).map((_, k) => Math.cos(k)), shape: [2, 5, 2] }, [[1], [0]], { epochs: 1, verbose: 0 });
  art = await artifactsOf(df, f, { includeOptimizer: true });
  add('SimpleRNN, Bidirectional LSTM, GRU both ways, adam', jsonOf(art, ['weights.bin']), { 'weights.bin': bytesOf(art.weightData) });
  const g = df.sequential({ seed: 7, layers: [L.lstm({ units: 3, returnSequences: true, unitForgetBias: false, inputShape: [4, 3] }), L.globalAveragePooling1d(), L.dense({ units: 2 })] });
  art = await artifactsOf(df, g);
  add('LSTM sequences pooled', { ...jsonOf(art, ['weights.bin']), modelTopology: functional(art.modelTopology, true) }, { 'weights.bin': bytesOf(art.weightData) });
  // Token models: an Embedding first (its input is indices below inputDim, see inputsFor), then the 1-D
  // layers, so a changed inputDim, outputDim, filters or pool size meets a table or kernel that no longer fits.
  const h = df.sequential({
    seed: 8,
    layers: [
      L.embedding({ inputDim: 7, outputDim: 3, inputLength: 6, maskZero: false }),
      L.conv1d({ filters: 4, kernelSize: 2, padding: 'causal', activation: 'relu' }),
      L.maxPooling1d({ poolSize: 2 }),
      L.timeDistributed({ layer: L.dense({ units: 2, activation: 'tanh' }) }),
      L.averagePooling1d({ poolSize: 2, strides: 1, padding: 'same' }),
      L.globalMaxPooling1d(),
      L.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  h.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  await h.fit({ data: Float32Array.from({ length: 12 }, (_, k) => k % 7), shape: [2, 6] }, [[1], [0]], { epochs: 1, verbose: 0 });
  art = await artifactsOf(df, h, { includeOptimizer: true });
  add('Embedding, Conv1D, 1-D pooling, TimeDistributed, adam', jsonOf(art, ['weights.bin']), { 'weights.bin': bytesOf(art.weightData) });
  const g2 = df.sequential({ seed: 9, layers: [L.embedding({ inputDim: 5, outputDim: 2, inputShape: [4] }), L.gru({ units: 2 }), L.dense({ units: 1 })] });
  art = await artifactsOf(df, g2);
  add('Embedding into a GRU, functional', { ...jsonOf(art, ['weights.bin']), modelTopology: functional(art.modelTopology, false) }, { 'weights.bin': bytesOf(art.weightData) });
  for (const m of [a, b, c, d, e, e2, f, g, h, g2]) m.dispose();
  return corpus;
}

// ---- mutations ----

const DEEP = (() => {
  let v = [];
  for (let i = 0; i < 2000; i++) v = [v];
  return v;
})();

const VALUES = [
  null, undefined, true, false, 0, -0, 1, -1, 2, 1.5, -2.5, 0.999, 1e-45, 3, 255, 65536, 2 ** 24, 2 ** 24 + 1, 2 ** 28, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53, 1e12, -1e12, 1e308, -1e308,
  '', 'x', '0', '1e3', 'NaN', 'Infinity', 'float32', 'int32', 'float16', 'uint8', 'uint16', 'bool', 'string', 'complex64', 'optimizer', 'model',
  'Dense', 'Dropout', 'Activation', 'Flatten', 'InputLayer', 'Conv2D', 'MaxPooling2D', 'BatchNormalization', 'UpSampling2D', 'Sequential',
  'SimpleRNN', 'LSTM', 'GRU', 'Bidirectional', 'concat', 'sum',
  'Embedding', 'Conv1D', 'MaxPooling1D', 'AveragePooling1D', 'GlobalMaxPooling1D', 'GlobalAveragePooling2D', 'TimeDistributed', 'causal', 'input_dim', 'output_dim', 'embeddings',
  'Model', 'Functional', 'constructor', '__proto__', 'toString', 'hasOwnProperty',
  'same', 'valid', 'channels_first', 'bilinear', [[1, 1], [1, 1]], [[0, 2 ** 16], [1, 1]], [3, 3], [65536, 1],
  'relu', 'softmax', 'hard_sigmoid', 'hardSigmoid', 'deltaflow>hard_sigmoid', 'deltaflow>nope', 'leaky_relu', 'logSoftmax', 'gelu_new', 'linear',
  'Adam', 'deltaflow>Adam', 'SGD', 'Momentum', 'RMSProp', 'Nadam', 'Ftrl', 'iter', 'dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense/kernel/m',
  '../weights.bin', '/etc/passwd', 'file:///etc/passwd', 'http://127.0.0.1:1/w.bin', '//evil/w.bin', '%2e%2e/w.bin', 'a\\b', 'weights.bin', './weights.bin', 'w.bin?x',
  'x'.repeat(5000), [], [null], [null, 3], [null, 0], [null, -1], [null, 2, 2], [null, 1e9], [1, 2, 3], [2 ** 31 - 1, 2 ** 31 - 1], [0], [-1], [1.5], ['4'], [[]], {}, { a: 1 },
  { class_name: 'Dense', config: {} }, { dtype: 'uint8', min: 0, scale: 1e300 }, { dtype: 'uint8' }, { dtype: 'float16' }, [0, 0, 0, 0], [1, 2, 3, 4], DEEP,
];

/** Every [parent, key] in a JSON tree (bounded). */
function slots(root) {
  const out = [];
  const walk = (v, depth) => {
    if (out.length > 4000 || depth > 12 || v === null || typeof v !== 'object') return;
    for (const k of Array.isArray(v) ? v.keys() : Object.keys(v)) {
      out.push([v, k]);
      walk(v[k], depth + 1);
    }
  };
  walk(root, 0);
  return out;
}

function mutateJSON(r, json) {
  const all = slots(json);
  if (all.length === 0) return;
  const [parent, key] = pick(r, all);
  const v = parent[key];
  const op = r();
  if (op < 0.15) {
    if (Array.isArray(parent)) parent.splice(key, 1);
    else delete parent[key];
  } else if (op < 0.55) {
    parent[key] = clone([pick(r, VALUES)])[0] ?? (r() < 0.5 ? null : undefined);
    if (parent[key] === undefined) parent[key] = pick(r, VALUES) === DEEP ? DEEP : null;
  } else if (op < 0.75 && typeof v === 'number') {
    parent[key] = pick(r, [v + 1, v - 1, v * 2, -v, v * 1e6, v + 0.5, v / 3, 0, Math.floor(v / 2)]);
  } else if (op < 0.85 && Array.isArray(v) && v.length > 0) {
    const i = Math.floor(r() * v.length);
    const which = r();
    if (which < 0.4) v.splice(i, 0, clone(v[i]));
    else if (which < 0.7) v.splice(i, 1);
    else v.reverse();
  } else if (op < 0.93 && typeof v === 'object' && v !== null && !Array.isArray(v)) {
    v[pick(r, ['name', 'units', 'shape', 'dtype', 'group', 'quantization', 'class_name', 'config', 'paths', 'weights', 'batch_input_shape', 'model_config', 'trainingConfig', 'deltaflow', 'extra', 'layer', 'merge_mode', 'backward_layer', 'reset_after', 'return_state', 'stateful'])] = pick(r, VALUES);
  } else {
    // Swap in a value from elsewhere in the tree.
    const [p2, k2] = pick(r, all);
    parent[key] = clone([p2[k2]])[0] ?? null;
  }
}

function mutateText(r, text) {
  const at = Math.floor(r() * text.length);
  const op = r();
  if (op < 0.3) return text.slice(0, at);
  if (op < 0.6) return text.slice(0, at) + pick(r, ['{', '}', '[', ']', '"', ',', ':', '0', '-', 'e', '\\', '\u0000', 'é', '9999999999']) + text.slice(at + 1);
  if (op < 0.8) return text.slice(0, at) + text.slice(at + 1 + Math.floor(r() * 20));
  return text.slice(0, at) + text.slice(Math.floor(r() * text.length));
}

function mutateBytes(r, bytes) {
  const op = r();
  const n = bytes.byteLength;
  if (op < 0.2) return bytes.slice(0, Math.floor(r() * n));
  if (op < 0.35) return concat([bytes, new Uint8Array(1 + Math.floor(r() * 16))]);
  const out = bytes.slice();
  if (n < 4) return out;
  const at = Math.floor((r() * (n - 3)) / 4) * 4;
  const view = new DataView(out.buffer);
  if (op < 0.6) view.setFloat32(at, pick(r, [NaN, Infinity, -Infinity, 3.4e38, -0, 1e-40]), true);
  else if (op < 0.8) for (let i = 0; i < 1 + r() * 8; i++) out[Math.floor(r() * n)] ^= 1 << Math.floor(r() * 8);
  else view.setInt32(at, pick(r, [-1, -(2 ** 31), 2 ** 31 - 1, 0]), true);
  return out;
}

/** Case `i` of the campaign seeded `seed`: a handler to load plus options. */
export function makeCase(df, corpus, seed, i) {
  const r = createRng((seed * 0x9e3779b1 + i * 0x85ebca6b) >>> 0);
  const base = corpus[Math.floor(r() * corpus.length)];
  const json = clone(base.json);
  const files = Object.fromEntries(Object.entries(base.files).map(([k, v]) => [k, v.slice()]));
  let text;
  const kind = r();
  const count = 1 + Math.floor(r() * 3);
  for (let k = 0; k < count; k++) {
    if (kind < 0.55) mutateJSON(r, json);
    else if (kind < 0.8) {
      const name = pick(r, Object.keys(files));
      files[name] = mutateBytes(r, files[name]);
    } else {
      mutateJSON(r, json);
      const name = pick(r, Object.keys(files));
      files[name] = mutateBytes(r, files[name]);
    }
  }
  let viaMemory = r() < 0.4;
  try {
    text = JSON.stringify(json);
  } catch {
    text = '{}';
  }
  if (r() < 0.08) {
    text = mutateText(r, text);
    viaMemory = false;
  }
  const options = r() < 0.05 ? { maxParameters: 40 } : r() < 0.05 ? { compile: false } : {};
  let handler;
  if (viaMemory) {
    const manifest = Array.isArray(json.weightsManifest) ? json.weightsManifest : [];
    const specs = manifest.flatMap((g) => (g && Array.isArray(g.weights) ? g.weights : []));
    const file = (p) => {
      const name = String(p).replace(/^\.\//, '');
      return Object.prototype.hasOwnProperty.call(files, name) ? files[name] : new Uint8Array(0);
    };
    const data = concat(manifest.flatMap((g) => (g && Array.isArray(g.paths) ? g.paths : [])).map(file));
    const a = { ...json, weightSpecs: r() < 0.05 ? json.weightSpecs : specs, weightData: r() < 0.5 ? data.buffer : [data.slice(0, 3).buffer, data.slice(3).buffer] };
    delete a.weightsManifest;
    handler = df.io.fromMemory(a);
  } else {
    handler = df.io.fromFiles({ 'model.json': text, ...files });
  }
  return { handler, options, base: base.name };
}

const MAX_PREDICT_VALUES = 2 ** 20;

/** `rows` inputs for a loaded model: indices below the table's inputDim when it starts with an Embedding, else waves. */
function inputsFor(model, rows, i) {
  const cols = model.inputShape.reduce((a, b) => a * b, 1);
  const first = model.layers[0];
  if (first?.className === 'Embedding') return Float32Array.from({ length: rows * cols }, (_, k) => (k * 5 + i) % first.inputDim);
  return new Float32Array(rows * cols).map((_, k) => Math.sin(k + i));
}

/**
 * Runs cases [from, to) of campaign `seed`. Returns counts and the failures (at most `maxFailures`):
 * exceptions other than ModelFormatError, cases slower than `maxMs`, or growth of `memory()` past
 * `maxGrowth` bytes over the starting value.
 */
export async function runCampaign(df, { seed, from = 0, to, maxMs = 1000, memory = () => 0, maxGrowth = 64 * 2 ** 20, maxFailures = 20, onProgress }) {
  const corpus = await makeCorpus(df);
  const start = memory();
  const counts = { loaded: 0, rejected: 0 };
  const failures = [];
  const messages = new Map();
  let slowest = 0;
  for (let i = from; i < to && failures.length < maxFailures; i++) {
    const c = makeCase(df, corpus, seed, i);
    const t0 = performance.now();
    try {
      const model = await df.loadLayersModel(c.handler, c.options);
      // Up to 4 rows of at most 2^20 values in all: a file may validly declare an input of millions of
      // time steps (4,000,000 × 3 once took 2 GB and 16 s to predict), and the size of an input is the
      // caller's choice, not the file's; such a model is only loaded.
      const shape = model.inputShape;
      const rows = Math.min(4, Math.floor(MAX_PREDICT_VALUES / shape.reduce((a, b) => a * b, 1)));
      if (rows > 0) {
        const y = model.predict({ data: inputsFor(model, rows, i), shape: [rows, ...shape] });
        if (y.shape[0] !== rows) throw new Error(`predict returned shape [${y.shape}]`);
      }
      model.dispose();
      counts.loaded++;
    } catch (e) {
      if (e instanceof df.ModelFormatError) {
        counts.rejected++;
        const key = e.message.replace(/[0-9]+/g, '#').slice(0, 70);
        messages.set(key, (messages.get(key) ?? 0) + 1);
      } else failures.push({ seed, case: i, base: c.base, error: e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e) });
    }
    const ms = performance.now() - t0;
    slowest = Math.max(slowest, ms);
    if (ms > maxMs) failures.push({ seed, case: i, base: c.base, error: `took ${ms.toFixed(0)} ms` });
    const grown = memory() - start;
    if (grown > maxGrowth) failures.push({ seed, case: i, base: c.base, error: `memory grew by ${(grown / 2 ** 20).toFixed(1)} MiB` });
    if (onProgress && (i - from) % 1000 === 999) onProgress(i + 1 - from, counts);
  }
  return { counts, failures, slowest, messages, corpus: corpus.map((c) => c.name) };
}
