// Confusion matrix: counts of (true class, predicted class) as a coloured grid.

import type { Input } from '../tensor.js';
import { toMatrix } from '../tensor.js';
import { escapeXml, num, short, size, svgOpen } from './svg.js';
import { checkOptions, type OptionSpec } from '../options.js';

/** Options of `df.plot.confusionMatrix(yTrue, yPred, options)`. */
export interface ConfusionMatrixOptions {
  /** Class names in code order (default '0', '1', …). */
  labels?: readonly string[];
  /** Number of classes (default: labels.length, else the largest class seen + 1). */
  numClasses?: number;
  /** Title (default 'Confusion matrix'). */
  title?: string;
  /** Colour cells by each true class's share (row-normalized) and print percentages under the counts. */
  normalize?: boolean;
  /** Cell size in pixels (default: fits the grid in about 360 px, between 28 and 90). */
  cellSize?: number;
  /** Probability threshold for one-column predictions that are not class numbers (default 0.5). */
  threshold?: number;
}

const OPTIONS: OptionSpec<ConfusionMatrixOptions> = {
  known: { labels: true, numClasses: true, title: true, normalize: true, cellSize: true, threshold: true },
  // scikit-learn's ConfusionMatrixDisplay names the classes display_labels.
  unsupported: { displayLabels: { instead: 'use labels (class names in code order)' } },
};

/**
 * Class numbers from labels or predictions: a column of integers as is, a column of probabilities by
 * `threshold`, several columns (one-hot or softmax) by their arg-max.
 */
export function classesOf(y: Input, what: string, threshold = 0.5): Int32Array {
  const m = toMatrix(y, what);
  const out = new Int32Array(m.rows);
  if (m.cols > 1) {
    for (let r = 0; r < m.rows; r++) {
      let best = 0;
      for (let c = 1; c < m.cols; c++) if (m.data[r * m.cols + c] > m.data[r * m.cols + best]) best = c;
      out[r] = best;
    }
    return out;
  }
  const integral = m.data.every((v) => Number.isInteger(v) && v >= 0);
  if (!integral) {
    const bad = m.data.findIndex((v) => !(v >= 0 && v <= 1));
    if (bad >= 0) throw new Error(`${what}[${bad}] is ${m.data[bad]}: one-column values must be class numbers (0, 1, 2, …) or probabilities in [0, 1]`);
  }
  for (let r = 0; r < m.rows; r++) out[r] = integral ? m.data[r] : m.data[r] >= threshold ? 1 : 0;
  return out;
}

/** The counts: matrix[true][predicted]. */
export function confusionCounts(yTrue: Input, yPred: Input, numClasses?: number, threshold = 0.5): number[][] {
  const t = classesOf(yTrue, 'confusionMatrix: yTrue', threshold);
  const p = classesOf(yPred, 'confusionMatrix: yPred', threshold);
  if (t.length !== p.length) throw new Error(`confusionMatrix: yTrue has ${t.length} rows but yPred has ${p.length}`);
  let k = numClasses ?? 0;
  if (numClasses === undefined) for (let i = 0; i < t.length; i++) k = Math.max(k, t[i] + 1, p[i] + 1);
  if (!Number.isInteger(k) || k < 1) throw new Error(`confusionMatrix: numClasses must be a positive integer, got ${String(numClasses)}`);
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < t.length; i++) {
    if (t[i] >= k || p[i] >= k) throw new Error(`confusionMatrix: row ${i} has class ${Math.max(t[i], p[i])}, but there are only ${k} classes`);
    m[t[i]][p[i]]++;
  }
  return m;
}

const LOW = [247, 251, 255];
const HIGH = [8, 48, 107];

function colour(t: number): string {
  const c = LOW.map((l, i) => Math.round(l + (HIGH[i] - l) * t));
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/** An SVG confusion matrix: rows are true classes, columns predicted ones, cells coloured by count. */
export function confusionMatrix(yTrue: Input, yPred: Input, given?: ConfusionMatrixOptions): string {
  const options = checkOptions('confusionMatrix', given, OPTIONS);
  const labels = options.labels;
  if (labels !== undefined && (!Array.isArray(labels) || labels.length === 0)) throw new Error('confusionMatrix: labels must be a non-empty array of class names');
  const counts = confusionCounts(yTrue, yPred, options.numClasses ?? labels?.length, options.threshold);
  const k = counts.length;
  const names = Array.from({ length: k }, (_, i) => (labels?.[i] !== undefined ? String(labels[i]) : String(i)));
  const cell = size(options.cellSize, Math.max(28, Math.min(90, Math.floor(360 / k))), 'confusionMatrix: cellSize', 10);
  const title = options.title ?? 'Confusion matrix';
  const longest = Math.max(...names.map((n) => n.length));
  const rotate = longest * 6.5 > cell - 4;
  const left = 44 + Math.min(200, longest * 6.5 + 10);
  const top = 58;
  const bottomLabels = rotate ? Math.min(200, longest * 6.5 * 0.72 + 14) : 18;
  const gridW = k * cell;
  const barX = left + gridW + 20;
  const width = barX + 14 + 56;
  const height = top + gridW + bottomLabels + 36;
  const rowTotals = counts.map((r) => r.reduce((a, b) => a + b, 0));
  const shade = (i: number, j: number) => (options.normalize ? (rowTotals[i] ? counts[i][j] / rowTotals[i] : 0) : counts[i][j]);
  let max = 0;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) max = Math.max(max, shade(i, j));
  const out = [svgOpen(width, height, title, 'confusion-matrix')];
  out.push('<defs><linearGradient id="deltaflow-cm-scale" x1="0" y1="1" x2="0" y2="0">' +
    `<stop offset="0" stop-color="${colour(0)}"/><stop offset="1" stop-color="${colour(1)}"/></linearGradient></defs>`);
  const titleHalf = (title.length * 9) / 2 + 4;
  const titleX = Math.min(Math.max(left + gridW / 2, titleHalf), Math.max(titleHalf, width - titleHalf));
  out.push(`<text class="title" x="${num(titleX)}" y="24" font-size="16" font-weight="600" text-anchor="middle" fill="#111">${escapeXml(title)}</text>`);
  out.push('<g class="cells" font-size="12" text-anchor="middle">');
  const total = rowTotals.reduce((a, b) => a + b, 0);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const t = max > 0 ? shade(i, j) / max : 0;
      const x = left + j * cell;
      const y = top + i * cell;
      const ink = t > 0.5 ? '#fff' : '#111';
      out.push(`<g class="cell" data-true="${i}" data-pred="${j}" data-count="${counts[i][j]}">`);
      out.push(`<rect x="${num(x)}" y="${num(y)}" width="${num(cell)}" height="${num(cell)}" fill="${colour(t)}" stroke="#fff"/>`);
      const pct = options.normalize && rowTotals[i] ? `${short((100 * counts[i][j]) / rowTotals[i])}%` : '';
      const cy = y + cell / 2 + (pct ? -2 : 4);
      out.push(`<text x="${num(x + cell / 2)}" y="${num(cy)}" fill="${ink}">${counts[i][j]}</text>`);
      if (pct) out.push(`<text class="share" x="${num(x + cell / 2)}" y="${num(cy + 13)}" font-size="10" fill="${ink}">${escapeXml(pct)}</text>`);
      out.push('</g>');
    }
  }
  out.push('</g>');
  // Class names: predicted along the bottom, true down the left.
  out.push('<g class="axis x-axis" font-size="11" fill="#333">');
  names.forEach((nm, j) => {
    const x = left + j * cell + cell / 2;
    const y = top + gridW + 14;
    out.push(rotate
      ? `<text class="tick-label" x="${num(x)}" y="${num(y)}" text-anchor="end" transform="rotate(-45 ${num(x)} ${num(y)})">${escapeXml(nm)}</text>`
      : `<text class="tick-label" x="${num(x)}" y="${num(y)}" text-anchor="middle">${escapeXml(nm)}</text>`);
  });
  out.push(`<text class="axis-label" x="${num(left + gridW / 2)}" y="${num(top + gridW + bottomLabels + 22)}" font-size="12" text-anchor="middle">predicted label</text>`);
  out.push('</g>');
  out.push('<g class="axis y-axis" font-size="11" fill="#333" text-anchor="end">');
  names.forEach((nm, i) => out.push(`<text class="tick-label" x="${num(left - 6)}" y="${num(top + i * cell + cell / 2 + 4)}">${escapeXml(nm)}</text>`));
  const lx = 18;
  const ly = top + gridW / 2;
  out.push(`<text class="axis-label" x="${lx}" y="${num(ly)}" font-size="12" text-anchor="middle" transform="rotate(-90 ${lx} ${num(ly)})">true label</text>`);
  out.push('</g>');
  // Colour scale.
  out.push('<g class="color-scale" font-size="10" fill="#333">');
  out.push(`<rect x="${num(barX)}" y="${num(top)}" width="14" height="${num(gridW)}" fill="url(#deltaflow-cm-scale)" stroke="#ccc"/>`);
  const maxLabel = options.normalize ? `${short(100 * max)}%` : String(max);
  out.push(`<text x="${num(barX + 18)}" y="${num(top + 8)}">${escapeXml(maxLabel)}</text>`);
  out.push(`<text x="${num(barX + 18)}" y="${num(top + gridW)}">${options.normalize ? '0%' : '0'}</text>`);
  out.push('</g>');
  let right = 0;
  for (let i = 0; i < k; i++) right += counts[i][i];
  out.push(`<text class="summary" x="${num(left + gridW / 2)}" y="${num(top - 10)}" font-size="11" text-anchor="middle" fill="#555">${total} samples, accuracy ${total ? short(right / total) : '—'}</text>`);
  out.push('</svg>');
  return out.join('\n');
}
