// Metrics: each is a ratio of the statistics the WASM pass accumulates (see STAT_* in shared/ids.ts).
import * as ids from '../shared/ids.js';
import { nameKey } from './lookup.js';
import type { LossRow } from './losses.js';
import type { MetricFunction } from './js-functions.js';
import type { NameOf } from './names.js';

export interface MetricRow {
  /** The key used in logs and History (Keras names: 'accuracy', 'mse', …). */
  readonly key: string;
  /** The metric's value from the statistics of `rows` rows of `cols` outputs. */
  value(stats: Float64Array, cols: number): number;
  /** A metric written in JS: the facade adds its per-batch sum into stats[slot] (past STAT_COUNT). */
  readonly js?: { fn: MetricFunction; slot: number };
}

/** A metric function as a row: its sum over rows lives in stats[slot], its value is the mean per row. */
export function jsMetricRow(key: string, fn: MetricFunction, slot: number): MetricRow {
  return { key, value: (s) => s[slot] / s[ids.STAT_ROWS], js: { fn, slot } };
}

const perElement = (stat: number) => (s: Float64Array, cols: number) => s[stat] / (s[ids.STAT_ROWS] * cols);
const perRow = (stat: number) => (s: Float64Array) => s[stat] / s[ids.STAT_ROWS];

const binaryAccuracy = perElement(ids.STAT_BINARY_CORRECT);
const categoricalAccuracy = perRow(ids.STAT_CATEGORICAL_CORRECT);
const sparseAccuracy = perRow(ids.STAT_SPARSE_CORRECT);

/** The loss itself, reported as 'loss'. */
export const lossMetric: MetricRow = { key: 'loss', value: perRow(ids.STAT_LOSS) };

const NAMES = ['accuracy', 'acc', 'binaryAccuracy', 'categoricalAccuracy', 'sparseCategoricalAccuracy', 'mse', 'mae'] as const;
// Also accepted: the regression metrics' long names.
const LONG = [{ name: 'mse', aliases: ['meanSquaredError'] }, { name: 'mae', aliases: ['meanAbsoluteError'] }] as const;

/** A metric's name: 'accuracy' (resolved by the loss, as Keras does), tfjs camelCase or Keras snake_case. */
export type MetricName = NameOf<{ name: (typeof NAMES)[number] } | (typeof LONG)[number]>;

/**
 * Resolves a metric name. 'accuracy'/'acc' follow Keras: binary accuracy for binary crossentropy or a
 * single output, sparse categorical for sparse labels, categorical otherwise.
 */
export function resolveMetric(name: unknown, loss: LossRow, units: number): MetricRow {
  const key = typeof name === 'string' ? nameKey(name) : '';
  switch (key) {
    case 'accuracy':
    case 'acc': {
      const value = loss.sparse ? sparseAccuracy : loss.kind === 'binary' || units === 1 ? binaryAccuracy : categoricalAccuracy;
      return { key: name as string, value };
    }
    case 'binaryaccuracy':
      return { key: 'binary_accuracy', value: binaryAccuracy };
    case 'categoricalaccuracy':
      return { key: 'categorical_accuracy', value: categoricalAccuracy };
    case 'sparsecategoricalaccuracy':
      if (!loss.sparse) throw new Error(`metric 'sparseCategoricalAccuracy' needs integer labels (loss 'sparseCategoricalCrossentropy'), not loss '${loss.name}'`);
      return { key: 'sparse_categorical_accuracy', value: sparseAccuracy };
    case 'mse':
    case 'meansquarederror':
      if (loss.sparse) throw new Error(`metric 'mse' needs targets of the output's width, not sparse labels`);
      return { key: 'mse', value: perElement(ids.STAT_SQUARED_ERROR) };
    case 'mae':
    case 'meanabsoluteerror':
      if (loss.sparse) throw new Error(`metric 'mae' needs targets of the output's width, not sparse labels`);
      return { key: 'mae', value: perElement(ids.STAT_ABSOLUTE_ERROR) };
  }
  throw new Error(`Unknown metric ${JSON.stringify(name)}. Valid metrics: ${NAMES.join(', ')}`);
}
