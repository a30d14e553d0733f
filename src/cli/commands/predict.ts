// deltaflow predict model/ data.csv > predictions.csv: raw CSV rows in, the stored preprocessing
// applied, one CSV row out per input row: the predicted class and each class's probability for a
// classifier, the predicted value for a regression.
import type { CommandSpec, Parsed } from '../args.js';
import { resolveColumn, cellTexts } from '../dataset.js';
import { writeFileAtomic } from '../files.js';
import { applyModel, droppedWarning, predictedClasses, unseenWarning } from './apply.js';
import { CSV_OPTIONS, csvFromArgs, type Print } from './common.js';

export const predictSpec: CommandSpec = {
  name: 'predict',
  summary: 'Predict every row of a CSV file with a saved model; writes CSV (to stdout unless --out).',
  positionals: [
    { name: 'model', help: "the folder 'deltaflow train --save' wrote (or its model.json)" },
    { name: 'data.csv', help: 'rows with the feature columns (the target column may be absent)' },
  ],
  options: [
    { name: 'out', short: 'o', kind: 'string', value: '<file>', help: 'write the predictions to this file instead of stdout' },
    { name: 'keep', kind: 'list', value: '<cols>', help: 'copy these input columns (an ID, the true label) in front of the predictions' },
    { name: 'probabilities', kind: 'boolean', help: 'for a classifier, add a p_<class> column per class', default: 'on' },
    { name: 'digits', kind: 'integer', value: '<n>', min: 1, max: 17, help: 'significant digits of the numbers written', default: '6' },
    ...CSV_OPTIONS,
  ],
  notes: [
    'Output columns: predicted_<target>, the predicted class (classifiers) or value (regression), then',
    'p_<class>, the probability of each class. Features are found by name, or by position in a headerless file.',
    'A model trained with --text reads the raw text of its text column, tokenized and padded as in training.',
  ],
  examples: [
    'deltaflow predict pima-model/ new-patients.csv > predictions.csv',
    'deltaflow predict iris-model/ iris.csv --keep species -o predictions.csv',
    'deltaflow predict review-model/ new-reviews.csv --keep review',
  ],
};

export async function predict(p: Parsed, write: (text: string) => void, warn: Print): Promise<void> {
  const [location, file] = p.positionals;
  const { model, prep, table, x, unseen, dropped, notes } = await applyModel(location, file, csvFromArgs(p));
  try {
    for (const w of [unseenWarning(unseen), droppedWarning(dropped), ...notes]) if (w) warn(w);
    const keep = ((p.options.keep as string[] | undefined) ?? []).map((r) => resolveColumn(table, r, file, '--keep'));
    const digits = (p.options.digits as number | undefined) ?? 6;
    const num = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(digits))) : String(v));
    const probs = model.predict(x);
    const out = probs.dataSync();
    const units = probs.shape[1];
    const rows = table.rows;
    const header = [...keep.map((c) => table.columns[c]), `predicted_${prep.target}`];
    const withProbs = prep.classes !== undefined && p.options.probabilities !== false;
    if (withProbs) for (const c of prep.classes!) header.push(`p_${c}`);
    const kept = keep.map((c) => cellTexts(table, c));
    const lines = [header.map(csvField).join(',')];
    const classes = prep.classes ? predictedClasses(probs) : undefined;
    for (let r = 0; r < rows; r++) {
      const cells = kept.map((k) => csvField(k[r]));
      if (classes) {
        cells.push(csvField(prep.classes![classes[r]]));
        if (withProbs) {
          if (units === 1) cells.push(num(1 - out[r]), num(out[r]));
          else for (let c = 0; c < units; c++) cells.push(num(out[r * units + c]));
        }
      } else {
        cells.push(num(out[r]));
      }
      lines.push(cells.join(','));
    }
    const text = lines.join('\n') + '\n';
    const dest = p.options.out as string | undefined;
    if (dest === undefined) write(text);
    else {
      await writeFileAtomic(dest, text, '--out');
      warn(`Wrote ${rows} predictions to ${dest}`);
    }
  } finally {
    model.dispose();
  }
}

/** A CSV field, quoted when it holds a comma, a quote or a line break. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
