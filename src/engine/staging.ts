// How many rows go into WASM memory at once. Memory that WASM grows never shrinks back, so a data set
// above `wholeBytes` is staged a window at a time (fit, predict, evaluate): whole multiples of the
// kernels' own chunk (a batch, or the arena's row cap), so every row is computed exactly as when staged whole.

/** @internal Thresholds in bytes; tests lower them to compare both ways on small data. */
export const staging = { wholeBytes: 16 << 20, windowBytes: 2 << 20 };

/** Rows per window for `rows` rows of `rowBytes` each, in multiples of `unit` rows: all of them when small. */
export function windowRows(rows: number, rowBytes: number, unit: number): number {
  if (rows * rowBytes <= staging.wholeBytes) return rows;
  return Math.min(rows, unit * Math.max(1, Math.floor(staging.windowBytes / rowBytes / unit)));
}
