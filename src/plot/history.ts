// Learning curves: loss and every metric per epoch, training and validation, one panel per metric.

import { axes, escapeXml, niceTicks, num, scale, short, size, svgOpen, type Ticks } from './svg.js';
import { checkOptions, type OptionSpec } from '../options.js';

/** deltaflow's History (or Keras's history.history): one array per logged key, one value per epoch. */
export interface HistoryLike {
  /** The 0-based epoch numbers (default 0, 1, …); the plot labels them from 1. */
  epoch?: readonly number[];
  /** One array per logged key ('loss', 'val_loss', 'accuracy', …), one value per epoch. */
  history: Readonly<Record<string, readonly number[]>>;
}

/** Options of `df.plot.history(h, options)`. */
export interface HistoryPlotOptions {
  /** Title above the panels (default 'Training history'). */
  title?: string;
  /** Metric families to draw, each with its val_ twin (default: loss, then every other logged metric). */
  metrics?: readonly string[];
  /** One panel's size in pixels (default 420 × 300). */
  width?: number;
  /** One panel's height in pixels (default 300). */
  height?: number;
  /** Panels per row (default: all in one row, at most 2). */
  columns?: number;
  /** X axis label (default 'epoch'). */
  xLabel?: string;
  /** Y axis label per metric family (default the family name). */
  yLabels?: Readonly<Record<string, string>>;
  /** Line colours: training and validation (default blue and orange). */
  colors?: { training?: string; validation?: string };
  /** Draw a dot at every epoch (default: when there are at most 60 epochs). */
  markers?: boolean;
  /** Logarithmic y axis: `true` for every panel, or the metric families to draw on a log scale (e.g. ['loss']). Values ≤ 0 leave a gap. */
  logY?: boolean | readonly string[];
}

const OPTIONS: OptionSpec<HistoryPlotOptions> = {
  known: { title: true, metrics: true, width: true, height: true, columns: true, xLabel: true, yLabels: true, colors: true, markers: true, logY: true },
};
const COLOR_OPTIONS: OptionSpec<NonNullable<HistoryPlotOptions['colors']>> = { known: { training: true, validation: true } };

interface Series {
  key: string;
  role: 'training' | 'validation';
  values: readonly number[];
}

const TITLE_H = 34;

/**
 * An SVG of the learning curves: `df.plot.history(await model.fit(...))`. Each panel holds a metric
 * family (loss, accuracy, …) with its training curve (solid) and validation curve (dashed); epochs
 * are numbered from 1. Non-finite values (a diverged loss) leave a gap.
 */
export function history(h: HistoryLike | Readonly<Record<string, readonly number[]>>, given?: HistoryPlotOptions): string {
  const options = checkOptions('history', given, OPTIONS);
  if (options.colors !== undefined) options.colors = checkOptions('history: colors', options.colors, COLOR_OPTIONS);
  const logs = readHistory(h);
  const families = familiesOf(logs, options.metrics);
  const n = Math.max(...families.flatMap((f) => f.series.map((s) => s.values.length)));
  const epochs = epochNumbers(h, n);
  const pw = size(options.width, 420, 'history: width', 200);
  const ph = size(options.height, 300, 'history: height', 150);
  const columns = options.columns ?? Math.min(families.length, 2);
  if (!Number.isInteger(columns) || columns < 1) throw new Error(`history: columns must be a positive integer, got ${String(columns)}`);
  const rows = Math.ceil(families.length / columns);
  const width = pw * Math.min(columns, families.length);
  const height = TITLE_H + ph * rows;
  const title = options.title ?? 'Training history';
  const colors = { training: options.colors?.training ?? '#1f77b4', validation: options.colors?.validation ?? '#ff7f0e' };
  const markers = options.markers ?? n <= 60;
  const out = [svgOpen(width, height, title, 'history')];
  out.push(`<text class="title" x="${num(width / 2)}" y="22" font-size="16" font-weight="600" text-anchor="middle" fill="#111">${escapeXml(title)}</text>`);
  families.forEach((fam, i) => {
    const ox = (i % columns) * pw;
    const oy = TITLE_H + Math.floor(i / columns) * ph;
    const log = options.logY === true || (Array.isArray(options.logY) && options.logY.includes(fam.name));
    const yLabel = options.yLabels?.[fam.name] ?? (log ? `${fam.name} (log scale)` : fam.name);
    out.push(panel(fam.name, fam.series, epochs, { ox, oy, pw, ph, xLabel: options.xLabel ?? 'epoch', yLabel, colors, markers, log }));
  });
  out.push('</svg>');
  return out.join('\n');
}

function readHistory(h: unknown): Record<string, readonly number[]> {
  if (h === null || typeof h !== 'object') throw new Error('history: pass the History that fit() resolves to, or its .history record');
  const rec = 'history' in h && typeof (h as HistoryLike).history === 'object' && (h as HistoryLike).history !== null ? (h as HistoryLike).history : (h as Record<string, unknown>);
  const logs: Record<string, readonly number[]> = {};
  for (const [key, values] of Object.entries(rec)) {
    if (key === 'epoch' && rec === h) continue;
    if (!Array.isArray(values) && !ArrayBuffer.isView(values)) throw new Error(`history: "${key}" must be an array of numbers, one per epoch`);
    const arr = Array.from(values as ArrayLike<unknown>);
    arr.forEach((v, i) => {
      if (typeof v !== 'number') throw new Error(`history: ${key}[${i}] is ${JSON.stringify(v)}, not a number`);
    });
    logs[key] = arr as number[];
  }
  if (Object.keys(logs).length === 0) throw new Error('history: there are no logged values to plot');
  return logs;
}

function familiesOf(logs: Record<string, readonly number[]>, wanted?: readonly string[]): { name: string; series: Series[] }[] {
  const names: string[] = [];
  for (const key of Object.keys(logs)) {
    const fam = key.startsWith('val_') ? key.slice(4) : key;
    if (!names.includes(fam)) names.push(fam);
  }
  // Loss first, then the metrics in logged order.
  names.sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : 0));
  let chosen = names;
  if (wanted !== undefined) {
    for (const w of wanted) {
      if (!names.includes(w)) throw new Error(`history: no metric "${w}" was logged; the history has ${names.map((x) => JSON.stringify(x)).join(', ')}`);
    }
    chosen = [...wanted];
  }
  if (chosen.length === 0) throw new Error('history: no metrics to plot');
  return chosen.map((name) => {
    const series: Series[] = [];
    if (logs[name]) series.push({ key: name, role: 'training', values: logs[name] });
    if (logs[`val_${name}`]) series.push({ key: `val_${name}`, role: 'validation', values: logs[`val_${name}`] });
    return { name, series };
  });
}

function epochNumbers(h: unknown, n: number): number[] {
  const e = (h as HistoryLike).epoch;
  if (Array.isArray(e) && e.length === n && e.every((v) => typeof v === 'number' && Number.isFinite(v))) return e.map((v) => v + 1);
  return Array.from({ length: n }, (_, i) => i + 1);
}

interface PanelSpec {
  ox: number;
  oy: number;
  pw: number;
  ph: number;
  xLabel: string;
  yLabel: string;
  colors: { training: string; validation: string };
  markers: boolean;
  log: boolean;
}

function panel(name: string, series: Series[], epochs: number[], p: PanelSpec): string {
  const frame = { x: p.ox + 64, y: p.oy + 30, w: p.pw - 64 - 18, h: p.ph - 30 - 48 };
  const f = p.log ? (v: number) => (v > 0 ? Math.log10(v) : NaN) : (v: number) => v;
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    for (const raw of s.values) {
      const v = f(raw);
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  const empty = lo > hi;
  const xTicks = niceTicks(epochs.length ? Math.min(...epochs) : 1, epochs.length ? Math.max(...epochs) : 1, 6, true);
  const yTicks = p.log ? logTicks(empty ? 0 : lo, empty ? 1 : hi) : niceTicks(empty ? 0 : lo, empty ? 1 : hi, 5);
  const sx = scale(xTicks.lo, xTicks.hi, frame.x, frame.x + frame.w);
  const sy = scale(yTicks.lo, yTicks.hi, frame.y + frame.h, frame.y);
  const out = [`<g class="panel" data-metric="${escapeXml(name)}">`];
  out.push(`<text class="panel-title" x="${num(frame.x + frame.w / 2)}" y="${num(p.oy + 20)}" font-size="13" font-weight="600" text-anchor="middle" fill="#222">${escapeXml(name)}</text>`);
  out.push(axes({ frame, xTicks, yTicks, xLabel: p.xLabel, yLabel: p.yLabel }));
  if (empty) {
    out.push(`<text class="note" x="${num(frame.x + frame.w / 2)}" y="${num(frame.y + frame.h / 2)}" font-size="12" text-anchor="middle" fill="#888">no finite values</text>`);
  }
  const placed: [number, number][] = [];
  for (const s of series) {
    const color = p.colors[s.role];
    const dash = s.role === 'validation' ? ' stroke-dasharray="6 4"' : '';
    const pts: string[] = [];
    const dots: string[] = [];
    s.values.forEach((raw, i) => {
      const v = f(raw);
      if (!Number.isFinite(v) || i >= epochs.length) return;
      placed.push([sx(epochs[i]), sy(v)]);
      const x = num(sx(epochs[i]));
      const y = num(sy(v));
      pts.push(`${x},${y}`);
      if (p.markers) dots.push(`<circle cx="${x}" cy="${y}" r="2.5"/>`);
    });
    out.push(`<g class="series" data-series="${escapeXml(s.key)}" data-role="${s.role}">`);
    out.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${escapeXml(color)}" stroke-width="2" stroke-linejoin="round"${dash}/>`);
    if (dots.length) out.push(`<g class="markers" fill="${escapeXml(color)}">${dots.join('')}</g>`);
    out.push('</g>');
  }
  // Legend in the corner of the plot area that hides the fewest points (top-right first).
  const longest = Math.max(...series.map((s) => `${s.role} ${name}`.length));
  const lw = Math.min(frame.w - 12, 46 + 6.5 * longest);
  const lh = 8 + 16 * series.length;
  const corners: [number, number][] = [
    [frame.x + frame.w - lw - 6, frame.y + 6],
    [frame.x + frame.w - lw - 6, frame.y + frame.h - lh - 6],
    [frame.x + 6, frame.y + 6],
    [frame.x + 6, frame.y + frame.h - lh - 6],
  ];
  const hidden = corners.map(([cx, cy]) => placed.filter(([x, y]) => x >= cx - 4 && x <= cx + lw + 4 && y >= cy - 4 && y <= cy + lh + 4).length);
  const [lx, ly] = corners[hidden.indexOf(Math.min(...hidden))];
  out.push(`<g class="legend" font-size="11" fill="#222">`);
  out.push(`<rect x="${num(lx)}" y="${num(ly)}" width="${num(lw)}" height="${num(lh)}" fill="#fff" fill-opacity="0.85" stroke="#ccc"/>`);
  series.forEach((s, i) => {
    const y = ly + 14 + 16 * i;
    const dash = s.role === 'validation' ? ' stroke-dasharray="6 4"' : '';
    out.push(`<g class="legend-item" data-series="${escapeXml(s.key)}">`);
    out.push(`<line x1="${num(lx + 8)}" y1="${num(y - 4)}" x2="${num(lx + 32)}" y2="${num(y - 4)}" stroke="${escapeXml(p.colors[s.role])}" stroke-width="2"${dash}/>`);
    out.push(`<text x="${num(lx + 38)}" y="${num(y)}">${escapeXml(`${s.role} ${name}`)}</text>`);
    out.push('</g>');
  });
  out.push('</g>');
  out.push('</g>');
  return out.join('\n');
}

/** Ticks for log10 values: every power of ten, with 2× and 5× between when the range spans few decades. */
function logTicks(lo: number, hi: number): Ticks {
  let a = Math.floor(lo);
  let b = Math.ceil(hi);
  if (a === b) [a, b] = [a - 1, b + 1];
  const values: number[] = [];
  for (let e = a; e <= b; e++) {
    values.push(e);
    if (b - a <= 2 && e < b) values.push(e + Math.log10(2), e + Math.log10(5));
  }
  const format = (v: number) => short(Number((10 ** v).toPrecision(6)));
  return { lo: a, hi: b, step: 1, values, format };
}
