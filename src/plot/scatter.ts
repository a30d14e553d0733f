// Predicted against actual values for regression, with the y = x line of perfect predictions.

import type { Input } from '../tensor.js';
import { toMatrix } from '../tensor.js';
import { axes, escapeXml, niceTicks, num, scale, short, size, svgOpen } from './svg.js';
import { checkOptions, type OptionSpec } from '../options.js';

/** Options of `df.plot.predictedVsActual(yTrue, yPred, options)`. */
export interface PredictedVsActualOptions {
  /** Title (default 'Predicted vs actual'). */
  title?: string;
  /** The x axis's label (default 'actual'). */
  xLabel?: string;
  /** The y axis's label (default 'predicted'). */
  yLabel?: string;
  /** Size in pixels (default 440 × 440). */
  width?: number;
  /** Height in pixels (default 440). */
  height?: number;
  /** Point radius (default 3, or 2 above 1,000 points). */
  radius?: number;
  /** Point colour. */
  color?: string;
}

const OPTIONS: OptionSpec<PredictedVsActualOptions> = {
  known: { title: true, xLabel: true, yLabel: true, width: true, height: true, radius: true, color: true },
};

/**
 * A scatter of (actual, predicted) pairs on equal axes with the y = x line, and n, RMSE and R² in the
 * caption. Both inputs: one value per row (1-D, a column, a Tensor or `{ data, shape }`).
 */
export function predictedVsActual(yTrue: Input, yPred: Input, given?: PredictedVsActualOptions): string {
  const options = checkOptions('predictedVsActual', given, OPTIONS);
  const t = column(yTrue, 'predictedVsActual: yTrue');
  const p = column(yPred, 'predictedVsActual: yPred');
  if (t.length !== p.length) throw new Error(`predictedVsActual: yTrue has ${t.length} values but yPred has ${p.length}`);
  const n = t.length;
  let lo = Infinity;
  let hi = -Infinity;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, t[i], p[i]);
    hi = Math.max(hi, t[i], p[i]);
    sum += t[i];
  }
  const meanT = sum / n;
  let sse = 0;
  let sst = 0;
  for (let i = 0; i < n; i++) {
    sse += (t[i] - p[i]) ** 2;
    sst += (t[i] - meanT) ** 2;
  }
  const rmse = Math.sqrt(sse / n);
  const r2 = sst > 0 ? 1 - sse / sst : NaN;
  const width = size(options.width, 440, 'predictedVsActual: width', 200);
  const height = size(options.height, 440, 'predictedVsActual: height', 200);
  const title = options.title ?? 'Predicted vs actual';
  const frame = { x: 70, y: 54, w: width - 70 - 20, h: height - 54 - 50 };
  const ticks = niceTicks(lo, hi, 5);
  const sx = scale(ticks.lo, ticks.hi, frame.x, frame.x + frame.w);
  const sy = scale(ticks.lo, ticks.hi, frame.y + frame.h, frame.y);
  const out = [svgOpen(width, height, title, 'predicted-vs-actual')];
  out.push(`<text class="title" x="${num(width / 2)}" y="22" font-size="16" font-weight="600" text-anchor="middle" fill="#111">${escapeXml(title)}</text>`);
  const caption = `n = ${n}, RMSE = ${short(rmse)}, R² = ${Number.isNaN(r2) ? '—' : short(r2)}`;
  out.push(`<text class="summary" x="${num(width / 2)}" y="42" font-size="11" text-anchor="middle" fill="#555">${escapeXml(caption)}</text>`);
  out.push(axes({ frame, xTicks: ticks, yTicks: ticks, xLabel: options.xLabel ?? 'actual', yLabel: options.yLabel ?? 'predicted' }));
  out.push(`<line class="identity" x1="${num(sx(ticks.lo))}" y1="${num(sy(ticks.lo))}" x2="${num(sx(ticks.hi))}" y2="${num(sy(ticks.hi))}" stroke="#d62728" stroke-width="1.5" stroke-dasharray="5 4"/>`);
  const r = options.radius ?? (n > 1000 ? 2 : 3);
  const color = escapeXml(options.color ?? '#1f77b4');
  out.push(`<g class="points" fill="${color}" fill-opacity="0.6">`);
  for (let i = 0; i < n; i++) out.push(`<circle class="point" cx="${num(sx(t[i]))}" cy="${num(sy(p[i]))}" r="${num(r)}"/>`);
  out.push('</g>');
  out.push('<g class="legend" font-size="11" fill="#222">');
  out.push(`<line x1="${num(frame.x + 10)}" y1="${num(frame.y + 14)}" x2="${num(frame.x + 34)}" y2="${num(frame.y + 14)}" stroke="#d62728" stroke-width="1.5" stroke-dasharray="5 4"/>`);
  out.push(`<text x="${num(frame.x + 40)}" y="${num(frame.y + 18)}">y = x (perfect prediction)</text>`);
  out.push('</g>');
  out.push('</svg>');
  return out.join('\n');
}

function column(y: Input, what: string): Float32Array {
  const m = toMatrix(y, what);
  if (m.cols !== 1) throw new Error(`${what} must hold one value per row, got ${m.cols} columns`);
  return m.data;
}
