// Summary statistics for a list of per-sample measurements.

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** { median, min, max, n } of the values (all in the unit the caller reports). */
export function summarize(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };
}

/** Summary of rates `work / seconds` for each timed sample. */
export function rates(seconds, work) {
  return summarize(seconds.map((s) => work / s));
}
