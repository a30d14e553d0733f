// Keras-style topologies, as TensorFlow.js 4.22 writes them and as Keras and the converter do:
// Sequential (config a list or { name, layers }), the single-chain functional Model / Functional
// (layers with inbound_nodes, Keras 2/tfjs or Keras 3 node form), and the { model_config } wrapper.
// Each layer kind is one row of LAYERS: how deltaflow writes it and how it reads it back.
import { Activation } from '../model/activation.js';
import { BatchNormalization } from '../model/batch-norm.js';
import type { BaseConv } from '../model/conv-base.js';
import { Conv1D } from '../model/conv1d.js';
import { Conv2D } from '../model/conv2d.js';
import { Dense } from '../model/dense.js';
import { Dropout } from '../model/dropout.js';
import { Embedding } from '../model/embedding.js';
import type { Layer } from '../model/layer.js';
import { LeakyReLU } from '../model/leaky-relu.js';
import { Bidirectional } from '../model/bidirectional.js';
import { GRU } from '../model/gru.js';
import { LSTM } from '../model/lstm.js';
import type { RNN } from '../model/recurrent.js';
import { SimpleRNN } from '../model/simple-rnn.js';
import { AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, MaxPooling2D } from '../model/pooling.js';
import { AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D, MaxPooling1D } from '../model/pooling1d.js';
import { Flatten, Reshape } from '../model/reshape.js';
import { UpSampling2D, ZeroPadding2D } from '../model/resize.js';
import type { Sequential } from '../model/sequential.js';
import { STEPWISE_LAYERS, TimeDistributed } from '../model/time-distributed.js';
import { activations, type ActivationRow } from '../registry/activations.js';
import { constantInitializer, initializers, orthogonal, randomNormal, randomUniform, truncatedNormal, type Initializer } from '../registry/initializers.js';
import { nameKey } from '../registry/lookup.js';
import { ModelFormatError, check, wrap } from './errors.js';
import { arr, bool, describe, field, finite, int, isObj, nonEmptyStr, obj, own, snake, type Obj } from './fields.js';
import { DELTAFLOW_PREFIX } from './optimizer.js';
import { Regularizer } from '../regularizers.js';

export const VERSION = '0.1.0';
/** A layer's width (units, input features) may not exceed this: 2^24. */
export const MAX_WIDTH = 2 ** 24;
const MAX_LAYERS = 10_000;

// ---- activations ----

// The name written is the registry row's `saved` name (Keras's and tfjs's, where the function is the
// same); otherwise 'deltaflow>name', so tfjs fails with "Unknown activation" instead of computing
// something else. 'hard_sigmoid' names two functions: hardSigmoidTfjs (tfjs's and Keras 2's 0.2x + 0.5)
// is saved as 'hard_sigmoid', which tfjs computes the same; hardSigmoid (Keras 3's x/6 + 0.5) as
// 'deltaflow>hard_sigmoid', so deltaflow's own files never mean it by the plain name (readActivation
// takes the plain name as Keras 3's only from a Keras 3 file). Keras 3's 'leaky_relu' is refused by tfjs,
// which has no such activation.
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
    // Keras 3 means relu6(x + 3)/6 (hardSigmoid); tfjs, Keras 2 and deltaflow's own files (which write
    // Keras 3's as 'deltaflow>hard_sigmoid') mean 0.2·x + 0.5 (hardSigmoidTfjs), as does a file that does not say.
    return activations.get(/^3\./.test(ctx.kerasVersion) ? 'hardSigmoid' : 'hardSigmoidTfjs');
  }
  // Names from other writers that mean exactly deltaflow's function: the saved name, the row's own names.
  const saved = activations.rows.filter((r) => r.saved !== undefined);
  const row = saved.find((r) => [r.saved!, r.name, ...(r.aliases ?? [])].some((n) => nameKey(n) === key));
  if (!row) throw new ModelFormatError(`${path}: unknown activation '${name}'. Known: ${saved.map((r) => r.saved).join(', ')}`);
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
  orthogonal: ['Orthogonal', { gain: 1, seed: null }],
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
      case 'orthogonal':
        return orthogonal({ gain: num('gain') });
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

// ---- regularizers ----

/** tfjs's form of a kernel or bias regularizer: L1L2 with both factors (tfjs knows no L1 or L2 class). */
function regularizerConfig(r: Regularizer | undefined): Obj | null {
  return r ? { class_name: 'L1L2', config: { l1: r.l1, l2: r.l2 } } : null;
}

/** A regularizer as tfjs (L1L2) or Keras 2/3 (L1, L2, L1L2, with or without a module) write it; null for none. */
function readRegularizer(x: unknown, path: string): Regularizer | undefined {
  if (x === undefined || x === null) return undefined;
  const o = obj(x, path);
  const cls = own(o, 'class_name') ?? own(o, 'className');
  const cfg = own(o, 'config');
  const c = isObj(cfg) ? cfg : {};
  const factor = (k: string, fallback: number) => {
    const v = own(c, k);
    if (v === undefined || v === null) return fallback;
    const n = finite(v, `${path}.config.${k}`);
    check(n >= 0, `${path}.config.${k} must be ≥ 0, got ${n}`);
    return n;
  };
  // Keras 3's L1 and L2 take their factor from the config (default 0.01); an L1L2 file writes both.
  switch (typeof cls === 'string' ? cls : '') {
    case 'L1L2':
      return wrap(path, () => new Regularizer(factor('l1', 0), factor('l2', 0)));
    case 'L1':
      return wrap(path, () => new Regularizer(factor('l1', 0.01), 0));
    case 'L2':
      return wrap(path, () => new Regularizer(0, factor('l2', 0.01)));
  }
  throw new ModelFormatError(`${path}: regularizer ${describe(cls)} is not supported (only L1, L2 and L1L2)`);
}

const regularizerOf = (c: Obj, path: string, keys: [string, string]) => readRegularizer(field(c, ...keys), `${path}.${keys[0]}`);

// ---- the layer table ----

/** What the reader makes of one layer: its class and deltaflow's config for it (camelCase, checked). */
export interface LayerPlan {
  kind: string;
  name: string;
  config: Obj;
}

interface LayerRow {
  /** The config written for a deltaflow layer of this class (without name and input shape), in tfjs's key order. */
  write(layer: Layer): Obj;
  /**
   * deltaflow's config for the layer read from `config` on input rows of shape `shape`: every field
   * checked, named by `path` when it is wrong or not supported. The layer itself (make) then gives the
   * output shape and the weights.
   */
  read(config: Obj, path: string, shape: number[], ctx: ReadContext): Obj;
  /** The deltaflow layer for a config from read (plus name and, for the first layer, inputShape). */
  make(config: Obj): Layer;
}

/** Window sizes, strides, dilations, up-sampling factors and paddings may not exceed this: 2^16. */
export const MAX_WINDOW = 2 ** 16;

const isNull = (x: unknown) => x === undefined || x === null;

/** Keras's channels_last (tfjs's channelsLast); anything else is refused, naming the key. */
function channelsLast(c: Obj, path: string): void {
  const f = field(c, 'data_format', 'dataFormat');
  check(isNull(f) || f === 'channels_last' || f === 'channelsLast', () => `${path}.data_format ${describe(f)}: only channels_last images ([height, width, channels]) are supported`);
}

/** An integer or a pair of them (kernel_size, strides, pool_size, dilation_rate, size), each in [1, MAX_WINDOW]. */
function pairOf(c: Obj, path: string, keys: [string, string], fallback?: [number, number]): [number, number] {
  const v = field(c, ...keys);
  const at = `${path}.${keys[0]}`;
  if (isNull(v)) {
    check(fallback, `${at} is required (an integer or [rows, cols])`);
    return fallback;
  }
  if (typeof v === 'number') {
    const n = int(v, at, 1, MAX_WINDOW);
    return [n, n];
  }
  const a = arr(v, at, 2);
  // tfjs accepts [n] for [n, n].
  check(a.length === 1 || a.length === 2, `${at} must be an integer or [rows, cols], got an array of ${a.length}`);
  const p = a.map((n, i) => int(n, `${at}[${i}]`, 1, MAX_WINDOW));
  return [p[0], p[p.length - 1]];
}

/** 'valid' or 'same'. */
function paddingOf(c: Obj, path: string): 'valid' | 'same' {
  const p = field(c, 'padding');
  if (isNull(p)) return 'valid';
  const v = typeof p === 'string' ? p.toLowerCase() : p;
  check(v === 'valid' || v === 'same', () => `${path}.padding ${describe(p)}: only 'valid' and 'same' are supported`);
  return v as 'valid' | 'same';
}

function boolOr(c: Obj, path: string, keys: [string, string], fallback: boolean): boolean {
  const v = field(c, ...keys);
  return isNull(v) ? fallback : bool(v, `${path}.${keys[0]}`);
}

function numberOr(c: Obj, path: string, keys: [string, string], fallback: number): number {
  const v = field(c, ...keys);
  return isNull(v) ? fallback : finite(v, `${path}.${keys[0]}`);
}

function initializerOf(c: Obj, path: string, keys: [string, string], fallback: string): Initializer {
  return readInitializer(field(c, ...keys), `${path}.${keys[0]}`, fallback);
}

/** Keras's empty regularizer and constraint keys, as tfjs writes them. */
const none = (...keys: string[]): Obj => Object.fromEntries(keys.map((k) => [k, null]));

const pooling = (make: (config: Obj) => Layer): LayerRow => ({
  write: (l) => {
    const { kernel, strides, padding } = (l as MaxPooling2D).window;
    return { pool_size: [...kernel], padding, strides: [...strides], data_format: 'channels_last' };
  },
  read: (c, path) => {
    channelsLast(c, path);
    const poolSize = pairOf(c, path, ['pool_size', 'poolSize'], [2, 2]);
    return { poolSize, strides: pairOf(c, path, ['strides', 'strides'], poolSize), padding: paddingOf(c, path) };
  },
  make,
});

/** A positive integer or [n] (kernel_size, strides, pool_size, dilation_rate of the 1-D layers), in [1, MAX_WINDOW]. */
function singleOf(c: Obj, path: string, keys: [string, string], fallback?: number): number {
  const v = field(c, ...keys);
  const at = `${path}.${keys[0]}`;
  if (isNull(v)) {
    check(fallback !== undefined, `${at} is required (an integer or [n])`);
    return fallback;
  }
  if (typeof v === 'number') return int(v, at, 1, MAX_WINDOW);
  const a = arr(v, at, 1);
  check(a.length === 1, `${at} must be an integer or [n], got an empty array`);
  return int(a[0], `${at}[0]`, 1, MAX_WINDOW);
}

/** 'valid' or 'same', or also 'causal' where Keras's Conv1D takes it. */
function padding1dOf(c: Obj, path: string, causal: boolean): 'valid' | 'same' | 'causal' {
  const p = field(c, 'padding');
  if (isNull(p)) return 'valid';
  const v = typeof p === 'string' ? p.toLowerCase() : p;
  check(v === 'valid' || v === 'same' || (causal && v === 'causal'), () => `${path}.padding ${describe(p)}: only 'valid'${causal ? ", 'same' and 'causal' are" : " and 'same' are"} supported`);
  return v as 'valid' | 'same' | 'causal';
}

const pooling1d = (make: (config: Obj) => Layer): LayerRow => ({
  write: (l) => {
    const { kernel, strides, padding } = (l as MaxPooling1D).window;
    return { pool_size: [kernel], padding, strides: [strides], data_format: 'channels_last' };
  },
  read: (c, path) => {
    channelsLast(c, path);
    const poolSize = singleOf(c, path, ['pool_size', 'poolSize'], 2);
    return { poolSize, strides: singleOf(c, path, ['strides', 'strides'], poolSize), padding: padding1dOf(c, path, false) };
  },
  make,
});

/**
 * A convolution's row (Conv1D, Conv2D): what BaseConv holds is written and read here in tfjs's key
 * order; `window` writes and `readWindow` reads kernel_size, strides, padding and dilation_rate.
 */
const conv = (window: (l: Layer) => Obj, readWindow: (c: Obj, path: string) => Obj, make: (config: Obj) => Layer): LayerRow => ({
  write: (l) => {
    const d = l as BaseConv;
    const { kernel_size, strides, padding, dilation_rate } = window(l);
    return {
      filters: d.filters,
      kernel_initializer: initializerConfig(d.kernelInitializer),
      kernel_regularizer: regularizerConfig(d.kernelRegularizer),
      ...none('kernel_constraint'),
      kernel_size,
      strides,
      padding,
      data_format: 'channels_last',
      dilation_rate,
      activation: activationName(d.activation),
      use_bias: d.useBias,
      bias_initializer: initializerConfig(d.biasInitializer),
      bias_regularizer: regularizerConfig(d.biasRegularizer),
      ...none('activity_regularizer', 'bias_constraint'),
    };
  },
  read: (c, path, _shape, ctx) => {
    channelsLast(c, path);
    // Keras 3 writes groups: grouped convolutions are not supported.
    const groups = field(c, 'groups');
    check(isNull(groups) || groups === 1, () => `${path}.groups ${describe(groups)}: only groups 1 (an ordinary convolution) is supported`);
    return {
      filters: int(field(c, 'filters'), `${path}.filters`, 1, MAX_WIDTH),
      ...readWindow(c, path),
      activation: readActivation(field(c, 'activation'), `${path}.activation`, ctx).name,
      useBias: boolOr(c, path, ['use_bias', 'useBias'], true),
      kernelInitializer: initializerOf(c, path, ['kernel_initializer', 'kernelInitializer'], 'glorotUniform'),
      biasInitializer: initializerOf(c, path, ['bias_initializer', 'biasInitializer'], 'zeros'),
      kernelRegularizer: regularizerOf(c, path, ['kernel_regularizer', 'kernelRegularizer']),
      biasRegularizer: regularizerOf(c, path, ['bias_regularizer', 'biasRegularizer']),
    };
  },
  make,
});

const globalPooling = (make: (config: Obj) => Layer): LayerRow => ({
  // tfjs writes only data_format (its global poolings have no keepdims).
  write: () => ({ data_format: 'channels_last' }),
  read: (c, path) => {
    channelsLast(c, path);
    const keep = field(c, 'keepdims', 'keepDims');
    check(isNull(keep) || keep === false, () => `${path}.keepdims ${describe(keep)}: only keepdims false (one value per channel) is supported`);
    return {};
  },
  make,
});


/**
 * A recurrent layer's row (SimpleRNN, LSTM, GRU): what RNN holds, in tfjs's key order; `extra` writes and
 * reads the kind's own keys (recurrent_activation, unit_forget_bias, reset_after).
 */
const recurrent = (
  writeExtra: (l: RNN) => Obj,
  readExtra: (c: Obj, path: string, ctx: ReadContext) => Obj,
  make: (config: Obj) => Layer,
): LayerRow => ({
  write: (l) => {
    const r = l as RNN;
    return {
      units: r.units,
      activation: activationName(r.activation),
      ...writeExtra(r),
      use_bias: r.useBias,
      kernel_initializer: initializerConfig(r.kernelInitializer),
      recurrent_initializer: initializerConfig(r.recurrentInitializer),
      bias_initializer: initializerConfig(r.biasInitializer),
      kernel_regularizer: regularizerConfig(r.kernelRegularizer),
      recurrent_regularizer: regularizerConfig(r.recurrentRegularizer),
      bias_regularizer: regularizerConfig(r.biasRegularizer),
      ...none('activity_regularizer', 'kernel_constraint', 'recurrent_constraint', 'bias_constraint'),
      dropout: 0,
      recurrent_dropout: 0,
      return_sequences: r.returnSequences,
      return_state: false,
      go_backwards: r.goBackwards,
      stateful: false,
      unroll: false,
    };
  },
  read: (c, path, _shape, ctx) => {
    for (const [key, camel, ok] of [
      ['dropout', 'dropout', (v: unknown) => isNull(v) || v === 0],
      ['recurrent_dropout', 'recurrentDropout', (v: unknown) => isNull(v) || v === 0],
      ['return_state', 'returnState', (v: unknown) => isNull(v) || v === false],
      ['stateful', 'stateful', (v: unknown) => isNull(v) || v === false],
      ['time_major', 'timeMajor', (v: unknown) => isNull(v) || v === false],
    ] as const) {
      const v = field(c, key, camel);
      check(ok(v), () => `${path}.${key} ${describe(v)}: not supported (only ${key.includes('dropout') ? '0' : 'false'})`);
    }
    for (const [key, camel] of [['kernel_constraint', 'kernelConstraint'], ['recurrent_constraint', 'recurrentConstraint'], ['bias_constraint', 'biasConstraint']] as const) {
      const v = field(c, key, camel);
      check(isNull(v), () => `${path}.${key} ${describe(v)}: constraints are not supported`);
    }
    return {
      units: int(field(c, 'units'), `${path}.units`, 1, MAX_WIDTH),
      activation: readActivation(field(c, 'activation'), `${path}.activation`, ctx).name,
      ...readExtra(c, path, ctx),
      useBias: boolOr(c, path, ['use_bias', 'useBias'], true),
      returnSequences: boolOr(c, path, ['return_sequences', 'returnSequences'], false),
      goBackwards: boolOr(c, path, ['go_backwards', 'goBackwards'], false),
      kernelInitializer: initializerOf(c, path, ['kernel_initializer', 'kernelInitializer'], 'glorotUniform'),
      recurrentInitializer: initializerOf(c, path, ['recurrent_initializer', 'recurrentInitializer'], 'orthogonal'),
      biasInitializer: initializerOf(c, path, ['bias_initializer', 'biasInitializer'], 'zeros'),
      kernelRegularizer: regularizerOf(c, path, ['kernel_regularizer', 'kernelRegularizer']),
      recurrentRegularizer: regularizerOf(c, path, ['recurrent_regularizer', 'recurrentRegularizer']),
      biasRegularizer: regularizerOf(c, path, ['bias_regularizer', 'biasRegularizer']),
    };
  },
  make,
});

/** recurrent_activation as written (missing: Keras 3's sigmoid). */
function recurrentActivationOf(c: Obj, path: string, ctx: ReadContext): string {
  const v = field(c, 'recurrent_activation', 'recurrentActivation');
  return isNull(v) ? 'sigmoid' : readActivation(v, `${path}.recurrent_activation`, ctx).name;
}

const RECURRENT: Record<string, LayerRow> = {
  SimpleRNN: recurrent(() => ({}), () => ({}), (c) => new SimpleRNN(c as never)),
  LSTM: recurrent(
    (l) => ({ recurrent_activation: activationName((l as LSTM).recurrentActivation), unit_forget_bias: (l as LSTM).unitForgetBias }),
    // tfjs writes unit_forget_bias null and means false; it shapes only the starting bias, which loading replaces.
    (c, path, ctx) => ({ recurrentActivation: recurrentActivationOf(c, path, ctx), unitForgetBias: boolOr(c, path, ['unit_forget_bias', 'unitForgetBias'], false) }),
    (c) => new LSTM(c as never),
  ),
  GRU: recurrent(
    (l) => ({ recurrent_activation: activationName((l as GRU).recurrentActivation), reset_after: (l as GRU).resetAfter }),
    // A file without reset_after is Keras 2.x before TF 2 or tfjs: false.
    (c, path, ctx) => ({ recurrentActivation: recurrentActivationOf(c, path, ctx), resetAfter: boolOr(c, path, ['reset_after', 'resetAfter'], false) }),
    (c) => new GRU(c as never),
  ),
};

const BIDIRECTIONAL: LayerRow = {
  // tfjs's form: { layer: { class_name, config }, merge_mode } with the wrapped layer's own config (its name kept).
  write: (l) => {
    const inner = (l as Bidirectional).layer;
    return { layer: { class_name: inner.className, config: layerConfig(inner) }, merge_mode: (l as Bidirectional).mergeMode };
  },
  read: (c, path, shape, ctx) => {
    // Absent: Keras's default, 'concat'. null is Keras's None (the two directions as two outputs): not supported.
    const given = field(c, 'merge_mode', 'mergeMode');
    const mode = given === undefined ? 'concat' : given;
    check(mode === 'concat', () => `${path}.merge_mode ${describe(mode)}: only 'concat' is supported`);
    const backward = field(c, 'backward_layer', 'backwardLayer');
    check(isNull(backward), () => `${path}.backward_layer: a separate backward layer is not supported (the backward direction is a copy of the layer)`);
    const at = `${path}.layer`;
    const inner = obj(field(c, 'layer'), at);
    const cls = own(inner, 'class_name') ?? own(inner, 'className');
    check(typeof cls === 'string' && Object.prototype.hasOwnProperty.call(RECURRENT, cls), () => `${at}.class_name ${describe(cls)}: a Bidirectional must wrap SimpleRNN, LSTM or GRU`);
    const config = obj(own(inner, 'config') ?? {}, `${at}.config`);
    const name = own(config, 'name');
    const read = RECURRENT[cls as string].read(config, `${at}.config`, shape, ctx);
    return { layer: { className: cls, config: { ...read, ...(isNull(name) ? {} : { name: nonEmptyStr(name, `${at}.config.name`, 256) }) } }, mergeMode: 'concat' };
  },
  make: (c) => {
    const { layer, ...rest } = c as { layer: { className: string; config: Obj } };
    return new Bidirectional({ ...rest, layer: RECURRENT[layer.className].make(layer.config) as RNN });
  },
};

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
        kernel_regularizer: regularizerConfig(d.kernelRegularizer),
        bias_regularizer: regularizerConfig(d.biasRegularizer),
        ...none('activity_regularizer', 'kernel_constraint', 'bias_constraint'),
      };
    },
    // Over the last axis, as Keras: an input [steps, features] gives [steps, units].
    read: (c, path, _shape, ctx) => ({
      units: int(field(c, 'units'), `${path}.units`, 1, MAX_WIDTH),
      activation: readActivation(field(c, 'activation'), `${path}.activation`, ctx).name,
      useBias: boolOr(c, path, ['use_bias', 'useBias'], true),
      kernelInitializer: initializerOf(c, path, ['kernel_initializer', 'kernelInitializer'], 'glorotUniform'),
      biasInitializer: initializerOf(c, path, ['bias_initializer', 'biasInitializer'], 'zeros'),
      kernelRegularizer: regularizerOf(c, path, ['kernel_regularizer', 'kernelRegularizer']),
      biasRegularizer: regularizerOf(c, path, ['bias_regularizer', 'biasRegularizer']),
    }),
    make: (c) => new Dense(c as never),
  },
  Dropout: {
    write: (l) => {
      const d = l as Dropout;
      return { rate: d.rate, noise_shape: null, seed: d.seed ?? null };
    },
    read: (c, path) => {
      const rate = finite(field(c, 'rate'), `${path}.rate`);
      check(rate >= 0 && rate < 1, `${path}.rate must be in [0, 1), got ${rate}`);
      const noise = field(c, 'noise_shape', 'noiseShape');
      check(isNull(noise), `${path}.noise_shape: dropout with a noise shape is not supported`);
      const seed = field(c, 'seed');
      return { rate, seed: isNull(seed) ? undefined : int(seed, `${path}.seed`, 0, 0xffffffff) };
    },
    make: (c) => new Dropout(c as never),
  },
  Activation: {
    write: (l) => ({ activation: activationName((l as Activation).activation) }),
    read: (c, path, shape, ctx) => {
      const activation = readActivation(field(c, 'activation'), `${path}.activation`, ctx);
      check(activation.name !== 'softmax' || shape.length === 1, `${path}: softmax over a [${shape.join(', ')}] input is not supported; flatten first`);
      return { activation: activation.name };
    },
    make: (c) => new Activation(c as never),
  },
  Flatten: {
    // tfjs writes data_format only when it was given; deltaflow's is always channels_last.
    write: () => ({}),
    read: (c, path, shape) => {
      // Flattening rows of one axis is the same in either format.
      if (shape.length > 1) channelsLast(c, path);
      return {};
    },
    make: (c) => new Flatten(c),
  },
  Reshape: {
    write: (l) => ({ target_shape: [...(l as Reshape).targetShape] }),
    read: (c, path) => {
      const at = `${path}.target_shape`;
      const t = arr(field(c, 'target_shape', 'targetShape'), at, 4);
      check(t.length > 0, `${at} must not be empty`);
      // Keras writes an inferred axis as -1 (tfjs) or null.
      const dims = t.map((d, i) => (d === null ? -1 : d === -1 ? -1 : int(d, `${at}[${i}]`, 1, MAX_WIDTH)));
      check(dims.filter((d) => d === -1).length <= 1, `${at}: at most one axis may be inferred (-1), got [${dims.join(', ')}]`);
      return { targetShape: dims };
    },
    make: (c) => new Reshape(c as never),
  },
  Conv2D: conv(
    (l) => {
      const { kernel, strides, padding, dilation } = (l as Conv2D).window;
      return { kernel_size: [...kernel], strides: [...strides], padding, dilation_rate: [...dilation] };
    },
    (c, path) => ({
      kernelSize: pairOf(c, path, ['kernel_size', 'kernelSize']),
      strides: pairOf(c, path, ['strides', 'strides'], [1, 1]),
      padding: paddingOf(c, path),
      dilationRate: pairOf(c, path, ['dilation_rate', 'dilationRate'], [1, 1]),
    }),
    (c) => new Conv2D(c as never),
  ),
  Conv1D: conv(
    (l) => {
      const { kernel, strides, padding, dilation } = (l as Conv1D).window;
      return { kernel_size: [kernel], strides: [strides], padding, dilation_rate: [dilation] };
    },
    (c, path) => ({
      kernelSize: singleOf(c, path, ['kernel_size', 'kernelSize']),
      strides: singleOf(c, path, ['strides', 'strides'], 1),
      padding: padding1dOf(c, path, true),
      dilationRate: singleOf(c, path, ['dilation_rate', 'dilationRate'], 1),
    }),
    (c) => new Conv1D(c as never),
  ),
  MaxPooling1D: pooling1d((c) => new MaxPooling1D(c)),
  AveragePooling1D: pooling1d((c) => new AveragePooling1D(c)),
  GlobalAveragePooling1D: globalPooling((c) => new GlobalAveragePooling1D(c)),
  GlobalMaxPooling1D: globalPooling((c) => new GlobalMaxPooling1D(c)),
  MaxPooling2D: pooling((c) => new MaxPooling2D(c)),
  AveragePooling2D: pooling((c) => new AveragePooling2D(c)),
  GlobalAveragePooling2D: globalPooling((c) => new GlobalAveragePooling2D(c)),
  GlobalMaxPooling2D: globalPooling((c) => new GlobalMaxPooling2D(c)),
  UpSampling2D: {
    write: (l) => ({ size: [...(l as UpSampling2D).size], data_format: 'channels_last', interpolation: 'nearest' }),
    read: (c, path) => {
      channelsLast(c, path);
      const interpolation = field(c, 'interpolation');
      check(isNull(interpolation) || interpolation === 'nearest', () => `${path}.interpolation ${describe(interpolation)}: only 'nearest' is supported`);
      return { size: pairOf(c, path, ['size', 'size'], [2, 2]) };
    },
    make: (c) => new UpSampling2D(c),
  },
  ZeroPadding2D: {
    write: (l) => {
      const [[t, b], [left, r]] = (l as ZeroPadding2D).padding;
      return { padding: [[t, b], [left, r]], data_format: 'channels_last' };
    },
    read: (c, path) => {
      channelsLast(c, path);
      const at = `${path}.padding`;
      const p = field(c, 'padding');
      const n = (x: unknown, where: string) => int(x, where, 0, MAX_WINDOW);
      if (isNull(p)) return { padding: [[1, 1], [1, 1]] };
      if (typeof p === 'number') {
        const k = n(p, at);
        return { padding: [[k, k], [k, k]] };
      }
      const a = arr(p, at, 2);
      check(a.length === 2, `${at} must be n, [rows, cols] or [[top, bottom], [left, right]], got an array of ${a.length}`);
      const side = (x: unknown, i: number): [number, number] => {
        if (typeof x === 'number') return [n(x, `${at}[${i}]`), n(x, `${at}[${i}]`)];
        const s = arr(x, `${at}[${i}]`, 2);
        check(s.length === 2, `${at}[${i}] must be [before, after], got an array of ${s.length}`);
        return [n(s[0], `${at}[${i}][0]`), n(s[1], `${at}[${i}][1]`)];
      };
      return { padding: [side(a[0], 0), side(a[1], 1)] };
    },
    make: (c) => new ZeroPadding2D(c as never),
  },
  BatchNormalization: {
    write: (l) => {
      const d = l as BatchNormalization;
      return {
        axis: -1,
        momentum: d.momentum,
        epsilon: d.epsilon,
        center: d.center,
        scale: d.scale,
        beta_initializer: initializerConfig(d.initializers.beta),
        gamma_initializer: initializerConfig(d.initializers.gamma),
        moving_mean_initializer: initializerConfig(d.initializers.movingMean),
        moving_variance_initializer: initializerConfig(d.initializers.movingVariance),
        ...none('beta_regularizer', 'gamma_regularizer', 'beta_constraint', 'gamma_constraint'),
      };
    },
    read: (c, path, shape) => {
      // -1, or (Keras 2 after building) the last axis counted with the batch axis, alone or in a list.
      const axis = field(c, 'axis');
      const one = Array.isArray(axis) && axis.length === 1 ? axis[0] : axis;
      check(isNull(one) || one === -1 || one === shape.length, () => `${path}.axis ${Array.isArray(axis) ? `[${axis.map(String).join(', ')}]` : describe(axis)}: only the last axis (-1, the channels) is supported`);
      for (const [key, on] of [['renorm', true], ['virtual_batch_size', null]] as const) {
        const v = field(c, key);
        check(isNull(v) || v === false || (on === null && v === null), () => `${path}.${key} ${describe(v)}: not supported`);
      }
      const momentum = numberOr(c, path, ['momentum', 'momentum'], 0.99);
      check(momentum >= 0 && momentum <= 1, `${path}.momentum must be in [0, 1], got ${momentum}`);
      const epsilon = numberOr(c, path, ['epsilon', 'epsilon'], 1e-3);
      check(epsilon > 0, `${path}.epsilon must be positive, got ${epsilon}`);
      return {
        momentum,
        epsilon,
        center: boolOr(c, path, ['center', 'center'], true),
        scale: boolOr(c, path, ['scale', 'scale'], true),
        betaInitializer: initializerOf(c, path, ['beta_initializer', 'betaInitializer'], 'zeros'),
        gammaInitializer: initializerOf(c, path, ['gamma_initializer', 'gammaInitializer'], 'ones'),
        movingMeanInitializer: initializerOf(c, path, ['moving_mean_initializer', 'movingMeanInitializer'], 'zeros'),
        movingVarianceInitializer: initializerOf(c, path, ['moving_variance_initializer', 'movingVarianceInitializer'], 'ones'),
      };
    },
    make: (c) => new BatchNormalization(c),
  },
  Embedding: {
    write: (l) => {
      const e = l as Embedding;
      return {
        input_dim: e.inputDim,
        output_dim: e.outputDim,
        embeddings_initializer: initializerConfig(e.embeddingsInitializer),
        embeddings_regularizer: regularizerConfig(e.embeddingsRegularizer),
        ...none('activity_regularizer', 'embeddings_constraint'),
        mask_zero: e.maskZero,
        input_length: e.inputLength === undefined ? null : Array.isArray(e.inputLength) ? [...e.inputLength] : e.inputLength,
      };
    },
    // Its input shape (input_length) is read with the other layers' (declaredShape, embeddingInput).
    read: (c, path) => {
      const constraint = field(c, 'embeddings_constraint', 'embeddingsConstraint');
      check(isNull(constraint), () => `${path}.embeddings_constraint ${describe(constraint)}: constraints are not supported`);
      return {
        inputDim: int(field(c, 'input_dim', 'inputDim'), `${path}.input_dim`, 1, MAX_WIDTH),
        outputDim: int(field(c, 'output_dim', 'outputDim'), `${path}.output_dim`, 1, MAX_WIDTH),
        embeddingsInitializer: initializerOf(c, path, ['embeddings_initializer', 'embeddingsInitializer'], 'randomUniform'),
        embeddingsRegularizer: regularizerOf(c, path, ['embeddings_regularizer', 'embeddingsRegularizer']),
        maskZero: boolOr(c, path, ['mask_zero', 'maskZero'], false),
      };
    },
    make: (c) => new Embedding(c as never),
  },
  LeakyReLU: {
    write: (l) => ({ alpha: (l as LeakyReLU).alpha }),
    read: (c, path) => {
      // tfjs and Keras 2 write alpha (default 0.3); Keras 3 writes negative_slope.
      const key = own(c, 'alpha') !== undefined ? 'alpha' : 'negative_slope';
      const alpha = numberOr(c, path, [key, key === 'alpha' ? 'alpha' : 'negativeSlope'], 0.3);
      check(alpha >= 0, `${path}.${key} must be ≥ 0, got ${alpha}`);
      return { alpha };
    },
    make: (c) => new LeakyReLU(c),
  },
  TimeDistributed: {
    // tfjs's form: { layer: { class_name, config } } with the inner layer's own config (its name kept).
    write: (l) => {
      const inner = (l as TimeDistributed).layer;
      return { layer: { class_name: inner.className, config: layerConfig(inner) } };
    },
    // Keras 3 adds module, registered_name and build_config to the inner layer: the step's shape is ours.
    read: (c, path, shape, ctx) => {
      check(shape.length >= 2, `${path}: TimeDistributed needs a time axis and at least one more ([timesteps, features]), got rows of shape [${shape.join(', ')}]`);
      const at = `${path}.layer`;
      const inner = obj(field(c, 'layer'), at);
      const cls = nonEmptyStr(own(inner, 'class_name') ?? own(inner, 'className'), `${at}.class_name`, 200);
      check(STEPWISE_LAYERS.has(cls), () => `${at}: TimeDistributed over ${describe(cls)} is not supported; the inner layer must be one of ${[...STEPWISE_LAYERS].join(', ')}`);
      const config = obj(own(inner, 'config') ?? {}, `${at}.config`);
      const step = shape.slice(1);
      const declared = declaredShape(config, at);
      check(!declared || declared.join() === step.join(), () => `${at} declares an input of shape [${declared!.join(', ')}] but one time step has shape [${step.join(', ')}]`);
      const name = own(config, 'name');
      return {
        layer: {
          className: cls,
          config: { ...LAYERS[cls].read(config, at, step, ctx), ...(isNull(name) ? {} : { name: nonEmptyStr(name, `${at}.config.name`, 256) }), ...(declared ? { inputShape: declared } : {}) },
        },
      };
    },
    make: (c) => {
      const { layer, ...rest } = c as { layer: { className: string; config: Obj } };
      return new TimeDistributed({ ...rest, layer: LAYERS[layer.className].make(layer.config) });
    },
  },
  ...RECURRENT,
  Bidirectional: BIDIRECTIONAL,
};

// ---- writing ----

/** tfjs's Sequential topology for a deltaflow model whose input rows have shape `inputShape`. */
export function writeTopology(model: Sequential, inputShape: readonly number[]): Obj {
  const layers = model.layers.map((layer, i) => ({ class_name: layer.className, config: layerConfig(layer, i === 0 ? inputShape : undefined) }));
  return { class_name: 'Sequential', config: { name: model.name, layers }, keras_version: `deltaflow ${VERSION}`, backend: 'deltaflow' };
}

/**
 * The config saved for one layer (layer.getConfig() is this, camelCased): the first layer of a model
 * carries the model's input shape as batch_input_shape; a layer on its own, the one it declares.
 */
export function layerConfig(layer: Layer, inputShape: readonly number[] | undefined = layer.inputShape): Obj {
  const row = Object.prototype.hasOwnProperty.call(LAYERS, layer.className) ? LAYERS[layer.className] : undefined;
  if (!row) throw new Error(`save: layer '${layer.name}' (${layer.className}) has no saved form`);
  const config: Obj = { ...row.write(layer), name: layer.name ?? layer.kindName, trainable: true };
  if (inputShape) {
    config.batch_input_shape = [null, ...inputShape];
    config.dtype = 'float32';
  }
  return config;
}

// ---- reading ----

export interface ModelPlan {
  name: string;
  /** The input shape per row the file declares: [features], or [height, width, channels]. */
  inputShape: number[];
  inputDim: number;
  layers: LayerPlan[];
  /** The model's weights in getWeights() order (tfjs's: every trainable one layer by layer, then the non-trainable ones). */
  weights: { name: string; shape: number[]; size: number; trainable: boolean }[];
  /** All the values of the weights. */
  params: number;
  /** The trainable ones' (those the optimizer keeps state for). */
  trainableParams: number;
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
  const trainable: ModelPlan['weights'] = [];
  const fixed: ModelPlan['weights'] = [];
  const names = new Set<string>();
  let params = 0;
  parsed.layers.forEach((raw, i) => {
    const path = `${raw.path} ('${typeof own(raw.config, 'name') === 'string' ? own(raw.config, 'name') : raw.className}')`;
    let declared = declaredShape(raw.className === 'Embedding' ? embeddingInput(raw.config) : raw.config, path);
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
    const config = row.read(raw.config, path, shape, ctx);
    const nameField = own(raw.config, 'name');
    const name = nameField === undefined || nameField === null ? uniqueName(names, raw.className) : nonEmptyStr(nameField, `${path}.config.name`, 256);
    check(!names.has(name), `two layers are named '${name}'`);
    names.add(name);
    // The layer itself says what it makes of its input (the output shape, its weights): one source of
    // geometry for files and code. Only its description is built here, nothing in WebAssembly.
    const inShape = shape;
    const planned = wrap(path, () => row.make({ ...config, name, ...(layers.length === 0 ? { inputShape: inShape } : {}) }).plan(inShape));
    const width = planned.outShape.reduce((a, b) => a * b, 1);
    check(width <= MAX_WIDTH, `${path}: its output rows of shape [${planned.outShape.join(', ')}] have ${width} values; at most ${MAX_WIDTH} are accepted`);
    for (const w of planned.weights) {
      const size = w.shape.reduce((a, b) => a * b, 1);
      params += size;
      check(params <= maxParameters, `${path}: the model has more than ${maxParameters} parameters (the cap is maxParameters)`);
      const isTrainable = w.trainable ?? true;
      (isTrainable ? trainable : fixed).push({ name: `${name}/${w.name}`, shape: [...w.shape], size, trainable: isTrainable });
    }
    layers.push({ kind: raw.className, name, config });
    shape = planned.outShape;
  });
  check(layers.length > 0, 'the model has no layers deltaflow can run');
  check(inputShape, 'the model declares no input shape');
  const inputDim = inputShape.reduce((a, b) => a * b, 1);
  const name = parsed.name ?? (typeof own(model, 'name') === 'string' ? (own(model, 'name') as string) : undefined);
  const trainableParams = trainable.reduce((n, w) => n + w.size, 0);
  return { name: name && name.length <= 256 ? name : 'sequential', inputShape, inputDim, layers, weights: [...trainable, ...fixed], params, trainableParams };
}

/** An Embedding's config as declaredShape reads it: its input_dim is the table's rows, not the input; input_length is the input. */
function embeddingInput(c: Obj): Obj {
  const { input_dim: _dim, inputDim: _d, ...rest } = c;
  const length = field(c, 'input_length', 'inputLength');
  if (isNull(length) || !isNull(field(c, 'batch_input_shape', 'batchInputShape', 'batch_shape', 'batchShape')) || !isNull(field(c, 'input_shape', 'inputShape'))) return rest;
  return { ...rest, batch_input_shape: [null, ...(Array.isArray(length) ? length : [length])] };
}

function uniqueName(taken: Set<string>, className: string): string {
  const kind = className.toLowerCase();
  if (!taken.has(kind)) return kind;
  for (let i = 1; ; i++) if (!taken.has(`${kind}_${i}`)) return `${kind}_${i}`;
}

/** deltaflow layers for a plan; the first declares the input shape. */
export function buildLayers(plan: ModelPlan): Layer[] {
  return plan.layers.map((l, i) =>
    wrap(`layer '${l.name}'`, () => LAYERS[l.kind].make({ ...l.config, name: l.name, ...(i === 0 ? { inputShape: [...plan.inputShape] } : {}) })),
  );
}
