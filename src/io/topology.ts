// Keras-style topologies, as TensorFlow.js 4.22 writes them and as Keras and the converter do:
// Sequential (config a list or { name, layers }), the single-chain functional Model / Functional
// (layers with inbound_nodes, Keras 2/tfjs or Keras 3 node form), and the { model_config } wrapper.
// Each layer kind is one row of LAYERS: how deltaflow writes it and how it reads it back.
import { Activation } from '../model/activation.js';
import { Dense } from '../model/dense.js';
import { Dropout } from '../model/dropout.js';
import type { Layer } from '../model/layer.js';
import type { Sequential } from '../model/sequential.js';
import { activations, type ActivationRow } from '../registry/activations.js';
import { constantInitializer, initializers, randomNormal, randomUniform, truncatedNormal, type Initializer } from '../registry/initializers.js';
import { nameKey } from '../registry/lookup.js';
import { ModelFormatError, check, wrap } from './errors.js';
import { arr, bool, describe, field, finite, int, isObj, nonEmptyStr, obj, own, snake, type Obj } from './fields.js';
import { DELTAFLOW_PREFIX } from './optimizer.js';

export const VERSION = '0.1.0';
/** A layer's width (units, input features) may not exceed this: 2^24. */
export const MAX_WIDTH = 2 ** 24;
const MAX_LAYERS = 10_000;

// ---- activations ----

// The name written is the registry row's `saved` name (Keras's and tfjs's, where the function is the
// same); otherwise 'deltaflow>name', so tfjs fails with "Unknown activation" instead of computing
// something else (hardSigmoid: Keras 3's x/6 + 0.5, tfjs's 0.2x + 0.5). Keras 3's 'leaky_relu' is
// refused by tfjs, which has no such activation.
export function activationName(row: ActivationRow): string {
  return row.saved ?? DELTAFLOW_PREFIX + snake(row.name);
}

interface ReadContext {
  /** 'tfjs-layers 4.22.0', '2.15.0', '3.3.3', 'deltaflow 0.1.0', or '' when the file does not say. */
  kerasVersion: string;
  maxParameters: number;
}

function readActivation(x: unknown, path: string, ctx: ReadContext): ActivationRow {
  if (x === undefined || x === null) return activations.get('linear');
  let name: unknown = x;
  // Keras 3 may serialize a built-in activation as { class_name: 'function', config: 'relu' }.
  if (isObj(x)) name = typeof own(x, 'config') === 'string' ? own(x, 'config') : own(x, 'class_name');
  if (typeof name !== 'string' || name === '') throw new ModelFormatError(`${path} must be an activation name, got ${describe(x)}`);
  if (name.startsWith(DELTAFLOW_PREFIX)) {
    const rest = name.slice(DELTAFLOW_PREFIX.length);
    const row = activations.rows.find((r) => nameKey(r.name) === nameKey(rest));
    if (!row) throw new ModelFormatError(`${path}: unknown activation '${name}' (written by a newer deltaflow?). Known: ${activations.names.join(', ')}`);
    return row;
  }
  const key = nameKey(name);
  if (key === 'hardsigmoid') {
    // Keras 3 means relu6(x + 3)/6, deltaflow's; tfjs and Keras 2 mean 0.2·x + 0.5.
    if (/^3\./.test(ctx.kerasVersion)) return activations.get('hardSigmoid');
    throw new ModelFormatError(
      `${path}: activation '${name}' from ${ctx.kerasVersion || 'an unversioned file'} is 0.2·x + 0.5 (tfjs, Keras 2); deltaflow's hardSigmoid is Keras 3's x/6 + 0.5, so this model cannot be reproduced`,
    );
  }
  // Names from other writers that mean exactly deltaflow's function: the saved name, the row's own names.
  const saved = activations.rows.filter((r) => r.saved !== undefined);
  const row = saved.find((r) => [r.saved!, r.name, ...(r.aliases ?? [])].some((n) => nameKey(n) === key));
  if (!row) throw new ModelFormatError(`${path}: unknown activation '${name}'. Known: ${saved.map((r) => r.saved).join(', ')}, hard_sigmoid (Keras 3 files)`);
  return row;
}

// ---- initializers (they do not affect loaded weights; unknown ones fall back to the default) ----

// As tfjs writes them: the variance-scaling families as VarianceScaling (tfjs's 'normal' is its
// truncated normal), the rest by class with Keras's default parameters.
const VARIANCE_SCALING: Record<string, Obj> = {
  glorotUniform: { scale: 1, mode: 'fan_avg', distribution: 'uniform' },
  glorotNormal: { scale: 1, mode: 'fan_avg', distribution: 'normal' },
  heUniform: { scale: 2, mode: 'fan_in', distribution: 'uniform' },
  heNormal: { scale: 2, mode: 'fan_in', distribution: 'normal' },
  lecunUniform: { scale: 1, mode: 'fan_in', distribution: 'uniform' },
  lecunNormal: { scale: 1, mode: 'fan_in', distribution: 'normal' },
};

const INIT_CLASS: Record<string, [string, Obj]> = {
  zeros: ['Zeros', {}],
  ones: ['Ones', {}],
  randomUniform: ['RandomUniform', { minval: -0.05, maxval: 0.05, seed: null }],
  randomNormal: ['RandomNormal', { mean: 0, stddev: 0.05, seed: null }],
  truncatedNormal: ['TruncatedNormal', { mean: 0, stddev: 0.05, seed: null }],
  constant: ['Constant', { value: 0 }],
};

function initializerConfig(init: Initializer): { class_name: string; config: Obj } {
  const vs = VARIANCE_SCALING[init.name];
  if (vs) return { class_name: 'VarianceScaling', config: { ...vs, seed: null } };
  const [cls, defaults] = INIT_CLASS[init.name] ?? [DELTAFLOW_PREFIX + init.name, {}];
  // An initializer object may carry its parameters (getConfig); otherwise Keras's defaults are written.
  const params = (init as { getConfig?: () => Obj }).getConfig?.();
  return { class_name: cls, config: { ...defaults, ...(params ?? {}) } };
}

function readInitializer(x: unknown, path: string, fallback: string): Initializer {
  const dflt = () => initializers.get(fallback);
  if (x === undefined || x === null) return dflt();
  if (typeof x === 'string') {
    try {
      return initializers.get(x.startsWith(DELTAFLOW_PREFIX) ? x.slice(DELTAFLOW_PREFIX.length) : x);
    } catch {
      return dflt();
    }
  }
  const o = obj(x, path);
  const cls = own(o, 'class_name');
  if (typeof cls !== 'string') throw new ModelFormatError(`${path}.class_name must be a string, got ${describe(cls)}`);
  const cfg = own(o, 'config');
  const c = isObj(cfg) ? cfg : {};
  const num = (k: string) => (typeof c[k] === 'number' && Number.isFinite(c[k]) ? (c[k] as number) : undefined);
  const key = nameKey(cls.startsWith(DELTAFLOW_PREFIX) ? cls.slice(DELTAFLOW_PREFIX.length) : cls);
  try {
    switch (key) {
      case 'constant':
        return constantInitializer({ value: num('value') ?? 0 });
      case 'randomuniform':
        return randomUniform({ minval: num('minval'), maxval: num('maxval') });
      case 'randomnormal':
        return randomNormal({ mean: num('mean'), stddev: num('stddev') });
      case 'truncatednormal':
        return truncatedNormal({ mean: num('mean'), stddev: num('stddev') });
      case 'variancescaling': {
        const scale = num('scale') ?? 1;
        const mode = nameKey(String(own(c, 'mode') ?? 'fan_in'));
        const uniform = nameKey(String(own(c, 'distribution') ?? 'truncated_normal')) === 'uniform';
        const family = mode === 'fanavg' && scale === 1 ? 'glorot' : mode === 'fanin' && scale === 2 ? 'he' : mode === 'fanin' && scale === 1 ? 'lecun' : undefined;
        return family ? initializers.get(`${family}${uniform ? 'Uniform' : 'Normal'}`) : dflt();
      }
      default:
        return initializers.get(key);
    }
  } catch {
    return dflt();
  }
}

// ---- the layer table ----

/** What the reader makes of one layer. */
export type LayerPlan =
  | { kind: 'Dense'; name: string; units: number; activation: ActivationRow; useBias: boolean; kernelInitializer: Initializer; biasInitializer: Initializer }
  | { kind: 'Dropout'; name: string; rate: number; seed?: number }
  | { kind: 'Activation'; name: string; activation: ActivationRow };

interface LayerRow {
  /** The config written for a deltaflow layer of this class (without input shape). */
  write?(layer: Layer): Obj;
  /** The layer read from `config` on an input of shape `shape` (per row); undefined: no deltaflow layer. */
  read(config: Obj, path: string, shape: number[], ctx: ReadContext): { layer?: Omit<LayerPlan, 'name'>; shape: number[] };
}

const elementwise = (shape: number[]) => shape;

export const LAYERS: Record<string, LayerRow> = {
  Dense: {
    write: (l) => {
      const d = l as Dense;
      return {
        units: d.units,
        activation: activationName(d.activation),
        use_bias: d.useBias,
        kernel_initializer: initializerConfig(d.kernelInitializer),
        bias_initializer: initializerConfig(d.biasInitializer),
        kernel_regularizer: null,
        bias_regularizer: null,
        activity_regularizer: null,
        kernel_constraint: null,
        bias_constraint: null,
      };
    },
    read: (c, path, shape, ctx) => {
      check(
        shape.length === 1,
        `${path}: Dense on an input of shape [${shape.join(', ')}] works on the last axis only; deltaflow needs rows of features (add a Flatten before it)`,
      );
      const units = int(field(c, 'units'), `${path}.units`, 1, MAX_WIDTH);
      const useBias = field(c, 'use_bias', 'useBias');
      return {
        layer: {
          kind: 'Dense',
          units,
          activation: readActivation(field(c, 'activation'), `${path}.activation`, ctx),
          useBias: useBias === undefined || useBias === null ? true : bool(useBias, `${path}.use_bias`),
          kernelInitializer: readInitializer(field(c, 'kernel_initializer', 'kernelInitializer'), `${path}.kernel_initializer`, 'glorotUniform'),
          biasInitializer: readInitializer(field(c, 'bias_initializer', 'biasInitializer'), `${path}.bias_initializer`, 'zeros'),
        },
        shape: [units],
      };
    },
  },
  Dropout: {
    write: (l) => {
      const d = l as Dropout;
      return { rate: d.rate, noise_shape: null, seed: d.seed ?? null };
    },
    read: (c, path, shape) => {
      const rate = finite(field(c, 'rate'), `${path}.rate`);
      check(rate >= 0 && rate < 1, `${path}.rate must be in [0, 1), got ${rate}`);
      const noise = field(c, 'noise_shape', 'noiseShape');
      check(noise === undefined || noise === null, `${path}.noise_shape: dropout with a noise shape is not supported`);
      const seed = field(c, 'seed');
      return {
        layer: { kind: 'Dropout', rate, seed: seed === undefined || seed === null ? undefined : int(seed, `${path}.seed`, 0, 0xffffffff) },
        shape: elementwise(shape),
      };
    },
  },
  Activation: {
    write: (l) => ({ activation: activationName((l as Activation).activation) }),
    read: (c, path, shape, ctx) => {
      const activation = readActivation(field(c, 'activation'), `${path}.activation`, ctx);
      check(activation.name !== 'softmax' || shape.length === 1, `${path}: softmax over a [${shape.join(', ')}] input is not supported; flatten first`);
      return { layer: { kind: 'Activation', activation }, shape: elementwise(shape) };
    },
  },
  Flatten: {
    // deltaflow's rows are already flat: row-major flattening keeps the order of the values.
    read: (c, path, shape) => {
      const format = field(c, 'data_format', 'dataFormat');
      check(
        format === undefined || format === null || format === 'channels_last' || format === 'channelsLast' || shape.length < 2,
        `${path}.data_format ${describe(format)}: only channels_last flattening is supported`,
      );
      return { shape: [shape.reduce((a, b) => a * b, 1)] };
    },
  },
};

// ---- writing ----

/** tfjs's Sequential topology for a deltaflow model whose input width is `inputDim`. */
export function writeTopology(model: Sequential, inputDim: number): Obj {
  const layers = model.layers.map((layer, i) => {
    const row = LAYERS[layer.className];
    if (!row?.write) throw new Error(`save: layer '${layer.name}' (${layer.className}) has no saved form`);
    const config: Obj = { ...row.write(layer), name: layer.name, trainable: true };
    if (i === 0) {
      config.batch_input_shape = [null, inputDim];
      config.dtype = 'float32';
    }
    return { class_name: layer.className, config };
  });
  return { class_name: 'Sequential', config: { name: model.name, layers }, keras_version: `deltaflow ${VERSION}`, backend: 'deltaflow' };
}

// ---- reading ----

export interface ModelPlan {
  name: string;
  /** The input shape per row the file declares; the model takes rows of its product. */
  inputShape: number[];
  inputDim: number;
  layers: LayerPlan[];
  /** The model's weights in getWeights() order. */
  weights: { name: string; shape: number[]; size: number }[];
  params: number;
}

/** A layer's declared input shape without the batch axis, if it declares one. */
function declaredShape(c: Obj, path: string): number[] | undefined {
  const batch = field(c, 'batch_input_shape', 'batchInputShape', 'batch_shape', 'batchShape');
  let dims: unknown[];
  if (batch !== undefined && batch !== null) {
    const a = arr(batch, `${path}.batch_input_shape`, 9);
    check(a.length >= 2, `${path}.batch_input_shape must be [batch, …features], got [${a.map(String).join(', ')}]`);
    check(a[0] === null || (Number.isInteger(a[0]) && (a[0] as number) > 0), `${path}.batch_input_shape[0] must be null or a positive integer, got ${describe(a[0])}`);
    dims = a.slice(1);
  } else {
    const input = field(c, 'input_shape', 'inputShape');
    const dim = field(c, 'input_dim', 'inputDim');
    if (input !== undefined && input !== null) dims = arr(input, `${path}.input_shape`, 8);
    else if (dim !== undefined && dim !== null) dims = [dim];
    else return undefined;
    check(dims.length >= 1, `${path}.input_shape must not be empty`);
  }
  const shape = dims.map((d, i) => int(d, `${path} input shape[${i + 1}]`, 1, MAX_WIDTH));
  let size = 1;
  for (const d of shape) size *= d;
  check(size <= MAX_WIDTH, `${path}: an input of shape [${shape.join(', ')}] has ${size} features; at most ${MAX_WIDTH} are accepted`);
  return shape;
}

interface RawLayer {
  className: string;
  config: Obj;
  path: string;
  /** Keras 3's build_config.input_shape, used when nothing else declares the input. */
  built?: unknown;
}

function rawLayer(x: unknown, path: string): RawLayer {
  const o = obj(x, path);
  const className = nonEmptyStr(own(o, 'class_name') ?? own(o, 'className'), `${path}.class_name`, 200);
  const build = own(o, 'build_config');
  return { className, config: obj(own(o, 'config') ?? {}, `${path}.config`), path, built: isObj(build) ? own(build, 'input_shape') : undefined };
}

function unwrap(topology: unknown): { model: Obj; kerasVersion: string } {
  const top = obj(topology, 'modelTopology');
  let kerasVersion = typeof own(top, 'keras_version') === 'string' ? (own(top, 'keras_version') as string) : '';
  let model = top;
  const inner = own(top, 'model_config');
  if (inner !== undefined && inner !== null) {
    model = obj(inner, 'modelTopology.model_config');
    if (typeof own(model, 'keras_version') === 'string') kerasVersion ||= own(model, 'keras_version') as string;
  }
  return { model, kerasVersion };
}

/** The layers of a Sequential config: a list (old Keras), or { name, layers, build_input_shape }. */
function sequentialLayers(config: unknown): { name?: string; layers: RawLayer[]; buildShape?: number[] } {
  if (Array.isArray(config)) return { layers: arr(config, 'modelTopology.config', MAX_LAYERS).map((l, i) => rawLayer(l, `layer ${i}`)) };
  const c = obj(config, 'modelTopology.config');
  const name = own(c, 'name');
  const layers = arr(own(c, 'layers'), 'modelTopology.config.layers', MAX_LAYERS).map((l, i) => rawLayer(l, `layer ${i}`));
  const build = own(c, 'build_input_shape');
  const buildShape = build === undefined || build === null ? undefined : declaredShape({ batch_input_shape: build }, 'modelTopology.config.build_input_shape');
  return { name: typeof name === 'string' ? name : undefined, layers, buildShape };
}

/** One inbound reference: [name, node, tensor, kwargs?] (tfjs, Keras 2) or a Keras 3 __keras_tensor__. */
function inboundRef(x: unknown, path: string): { name: string; node: number; tensor: number } {
  if (Array.isArray(x)) {
    check(x.length >= 3 && x.length <= 4, `${path} must be [layer, node, tensor, kwargs]`);
    return { name: nonEmptyStr(x[0], `${path}[0]`), node: int(x[1], `${path}[1]`, 0, 0), tensor: int(x[2], `${path}[2]`, 0, 0) };
  }
  const o = obj(x, path);
  const cfg = obj(own(o, 'config'), `${path}.config`);
  const history = arr(own(cfg, 'keras_history'), `${path}.config.keras_history`, 3);
  check(history.length === 3, `${path}.config.keras_history must be [layer, node, tensor]`);
  return { name: nonEmptyStr(history[0], `${path}.config.keras_history[0]`), node: int(history[1], `${path} node`, 0, 0), tensor: int(history[2], `${path} tensor`, 0, 0) };
}

/** The single input of a functional layer's single call, or undefined for an input layer. */
function inboundOf(x: unknown, path: string): string | undefined {
  if (x === undefined || x === null) return undefined;
  const nodes = arr(x, path, 1);
  if (nodes.length === 0) return undefined;
  const node = nodes[0];
  let refs: unknown[];
  if (Array.isArray(node)) refs = arr(node, `${path}[0]`, 1);
  else {
    const args = arr(own(obj(node, `${path}[0]`), 'args'), `${path}[0].args`, 1);
    refs = args.length === 1 && Array.isArray(args[0]) ? arr(args[0], `${path}[0].args[0]`, 1) : args;
  }
  check(refs.length === 1, `${path}: each layer must take exactly one input (a single chain)`);
  return inboundRef(refs[0], `${path}[0][0]`).name;
}

function ioLayer(x: unknown, path: string): string {
  let list = arr(x, path, 3);
  if (list.length === 1 && Array.isArray(list[0])) list = list[0] as unknown[];
  check(list.length === 3 && typeof list[0] === 'string', `${path} must name exactly one layer ([name, 0, 0]); the model must have one input and one output`);
  return inboundRef(list, path).name;
}

/** The layers of a single-chain functional model, in order from its input. */
function functionalLayers(config: unknown): { name?: string; layers: RawLayer[] } {
  const c = obj(config, 'modelTopology.config');
  const list = arr(own(c, 'layers'), 'modelTopology.config.layers', MAX_LAYERS);
  const byName = new Map<string, { raw: RawLayer; from?: string }>();
  list.forEach((l, i) => {
    const path = `layer ${i}`;
    const o = obj(l, path);
    const raw = rawLayer(o, path);
    const name = nonEmptyStr(own(o, 'name') ?? own(raw.config, 'name'), `${path}.name`);
    // The layer (and its weights) go by the node's name when its config names none.
    if (own(raw.config, 'name') === undefined) raw.config = { ...raw.config, name };
    check(!byName.has(name), `two layers are named '${name}'`);
    byName.set(name, { raw, from: inboundOf(own(o, 'inbound_nodes'), `${path}.inbound_nodes`) });
  });
  const input = ioLayer(own(c, 'input_layers'), 'modelTopology.config.input_layers');
  const output = ioLayer(own(c, 'output_layers'), 'modelTopology.config.output_layers');
  const next = new Map<string, string>();
  for (const [name, { from }] of byName) {
    if (from === undefined) {
      check(name === input, `layer '${name}' has no input but is not the model's input layer`);
      continue;
    }
    check(byName.has(from), `layer '${name}' takes its input from '${from}', which is not in the model`);
    check(!next.has(from), `layer '${from}' feeds both '${next.get(from)}' and '${name}'; only single-chain models are supported`);
    next.set(from, name);
  }
  check(byName.has(input), `the input layer '${input}' is not in the model`);
  const chain: RawLayer[] = [];
  for (let at: string | undefined = input; at !== undefined; at = next.get(at)) {
    chain.push(byName.get(at)!.raw);
    if (at === output) break;
    check(chain.length <= byName.size, 'the layers form a cycle');
  }
  check(chain.length === byName.size, `the layers do not form a single chain from '${input}' to '${output}'`);
  check(byName.get(output) && chain.at(-1) === byName.get(output)!.raw, `the output layer '${output}' is not at the end of the chain from '${input}'`);
  const name = own(c, 'name');
  return { name: typeof name === 'string' ? name : undefined, layers: chain };
}

/** Reads a topology into a plan, checking shapes and sizes layer by layer; nothing is allocated. */
export function readTopology(topology: unknown, maxParameters: number): ModelPlan {
  const { model, kerasVersion } = unwrap(topology);
  const cls = own(model, 'class_name') ?? own(model, 'className');
  const ctx: ReadContext = { kerasVersion, maxParameters };
  let parsed: { name?: string; layers: RawLayer[]; buildShape?: number[] };
  if (cls === 'Sequential') parsed = sequentialLayers(own(model, 'config'));
  else if (cls === 'Model' || cls === 'Functional') parsed = functionalLayers(own(model, 'config'));
  else throw new ModelFormatError(`modelTopology.class_name ${describe(cls)}: expected 'Sequential', 'Model' or 'Functional'`);

  let shape: number[] | undefined = parsed.buildShape;
  let inputShape: number[] | undefined = shape;
  const layers: LayerPlan[] = [];
  const weights: ModelPlan['weights'] = [];
  const names = new Set<string>();
  let params = 0;
  parsed.layers.forEach((raw, i) => {
    const path = `${raw.path} ('${typeof own(raw.config, 'name') === 'string' ? own(raw.config, 'name') : raw.className}')`;
    let declared = declaredShape(raw.config, path);
    if (!declared && shape === undefined && raw.built !== undefined && raw.built !== null) declared = declaredShape({ batch_input_shape: raw.built }, `${path}.build_config`);
    if (raw.className === 'InputLayer') {
      check(i === 0, `${path}: an InputLayer may only come first`);
      check(declared, `${path}: the InputLayer declares no input shape`);
      const sparse = field(raw.config, 'sparse');
      check(sparse === undefined || sparse === null || sparse === false, `${path}: sparse inputs are not supported`);
      const ragged = field(raw.config, 'ragged');
      check(ragged === undefined || ragged === null || ragged === false, `${path}: ragged inputs are not supported`);
      shape = inputShape = declared;
      return;
    }
    if (declared) {
      if (shape === undefined) shape = inputShape = declared;
      else {
        check(
          declared.length === shape.length && declared.every((d, k) => d === shape![k]),
          `${path} declares an input of shape [${declared.join(', ')}] but the previous layer's output has shape [${shape.join(', ')}]`,
        );
      }
    }
    check(shape, `${path}: the model's first layer declares no input shape (batch_input_shape)`);
    const row = Object.prototype.hasOwnProperty.call(LAYERS, raw.className) ? LAYERS[raw.className] : undefined;
    if (!row) throw new ModelFormatError(`${path}: unknown layer class '${raw.className}'. Supported: InputLayer, ${Object.keys(LAYERS).join(', ')}`);
    const fanIn = shape.reduce((a, b) => a * b, 1);
    const out = row.read(raw.config, path, shape, ctx);
    shape = out.shape;
    if (!out.layer) return;
    const nameField = own(raw.config, 'name');
    const name = nameField === undefined || nameField === null ? uniqueName(names, raw.className) : nonEmptyStr(nameField, `${path}.config.name`, 256);
    check(!names.has(name), `two layers are named '${name}'`);
    names.add(name);
    const layer = { ...out.layer, name } as LayerPlan;
    layers.push(layer);
    if (layer.kind === 'Dense') {
      params += fanIn * layer.units + (layer.useBias ? layer.units : 0);
      check(params <= maxParameters, `${path}: the model has more than ${maxParameters} parameters (the cap is maxParameters)`);
      weights.push({ name: `${name}/kernel`, shape: [fanIn, layer.units], size: fanIn * layer.units });
      if (layer.useBias) weights.push({ name: `${name}/bias`, shape: [layer.units], size: layer.units });
    }
  });
  check(layers.length > 0, 'the model has no layers deltaflow can run');
  check(inputShape, "the model declares no input shape");
  const inputDim = inputShape.reduce((a, b) => a * b, 1);
  const name = parsed.name ?? (typeof own(model, 'name') === 'string' ? (own(model, 'name') as string) : undefined);
  return { name: name && name.length <= 256 ? name : 'sequential', inputShape, inputDim, layers, weights, params };
}

function uniqueName(taken: Set<string>, className: string): string {
  const kind = className.toLowerCase();
  if (!taken.has(kind)) return kind;
  for (let i = 1; ; i++) if (!taken.has(`${kind}_${i}`)) return `${kind}_${i}`;
}

/** deltaflow layers for a plan; the first declares the input width. */
export function buildLayers(plan: ModelPlan): Layer[] {
  return plan.layers.map((l, i) => {
    const input = i === 0 ? { inputShape: [plan.inputDim] } : {};
    return wrap(`layer '${l.name}'`, (): Layer => {
      switch (l.kind) {
        case 'Dense':
          return new Dense({ ...input, name: l.name, units: l.units, activation: l.activation.name, useBias: l.useBias, kernelInitializer: l.kernelInitializer, biasInitializer: l.biasInitializer });
        case 'Dropout':
          return new Dropout({ ...input, name: l.name, rate: l.rate, seed: l.seed });
        case 'Activation':
          return new Activation({ ...input, name: l.name, activation: l.activation.name });
      }
    });
  });
}
