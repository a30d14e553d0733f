// Sentiment of short reviews (book ch. "자연어 처리", "영화 리뷰가 긍정적인지 부정적인지 예측하기"): the
// book's ten Korean reviews (5 positive, 5 negative) through Keras's Tokenizer and pad_sequences (maxlen 4,
// zeros in front), then Embedding(words + 1, 8) → Flatten → Dense(1, sigmoid), adam, binary
// crossentropy, 20 epochs, scored on the same ten reviews as the book does. Then the same network on
// sentiment_data.csv (2,000 English sentences) with a seeded, stratified 80/20 split: the tokenizer is
// fitted on the training sentences only. That file repeats its sentences (451 distinct), so the held-out
// accuracy is also given for the test sentences that never occur in training.
import { fileURLToPath } from 'node:url';
import { DATASETS, compare, datasetPath, df, seconds, title } from './lib/book.mjs';

await df.ready();
const EXAMPLE = 'Sentiment';

/** Embedding(inputDim, 8) over maxlen indices → Flatten → Dense(1, sigmoid), compiled as the book does. */
function model(seed, inputDim, maxlen) {
  const m = df.sequential({
    seed,
    layers: [df.layers.embedding({ inputDim, outputDim: 8, inputLength: maxlen }), df.layers.flatten(), df.layers.dense({ units: 1, activation: 'sigmoid' })],
  });
  m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return m;
}

// The book's ten reviews.
{
  const docs = ['너무 재밌네요', '최고예요', '참 잘 만든 영화예요', '추천하고 싶은 영화입니다', '한번 더 보고싶네요', '글쎄요', '별로예요', '생각보다 지루하네요', '연기가 어색해요', '재미없어요'];
  const classes = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
  title(`${EXAMPLE}: the book's 10 reviews, Tokenizer → padSequences(maxlen 4) → Embedding(21, 8) → Flatten → Dense(1, sigmoid)`);
  const token = df.text.tokenizer().fitOnTexts(docs);
  console.log(`  word index: ${[...token.wordIndex].map(([w, i]) => `${w} ${i}`).join(', ')}`);
  const x = token.textsToSequences(docs);
  const padded = df.text.padSequences(x, { maxlen: 4 });
  console.log(`  padded: ${padded.arraySync().map((r) => `[${r.join(' ')}]`).join(' ')}`);
  const wordSize = token.wordIndex.size + 1;
  const m = model(1, wordSize, 4);
  const t0 = performance.now();
  await m.fit(padded, classes.map((c) => [c]), { epochs: 20, verbose: 0 });
  const p = m.predict(padded).dataSync();
  console.log(`  p(positive): ${docs.map((d, i) => `${d} ${p[i].toFixed(3)}`).join(', ')}; ${seconds(t0)}`);
  compare({ example: EXAMPLE, measure: '10 reviews: training accuracy', book: null, deltaflow: m.evaluate(padded, classes.map((c) => [c])).accuracy, note: 'the book prints its run' });
  m.dispose();
}

// sentiment_data.csv: the same network on 2,000 sentences, held-out accuracy.
{
  const file = datasetPath('sentiment_data.csv');
  if (!file) {
    console.log(`${EXAMPLE} (sentiment_data.csv): skipped — the book's sentiment_data.csv is not in ${fileURLToPath(DATASETS)} (it is not part of this repository)`);
    compare({ example: `${EXAMPLE} (sentiment_data.csv)`, measure: 'skipped: data file absent', book: null, deltaflow: '—' });
  } else {
    const table = await df.data.readCsvFile(file);
    const sentences = Array.from(table.column('sentence'), (c) => table.categories('sentence')[c]);
    const labels = Array.from(table.column('label'));
    const rows = sentences.length;
    title(`${EXAMPLE}: sentiment_data.csv (${rows} sentences), 80/20 split, tokenizer fitted on the training sentences`);
    const t0 = performance.now();
    const { trainIndices, testIndices } = df.data.trainTestSplit(labels.map((v) => [v]), labels.map((v) => [v]), { testSize: 0.2, seed: 0, stratify: labels });
    const token = df.text.tokenizer({ oovToken: '<OOV>' }).fitOnTexts(trainIndices.map((r) => sentences[r]));
    const sequences = token.textsToSequences(sentences);
    const maxlen = Math.max(...trainIndices.map((r) => sequences[r].length));
    const x = df.data.take(df.text.padSequences(sequences, { maxlen }), trainIndices);
    const xTest = df.data.take(df.text.padSequences(sequences, { maxlen }), testIndices);
    const y = trainIndices.map((r) => [labels[r]]);
    const yTest = testIndices.map((r) => [labels[r]]);
    console.log(`  ${trainIndices.length} training sentences (${token.wordIndex.size - 1} words, maxlen ${maxlen}), ${testIndices.length} test sentences`);
    const m = model(2, token.wordIndex.size + 1, maxlen);
    await m.fit(x, y, { epochs: 20, verbose: 0 });
    const seen = new Set(trainIndices.map((r) => sentences[r]));
    const unseen = testIndices.map((r, i) => [r, i]).filter(([r]) => !seen.has(sentences[r])).map(([, i]) => i);
    const test = m.evaluate(xTest, yTest).accuracy;
    const fresh = unseen.length ? m.evaluate(df.data.take(xTest, unseen), unseen.map((i) => yTest[i])).accuracy : NaN;
    console.log(`  training accuracy ${m.evaluate(x, y).accuracy.toFixed(4)}; ${unseen.length} of the test sentences never occur in training (accuracy ${fresh.toFixed(4)}); ${seconds(t0)}`);
    compare({ example: `${EXAMPLE} (sentiment_data.csv)`, measure: 'held-out accuracy (20%)', book: null, deltaflow: test, note: 'the book reports no model for this file' });
    m.dispose();
  }
}
