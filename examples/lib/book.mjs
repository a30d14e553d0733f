// Shared by the textbook examples: where the book's data files are, the book's Dense stacks, and the
// "book vs deltaflow" report that each example prints (and that run-all.mjs collects).
import { appendFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as df from 'deltaflow';

/**
 * The book's data files (see its README): ../shared/datasets/ next to the repository, or the folder
 * in DELTAFLOW_DATASETS. They are not part of this repository.
 */
export const DATASETS = process.env.DELTAFLOW_DATASETS
  ? new URL(`file://${process.env.DELTAFLOW_DATASETS.replace(/\/?$/, '/')}`)
  : new URL('../../../shared/datasets/', import.meta.url);

/** The path of a book data file, or undefined when it is not there. */
export function datasetPath(name) {
  const path = fileURLToPath(new URL(name, DATASETS));
  return existsSync(path) ? path : undefined;
}

/** The path of a book data file; when it is absent, says so and ends the example (exit code 0). */
export function requireDataset(name, example) {
  const path = datasetPath(name);
  if (path) return path;
  console.log(`${example}: skipped — the book's ${name} is not in ${fileURLToPath(DATASETS)} (it is not part of this repository)`);
  record({ example, skipped: true });
  process.exit(0);
}

/**
 * A Keras-style Sequential of Dense layers: `stack(7, 8, [12, 'relu'], [8, 'relu'], [1, 'sigmoid'])`.
 * Dense defaults as in Keras: glorot_uniform kernels, zero biases.
 */
export function stack(seed, inputs, ...layers) {
  return df.sequential({
    seed,
    layers: layers.map(([units, activation], i) => df.layers.dense({ units, activation, ...(i === 0 ? { inputShape: [inputs] } : {}) })),
  });
}

/** "8 → 12 relu → 8 relu → 1 sigmoid". */
export function describe(inputs, ...layers) {
  return [String(inputs), ...layers.map(([u, a]) => `${u} ${a ?? 'linear'}`)].join(' → ');
}

export function title(text) {
  console.log(`\n${text}`);
  console.log('─'.repeat(Math.min(100, text.length)));
}

/** Milliseconds since `t0`, as "1.23 s". */
export function seconds(t0) {
  return `${((performance.now() - t0) / 1000).toFixed(2)} s`;
}

/**
 * Prints the book's figure beside deltaflow's, and records it for run-all.mjs.
 * `book`: the number the book reports (or null), `bookText`: how to show it (e.g. '0.7253 / Colab 0.7708').
 */
export function compare({ example, measure, book, bookText, deltaflow, digits = 4, note }) {
  const show = (v) => (typeof v === 'number' ? (Math.abs(v) >= 1e5 ? v.toExponential(3) : v.toFixed(digits)) : String(v));
  const b = bookText ?? (book === null || book === undefined ? '—' : show(book));
  console.log(`  ${measure.padEnd(34)} book ${b.padEnd(24)} deltaflow ${show(deltaflow)}${note ? `   (${note})` : ''}`);
  record({ example, measure, book: b, deltaflow: show(deltaflow) });
}

function record(row) {
  const file = process.env.DELTAFLOW_EXAMPLES_RESULTS;
  if (file) appendFileSync(file, JSON.stringify(row) + '\n');
}

/** Accuracy of one sigmoid output (threshold 0.5) or of the arg-max of a softmax, against class indices. */
export function accuracy(model, x, labels) {
  const p = model.predict(x);
  const [rows, units] = p.shape;
  const v = p.dataSync();
  let right = 0;
  for (let r = 0; r < rows; r++) {
    let cls;
    if (units === 1) cls = v[r] >= 0.5 ? 1 : 0;
    else {
      cls = 0;
      for (let c = 1; c < units; c++) if (v[r * units + c] > v[r * units + cls]) cls = c;
    }
    if (cls === labels[r]) right++;
  }
  return right / rows;
}

export { df };
