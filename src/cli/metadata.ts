// What `deltaflow train` stores beside the weights (userDefinedMetadata.preprocessing), so evaluate
// and predict turn raw CSV rows into exactly the inputs the model was trained on.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as df from '../entries/node.js';
import type { CsvSettings, FeatureSpec } from './dataset.js';
import { CliError } from './errors.js';
import type { Output, Task, TargetEncoding } from './task.js';
import { checkTextSpec, storedTokenizer, type TextSpec } from './text.js';

/** The current format: format 1 and an optional `text` (a tokenized text column, deltaflow train --text). */
export const FORMAT = 'deltaflow-cli/2';
/** The first format (numeric and one-hot inputs only); train still writes it for a model without a text column, so older versions read it. */
export const FORMAT_1 = 'deltaflow-cli/1';
export const METADATA_KEY = 'preprocessing';

export interface Preprocessing {
  /** FORMAT when `text` is set, else FORMAT_1. */
  format: typeof FORMAT | typeof FORMAT_1;
  task: Task;
  /** The target column's name in the training file. */
  target: string;
  /** Its position there, and how many columns the training file had (to read headerless files by position). */
  targetIndex: number;
  columns: number;
  /** Class texts by class index (classifiers). */
  classes?: string[];
  /** The source columns, in input order; one-hot columns carry their categories. */
  features: FeatureSpec[];
  /** The model's input columns after one-hot encoding (with `text`: the text column alone). */
  inputs: string[];
  /** The text column's tokenizer and padding (format 2): its one feature is the text column. */
  text?: TextSpec;
  /** Fitted on the training rows: df.data.scalerFromJSON(scaler). */
  scaler?: df.data.ScalerJSON;
  output: Output;
  loss: string;
  metrics: string[];
  encoding: TargetEncoding;
  /** How the training file was read (the defaults for evaluate and predict). */
  csv: { delimiter: string; header: boolean; missing: string; encoding?: df.data.CsvEncoding };
  training: {
    file: string;
    rows: number;
    validationRows: number;
    epochs: number;
    batchSize: number;
    optimizer: string;
    learningRate: number;
    seed: number;
    date: string;
    final: Record<string, number>;
  };
}

/** The model's folder or its model.json, as a file:// URL to model.json; a clear error when absent. */
export async function modelJsonUrl(location: string): Promise<string> {
  let file = path.resolve(location);
  let stat;
  try {
    stat = await fs.stat(file);
  } catch {
    throw new CliError(`no model at ${location}: there is no such folder or file`);
  }
  // The loader would look for model.json inside any path not ending in .json (ENOTDIR … model.json.next).
  if (!stat.isDirectory() && !file.endsWith('.json')) {
    throw new CliError(`${location} is a file, not a model folder; give the folder 'deltaflow train --save' wrote (or its model.json)`);
  }
  if (stat.isDirectory()) {
    file = path.join(file, 'model.json');
    try {
      await fs.stat(file);
    } catch {
      throw new CliError(`no model at ${location}: the folder has no model.json (save one with deltaflow train … --save ${location})`);
    }
  }
  // tfjs-node's form: 'file://' and the path as it is (not percent-encoded).
  return `file://${file}`;
}

/** The CLI reads back the metadata it wrote: as large as model.json may be (64 MiB). */
const CLI_MAX_METADATA_BYTES = 64 * 2 ** 20;

export async function loadModel(location: string): Promise<df.Sequential> {
  const where = await modelJsonUrl(location);
  try {
    // Its own preprocessing (class lists, one-hot vocabularies) may pass the library's 1 MiB default:
    // up to the model.json cap itself.
    return await df.loadLayersModel(where, { maxMetadataBytes: CLI_MAX_METADATA_BYTES });
  } catch (e) {
    throw new CliError(`cannot load the model at ${location}: ${(e as Error).message}`);
  }
}

/** The stored preprocessing, checked; undefined when the model was not saved by `deltaflow train`. */
export function readPreprocessing(model: df.Sequential): Preprocessing | undefined {
  const meta = df.io.getUserDefinedMetadata(model) as Record<string, unknown> | undefined;
  const p = meta?.[METADATA_KEY] as Partial<Preprocessing> | undefined;
  if (p === undefined) return undefined;
  const bad = (what: string) => new CliError(`the model's stored preprocessing is damaged: ${what}`);
  if (typeof p !== 'object' || p === null || (p.format !== FORMAT && p.format !== FORMAT_1)) throw bad(`unknown format ${JSON.stringify((p as { format?: unknown })?.format)} (expected ${FORMAT_1} or ${FORMAT})`);
  if (p.text !== undefined && p.format === FORMAT_1) throw bad(`format ${FORMAT_1} has no text`);
  if (!['binary', 'multiclass', 'regression'].includes(p.task as string)) throw bad('task');
  if (typeof p.target !== 'string' || !Number.isInteger(p.targetIndex) || !Number.isInteger(p.columns)) throw bad('target');
  if (!Array.isArray(p.features) || p.features.some((f) => typeof f?.name !== 'string' || !Number.isInteger(f.index) || (f.categories !== undefined && !Array.isArray(f.categories)))) throw bad('features');
  if (!Array.isArray(p.inputs) || p.inputs.length !== p.features.reduce((n, f) => n + (f.categories?.length ?? 1), 0)) throw bad('inputs');
  if (p.task !== 'regression') {
    if (!Array.isArray(p.classes) || p.classes.length < 2 || p.classes.some((c) => typeof c !== 'string')) throw bad('classes');
    // One sigmoid unit serves 2 classes, a softmax one unit per class: anything else was not written by train.
    const units = model.outputUnits;
    const fits = units === 1 ? p.classes.length === 2 : units === p.classes.length;
    if (!fits) throw bad(`it lists ${p.classes.length} classes, but the model has ${units} output${units === 1 ? ' (a sigmoid, for 2 classes)' : 's'}`);
  }
  const width = model.inputWidth;
  if (p.text !== undefined) {
    checkTextSpec(p.text, bad);
    if (p.features.length !== 1 || p.features[0].categories !== undefined) throw bad('text: the features must be the text column alone');
    if (width !== undefined && width !== p.text.maxlen) throw bad(`text.maxlen is ${p.text.maxlen}, but the model takes ${width} word indices`);
    storedTokenizer(p.text, bad);
  } else if (width !== undefined && width !== p.inputs.length) throw bad(`it lists ${p.inputs.length} inputs, but the model takes ${width}`);
  if (!['binary', 'sparse', 'onehot', 'value'].includes(p.encoding as string)) throw bad('encoding');
  if (typeof p.csv !== 'object' || p.csv === null) throw bad('csv');
  if (p.csv.encoding !== undefined && !(df.data.CSV_ENCODINGS as readonly string[]).includes(p.csv.encoding)) throw bad(`csv.encoding ${JSON.stringify(p.csv.encoding)}`);
  if (p.scaler !== undefined) {
    try {
      df.data.scalerFromJSON(p.scaler);
    } catch (e) {
      throw bad(`scaler: ${(e as Error).message}`);
    }
  }
  return p as Preprocessing;
}

/** The stored preprocessing, or an error saying the model has none. */
export function requirePreprocessing(model: df.Sequential, location: string): Preprocessing {
  const p = readPreprocessing(model);
  if (!p) throw new CliError(`the model at ${location} has no stored preprocessing (it was not saved by 'deltaflow train'), so its input columns are unknown`);
  return p;
}

/**
 * CSV settings for reading a file for a saved model: the command line's, else the training file's
 * delimiter, missing-value policy and encoding; the header is detected (a file of new rows may have one when
 * the training file had none, or the other way round).
 */
export function csvFor(p: Preprocessing, cli: Partial<CsvSettings>): CsvSettings {
  return {
    delimiter: cli.delimiter ?? p.csv.delimiter ?? 'auto',
    header: cli.header ?? 'auto',
    missing: cli.missing ?? p.csv.missing ?? 'error',
    encoding: cli.encoding ?? p.csv.encoding,
  };
}
