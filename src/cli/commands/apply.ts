// What evaluate and predict share: load a saved model with its preprocessing, read a CSV file the
// way the training file was read, and turn its rows into the model's (scaled) inputs, or a text
// column into padded word indices with the stored tokenizer.
import * as df from '../../entries/node.js';
import { cellTexts, featureMatrix, hasHeader, locateFeatures, readTable, type CsvSettings } from '../dataset.js';
import { CliError } from '../errors.js';
import { csvFor, loadModel, requirePreprocessing, type Preprocessing } from '../metadata.js';
import { storedTokenizer, textMatrix, textWarnings } from '../text.js';

export interface Applied {
  model: df.Sequential;
  prep: Preprocessing;
  table: df.data.Table;
  x: df.data.Shaped;
  /** Cells of one-hot columns whose text the model never saw: column → texts. */
  unseen: Map<string, Set<string>>;
  /** With --missing drop: the lines of the rows left out (as far as line numbers show). */
  dropped: number[];
  /** Warnings about the rows' texts (a text model): rows with no words, or only words the model never saw. */
  notes: string[];
}

export async function applyModel(location: string, file: string, cli: Partial<CsvSettings>): Promise<Applied> {
  await df.ready();
  const model = await loadModel(location);
  try {
    const prep = requirePreprocessing(model, location);
    const csv = csvFor(prep, cli);
    const text = prep.text ? (prep.csv.header ? prep.features[0].name : String(prep.features[0].index)) : undefined;
    const table = await readTable(file, csv, text);
    const dropped: number[] = [];
    if (csv.missing === 'drop') {
      let next = hasHeader(table) ? 2 : 1;
      for (const line of table.lines) {
        for (; next < line; next++) dropped.push(next);
        next = line + 1;
      }
    }
    const cols = locateFeatures(table, { ...prep, header: prep.csv.header }, file);
    if (prep.text) {
      const tokenizer = storedTokenizer(prep.text, (what) => new CliError(`the model's stored preprocessing is damaged: ${what}`));
      const { x, empty, unknown } = textMatrix(tokenizer, prep.text, cellTexts(table, cols[0]));
      return { model, prep, table, x, unseen: new Map(), dropped, notes: textWarnings(table.columns[cols[0]], empty, unknown, table.lines) };
    }
    const { x, unseen } = featureMatrix(table, prep.features, cols, file);
    if (x.shape[1] !== prep.inputs.length) throw new CliError(`${file} gives ${x.shape[1]} inputs but the model takes ${prep.inputs.length}`);
    const scaled = prep.scaler ? df.data.scalerFromJSON(prep.scaler).transform(x) : x;
    return { model, prep, table, x: scaled, unseen, dropped, notes: [] };
  } catch (e) {
    model.dispose();
    throw e;
  }
}

/** One stderr line about category texts the model never saw (their one-hot inputs are all 0). */
export function unseenWarning(unseen: Map<string, Set<string>>): string | undefined {
  if (unseen.size === 0) return undefined;
  const parts = [...unseen].map(([col, texts]) => `"${col}": ${[...texts].slice(0, 5).map((t) => JSON.stringify(t)).join(', ')}${texts.size > 5 ? ', …' : ''}`);
  return `deltaflow: warning: values not seen in training (encoded as all zeros): ${parts.join('; ')}`;
}

/** The class of each row: p ≥ 0.5 for one sigmoid output, else the most probable class. */
export function predictedClasses(probs: df.Tensor): Int32Array {
  const [rows, units] = probs.shape as [number, number];
  const p = probs.dataSync();
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    if (units === 1) out[r] = p[r] >= 0.5 ? 1 : 0;
    else {
      let best = 0;
      for (let c = 1; c < units; c++) if (p[r * units + c] > p[r * units + best]) best = c;
      out[r] = best;
    }
  }
  return out;
}

/** One stderr line about rows --missing drop left out, so predictions no longer line up with the file. */
export function droppedWarning(dropped: number[]): string | undefined {
  if (dropped.length === 0) return undefined;
  const shown = dropped.slice(0, 8).join(', ') + (dropped.length > 8 ? ', …' : '');
  return `deltaflow: warning: ${dropped.length} row${dropped.length === 1 ? '' : 's'} with missing values left out (--missing drop; line${dropped.length === 1 ? '' : 's'} ${shown}); use --keep <id column> to match predictions to rows`;
}
