// deltaflow summary model/: the layer table, and what the model predicts from which columns.
import type { CommandSpec, Parsed } from '../args.js';
import { listTexts } from '../dataset.js';
import { loadModel, readPreprocessing } from '../metadata.js';
import * as df from '../../entries/node.js';
import { formatLogs, type Print } from './common.js';

export const summarySpec: CommandSpec = {
  name: 'summary',
  summary: "Print a saved model's layers and parameter counts, its task, inputs and preprocessing.",
  positionals: [{ name: 'model', help: "the folder 'deltaflow train --save' wrote (or its model.json)" }],
  options: [{ name: 'json', kind: 'boolean', help: 'print the stored preprocessing as JSON' }],
  examples: ['deltaflow summary pima-model/', 'deltaflow summary review-model/ --json'],
};

export async function summary(p: Parsed, print: Print): Promise<void> {
  const [location] = p.positionals;
  await df.ready();
  const model = await loadModel(location);
  try {
    const prep = readPreprocessing(model);
    if (p.options.json) {
      print(JSON.stringify(prep ?? null, null, 2));
      return;
    }
    model.summary(print);
    if (model.optimizer) {
      print(`Optimizer state: ${model.optimizer.name} (learning rate ${model.optimizer.learningRate as number}), ${model.optimizer.iterations} steps taken`);
    }
    if (!prep) {
      print('No preprocessing is stored with this model (it was not saved by deltaflow train).');
      return;
    }
    const kind = prep.task === 'binary' ? 'binary classification' : prep.task === 'multiclass' ? 'multi-class classification' : 'regression';
    print(`Task: ${kind} of "${prep.target}"${prep.classes ? `, classes ${listTexts(prep.classes, 20)}` : ''}`);
    print(`Output: ${prep.output}; loss ${prep.loss}; metrics ${prep.metrics.join(', ')}`);
    if (prep.text) {
      const t = df.text.tokenizerFromJSON(prep.text.tokenizer);
      const kept = t.numWords === null ? t.wordIndex.size : Math.min(t.numWords - 1, t.wordIndex.size);
      print(`Text: column "${prep.features[0].name}", tokenized (lowercased, punctuation removed): ${t.wordIndex.size - 1} words fitted on ${t.documentCount} training texts, indices 1 … ${kept} kept (numWords ${t.numWords ?? 'all'}, 1 is ${t.oovToken}); ${prep.text.maxlen} word indices per text, padding '${prep.text.padding}', truncating '${prep.text.truncating}'`);
    } else {
      const feats = prep.features.map((f) => (f.categories ? `${f.name} (one-hot: ${f.categories.join(', ')})` : f.name));
      print(`Features (${prep.inputs.length} inputs): ${feats.join(', ')}`);
    }
    if (prep.scaler) {
      const s = prep.scaler;
      print(`Scaling: ${s.type === 'standardize' ? 'standardize (per-input mean and standard deviation)' : `min-max to [${s.range.join(', ')}]`}, fitted on the training rows`);
    } else print('Scaling: none');
    print(`CSV: delimiter ${JSON.stringify(prep.csv.delimiter)}, ${prep.csv.header ? 'with a header' : 'no header'}, missing cells: ${prep.csv.missing}${prep.csv.encoding ? `, encoding ${prep.csv.encoding}` : ''}`);
    const t = prep.training;
    if (t) {
      print(`Trained on ${t.file} (${t.rows} rows${t.validationRows ? `, ${t.validationRows} held out for validation` : ''}) on ${t.date.slice(0, 10)}: ${t.epochs} epochs, batch ${t.batchSize}, ${t.optimizer} (learning rate ${t.learningRate}), seed ${t.seed}`);
      if (t.final && Object.keys(t.final).length) print(`Final: ${formatLogs(t.final)}`);
    }
  } finally {
    model.dispose();
  }
}
