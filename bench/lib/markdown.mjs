// Markdown rendering helpers: tables and "median (min–max)" cells.

export function table(header, rows) {
  const line = (cells) => `| ${cells.map((c) => String(c ?? '—').replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** A number with thousands separators and `digits` decimals. */
export function num(x, digits = 0) {
  if (x === undefined || x === null || Number.isNaN(x)) return '—';
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** "median (min–max)" of a summary from lib/stats.mjs, scaled by `scale`. */
export function range(s, digits = 0, scale = 1) {
  if (!s) return '—';
  return `${num(s.median * scale, digits)} (${num(s.min * scale, digits)}–${num(s.max * scale, digits)})`;
}

/** "✅ met" / "❌ not met" for a target check. */
export const met = (ok) => (ok === undefined ? '—' : ok ? '✅ met' : '❌ not met');

/** How many times better deltaflow is than a peer (>1 = deltaflow better), given which direction is better. */
export function advantage(df, peer, higherIsBetter) {
  if (!(df > 0) || !(peer > 0)) return '—';
  const r = higherIsBetter ? df / peer : peer / df;
  return `${num(r, 2)}×`;
}

/**
 * The 2-thread row's cell in a "deltaflow advantage" column: its speed-up over one thread (deltaflow's own
 * row), so that the column never reads 0.8× for a run that was 1.25× faster.
 */
export function threadsSpeedup(oneThread, twoThreads, higherIsBetter) {
  if (!(oneThread > 0) || !(twoThreads > 0)) return '—';
  return `2 threads: ${num(higherIsBetter ? twoThreads / oneThread : oneThread / twoThreads, 2)}× one`;
}

/** The error of a failed child, shortened for a table cell. */
export const failed = (e) => `failed: ${String(e).split('\n')[0].slice(0, 120)}`;
