// Keras's pad_sequences: sequences of different lengths as one [sequences, maxlen] tensor, cut and
// filled at the start ('pre', the default: the last steps stay next to the output) or at the end.
import { checkOptions } from '../options.js';
import { Tensor, type Tensor2D } from '../tensor.js';

/** padSequences options, Keras's names. */
export interface PadOptions {
  /** The length of every row (default: the longest sequence). */
  maxlen?: number | null;
  /** Where the padding goes: 'pre' (default, before the sequence) or 'post'. */
  padding?: 'pre' | 'post';
  /** Which end of a longer sequence is cut: 'pre' (default, its first values) or 'post'. */
  truncating?: 'pre' | 'post';
  /** The padding value (default 0). */
  value?: number;
  /** 'int32' (Keras's default: values and padding truncated toward zero, as numpy stores them) or 'float32' (kept). The tensor holds float32 either way. */
  dtype?: 'int32' | 'float32';
}

const PAD_OPTIONS = { known: { maxlen: true, padding: true, truncating: true, value: true, dtype: true } } as const;

// Integers beyond 2^24 have no exact float32, so an int32 index there would silently change.
const EXACT_INT = 2 ** 24;

/** The sequences padded and cut to one length: a [sequences, maxlen] float32 tensor, ready for fit() and an Embedding layer. */
export function padSequences(sequences: Iterable<ArrayLike<number>>, options?: PadOptions): Tensor2D {
  const o = checkOptions('padSequences', options, PAD_OPTIONS);
  const padding = o.padding ?? 'pre';
  const truncating = o.truncating ?? 'pre';
  const dtype = o.dtype ?? 'int32';
  for (const [name, v] of [['padding', padding], ['truncating', truncating]] as const) {
    if (v !== 'pre' && v !== 'post') throw new Error(`padSequences: ${name} must be 'pre' or 'post', got ${JSON.stringify(v)}`);
  }
  if (dtype !== 'int32' && dtype !== 'float32') throw new Error(`padSequences: dtype must be 'int32' or 'float32', got ${JSON.stringify(dtype)}`);
  const cast = (v: number, where: string): number => {
    const x = dtype === 'int32' ? Math.trunc(v) : v;
    if (dtype === 'int32' && Math.abs(x) > EXACT_INT) throw new Error(`padSequences: ${where} is ${v}, beyond ±2^24, where float32 holds no exact integer`);
    return x;
  };
  const value = o.value ?? 0;
  if (typeof value !== 'number' || Number.isNaN(value)) throw new Error(`padSequences: value must be a number, got ${JSON.stringify(value)}`);
  const fill = cast(value, 'value');
  const rows = readSequences(sequences);
  let maxlen = o.maxlen ?? null;
  if (maxlen === null) {
    if (rows.length === 0) throw new Error('padSequences: no sequences and no maxlen: give maxlen to get an empty [0, maxlen] tensor');
    maxlen = Math.max(...rows.map((r) => r.length));
    if (maxlen === 0) throw new Error('padSequences: every sequence is empty; give maxlen to pad them');
  } else if (!(Number.isInteger(maxlen) && maxlen >= 1)) {
    throw new Error(`padSequences: maxlen must be a positive integer, got ${JSON.stringify(maxlen)}`);
  }
  const out = new Float32Array(rows.length * maxlen).fill(fill);
  rows.forEach((row, r) => {
    const kept = row.length <= maxlen ? row : truncating === 'pre' ? row.slice(row.length - maxlen) : row.slice(0, maxlen);
    const at = r * maxlen + (padding === 'pre' ? maxlen - kept.length : 0);
    kept.forEach((v, i) => (out[at + i] = cast(v, `sequence ${r}, position ${i}`)));
  });
  return new Tensor(out, [rows.length, maxlen]) as Tensor2D;
}

/** The sequences as number arrays, or an error naming the first one (or value) that is not. */
function readSequences(sequences: Iterable<ArrayLike<number>>): number[][] {
  if (sequences == null || typeof sequences === 'string' || typeof (sequences as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new Error(`padSequences: sequences must be an array of number arrays, got ${sequences === null ? 'null' : typeof sequences}`);
  }
  const rows: number[][] = [];
  for (const seq of sequences) {
    if (seq == null || typeof seq === 'string' || typeof seq.length !== 'number') throw new Error(`padSequences: sequence ${rows.length} must be an array of numbers, got ${seq === null ? 'null' : typeof seq}`);
    const row = Array.from(seq);
    const bad = row.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
    if (bad >= 0) throw new Error(`padSequences: sequence ${rows.length}, position ${bad} must be a finite number, got ${Array.isArray(row[bad]) ? 'an array' : String(row[bad])}`);
    rows.push(row);
  }
  return rows;
}
