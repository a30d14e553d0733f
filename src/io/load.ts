// df.loadLayersModel(): model.json (or artifacts) → checked plan → weights → a Sequential. Every
// problem with what was read is a ModelFormatError naming it, raised before the weights are read
// (for deltaflow's own handlers) and before anything large is allocated.
import { Sequential } from '../model/sequential.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { LossRow } from '../registry/losses.js';
import type { MetricFunction } from '../registry/js-functions.js';
import { metricHint, resolveSavedLoss, resolveSavedMetric, type CustomObjects } from './custom.js';
import { adoptUserDefinedMetadata, checkMetadata, setGeneratorStates } from './access.js';
import { ModelFormatError, asFormatError, check, wrap, wrapAsync } from './errors.js';
import { arr, describe, int, isObj, obj, own, type Obj } from './fields.js';
import { withStaged } from './handlers/staged.js';
import { DEFAULT_MAX_METADATA_BYTES } from './jsonscan.js';
import { readOptimizer, slotNames } from './optimizer.js';
import { resolveLoadHandler } from './router.js';
import { checkOptions } from '../options.js';
import { LOAD_OPTIONS } from './options.js';
import { buildLayers, readTopology, type ModelPlan } from './topology.js';
import { isStaged, type IOHandler, type LoadOptions } from './types.js';
import { DEFAULT_MAX_PARAMETERS, checkManifest, checkSpecs, decodeEntry, streamBytes, weightBytes, type CheckedEntry } from './weights.js';

const DEFAULT_MAX_JSON_BYTES = 64 * 2 ** 20;
/** Besides the weights, a manifest may hold optimizer state: at most three slots per weight and 'iter'. */
const STATE_FACTOR = 4;

interface Located extends CheckedEntry {
  offset: number;
}

/** A recurrent cell's path segment as Keras writes it: 'lstm_cell', 'gru_cell_3', 'simple_rnn_cell_12'. */
const CELL_SEGMENT = /^(simple_rnn|lstm|gru)_cell(_\d+)?$/;

/** A weight's name without Keras's cell segment and ':0': 'lstm/lstm_cell/kernel:0' → 'lstm/kernel'. */
function withoutCell(name: string): string {
  return name.replace(/:0$/, '').split('/').filter((part) => !CELL_SEGMENT.test(part)).join('/');
}

interface Training {
  optimizer: Optimizer;
  loss: LossRow;
  metrics: (string | MetricFunction)[];
  state?: { iter: Located; slots: Located[][] };
  rng?: { model?: number[]; layers: Record<string, number[]> };
}

interface Prepared {
  plan: ModelPlan;
  weights: Located[];
  totalBytes: number;
  training?: Training;
  metadata?: { [key: string]: {} };
}

function limits(options: LoadOptions) {
  const maxParameters = options.maxParameters ?? DEFAULT_MAX_PARAMETERS;
  if (!Number.isInteger(maxParameters) || maxParameters < 1 || maxParameters > 2 ** 40) throw new TypeError(`loadLayersModel: maxParameters must be a positive integer, got ${maxParameters}`);
  const maxJsonBytes = options.maxJsonBytes ?? DEFAULT_MAX_JSON_BYTES;
  if (!Number.isInteger(maxJsonBytes) || maxJsonBytes < 1) throw new TypeError(`loadLayersModel: maxJsonBytes must be a positive integer, got ${maxJsonBytes}`);
  const maxMetadataBytes = options.maxMetadataBytes ?? DEFAULT_MAX_METADATA_BYTES;
  if (!Number.isInteger(maxMetadataBytes) || maxMetadataBytes < 0) throw new TypeError(`loadLayersModel: maxMetadataBytes must be an integer ≥ 0, got ${maxMetadataBytes}`);
  if (options.seed !== undefined && (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > 0xffffffff)) {
    throw new TypeError(`loadLayersModel: seed must be an integer in [0, 2^32), got ${options.seed}`);
  }
  return { maxParameters, maxJsonBytes, maxMetadataBytes, maxValues: maxParameters * STATE_FACTOR + 1 };
}

function generatorWords(x: unknown, path: string): number[] {
  const a = arr(x, path, 4);
  check(a.length === 4, `${path} must hold 4 words, got ${a.length}`);
  const words = a.map((w, i) => int(w, `${path}[${i}]`, 0, 0xffffffff));
  check(words.some((w) => w !== 0), `${path} is all zeros, which is not a generator state`);
  return words;
}

function readTraining(tc: unknown, plan: ModelPlan, specs: Located[], custom: CustomObjects | undefined): Training {
  const c = obj(tc, 'trainingConfig');
  for (const k of ['weighted_metrics', 'loss_weights', 'sample_weight_mode']) {
    check(own(c, k) === undefined || own(c, k) === null, `trainingConfig.${k} is not supported`);
  }
  const lossName = own(c, 'loss');
  if (typeof lossName !== 'string') throw new ModelFormatError(`trainingConfig.loss must be a loss name (one output), got ${describe(lossName)}`);
  const loss = resolveSavedLoss(lossName, custom);
  // A list of names, or (tfjs, Keras) an object keyed by output name: {} when compiled without metrics.
  const m = own(c, 'metrics');
  const list = m === undefined || m === null ? [] : isObj(m) ? Object.values(m).flat() : arr(m, 'trainingConfig.metrics', 64).flat();
  check(list.length <= 64, `trainingConfig.metrics lists ${list.length} metrics; at most 64 are accepted`);
  const metrics = list.map((x, i) => {
    if (typeof x !== 'string') throw new ModelFormatError(`trainingConfig.metrics[${i}] must be a metric name, got ${describe(x)}`);
    return resolveSavedMetric(x, custom);
  });
  const optimizer = readOptimizer(own(c, 'optimizer_config'));
  const training: Training = { optimizer, loss, metrics };

  const state = specs.filter((s) => s.group === 'optimizer');
  if (state.length > 0) {
    const [iter, ...rest] = state;
    check(/^(.*\/)?iter(ations?)?$/.test(iter.name), `the optimizer state must start with its step count 'iter', got '${iter.name}'`);
    check(iter.size === 1, `the optimizer's '${iter.name}' must be a single number, got shape [${iter.shape.join(', ')}]`);
    // tfjs keeps slots for the trainable weights only, which come first.
    const W = plan.weights.filter((w) => w.trainable).length;
    check(W > 0 ? rest.length % W === 0 : rest.length === 0, `the optimizer state holds ${rest.length} tensors, not a whole number of slots for the model's ${W} weights`);
    const chunks: Located[][] = [];
    for (let at = 0; at < rest.length; at += W) chunks.push(rest.slice(at, at + W));
    const suffixes = chunks.map((chunk, j) => {
      const first = `${plan.weights[0].name}/`;
      check(chunk[0].name.startsWith(first), `optimizer state tensor '${chunk[0].name}' (slot ${j}) should be '${first}<slot>'`);
      const suffix = chunk[0].name.slice(first.length);
      chunk.forEach((s, i) => {
        const w = plan.weights[i];
        check(s.name === `${w.name}/${suffix}`, `optimizer state tensor '${s.name}' should be '${w.name}/${suffix}' (state is stored slot by slot, in weight order)`);
        check(s.dtype === 'float32', `optimizer state tensor '${s.name}' must be float32, got ${s.dtype}`);
        check(sameShape(s.shape, w.shape), `optimizer state tensor '${s.name}' has shape [${s.shape.join(', ')}] but '${w.name}' has [${w.shape.join(', ')}]`);
      });
      return suffix;
    });
    const expected = slotNames(optimizer);
    // A model without weights stores no slot tensors, so nothing names its slots: each is empty.
    let keep = W === 0 ? expected.map(() => []) : chunks;
    if (W > 0 && !sameList(suffixes, expected)) {
      // tfjs's RMSProp stores a momentum accumulator even with momentum 0; deltaflow keeps none then.
      const drop = suffixes.map((s) => s === 'momentum' && optimizer.name === 'rmsprop' && !expected.includes('momentum'));
      keep = chunks.filter((_, j) => !drop[j]);
      check(
        sameList(suffixes.filter((_, j) => !drop[j]), expected),
        `the optimizer state holds slots [${suffixes.join(', ')}] but '${optimizer.name}' keeps [${expected.join(', ')}]`,
      );
    }
    training.state = { iter, slots: keep };
  }

  const df = own(c, 'deltaflow');
  if (df !== undefined && df !== null) {
    const d = obj(df, 'trainingConfig.deltaflow');
    const rngState = own(d, 'rng_state');
    const layerStates = own(d, 'layer_rng_states');
    const layers: Record<string, number[]> = {};
    if (layerStates !== undefined && layerStates !== null) {
      const ls = obj(layerStates, 'trainingConfig.deltaflow.layer_rng_states');
      const keys = Object.keys(ls);
      check(keys.length <= plan.layers.length, 'trainingConfig.deltaflow.layer_rng_states names more layers than the model has');
      for (const name of keys) {
        check(plan.layers.some((l) => l.kind === 'Dropout' && l.name === name), `trainingConfig.deltaflow.layer_rng_states names '${name}', which is not a Dropout layer of the model`);
        Object.defineProperty(layers, name, { value: generatorWords(ls[name], `trainingConfig.deltaflow.layer_rng_states['${name}']`), enumerable: true });
      }
    }
    training.rng = { model: rngState === undefined || rngState === null ? undefined : generatorWords(rngState, 'trainingConfig.deltaflow.rng_state'), layers };
  }
  return training;
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * Everything checked from the JSON parts and the weight specs; nothing large allocated yet.
 * `metadataCap`: userDefinedMetadata's limit for artifacts; undefined for model.json, whose handler
 * measured it before parsing.
 */
function prepare(parts: Obj, entries: CheckedEntry[], options: LoadOptions, maxParameters: number, metadataCap?: number): Prepared {
  const format = own(parts, 'format');
  if (format !== undefined && format !== null && format !== 'layers-model') {
    throw new ModelFormatError(
      format === 'graph-model'
        ? "this is a 'graph-model' (a converted TensorFlow graph); deltaflow loads 'layers-model' files"
        : `format ${describe(format)}: expected 'layers-model'`,
    );
  }
  const topology = own(parts, 'modelTopology');
  check(topology !== undefined && topology !== null, 'the model has no modelTopology');
  check(isObj(topology), `modelTopology must be a JSON object, got ${describe(topology)}`);
  const plan = readTopology(topology, maxParameters);

  let offset = 0;
  const specs: Located[] = entries.map((e) => {
    const located = { ...e, offset };
    offset += e.bytes;
    return located;
  });
  const byName = new Map<string, Located>();
  for (const s of specs) if (s.group === 'model') byName.set(s.name, s);
  // Keras (and its converter) name a recurrent layer's weights under its cell; tfjs and deltaflow do not.
  const withoutCells = new Map<string, Located>();
  for (const s of byName.values()) {
    const plain = withoutCell(s.name);
    if (plain !== s.name && !byName.has(plain) && !withoutCells.has(plain)) withoutCells.set(plain, s);
  }
  const weights = plan.weights.map((w) => {
    const s = byName.get(w.name) ?? byName.get(`${w.name}:0`) ?? withoutCells.get(w.name);
    check(s, `the weights have no '${w.name}' (shape [${w.shape.join(', ')}])`);
    byName.delete(s.name);
    check(s.dtype === 'float32', `weight '${s.name}' is ${s.dtype}; layer weights must be float32`);
    check(sameShape(s.shape, w.shape), `weight '${s.name}' has shape [${s.shape.join(', ')}] but the layer needs [${w.shape.join(', ')}] (from the previous layer's output and this layer's units)`);
    return s;
  });
  const extra = [...byName.keys()];
  check(extra.length === 0, () => `the weights include ${extra.slice(0, 3).map((n) => `'${n}'`).join(', ')}${extra.length > 3 ? ', …' : ''}, which no layer of the model has`);

  const prepared: Prepared = { plan, weights, totalBytes: offset };
  const tc = own(parts, 'trainingConfig');
  if (options.compile !== false && tc !== undefined && tc !== null) prepared.training = readTraining(tc, plan, specs, options.customObjects);
  const udm = own(parts, 'userDefinedMetadata');
  if (udm !== undefined && udm !== null) {
    check(isObj(udm), `userDefinedMetadata must be an object, got ${describe(udm)}`);
    // Parsed from model.json, it is the loader's own object; artifacts are the caller's: measured, copied once.
    if (metadataCap === undefined) prepared.metadata = udm as { [key: string]: {} };
    else {
      try {
        prepared.metadata = checkMetadata(udm, 'userDefinedMetadata', metadataCap);
      } catch (e) {
        throw new ModelFormatError(e instanceof Error ? e.message : String(e), { cause: e });
      }
    }
  }
  return prepared;
}

function build(p: Prepared, bytes: Uint8Array, options: LoadOptions): Sequential {
  const values = p.weights.map((w) => decodeEntry(bytes, w.offset, w) as Float32Array);
  let iterations = 0;
  let slots: Float32Array[] = [];
  const t = p.training;
  if (t?.state) {
    const iter = decodeEntry(bytes, t.state.iter.offset, t.state.iter)[0];
    check(Number.isInteger(iter) && iter >= 0 && iter <= 0x7fffffff, `the optimizer's step count '${t.state.iter.name}' is ${iter}; it must be an integer ≥ 0`);
    iterations = iter;
    const n = p.plan.trainableParams;
    slots = t.state.slots.map((chunk) => {
      const flat = new Float32Array(n);
      let at = 0;
      for (const s of chunk) {
        flat.set(decodeEntry(bytes, s.offset, s) as Float32Array, at);
        at += s.size;
      }
      return flat;
    });
  }
  const layers = buildLayers(p.plan);
  const model = wrap('building the model', () => new Sequential({ name: p.plan.name, seed: options.seed, layers }));
  try {
    if (t) {
      const metrics = t.metrics;
      try {
        model.compile({ optimizer: t.optimizer, loss: t.loss.js ?? t.loss.name, metrics });
      } catch (e) {
        throw new ModelFormatError(`trainingConfig: ${e instanceof Error ? e.message : String(e)}${metricHint(e, metrics)}`, { cause: e });
      }
    }
    wrap('setting the weights', () => model.setWeights(values.map((v, i) => ({ data: v, shape: p.plan.weights[i].shape }))));
    if (t?.state) wrap('restoring the optimizer state', () => model.setOptimizerState({ iterations, slots }));
    if (t?.rng) setGeneratorStates(model, t.rng);
    if (p.metadata) adoptUserDefinedMetadata(model, p.metadata);
    return model;
  } catch (e) {
    model.dispose();
    throw asFormatError('building the model', e);
  }
}

/**
 * Loads a model saved by deltaflow or TensorFlow.js (or converted from Keras): from a URL (file://,
 * http(s)://, indexeddb://, localstorage://) or an IOHandler (df.io.fromMemory, tfjs handlers).
 * Anything wrong with what is read is a ModelFormatError that names the problem.
 */
export async function loadLayersModel(source: string | IOHandler, given?: LoadOptions): Promise<Sequential> {
  const options = checkOptions('loadLayersModel', given, LOAD_OPTIONS);
  const { maxParameters, maxJsonBytes, maxMetadataBytes, maxValues } = limits(options);
  const handler = resolveLoadHandler(source, options);
  if (isStaged(handler)) {
    // I/O failures (permissions, network) pass through as they are; the handlers turn what is wrong
    // with the files themselves (missing, too long, outside the folder) into ModelFormatErrors.
    return withStaged(handler, { maxJsonBytes, maxMetadataBytes }, async (staged) => {
      const json = obj(staged.json, staged.where);
      const manifest = own(json, 'weightsManifest');
      const groups = manifest === undefined || manifest === null ? [] : checkManifest(manifest, maxValues);
      const prepared = prepare(json, groups.flatMap((g) => g.entries), options, maxParameters);
      const bytes = await staged.readWeights(groups.map((g) => g.paths), groups.map((g) => g.bytes));
      check(bytes.byteLength === prepared.totalBytes, `the weight files hold ${bytes.byteLength} bytes; the manifest needs ${prepared.totalBytes}`);
      return build(prepared, bytes, options);
    });
  }
  if (typeof handler.load !== 'function') throw new TypeError('loadLayersModel: the handler has no load() method');
  const artifacts: unknown = await handler.load();
  const a = obj(artifacts, 'the loaded artifacts');
  const specsRaw = own(a, 'weightSpecs');
  const specs = specsRaw === undefined || specsRaw === null ? [] : checkSpecs(specsRaw, 'weightSpecs', maxValues);
  const prepared = prepare(a, specs, options, maxParameters, maxMetadataBytes);
  const data = own(a, 'weightData');
  const stream = own(a, 'getWeightStream');
  const bytes =
    (data === undefined || data === null) && typeof stream === 'function'
      ? await wrapAsync('reading the weight stream', () => streamBytes((stream as () => ReadableStream<Uint8Array>).call(a), prepared.totalBytes))
      : weightBytes(data, prepared.totalBytes);
  return build(prepared, bytes, options);
}
