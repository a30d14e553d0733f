// Missing-value policies: checking one as given, why one cannot apply to a column, and the
// statistics ('mean', 'median', 'mode') that fill the gaps.
import type { ColumnType } from '../table.js';
import { CsvError, type MissingPolicy } from './options.js';

function describePolicy(p: MissingPolicy): string {
  return typeof p === 'object' ? `{ fill: ${JSON.stringify(p.fill)} }` : `'${p}'`;
}

export function checkPolicy(p: unknown, where: string): MissingPolicy {
  const names = ['error', 'drop', 'mean', 'median', 'mode', 'category'];
  if (typeof p === 'string' && names.includes(p)) return p as MissingPolicy;
  if (typeof p === 'object' && p !== null && 'fill' in p) {
    const f = (p as { fill: unknown }).fill;
    if ((typeof f === 'number' && Number.isFinite(f)) || typeof f === 'string') return { fill: f };
  }
  throw new CsvError(`${where} must be 'error', 'drop', 'mean', 'median', 'mode', 'category' or { fill: number | text }, got ${JSON.stringify(p)}`);
}

/** Why a policy cannot handle the missing cells of a column of this type (undefined when it can). */
export function misfit(type: ColumnType, p: MissingPolicy): string | undefined {
  const options = "set readCsv's missing option: 'drop', 'mean', 'median', 'mode', 'category' (text columns) or { fill }, for all columns, per kind ({ numeric, category }) or per column ({ columns: { name: policy } })";
  if (p === 'error') return options;
  if (type === 'number') {
    if (p === 'category') return `the column is numeric, so 'category' does not apply: use 'drop', 'mean', 'median', 'mode' or { fill: number } (e.g. missing: { numeric: 'mean', category: 'category' })`;
    if (typeof p === 'object' && typeof p.fill !== 'number') return `the column is numeric, so ${describePolicy(p)} does not apply: fill it with a number`;
  } else if (p === 'mean' || p === 'median') {
    return `the column holds text, so ${describePolicy(p)} does not apply: use 'category', 'mode', 'drop' or { fill: 'text' } (e.g. missing: { numeric: '${p}', category: 'category' })`;
  }
  return undefined;
}

export function mean(v: number[]): number {
  let s = 0;
  for (const x of v) s += x;
  return s / v.length;
}

export function median(v: number[]): number {
  const s = Float64Array.from(v).sort();
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

export function mode(v: number[]): number {
  const counts = new Map<number, number>();
  for (const x of v) counts.set(x, (counts.get(x) ?? 0) + 1);
  let best = NaN;
  let bestCount = 0;
  for (const [x, n] of counts) if (n > bestCount || (n === bestCount && x < best)) [best, bestCount] = [x, n];
  return best;
}
