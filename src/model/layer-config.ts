// layer.getConfig(): the config model.save() writes for a layer, read back with tfjs's camelCase keys.
// The writer is the io module's (registered when it is imported), so there is one saved form per layer
// and the training core (deltaflow/core) stays free of the format code.
import type { Layer } from './base.js';

/** A value in a layer's config: JSON, as tfjs's serialization.ConfigDictValue. */
export type ConfigValue = null | boolean | number | string | ConfigValue[] | ConfigDict;
/** A layer's config, as layer.getConfig() returns it: camelCase keys, JSON values. */
export interface ConfigDict {
  [key: string]: ConfigValue;
}

/** The Keras (snake_case) config a saved model holds for `layer`: name, trainable, its fields, batch_input_shape when it declares one. */
export type ConfigWriter = (layer: Layer) => ConfigDict;

let writer: ConfigWriter | undefined;
let loader: (() => void) | undefined;

export function registerConfigWriter(fn: ConfigWriter): void {
  writer = fn;
}

/** Sets what loads the io module synchronously (which then calls registerConfigWriter) the first time a config is asked for: the Node entry's. */
export function registerConfigWriterLoader(fn: () => void): void {
  loader = fn;
}

/** The layer's config as tfjs's getConfig() returns it: keys and string values camelCased, names kept. */
export function tfjsConfig(layer: Layer): ConfigDict {
  if (!writer) loader?.();
  if (!writer) {
    throw new Error(
      "layer.getConfig needs deltaflow's io module: import from 'deltaflow' (the full entry) or 'deltaflow/io', not only 'deltaflow/core'; " +
        "a bundle of 'deltaflow' that names nothing from io leaves it out until a model is saved: name df.io to keep it",
    );
  }
  return toTs(writer(layer)) as ConfigDict;
}

// tfjs reads a saved config this way (convertPythonicToTs): every key and string value camelCased,
// except a 'name' string (layer names are kept as written).
function toTs(value: ConfigValue): ConfigValue {
  if (typeof value === 'string') return camel(value);
  if (Array.isArray(value)) return value.map(toTs);
  if (value === null || typeof value !== 'object') return value;
  const out: ConfigDict = {};
  for (const [k, v] of Object.entries(value)) out[camel(k)] = k === 'name' && typeof v === 'string' ? v : toTs(v);
  return out;
}

/** 'fan_avg' → 'fanAvg', 'use_bias' → 'useBias'; camelCase stays as it is. */
export function camel(s: string): string {
  return s.replace(/_+(.)/g, (_, c: string) => c.toUpperCase());
}
