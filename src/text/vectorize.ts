// Bag-of-words rows from index sequences, Keras's sequences_to_matrix: one row per sequence, one
// column per index below the column count.

/** What each cell holds: 1 if present, the count, count / sequence length, or Keras's tf-idf (1 + ln count) · ln(1 + docs / (1 + docs with the word)). */
export type MatrixMode = 'binary' | 'count' | 'freq' | 'tfidf';

const MODES: readonly MatrixMode[] = ['binary', 'count', 'freq', 'tfidf'];

/** The [sequences.length, cols] matrix, row-major; indices ≥ cols are left out (but count in a 'freq' row's length, as in Keras). */
export function countMatrix(sequences: readonly number[][], cols: number, mode: MatrixMode, documentCount: number, indexDocs: ReadonlyMap<number, number>): Float32Array {
  if (!MODES.includes(mode)) throw new Error(`sequencesToMatrix: unknown mode ${JSON.stringify(mode)}; it is one of ${MODES.join(', ')}`);
  if (mode === 'tfidf' && documentCount === 0) throw new Error("sequencesToMatrix: mode 'tfidf' needs a fitted tokenizer (document counts); call fitOnTexts first");
  const out = new Float32Array(sequences.length * cols);
  sequences.forEach((seq, r) => {
    const counts = new Map<number, number>();
    for (const j of seq) {
      if (!Number.isInteger(j) || j < 0) throw new Error(`sequencesToMatrix: sequence ${r} holds ${j}, not a word index (a non-negative integer)`);
      if (j < cols) counts.set(j, (counts.get(j) ?? 0) + 1);
    }
    for (const [j, c] of counts) out[r * cols + j] = cell(mode, c, seq.length, documentCount, indexDocs.get(j) ?? 0);
  });
  return out;
}

function cell(mode: MatrixMode, count: number, length: number, documentCount: number, docs: number): number {
  switch (mode) {
    case 'binary':
      return 1;
    case 'count':
      return count;
    case 'freq':
      return count / length;
    case 'tfidf':
      return (1 + Math.log(count)) * Math.log(1 + documentCount / (1 + docs));
  }
}
