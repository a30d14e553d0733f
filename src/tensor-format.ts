// tensor.print() and toString() in TensorFlow.js's layout, so printed output reads the same after a
// port: 'Tensor', then the values nested by rank, indented four spaces, each column padded to its
// widest value; an axis longer than 20 shows its first and last 3 entries around '...'.

/** Entries of one axis shown in full up to this many. */
const FULL_AXIS = 20;
/** Entries kept at each end of a longer axis. */
const ENDS = 3;

export function formatTensor(values: Float32Array, shape: readonly number[], verbose: boolean): string {
  const head = ['Tensor'];
  if (verbose) head.push('  dtype: float32', `  rank: ${shape.length}`, `  shape: [${shape.join(',')}]`, '  values:');
  // A scalar prints its value as JavaScript writes it; other values are rounded to 7 decimals.
  const body = shape.length === 0 ? [String(values[0])] : nested(values, shape, columnWidths(values, shape), true);
  return [...head, body.map((l) => '    ' + l).join('\n')].join('\n');
}

/** One value as printed: at most 7 decimals, trailing zeros dropped. */
function show(v: number): string {
  return String(parseFloat(v.toFixed(7)));
}

/** For rank ≥ 2, the widest printed value of each column (the last axis), over every row; rank 1 is not padded. */
function columnWidths(values: Float32Array, shape: readonly number[]): number[] {
  const cols = shape.length ? shape[shape.length - 1] : 1;
  const widths = new Array<number>(cols).fill(0);
  if (shape.length < 2) return widths;
  for (let i = 0; i < values.length; i++) widths[i % cols] = Math.max(widths[i % cols], show(values[i]).length);
  return widths;
}

/** The lines of one block of `shape`; `last` is false when a sibling block follows it. */
function nested(values: Float32Array, shape: readonly number[], widths: number[], last: boolean): string[] {
  const n = shape[0];
  if (shape.length === 1) {
    const cell = (i: number) => show(values[i]).padEnd(widths[i]);
    const shown = n > FULL_AXIS ? [...range(0, ENDS).map(cell), '...', ...range(n - ENDS, n).map(cell)] : range(0, n).map(cell);
    return ['[' + shown.join(', ') + ']'];
  }
  const step = values.length / n;
  const child = (i: number) => nested(values.subarray(i * step, (i + 1) * step), shape.slice(1), widths, i === n - 1);
  const lines = n > FULL_AXIS ? [...range(0, ENDS).flatMap(child), '...', ...range(n - ENDS, n).flatMap(child)] : range(0, n).flatMap(child);
  // Rows of a matrix end in ',', deeper blocks carry their own separators; the block is bracketed and
  // its inner lines indented one space; a block followed by a sibling ends with ',' and rank − 2 blank lines.
  const sep = shape.length === 2 ? ',' : '';
  const k = lines.length - 1;
  lines[0] = '[' + lines[0] + sep;
  for (let i = 1; i < k; i++) lines[i] = ' ' + lines[i] + sep;
  lines[k] = ' ' + lines[k] + ']' + (last ? '' : ',\n' + '\n'.repeat(shape.length - 2));
  return lines;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
