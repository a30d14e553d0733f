// deltaflow train --text end to end, in-process: a generated review corpus (seeded) trained and scored on
// held-out rows, raw text predicted (one-column files, commas, empty and unknown texts), the tokenizer
// fitted on the training rows only and stored with the model, every refused combination one clear line,
// and the book's sentiment_data.csv (2,000 sentences) when ../shared/datasets has it.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, expectError, inTempDir } from '../../helpers/cli.js';
import { rng } from '../../helpers/random.js';
import { file as datasetFile, has } from '../../books/helpers.js';

const tmp = inTempDir('deltaflow-text-');
const at = (...parts: string[]) => path.join(tmp.dir, ...parts);
const meta = (dir: string) => JSON.parse(readFileSync(at(dir, 'model.json'), 'utf8')).userDefinedMetadata.preprocessing;
const modelJson = (dir: string) => JSON.parse(readFileSync(at(dir, 'model.json'), 'utf8'));

const POS = ['great', 'wonderful', 'loved', 'excellent', 'fun', 'brilliant'];
const NEG = ['awful', 'boring', 'hated', 'terrible', 'dull', 'waste'];
const FILLER = ['the', 'movie', 'film', 'was', 'really', 'a', 'plot', 'actors', 'story', 'quite', 'and', 'it'];

/** A review of 2–8 words: filler plus one or two words of one sentiment; its label and word count. */
function review(r: () => number): { text: string; label: number; words: number } {
  const label = r() < 0.5 ? 1 : 0;
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const words = Array.from({ length: 1 + Math.floor(r() * 6) }, () => pick(FILLER));
  for (let k = 0; k < 1 + Math.floor(r() * 2); k++) words.splice(Math.floor(r() * (words.length + 1)), 0, pick(label ? POS : NEG));
  // Some punctuation and capitals, which the tokenizer drops and lowercases; a comma makes a quoted CSV field.
  let text = words.join(' ');
  if (r() < 0.3) text = text[0].toUpperCase() + text.slice(1) + '!';
  if (r() < 0.2) text = `"${text.replace(' ', ', ')}"`;
  return { text, label, words: words.length };
}

let trainLengths: number[] = [];

beforeAll(() => {
  const r = rng(2024);
  const rows = Array.from({ length: 400 }, () => review(r));
  // The first 320 rows train, the last 80 are held out (the generator is seeded: the split is too).
  const csv = (rs: typeof rows) => ['review,label', ...rs.map((x) => `${x.text},${x.label}`)].join('\n') + '\n';
  writeFileSync(at('reviews.csv'), csv(rows.slice(0, 320)));
  writeFileSync(at('held-out.csv'), csv(rows.slice(320)));
  trainLengths = rows.slice(0, 320).map((x) => x.words);
  writeFileSync(at('new.csv'), 'review\n"Great, loved it"\nawful boring waste of a film\n""\nzebra quagga\n');
  writeFileSync(at('with-id.csv'), ['id,review,stars,label', ...rows.slice(0, 40).map((x, i) => `${i},${x.text},${x.label ? 5 : 1},${x.label}`)].join('\n') + '\n');
  // A word only the last rows have: with --no-shuffle they are the validation rows, unseen by the tokenizer.
  const v = ['review,label', ...Array.from({ length: 30 }, (_, i) => `${i % 2 ? 'great fun' : 'awful dull'} movie,${i % 2}`), ...Array.from({ length: 10 }, (_, i) => `zebra ${i % 2 ? 'great' : 'awful'},${i % 2}`)];
  writeFileSync(at('split.csv'), v.join('\n') + '\n');
  const score = rows.slice(0, 200).map((x) => `${x.text},${(x.label ? 4 : 1) + x.words / 10}`);
  writeFileSync(at('scores.csv'), ['review,score', ...score].join('\n') + '\n');
  writeFileSync(at('some-empty.csv'), 'review,label\ngreat fun,1\n,0\nawful dull,0\n!!!,1\ngreat,1\nawful,0\n');
  writeFileSync(at('all-empty.csv'), 'review,label\n,1\n...,0\n!!,1\n');
});

describe('deltaflow train --text: Embedding → GlobalAveragePooling1D → Dense on a text column', () => {
  it('trains on the review corpus, prints the vocabulary and maxlen, and saves the tokenizer with the model', async () => {
    const r = await cli('train', 'reviews.csv', '--target', 'label', '--text', 'review', '--epochs', '40', '--seed', '3', '-q', '--save', 'text-model');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const sorted = [...trainLengths].sort((a, b) => a - b);
    const p95 = sorted[Math.ceil(0.95 * sorted.length) - 1];
    expect(r.stdout).toContain(`Text "review": ${POS.length + NEG.length + FILLER.length} distinct words in 320 training texts, all kept, unseen words → <OOV>; maxlen ${p95} (the 95th percentile of the training lengths; longest ${sorted.at(-1)}`);
    expect(r.stdout).toContain(`Model: ${p95} word indices → Embedding(26, 16) → GlobalAveragePooling1D → Dense(32, relu) → Dense(16, relu) → Dense(1, sigmoid)`);
    const m = meta('text-model');
    expect(m).toMatchObject({ format: 'deltaflow-cli/2', task: 'binary', features: [{ name: 'review', index: 0 }], inputs: ['review'], csv: { delimiter: ',' } });
    expect(m.text).toMatchObject({ maxlen: p95, padding: 'pre', truncating: 'pre' });
    expect(m.text.tokenizer.config).toMatchObject({ num_words: 10000, oov_token: '<OOV>', document_count: 320 });
    const layers = modelJson('text-model').modelTopology.config.layers.map((l: { class_name: string }) => l.class_name);
    expect(layers).toEqual(['Embedding', 'GlobalAveragePooling1D', 'Dense', 'Dense', 'Dense']);
  });

  it('evaluate scores the held-out rows from their raw text, well above chance', async () => {
    const r = await cli('evaluate', 'text-model', 'held-out.csv', '--json');
    expect(r.code, r.stderr).toBe(0);
    const logs = JSON.parse(r.stdout);
    expect(logs.rows).toBe(80);
    expect(logs.accuracy).toBeGreaterThanOrEqual(0.9);
    const text = await cli('evaluate', 'text-model', 'held-out.csv');
    expect(text.stdout).toMatch(/Confusion matrix/);
  });

  it('predict reads raw text from a one-column file (spaces are not delimiters), warns about empty and unknown texts', async () => {
    const r = await cli('predict', 'text-model', 'new.csv', '--keep', 'review');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('review,predicted_label,p_0,p_1');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(/^"Great, loved it",1,/);
    expect(lines[2]).toMatch(/^awful boring waste of a film,0,/);
    expect(lines[3]).toMatch(/^,[01],/);
    expect(lines[4]).toMatch(/^zebra quagga,[01],/);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'deltaflow: warning: --text "review": 1 row (line 4) holds no words (empty or punctuation only): the model sees only padding there',
      'deltaflow: warning: --text "review": 1 row (line 5) holds only words outside the vocabulary: the model sees only the OOV token there',
    ]);
  });

  it('summary shows the Embedding and the stored tokenizer', async () => {
    const r = await cli('summary', 'text-model');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/embedding \(Embedding\)/);
    expect(r.stdout).toMatch(/Text: column "review", tokenized \(lowercased, punctuation removed\): 24 words fitted on 320 training texts, indices 1 … 25 kept \(numWords 10000, 1 is <OOV>\); \d+ word indices per text, padding 'pre', truncating 'pre'/);
    expect(JSON.parse((await cli('summary', 'text-model', '--json')).stdout).text.maxlen).toBe(meta('text-model').text.maxlen);
  });

  it('with --validation-split the tokenizer is fitted on the training rows only; --vocab, --maxlen, --embedding-dim are used', async () => {
    const r = await cli('train', 'split.csv', '--target', 'label', '--text', 'review', '--validation-split', '0.25', '--no-shuffle', '--vocab', '5', '--maxlen', '3', '--embedding-dim', '4', '--epochs', '1', '-q', '--seed', '1', '--layers', 'none', '--save', 'split-model');
    expect(r.code, r.stderr).toBe(0);
    const config = meta('split-model').text.tokenizer.config;
    expect(config.document_count).toBe(30);
    expect(JSON.parse(config.word_index)).not.toHaveProperty('zebra');
    expect(r.stdout).toContain('Text "review": 5 distinct words in 30 training texts, the 3 most frequent kept (--vocab 5)');
    expect(r.stdout).toContain('Model: 3 word indices → Embedding(5, 4) → GlobalAveragePooling1D → Dense(1, sigmoid)');
    const embedding = modelJson('split-model').modelTopology.config.layers[0].config;
    expect(embedding).toMatchObject({ input_dim: 5, output_dim: 4 });
  });

  it('a numeric target makes a regression on the text; predict writes values', async () => {
    const r = await cli('train', 'scores.csv', '--target', 'score', '--text', 'review', '--epochs', '3', '-q', '--seed', '2', '--save', 'score-model');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Target "score": regression .* → output Dense\(1, linear\), loss mean_squared_error/);
    const p = await cli('predict', 'score-model', 'new.csv');
    expect(p.code, p.stderr).toBe(0);
    const rows = p.stdout.trimEnd().split('\n');
    expect(rows[0]).toBe('predicted_score');
    expect(rows.slice(1).map(Number).every(Number.isFinite)).toBe(true);
    expect(rows).toHaveLength(5);
  });

  it('an empty text cell is an empty text (trained on as padding, its line named); no words at all is refused', async () => {
    const r = await cli('train', 'some-empty.csv', '--target', 'label', '--text', 'review', '--epochs', '1', '-q', '--seed', '1');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('deltaflow: warning: --text "review": 2 rows (lines 3, 5) hold no words (empty or punctuation only): the model sees only padding there\n');
    expectError(await cli('train', 'all-empty.csv', '--target', 'label', '--text', 'review', '-q'), 1, /^deltaflow train: --text "review": the 3 training texts hold no words \(every one is empty or punctuation only\)$/);
  });
});

describe('deltaflow train --text: what is refused', () => {
  const train = (file: string, ...args: string[]) => cli('train', file, '--target', 'label', '--epochs', '1', '-q', ...args);

  it('a missing text column, the target as text, and a column given to both --text and --one-hot', async () => {
    expectError(await train('reviews.csv', '--text', 'comment'), 1, /^deltaflow train: --text: reviews\.csv has no column "comment"; its columns are "review", "label"$/);
    expectError(await train('reviews.csv', '--text', 'label'), 2, /^deltaflow train: --text names the target column "label"/);
    expectError(await train('reviews.csv', '--text', 'review', '--one-hot', 'review'), 2, /column "review" is given to both --text and --one-hot/);
  });

  it('other feature columns beside the text are refused, naming them and how to leave them out; with --drop it trains', async () => {
    expectError(await train('with-id.csv', '--text', 'review'), 2, /--text "review": the model reads the text column alone in this version, but columns "id", "stars" would be inputs too; leave them out with --drop id,stars \(or --features review\)$/);
    expectError(await train('with-id.csv', '--text', 'review', '--drop', 'review,id,stars'), 2, /--text column "review" is left out of the features by --features or --drop/);
    const r = await train('with-id.csv', '--text', 'review', '--drop', 'id,stars');
    expect(r.code, r.stderr).toBe(0);
    expect((await train('with-id.csv', '--text', '1', '--features', 'review')).code).toBe(0);
  });

  it('text options without --text, and scaling with it', async () => {
    expectError(await train('reviews.csv', '--vocab', '100'), 2, /option --vocab needs --text <column>/);
    expectError(await train('reviews.csv', '--embedding-dim', '8'), 2, /option --embedding-dim needs --text <column>/);
    expectError(await train('reviews.csv', '--text', 'review', '--standardize'), 2, /option --standardize scales numeric inputs; with --text the inputs are word indices/);
    expectError(await train('reviews.csv', '--text', 'review', '--vocab', '2'), 2, /option --vocab must be ≥ 3, got '2'/);
  });

  it('predict and evaluate on a file without the text column say which column is missing', async () => {
    writeFileSync(at('no-text.csv'), 'comment,label\ngreat,1\n');
    expectError(await cli('predict', 'text-model', 'no-text.csv'), 1, /no-text\.csv lacks column "review" that the model was trained on; its columns are "comment", "label"/);
    expectError(await cli('evaluate', 'text-model', 'no-text.csv'), 1, /lacks column "review"/);
  });

  it('a model without a text column is still saved as format 1; a text model whose maxlen disagrees with its input is damaged', async () => {
    writeFileSync(at('numbers.csv'), 'a,b,label\n1,2,0\n2,1,1\n3,3,0\n0,1,1\n');
    expect((await cli('train', 'numbers.csv', '--target', 'label', '--epochs', '1', '-q', '--save', 'numbers-model')).code).toBe(0);
    expect(meta('numbers-model').format).toBe('deltaflow-cli/1');
    expect((await cli('predict', 'numbers-model', 'numbers.csv')).code).toBe(0);
    const json = modelJson('text-model');
    json.userDefinedMetadata.preprocessing.text.maxlen += 1;
    writeFileSync(at('text-model', 'model.json'), JSON.stringify(json));
    expectError(await cli('predict', 'text-model', 'new.csv'), 1, /the model's stored preprocessing is damaged: text\.maxlen is \d+, but the model takes \d+ word indices$/);
    json.userDefinedMetadata.preprocessing.format = 'deltaflow-cli/1';
    json.userDefinedMetadata.preprocessing.text.maxlen -= 1;
    writeFileSync(at('text-model', 'model.json'), JSON.stringify(json));
    expectError(await cli('summary', 'text-model'), 1, /damaged: format deltaflow-cli\/1 has no text$/);
  });
});

describe.runIf(has('sentiment_data.csv'))("the book's sentiment_data.csv (2,000 sentences, 451 distinct)", () => {
  it('trains on a seeded split by distinct sentence and scores the unseen sentences well above chance', async () => {
    const lines = readFileSync(datasetFile('sentiment_data.csv'), 'utf8').split(/\r?\n/).filter(Boolean);
    const rows = lines.slice(1);
    // Held out by sentence, not by row: the file repeats sentences, and a repeat in both halves is no test.
    const sentences = [...new Set(rows.map((l) => l.slice(0, l.lastIndexOf(','))))];
    const r = rng(11);
    const test = new Set(sentences.filter(() => r() < 0.2));
    const pick = (inTest: boolean) => [lines[0], ...rows.filter((l) => test.has(l.slice(0, l.lastIndexOf(','))) === inTest)].join('\n') + '\n';
    writeFileSync(at('sentiment-train.csv'), pick(false));
    writeFileSync(at('sentiment-test.csv'), pick(true));
    const t = await cli('train', 'sentiment-train.csv', '--target', 'label', '--text', 'sentence', '--epochs', '10', '--seed', '5', '-q', '--save', 'sentiment');
    expect(t.code, t.stderr).toBe(0);
    const e = await cli('evaluate', 'sentiment', 'sentiment-test.csv', '--json');
    expect(e.code, e.stderr).toBe(0);
    const logs = JSON.parse(e.stdout);
    expect(logs.rows).toBeGreaterThan(200);
    expect(logs.accuracy).toBeGreaterThanOrEqual(0.85);
  });
});
