// What `deltaflow train` learns, decided from the target column unless the command line says:
// two distinct values → binary (1 sigmoid unit, binary crossentropy, accuracy); a text column or a
// few distinct integers → multi-class (softmax, sparse categorical crossentropy, accuracy); anything
// else → regression (1 linear unit, mean squared error, mae).
import * as df from '../entries/node.js';
import { cellTexts, listTexts } from './dataset.js';
import { CliError, UsageError } from './errors.js';

type Table = df.data.Table;

export type Task = 'binary' | 'multiclass' | 'regression';
export const TASKS: readonly Task[] = ['binary', 'multiclass', 'regression'];
export const OUTPUTS = ['sigmoid', 'softmax', 'linear'] as const;
export type Output = (typeof OUTPUTS)[number];

/** How targets are written for the loss: a 0/1 column, a class index, one-hot rows, or the value itself. */
export type TargetEncoding = 'binary' | 'sparse' | 'onehot' | 'value';

/** Integer targets with at most this many distinct values are read as classes. */
export const MAX_INTEGER_CLASSES = 10;

export interface TaskChoice {
  task: Task;
  /** Class texts in index order (classification). */
  classes?: string[];
  /** Why this task was chosen, for the printed explanation. */
  reason: string;
  output: Output;
  units: number;
  /** Canonical loss name (Keras snake_case for printing). */
  loss: string;
  lossKind: 'regression' | 'binary' | 'categorical' | 'sparse';
  metrics: string[];
  encoding: TargetEncoding;
}

export interface TaskOptions {
  task?: string;
  output?: string;
  loss?: string;
  metrics?: string[];
}

/** Sorted class texts: numbers numerically, then text. */
function sortClasses(texts: Iterable<string>): string[] {
  const num = (s: string) => (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s) ? Number(s) : undefined);
  return [...new Set(texts)].sort((a, b) => {
    const x = num(a);
    const y = num(b);
    if (x !== undefined && y !== undefined) return x - y;
    if (x !== undefined) return -1;
    if (y !== undefined) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export function chooseTask(table: Table, col: number, opts: TaskOptions): TaskChoice {
  const name = table.columns[col];
  const isText = table.types[col] === 'category';
  const texts = cellTexts(table, col);
  const distinct = sortClasses(texts);
  const values = table.column(col);
  const integers = !isText && values.every((v) => Number.isInteger(v));

  let task: Task;
  let reason: string;
  if (opts.task !== undefined) {
    if (!TASKS.includes(opts.task as Task)) throw new UsageError(`option --task must be one of ${TASKS.join(', ')}, got '${opts.task}'`);
    task = opts.task as Task;
    reason = `--task ${task}`;
  } else if (opts.output === 'linear') {
    task = 'regression';
    reason = '--output linear';
  } else if (opts.output === 'softmax') {
    task = 'multiclass';
    reason = '--output softmax';
  } else if (distinct.length === 2) {
    task = 'binary';
    reason = `2 distinct values`;
  } else if (isText) {
    task = 'multiclass';
    reason = `a text column with ${distinct.length} values`;
  } else if (integers && distinct.length <= MAX_INTEGER_CLASSES) {
    task = 'multiclass';
    reason = `${distinct.length} distinct integers`;
  } else {
    task = 'regression';
    reason = integers ? `${distinct.length} distinct integers (more than ${MAX_INTEGER_CLASSES})` : 'numbers that are not all integers';
  }
  if (distinct.length < 2) throw new CliError(`target "${name}" has a single value (${JSON.stringify(distinct[0])}): there is nothing to learn`);
  if (task === 'regression' && isText) throw new CliError(`target "${name}" holds text, so it cannot be a regression target; drop --task regression / --output linear`);
  if (task === 'binary' && distinct.length !== 2) {
    throw new CliError(`--task binary needs a target with 2 distinct values, but "${name}" has ${distinct.length}; use --task multiclass`);
  }

  const classes = task === 'regression' ? undefined : distinct;
  // The output layer: the task's default, or --output checked against the task.
  const output = (opts.output ?? (task === 'binary' ? 'sigmoid' : task === 'multiclass' ? 'softmax' : 'linear')) as Output;
  if (!OUTPUTS.includes(output)) throw new UsageError(`option --output must be one of ${OUTPUTS.join(', ')}, got '${opts.output}'`);
  if (output === 'sigmoid' && task === 'multiclass') throw new CliError(`--output sigmoid gives one probability, but target "${name}" has ${distinct.length} classes; use --output softmax`);
  if (output === 'softmax' && task === 'regression') throw new CliError('--output softmax is for classification; a regression uses --output linear');
  if (output === 'linear' && task !== 'regression') throw new CliError('--output linear is for regression; a classifier uses sigmoid (2 classes) or softmax');
  const units = output === 'softmax' ? classes!.length : 1;

  let lossName = opts.loss ?? (output === 'sigmoid' ? 'binaryCrossentropy' : output === 'softmax' ? 'sparseCategoricalCrossentropy' : 'meanSquaredError');
  let lossKind: TaskChoice['lossKind'];
  try {
    const row = df.losses.get(lossName);
    lossName = row.name;
    lossKind = row.kind;
  } catch (e) {
    throw new UsageError(`option --loss: ${(e as Error).message}`);
  }
  if (lossKind === 'binary' && output !== 'sigmoid') throw new CliError(`loss ${snake(lossName)} needs a sigmoid output (a binary target), not ${output}`);
  if ((lossKind === 'sparse' || lossKind === 'categorical') && output !== 'softmax') throw new CliError(`loss ${snake(lossName)} needs a softmax output (a classification target), not ${output}`);

  const encoding: TargetEncoding =
    task === 'regression' ? 'value' : output === 'sigmoid' ? 'binary' : lossKind === 'sparse' ? 'sparse' : 'onehot';
  const metrics = opts.metrics ?? (task === 'regression' ? ['mae'] : ['accuracy']);
  return { task, classes, reason, output, units, loss: snake(lossName), lossKind, metrics, encoding };
}

/** Targets as the loss wants them. */
export function encodeTargets(encoding: TargetEncoding, indices: Int32Array | undefined, values: Float64Array | undefined, classes: number): df.data.Shaped2D {
  if (encoding === 'value') {
    const data = Float32Array.from(values!);
    return { data, shape: [data.length, 1] };
  }
  const idx = indices!;
  if (encoding === 'onehot') {
    const data = new Float32Array(idx.length * classes);
    idx.forEach((c, r) => (data[r * classes + c] = 1));
    return { data, shape: [idx.length, classes] };
  }
  return { data: Float32Array.from(idx), shape: [idx.length, 1] };
}

export function describeTask(t: TaskChoice, target: string): string {
  const kind = t.task === 'binary' ? 'binary classification' : t.task === 'multiclass' ? 'multi-class classification' : 'regression';
  const classes = t.classes ? `, classes ${listTexts(t.classes, 20)}` : '';
  return `Target "${target}": ${kind} (${t.reason}${classes}) → output Dense(${t.units}, ${t.output}), loss ${t.loss}, metrics ${t.metrics.join(', ')}`;
}
