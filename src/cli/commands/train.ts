// deltaflow train data.csv --target <column> …: reads the file, decides the task from the target,
// builds and trains a Dense network (after an Embedding of a tokenized text column with --text) with
// a progress bar, prints the final metrics and saves the model with its preprocessing.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as df from '../../entries/node.js';
import { INT32_MAX, type CommandSpec, type Parsed } from '../args.js';
import {
  classIndices, detectFileDelimiter, featureMatrix, hasHeader, inputNames, readTable, requireNumeric, resolveColumn, cellTexts,
  type CsvSettings, type FeatureSpec,
} from '../dataset.js';
import { CliError, UsageError } from '../errors.js';
import { writeFileAtomic } from '../files.js';
import type { CliIO } from '../io.js';
import { FORMAT, FORMAT_1, METADATA_KEY, type Preprocessing } from '../metadata.js';
import { epochLines } from '../progress.js';
import { OUTPUTS, TASKS, chooseTask, describeTask, encodeTargets } from '../task.js';
import { DEFAULT_EMBEDDING_DIM, DEFAULT_VOCAB, MAX_DEFAULT_MAXLEN } from '../text.js';
import { checkTextOptions, textColumnFeatures, textInputs, textLayers, type TextInputs } from './train-text.js';
import { CSV_OPTIONS, csvFromArgs, fmt, formatLogs } from './common.js';

export const trainSpec: CommandSpec = {
  name: 'train',
  summary: 'Train a Dense network (on numeric columns or a text column) on a CSV file and save it with its preprocessing.',
  positionals: [{ name: 'data.csv', help: 'the training data, one row per example' }],
  options: [
    { name: 'target', short: 't', kind: 'string', value: '<column>', help: 'the column to predict: a name, or an index (0 first, -1 last); required' },
    { name: 'features', kind: 'list', value: '<cols>', help: 'the input columns, comma-separated (default: every other column)' },
    { name: 'drop', kind: 'list', value: '<cols>', help: 'columns to leave out of the inputs (an ID, a leak)' },
    { name: 'one-hot', kind: 'list', value: '<cols>', help: 'text columns to encode one-hot as inputs' },
    { name: 'text', kind: 'string', value: '<column>', help: 'a column of free text (a review): tokenized into words, the model starts with an Embedding; the only input' },
    { name: 'vocab', kind: 'integer', value: '<n>', min: 3, max: 2 ** 24, help: "with --text: keep word indices below n (the n − 2 most frequent words and the OOV token), Keras's numWords", default: String(DEFAULT_VOCAB) },
    { name: 'maxlen', kind: 'integer', value: '<n>', min: 1, max: 100000, help: `with --text: words per text, padded or cut (default: the 95th percentile of the training texts' lengths, at most ${MAX_DEFAULT_MAXLEN})` },
    { name: 'embedding-dim', kind: 'integer', value: '<n>', min: 1, max: 4096, help: 'with --text: the length of each word vector', default: String(DEFAULT_EMBEDDING_DIM) },
    { name: 'task', kind: 'string', value: '<task>', choices: TASKS, help: `${TASKS.join(', ')} (default: inferred from the target)` },
    { name: 'layers', kind: 'string', value: '<units,…>', help: "hidden layer sizes, e.g. 12,8 ('none' for no hidden layer)", default: '32,16' },
    { name: 'activation', kind: 'string', value: '<name>', help: 'activation of the hidden layers', default: 'relu' },
    { name: 'dropout', kind: 'number', value: '<rate>', min: 0, maxExclusive: 1, help: 'a Dropout layer of this rate after each hidden layer' },
    { name: 'output', kind: 'string', value: '<act>', choices: OUTPUTS, help: 'output activation (default: from the task)' },
    { name: 'loss', kind: 'string', value: '<name>', help: 'loss (default: binary_crossentropy, sparse_categorical_crossentropy or mse)' },
    { name: 'metrics', kind: 'list', value: '<names>', help: 'metrics (default: accuracy, or mae for a regression)' },
    { name: 'optimizer', kind: 'string', value: '<name>', help: 'optimizer', default: 'adam' },
    { name: 'lr', kind: 'number', value: '<rate>', minExclusive: 0, help: "learning rate (default: the optimizer's Keras default)" },
    { name: 'epochs', kind: 'integer', value: '<n>', min: 1, help: 'passes over the training rows', default: '100' },
    { name: 'batch-size', kind: 'integer', value: '<n>', min: 1, help: 'rows per gradient step', default: '32' },
    { name: 'validation-split', kind: 'number', value: '<f>', minExclusive: 0, maxExclusive: 1, help: 'hold out this fraction of the rows for validation' },
    { name: 'early-stopping', kind: 'integer', value: '<patience>', min: 0, help: 'stop when val_loss (or loss) has not improved for this many epochs; keeps the best weights' },
    { name: 'standardize', kind: 'boolean', help: 'scale inputs to zero mean and unit variance (fitted on the training rows)' },
    { name: 'min-max', kind: 'boolean', help: 'scale inputs to [0, 1] (fitted on the training rows)' },
    { name: 'shuffle', kind: 'boolean', help: 'shuffle before the validation split (stratified for classes) and every epoch; --no-shuffle holds out the last rows, as Keras does', default: 'on' },
    { name: 'seed', kind: 'integer', value: '<n>', min: 0, max: 0xffffffff, help: 'seeds the weights, the split and the shuffling (default: random, printed)' },
    { name: 'save', kind: 'string', value: '<dir>', help: 'save the model (model.json, weights.bin) and its preprocessing to this folder' },
    { name: 'plot', kind: 'string', value: '<file.svg>', help: 'write the learning curves as SVG' },
    { name: 'log-csv', kind: 'string', value: '<file>', help: 'write the metrics of every epoch to a CSV file' },
    { name: 'terminate-on-nan', kind: 'boolean', help: 'stop when the loss becomes NaN', default: 'on' },
    { name: 'verbose', kind: 'integer', value: '<0|1|2>', min: 0, max: 2, help: '0 silent training, 1 progress bar, 2 one line per epoch', default: '1' },
    { name: 'quiet', short: 'q', kind: 'boolean', help: 'no progress output during training (same as --verbose 0)' },
    ...CSV_OPTIONS,
  ],
  notes: [
    'The task is inferred from the target unless --task or --output says: 2 distinct values → binary',
    '(1 sigmoid unit, binary_crossentropy, accuracy); a text column or at most 10 distinct integers →',
    'multiclass (softmax, sparse_categorical_crossentropy, accuracy); other numbers → regression',
    '(1 linear unit, mean_squared_error, mae). Text feature columns need --one-hot, --text or --drop.',
    '',
    'With --text <column>, the texts are split into lowercased words (punctuation removed) by a tokenizer',
    'fitted on the training rows only (words beyond --vocab and words never seen become <OOV>), padded',
    "with 0 in front or cut at the front to --maxlen (Keras's pad_sequences default: a text's last words",
    'are kept), and the model is Embedding(vocab, --embedding-dim, padding masked) → GlobalAveragePooling1D → the --layers',
    '→ the output. The tokenizer, maxlen and padding are saved with the model, so evaluate and predict read',
    'raw text. An empty text cell is an empty text. Other feature columns cannot be used with --text yet.',
  ],
  examples: [
    'deltaflow train pima.csv --target 8 --layers 12,8 --epochs 200 --batch-size 10 --seed 7 --save pima-model',
    'deltaflow train iris.csv --target species --standardize --validation-split 0.2 --early-stopping 20 --plot curves.svg',
    'deltaflow train housing.csv --target -1 --layers 30,6 --loss mse --save boston',
    'deltaflow train reviews.csv --target label --text review --vocab 5000 --layers 16 --epochs 30 --save review-model',
  ],
};

function list(v: unknown): string[] | undefined {
  return v as string[] | undefined;
}

function parseLayers(v: string): number[] {
  if (v === 'none' || v === '0') return [];
  const items = v.split(',').map((s) => s.trim());
  const units = items.map(Number);
  if (items.some((s) => !/^\d+$/.test(s)) || units.some((u) => u < 1)) {
    throw new UsageError(`option --layers must be comma-separated positive integers such as 12,8 (or 'none'), got '${v}'`);
  }
  const big = items.find((s) => Number(s) > INT32_MAX);
  if (big !== undefined) throw new UsageError(`option --layers: ${big} is more than ${INT32_MAX} units, got '${v}'`);
  return units;
}

export async function train(p: Parsed, io: CliIO): Promise<void> {
  const { print, warn } = io;
  const o = p.options;
  const file = p.positionals[0];
  if (o.target === undefined) throw new UsageError('missing --target <column>, the column to predict; see deltaflow train --help');
  if (o.standardize && o['min-max']) throw new UsageError('use either --standardize or --min-max, not both');
  const layers = parseLayers((o.layers as string | undefined) ?? '32,16');
  const verbose = o.quiet ? 0 : ((o.verbose as 0 | 1 | 2 | undefined) ?? 1);
  const shuffle = o.shuffle !== false;
  const epochs = (o.epochs as number | undefined) ?? 100;
  const batchSize = (o['batch-size'] as number | undefined) ?? 32;
  const seed = (o.seed as number | undefined) ?? Math.floor(Math.random() * 0x100000000);
  const hidden = (o.activation as string | undefined) ?? 'relu';
  const textRef = o.text as string | undefined;
  checkTextOptions(o);
  try {
    df.activations.get(hidden);
  } catch (e) {
    throw new UsageError(`option --activation: ${(e as Error).message}`);
  }
  const optimizerName = (o.optimizer as string | undefined) ?? 'adam';
  if (!df.optimizerNames.some((n) => n.toLowerCase() === optimizerName.toLowerCase())) {
    throw new UsageError(`option --optimizer: unknown optimizer '${optimizerName}'; choose one of ${df.optimizerNames.join(', ')}`);
  }
  const cli = csvFromArgs(p);
  const csv: CsvSettings = { delimiter: cli.delimiter ?? 'auto', header: cli.header ?? 'auto', missing: cli.missing ?? 'error', encoding: cli.encoding };

  await df.ready();
  const table = await readTable(file, csv, textRef);
  const header = hasHeader(table);
  print(`Read ${file}: ${table.rows} rows × ${table.columns.length} columns${header ? '' : ` (no header: columns are numbered 0 … ${table.columns.length - 1})`}`);

  // Target and feature columns.
  const targetCol = resolveColumn(table, o.target as string, file, '--target');
  const targetName = table.columns[targetCol];
  const drop = new Set((list(o.drop) ?? []).map((r) => resolveColumn(table, r, file, '--drop')));
  if (drop.has(targetCol)) throw new UsageError(`--drop names the target column "${targetName}"`);
  let featureCols: number[];
  if (o.features !== undefined) {
    featureCols = list(o.features)!.map((r) => resolveColumn(table, r, file, '--features'));
    const dup = featureCols.find((c, i) => featureCols.indexOf(c) !== i);
    if (dup !== undefined) throw new UsageError(`--features names column "${table.columns[dup]}" twice`);
    if (featureCols.includes(targetCol)) throw new UsageError(`--features includes the target column "${targetName}"`);
    featureCols = featureCols.filter((c) => !drop.has(c));
  } else {
    featureCols = table.columns.map((_, i) => i).filter((i) => i !== targetCol && !drop.has(i));
  }
  const textCol = textRef === undefined ? undefined : resolveColumn(table, textRef, file, '--text');
  if (textCol !== undefined) featureCols = textColumnFeatures(table, file, textCol, targetCol, featureCols, o);
  if (featureCols.length === 0) throw new UsageError('no feature columns are left');
  const oneHot = new Set((list(o['one-hot']) ?? []).map((r) => resolveColumn(table, r, file, '--one-hot')));
  for (const c of oneHot) {
    if (!featureCols.includes(c)) throw new UsageError(`--one-hot names column "${table.columns[c]}", which is not a feature`);
  }
  const features: FeatureSpec[] = featureCols.map((c) => {
    const name = table.columns[c];
    if (c === textCol) return { name, index: c };
    if (oneHot.has(c)) {
      const cats = [...new Set(cellTexts(table, c))].sort();
      return { name, index: c, categories: cats };
    }
    requireNumeric(table, c, file, `; encode it with --one-hot ${JSON.stringify(name)} (categories), read it with --text ${JSON.stringify(name)} (free text) or leave it out with --drop ${JSON.stringify(name)}`);
    return { name, index: c };
  });
  const inputs = inputNames(features);

  // The task, the targets and the inputs.
  const choice = chooseTask(table, targetCol, { task: o.task as string | undefined, output: o.output as string | undefined, loss: o.loss as string | undefined, metrics: list(o.metrics) });
  print(describeTask(choice, targetName));
  const shownFeatures = features.map((f) => (f.categories ? `${f.name} (one-hot, ${f.categories.length})` : f.name));
  const shown = shownFeatures.length > 16 ? `${shownFeatures.slice(0, 12).join(', ')}, … (${shownFeatures.length} columns)` : shownFeatures.join(', ');
  if (textCol === undefined) print(`Features (${inputs.length} input${inputs.length === 1 ? '' : 's'}): ${shown}`);
  let indices: Int32Array | undefined;
  let values: Float64Array | undefined;
  if (choice.classes) indices = classIndices(table, targetCol, choice.classes, file);
  else {
    requireNumeric(table, targetCol, file, '; a regression target must be numeric');
    values = table.column(targetCol);
  }
  const y = encodeTargets(choice.encoding, indices, values, choice.classes?.length ?? 1);

  // Validation rows: a seeded (stratified) sample, or the last rows as Keras takes them.
  const split = o['validation-split'] as number | undefined;
  let rowsOf: { trainIdx: number[]; valIdx: number[] } | undefined;
  if (split !== undefined) {
    const n = table.rows;
    let trainIdx: number[];
    let valIdx: number[];
    try {
      if (shuffle) {
        const stratify = indices ? Array.from(indices) : undefined;
        const s = df.data.trainTestSplit({ data: new Float32Array(n), shape: [n, 1] }, { data: new Float32Array(n), shape: [n, 1] }, { testSize: split, seed, stratify });
        [trainIdx, valIdx] = [s.trainIndices, s.testIndices];
      } else {
        const at = Math.ceil(n * (1 - split));
        if (at >= n || at < 1) throw new Error(`--validation-split ${split} of ${n} rows leaves no ${at >= n ? 'validation' : 'training'} rows`);
        trainIdx = Array.from({ length: at }, (_, i) => i);
        valIdx = Array.from({ length: n - at }, (_, i) => at + i);
      }
    } catch (e) {
      throw new CliError(`--validation-split: ${(e as Error).message.replace(/^trainTestSplit: /, '')}`);
    }
    if (indices && new Set(valIdx.map((r) => indices![r])).size === 1) {
      warn(`deltaflow: warning: every validation row has the same class ("${choice.classes![indices[valIdx[0]]]}"); the file may be sorted by class: drop --no-shuffle`);
    }
    rowsOf = { trainIdx, valIdx };
  }
  // The inputs: the feature columns, or the text column tokenized by a tokenizer fitted on the training rows.
  let text: TextInputs['spec'] | undefined;
  let x: df.data.Shaped2D;
  if (textCol !== undefined) {
    const t = textInputs(table, textCol, rowsOf?.trainIdx, o, print, warn);
    [x, text] = [t.x, t.spec];
  } else x = featureMatrix(table, features, featureCols, file).x;
  let xTrain: df.data.Shaped = x;
  let yTrain: df.data.Shaped = y;
  let val: [df.data.Shaped, df.data.Shaped] | undefined;
  if (rowsOf) {
    xTrain = df.data.take(x, rowsOf.trainIdx);
    yTrain = df.data.take(y, rowsOf.trainIdx);
    val = [df.data.take(x, rowsOf.valIdx), df.data.take(y, rowsOf.valIdx)];
  }
  const trainRows = xTrain.shape[0];
  let scaler: df.data.StandardScaler | df.data.MinMaxScaler | undefined;
  if (o.standardize) scaler = df.data.standardize();
  else if (o['min-max']) scaler = df.data.minMax();
  if (scaler) {
    xTrain = scaler.fitTransform(xTrain);
    if (val) val = [scaler.transform(val[0]), val[1]];
  }
  if (val) {
    print(`Validation: ${val[0].shape[0]} of ${table.rows} rows (${shuffle ? `a seeded${indices ? ', stratified' : ''} sample` : 'the last rows'}), training on ${trainRows}`);
  }
  if (scaler) print(`Scaling: ${o.standardize ? 'standardize (mean 0, variance 1)' : 'min-max to [0, 1]'}, fitted on the ${trainRows} training rows`);

  // The network.
  const dropout = o.dropout as number | undefined;
  const stack: df.Layer[] = text ? textLayers(text) : [];
  const first = (i: number) => (i === 0 && !text ? { inputShape: [inputs.length] } : {});
  layers.forEach((units, i) => {
    stack.push(df.layers.dense({ units, activation: hidden, ...first(i) }));
    if (dropout) stack.push(df.layers.dropout({ rate: dropout }));
  });
  stack.push(df.layers.dense({ units: choice.units, activation: choice.output, ...first(layers.length) }));
  const model = df.sequential({ seed, layers: stack });
  // Freed on every path: an engine error (memory it cannot get) must not leave its arena behind.
  try {
    try {
      model.compile({ optimizer: optimizerName, loss: choice.loss, metrics: choice.metrics });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const optimizer = model.optimizer!;
    // Built now, so a network too large for WebAssembly's memory is named as --layers' doing.
    try {
      model.getWeights();
    } catch (e) {
      throw new UsageError(`option --layers ${(o.layers as string | undefined) ?? '32,16'}: ${(e as Error).message}`);
    }
    if (o.lr !== undefined) optimizer.learningRate = o.lr as number;
    const lr = optimizer.learningRate as number;
    const start = text ? `${text.maxlen} word indices → Embedding(${text.inputDim}, ${text.embeddingDim}) → GlobalAveragePooling1D` : String(inputs.length);
    const arch = [start, ...layers.map((u) => `Dense(${u}, ${hidden})${dropout ? ` → Dropout(${dropout})` : ''}`), `Dense(${choice.units}, ${choice.output})`].join(' → ');
    print(`Model: ${arch}; ${optimizer.name} (learning rate ${lr}), ${epochs} epochs, batch ${batchSize}, seed ${seed}`);

    // Callbacks: NaN guard, early stopping, CSV log.
    const callbacks: df.Callback[] = [];
    if (o['terminate-on-nan'] !== false) callbacks.push(df.callbacks.terminateOnNaN());
    const monitor = val ? 'val_loss' : 'loss';
    let early: df.EarlyStopping | undefined;
    if (o['early-stopping'] !== undefined) {
      early = df.callbacks.earlyStopping({ monitor, patience: o['early-stopping'] as number, restoreBestWeights: true });
      callbacks.push(early);
    }
    if (o['log-csv'] !== undefined) callbacks.push(df.callbacks.csvLogger(path.resolve(o['log-csv'] as string)));

    // The engine's bar redraws on a terminal; elsewhere the epoch lines go through io, like all other output.
    const live = verbose === 1 && io.live === true;
    if (verbose !== 0 && !live) callbacks.push(epochLines(epochs, Math.ceil(trainRows / batchSize), print));
    const history = await model.fit(xTrain, yTrain, { epochs, batchSize, verbose: live ? 1 : 0, shuffle, validationData: val, callbacks });
    const ran = history.history.loss?.length ?? 0;
    const lastLoss = history.history.loss?.at(-1);
    if (lastLoss === undefined || !Number.isFinite(lastLoss)) {
      throw new CliError(`training diverged: the loss became ${lastLoss} at epoch ${ran}; try a smaller --lr, --standardize or --min-max`);
    }
    if (early && early.stoppedEpoch > 0) {
      print(`Early stopping at epoch ${early.stoppedEpoch + 1}: ${monitor} did not improve for ${early.patience} epochs; restored the weights of epoch ${early.bestEpoch + 1} (${monitor} ${fmt(early.best)})`);
    }

    // Final metrics with the weights kept.
    const final: Record<string, number> = {};
    const onTrain = model.evaluate(xTrain, yTrain);
    for (const [k, v] of Object.entries(onTrain)) final[k] = v;
    const rmseOf = choice.task === 'regression' ? choice.loss : undefined;
    print(`Training   (${trainRows} rows): ${formatLogs(onTrain, rmseOf)}`);
    if (val) {
      const onVal = model.evaluate(val[0], val[1]);
      for (const [k, v] of Object.entries(onVal)) final[`val_${k}`] = v;
      print(`Validation (${val[0].shape[0]} rows): ${formatLogs(onVal, rmseOf)}`);
    }

    if (o.plot !== undefined) {
      const svg = df.plot.history(history, { title: `${path.basename(file)}: ${targetName} (${choice.loss})` });
      await writeFileAtomic(o.plot as string, svg, '--plot');
      print(`Wrote the learning curves to ${o.plot}`);
    }
    if (o.save !== undefined) {
      const dir = path.resolve(o.save as string);
      const preprocessing: Preprocessing = {
        format: text ? FORMAT : FORMAT_1,
        task: choice.task,
        target: targetName,
        targetIndex: targetCol,
        columns: table.columns.length,
        ...(choice.classes ? { classes: choice.classes } : {}),
        features,
        inputs,
        ...(text ? { text: { tokenizer: text.tokenizer, maxlen: text.maxlen, padding: text.padding, truncating: text.truncating } } : {}),
        ...(scaler ? { scaler: scaler.toJSON() } : {}),
        output: choice.output,
        loss: choice.loss,
        metrics: choice.metrics,
        encoding: choice.encoding,
        csv: { delimiter: text && csv.delimiter === 'auto' ? await detectFileDelimiter(file, csv.encoding) : csv.delimiter, header, missing: csv.missing, ...(csv.encoding ? { encoding: csv.encoding } : {}) },
        training: {
          file: path.basename(file),
          rows: table.rows,
          validationRows: val ? val[0].shape[0] : 0,
          epochs: ran,
          batchSize,
          optimizer: optimizer.name,
          learningRate: lr,
          seed,
          date: new Date().toISOString(),
          final,
        },
      };
      try {
        await fs.mkdir(dir, { recursive: true });
        await model.save(`file://${dir}`, { includeOptimizer: true, userDefinedMetadata: { [METADATA_KEY]: preprocessing as unknown as {} } });
      } catch (e) {
        throw new CliError(`--save ${o.save}: ${(e as Error).message}`);
      }
      print(`Saved the model and its preprocessing to ${o.save}${o.save.toString().endsWith('/') ? '' : '/'} (model.json, weights.bin)`);
    }
  } finally {
    model.dispose();
  }
}
