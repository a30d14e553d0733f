// df.text: Keras's text preprocessing — a Tokenizer that turns texts into word-index sequences, and
// padSequences, which makes them one [texts, maxlen] tensor for an Embedding layer.

export { Tokenizer, tokenizer, tokenizerFromJSON, type TokenizerOptions, type TextInput } from './tokenizer.js';
export { textToWordSequence, DEFAULT_FILTERS, type WordOptions } from './words.js';
export { padSequences, type PadOptions } from './pad.js';
export type { MatrixMode } from './vectorize.js';
export type { TokenizerJSON, TokenizerConfigJSON } from './tokenizer-json.js';
