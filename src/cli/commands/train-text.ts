// deltaflow train --text <column>: the checks of the text options and columns, the tokenizer fitted on
// the training rows, the padded index matrix, and the Embedding → GlobalAveragePooling1D in front.
import * as df from '../../entries/node.js';
import type { OptionValue } from '../args.js';
import { cellTexts, listColumns, resolveColumn } from '../dataset.js';
import { UsageError } from '../errors.js';
import { DEFAULT_EMBEDDING_DIM, DEFAULT_VOCAB, MAX_DEFAULT_MAXLEN, OOV_TOKEN, defaultMaxlen, embeddingInputDim, fitTokenizer, textMatrix, textWarnings, type TextSpec } from '../text.js';
import type { Print } from './common.js';

type Options = Record<string, OptionValue | undefined>;

/** The options that only mean something with --text are refused without it; scaling is refused with it. */
export function checkTextOptions(o: Options): void {
  if (o.text === undefined) {
    for (const name of ['vocab', 'maxlen', 'embedding-dim']) if (o[name] !== undefined) throw new UsageError(`option --${name} needs --text <column> (it shapes the text column's encoding)`);
    return;
  }
  for (const name of ['standardize', 'min-max']) {
    if (o[name]) throw new UsageError(`option --${name} scales numeric inputs; with --text the inputs are word indices, which are not scaled`);
  }
}

/**
 * The feature columns with --text: the text column alone. It may not be the target or a one-hot column,
 * and other feature columns are refused (the model has one input), naming them and how to leave them out.
 */
export function textColumnFeatures(table: df.data.Table, file: string, textCol: number, targetCol: number, featureCols: readonly number[], o: Options): number[] {
  const name = table.columns[textCol];
  if (textCol === targetCol) throw new UsageError(`--text names the target column "${name}"; the text is what the model reads, the target what it predicts`);
  const oneHot = ((o['one-hot'] as string[] | undefined) ?? []).map((r) => resolveColumn(table, r, file, '--one-hot'));
  if (oneHot.includes(textCol)) throw new UsageError(`column "${name}" is given to both --text and --one-hot: a column is either free text split into words (--text) or a few categories (--one-hot)`);
  if (!featureCols.includes(textCol)) throw new UsageError(`--text column "${name}" is left out of the features by --features or --drop`);
  const others = featureCols.filter((c) => c !== textCol).map((c) => table.columns[c]);
  if (others.length) {
    throw new UsageError(`--text "${name}": the model reads the text column alone in this version, but ${others.length === 1 ? 'column' : 'columns'} ${listColumns(others)} would be inputs too; leave them out with --drop ${others.join(',')} (or --features ${name})`);
  }
  return [textCol];
}

/** What textInputs gives: the [rows, maxlen] indices of every row, and what the model stores and builds. */
export interface TextInputs {
  x: df.data.Shaped2D;
  spec: TextSpec & { inputDim: number; embeddingDim: number };
}

/** The tokenizer fitted on the training rows (all rows without a validation split), every row's padded indices, printed and warned about. */
export function textInputs(table: df.data.Table, textCol: number, trainIdx: readonly number[] | undefined, o: Options, print: Print, warn: Print): TextInputs {
  const name = table.columns[textCol];
  const texts = cellTexts(table, textCol);
  const fitted = trainIdx ? trainIdx.map((r) => texts[r]) : texts;
  const tokenizer = fitTokenizer(fitted, (o.vocab as number | undefined) ?? DEFAULT_VOCAB, name);
  const lengths = tokenizer.textsToSequences(fitted).map((s) => s.length);
  const maxlen = (o.maxlen as number | undefined) ?? defaultMaxlen(lengths);
  const cut = lengths.filter((n) => n > maxlen).length;
  const inputDim = embeddingInputDim(tokenizer);
  const words = tokenizer.wordIndex.size - 1;
  const how = o.maxlen !== undefined ? '--maxlen' : `the 95th percentile of the training lengths${Math.max(...lengths) > MAX_DEFAULT_MAXLEN ? `, at most ${MAX_DEFAULT_MAXLEN}` : ''}`;
  const kept = inputDim - 2;
  const vocab = kept < words ? `the ${kept} most frequent kept (--vocab ${tokenizer.numWords}), the others and unseen words → ${OOV_TOKEN}` : `all kept, unseen words → ${OOV_TOKEN}`;
  print(`Text "${name}": ${words} distinct word${words === 1 ? '' : 's'} in ${fitted.length} training texts, ${vocab}; maxlen ${maxlen} (${how}; longest ${Math.max(...lengths)}${cut ? `, ${cut} cut to their last ${maxlen} words` : ''}), padded with 0 in front`);
  const spec = { tokenizer: tokenizer.toJSON(), maxlen, padding: 'pre' as const, truncating: 'pre' as const };
  const { x, empty, unknown } = textMatrix(tokenizer, spec, texts);
  for (const w of textWarnings(name, empty, unknown, table.lines)) warn(w);
  return { x, spec: { ...spec, inputDim, embeddingDim: (o['embedding-dim'] as number | undefined) ?? DEFAULT_EMBEDDING_DIM } };
}

/** Embedding(inputDim, embeddingDim) over maxlen indices, averaged over the words (maskZero: not over the padding): the layers in front of the Dense ones. */
export function textLayers(text: TextInputs['spec']): df.Layer[] {
  return [df.layers.embedding({ inputDim: text.inputDim, outputDim: text.embeddingDim, maskZero: true, inputShape: [text.maxlen] }), df.layers.globalAveragePooling1d()];
}
