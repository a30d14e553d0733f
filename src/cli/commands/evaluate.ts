// deltaflow evaluate model/ data.csv: the saved model's loss and metrics on a labelled CSV file,
// read with the training file's preprocessing; a confusion matrix for classifiers.
import * as df from '../../entries/node.js';
import type { CommandSpec, Parsed } from '../args.js';
import { classIndices, listColumns, locateTarget, requireNumeric } from '../dataset.js';
import { CliError } from '../errors.js';
import { encodeTargets } from '../task.js';
import { applyModel, predictedClasses, unseenWarning } from './apply.js';
import { CSV_OPTIONS, csvFromArgs, formatLogs, type Print } from './common.js';

/** A wider confusion matrix is neither readable on a terminal nor cheap (classes² counts). */
const MAX_CONFUSION_CLASSES = 30;

export const evaluateSpec: CommandSpec = {
  name: 'evaluate',
  summary: "Compute a saved model's loss and metrics on a labelled CSV file (it must hold the target column).",
  positionals: [
    { name: 'model', help: "the folder 'deltaflow train --save' wrote (or its model.json)" },
    { name: 'data.csv', help: 'rows with the feature columns and the target column' },
  ],
  options: [
    { name: 'json', kind: 'boolean', help: 'print the metrics as one JSON object' },
    { name: 'batch-size', kind: 'integer', value: '<n>', min: 1, help: 'rows per evaluation batch', default: '32' },
    ...CSV_OPTIONS,
  ],
  notes: ['A model trained with --text reads the raw text of its text column (found by name, as the other columns).'],
  examples: ['deltaflow evaluate pima-model/ pima-test.csv', 'deltaflow evaluate boston/ housing.csv --json', 'deltaflow evaluate review-model/ held-out-reviews.csv'],
};

export async function evaluate(p: Parsed, print: Print, warn: Print): Promise<void> {
  const [location, file] = p.positionals;
  const { model, prep, table, x, unseen, dropped, notes } = await applyModel(location, file, csvFromArgs(p));
  try {
    const w = unseenWarning(unseen);
    if (w) warn(w);
    for (const n of notes) warn(n);
    if (dropped.length) warn(`deltaflow: note: ${dropped.length} row${dropped.length === 1 ? '' : 's'} with missing values left out (--missing drop)`);
    const targetCol = locateTarget(table, { ...prep, header: prep.csv.header });
    if (targetCol < 0) {
      throw new CliError(`${file} has no target column "${prep.target}", which evaluate compares the predictions with (use 'deltaflow predict' for unlabelled rows); its columns are ${listColumns(table.columns)}`);
    }
    let indices: Int32Array | undefined;
    let values: Float64Array | undefined;
    if (prep.classes) indices = classIndices(table, targetCol, prep.classes, file);
    else {
      requireNumeric(table, targetCol, file, '; the regression target must be numeric');
      values = table.column(targetCol);
    }
    const y = encodeTargets(prep.encoding, indices, values, prep.classes?.length ?? 1);
    // A model saved without its training configuration is compiled from the stored loss.
    if (!model.optimizer) model.compile({ optimizer: 'adam', loss: prep.loss, metrics: prep.metrics });
    const logs = model.evaluate(x, y, { batchSize: (p.options['batch-size'] as number | undefined) ?? 32 });
    if (prep.task === 'regression' && prep.loss === 'mean_squared_error') logs.rmse = Math.sqrt(logs.loss);
    if (p.options.json) {
      print(JSON.stringify({ rows: table.rows, ...logs }));
      return;
    }
    print(`Evaluated ${location} on ${file} (${table.rows} rows): ${formatLogs(logs)}`);
    if (prep.classes && indices && prep.classes.length > MAX_CONFUSION_CLASSES) {
      print(`Confusion matrix: not shown for ${prep.classes.length} classes (at most ${MAX_CONFUSION_CLASSES})`);
    } else if (prep.classes && indices) {
      const predicted = predictedClasses(model.predict(x));
      const counts = df.plot.confusionCounts(Array.from(indices), Array.from(predicted), prep.classes.length);
      print('Confusion matrix (rows: true class, columns: predicted class):');
      for (const line of confusionTable(prep.classes, counts)) print(line);
    }
  } finally {
    model.dispose();
  }
}

function confusionTable(classes: string[], counts: number[][]): string[] {
  const labels = classes.map((c) => (c.length > 16 ? c.slice(0, 15) + '…' : c));
  let widest = 0;
  for (const l of labels) widest = Math.max(widest, l.length);
  let cell = 5;
  for (const row of counts) for (const n of row) cell = Math.max(cell, String(n).length);
  const w = Math.max(cell, widest) + 2;
  const first = widest + 2;
  const lines = [' '.repeat(first) + labels.map((l) => l.padStart(w)).join('')];
  counts.forEach((row, i) => lines.push(labels[i].padEnd(first) + row.map((n) => String(n).padStart(w)).join('')));
  return lines.map((l) => `  ${l}`);
}
