// The tokenizer in Keras's to_json() format, both ways, so a vocabulary fitted in Python tokenizes the
// same texts here and one fitted here loads with Keras's tokenizer_from_json. Keras stores each table
// as a JSON string inside the JSON; they are written and read here key by key, keeping their order
// (JSON.parse would move keys that look like integers, such as the word "2024", to the front).

/** The mutable tables behind a Tokenizer. */
export interface TokenizerState {
  wordCounts: Map<string, number>;
  wordDocs: Map<string, number>;
  indexDocs: Map<number, number>;
  wordIndex: Map<string, number>;
  indexWord: Map<number, string>;
  documentCount: number;
}

/** Keras's `Tokenizer.get_config()`: the options, and each table as a JSON string. */
export interface TokenizerConfigJSON {
  /** numWords, or null. */
  num_words: number | null;
  /** The filter characters. */
  filters: string;
  /** Whether texts are lowercased. */
  lower: boolean;
  /** The word separator. */
  split: string;
  /** Whether every character is a token. */
  char_level: boolean;
  /** The OOV token, or null. */
  oov_token: string | null;
  /** How many texts were fitted. */
  document_count: number;
  /** JSON of word → count, first-appearance order. */
  word_counts: string;
  /** JSON of word → number of texts holding it. */
  word_docs: string;
  /** JSON of index → number of texts holding its word. */
  index_docs: string;
  /** JSON of index → word. */
  index_word: string;
  /** JSON of word → index. */
  word_index: string;
}

/** Keras's `tokenizer.to_json()`, parsed. */
export interface TokenizerJSON {
  /** Always 'Tokenizer'. */
  class_name: 'Tokenizer';
  /** The options and the tables. */
  config: TokenizerConfigJSON;
}

/** The options a tokenizer is rebuilt with. */
export interface TokenizerJSONOptions {
  numWords: number | null;
  filters: string;
  lower: boolean;
  split: string;
  charLevel: boolean;
  oovToken: string | null;
}

/** The Keras object for a tokenizer with these options and tables. */
export function writeKerasJSON(o: TokenizerJSONOptions, s: TokenizerState): TokenizerJSON {
  return {
    class_name: 'Tokenizer',
    config: {
      num_words: o.numWords,
      filters: o.filters,
      lower: o.lower,
      split: o.split,
      char_level: o.charLevel,
      oov_token: o.oovToken,
      document_count: s.documentCount,
      word_counts: orderedObject(s.wordCounts),
      word_docs: orderedObject(s.wordDocs),
      index_docs: orderedObject(s.indexDocs),
      index_word: orderedObject(s.indexWord),
      word_index: orderedObject(s.wordIndex),
    },
  };
}

/** The options and tables of a Keras tokenizer JSON (a string or its parsed object), every field checked. */
export function readKerasJSON(json: unknown): { options: TokenizerJSONOptions; state: TokenizerState } {
  let parsed = json;
  if (typeof json === 'string') {
    try {
      parsed = JSON.parse(json);
    } catch (e) {
      throw new Error(`Tokenizer.fromJSON: the string is not JSON (${(e as Error).message})`);
    }
  }
  const root = parsed as Partial<TokenizerJSON> | null;
  if (root === null || typeof root !== 'object' || root.class_name !== 'Tokenizer' || root.config === null || typeof root.config !== 'object') {
    throw new Error("Tokenizer.fromJSON: expected Keras's tokenizer JSON, { class_name: 'Tokenizer', config: { word_index, … } }");
  }
  const c = root.config as unknown as Record<string, unknown>;
  const field = <T>(name: string, ok: (v: unknown) => boolean, what: string): T => {
    if (!ok(c[name])) throw new Error(`Tokenizer.fromJSON: config.${name} must be ${what}, got ${JSON.stringify(c[name]) ?? 'nothing'}`);
    return c[name] as T;
  };
  const isString = (v: unknown) => typeof v === 'string';
  const isCount = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
  if ('analyzer' in c && c.analyzer != null) throw new Error('Tokenizer.fromJSON: config.analyzer is a Python function; deltaflow cannot load it (split the texts yourself and pass token arrays)');
  const options: TokenizerJSONOptions = {
    numWords: field<number | null>('num_words', (v) => v === null || v === undefined || Number.isInteger(v), 'an integer or null') ?? null,
    filters: field('filters', isString, 'a string'),
    lower: field('lower', (v) => typeof v === 'boolean', 'true or false'),
    split: field('split', isString, 'a string'),
    charLevel: field('char_level', (v) => typeof v === 'boolean', 'true or false'),
    oovToken: field<string | null>('oov_token', (v) => v === null || v === undefined || isString(v), 'a string or null') ?? null,
  };
  const table = (name: string) => readOrderedObject(field(name, isString, 'a JSON string'), name);
  const counts = (name: string) => new Map(table(name).map(([k, v]) => [k, checked<number>(v, isCount, name, k, 'a count')]));
  const byIndex = (name: string) => table(name).map(([k, v]) => [checked<number>(Number(k), (i) => Number.isInteger(i) && (i as number) >= 0, name, k, 'an index key'), v] as const);
  const state: TokenizerState = {
    documentCount: field('document_count', isCount, 'a non-negative integer'),
    wordCounts: counts('word_counts'),
    wordDocs: counts('word_docs'),
    indexDocs: new Map(byIndex('index_docs').map(([i, v]) => [i, checked<number>(v, isCount, 'index_docs', String(i), 'a count')])),
    indexWord: new Map(byIndex('index_word').map(([i, v]) => [i, checked<string>(v, isString, 'index_word', String(i), 'a word')])),
    wordIndex: new Map(table('word_index').map(([k, v]) => [k, checked<number>(v, (i) => Number.isInteger(i) && (i as number) >= 1, 'word_index', k, 'an index ≥ 1')])),
  };
  return { options, state };
}

function checked<T>(v: unknown, ok: (v: unknown) => boolean, table: string, key: string, what: string): T {
  if (!ok(v)) throw new Error(`Tokenizer.fromJSON: config.${table}[${JSON.stringify(key)}] must be ${what}, got ${JSON.stringify(v)}`);
  return v as T;
}

/** A flat map as a JSON object in its own key order, with Python json.dumps's separators. */
export function orderedObject(map: ReadonlyMap<string | number, string | number>): string {
  return `{${[...map].map(([k, v]) => `${JSON.stringify(String(k))}: ${JSON.stringify(v)}`).join(', ')}}`;
}

// One `"key": value` pair of a flat object: the value a JSON string or number; then a comma or the brace.
const PAIR = /\s*("(?:[^"\\]|\\.)*")\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*([,}])/y;

/** The [key, value] pairs of a flat JSON object (string keys, string or number values) in written order. */
export function readOrderedObject(text: string, name: string): [string, unknown][] {
  const start = /^\s*\{\s*/.exec(text);
  if (!start) throw new Error(`Tokenizer.fromJSON: config.${name} must be a JSON object, got ${JSON.stringify(text.slice(0, 40))}`);
  const out: [string, unknown][] = [];
  let at = start[0].length;
  if (text[at] === '}') at++;
  else {
    for (;;) {
      PAIR.lastIndex = at;
      const m = PAIR.exec(text);
      if (!m) throw new Error(`Tokenizer.fromJSON: config.${name} is not a flat JSON object of words and numbers at character ${at}: ${JSON.stringify(text.slice(at, at + 40))}`);
      out.push([JSON.parse(m[1]) as string, JSON.parse(m[2]) as unknown]);
      at = PAIR.lastIndex;
      if (m[3] === '}') break;
    }
  }
  if (text.slice(at).trim() !== '') throw new Error(`Tokenizer.fromJSON: config.${name} has text after its closing brace: ${JSON.stringify(text.slice(at, at + 40))}`);
  return out;
}
