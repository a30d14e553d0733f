// SVG building blocks shared by the plots: XML escaping, number formatting, "nice" axis ticks and
// labelled axes. Output is plain strings: no DOM, the same in Node and browsers.

/** Escapes text for XML content and attribute values; characters XML 1.0 forbids become U+FFFD. */
export function escapeXml(text: string): string {
  return String(text)
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A coordinate with at most two decimals. */
export function num(v: number): string {
  const r = Math.round(v * 100) / 100;
  return String(r === 0 ? 0 : r);
}

/** A short human form of a value: 4 significant digits, exponent form when very large or small. */
export function short(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-3) return trimExp(v.toExponential(3));
  return String(Number(v.toPrecision(4)));
}

function trimExp(s: string): string {
  return s.replace(/\.?0+e/, 'e').replace('e+', 'e');
}

/** Axis ticks at round numbers covering a range. */
export interface Ticks {
  /** The axis's lower end (the first tick). */
  lo: number;
  /** The axis's upper end (the last tick). */
  hi: number;
  /** The distance between ticks. */
  step: number;
  /** The tick values, lo to hi. */
  values: number[];
  /** A tick's label, with as many decimals as the step needs. */
  format(v: number): string;
}

/**
 * Round-number ticks covering [lo, hi]: steps of 1, 2 or 5 × 10^e giving about `target` intervals,
 * the domain widened to whole steps. `integer` keeps steps ≥ 1 (epochs).
 */
export function niceTicks(lo: number, hi: number, target = 5, integer = false): Ticks {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (!(hi > lo)) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    [lo, hi] = [lo - pad, hi + pad];
  }
  const raw = (hi - lo) / target;
  let e = 0;
  while (pow10(e) > raw) e--;
  while (pow10(e + 1) <= raw) e++;
  let step = pow10(e);
  for (const m of [1, 2, 5, 10]) {
    step = m * pow10(e);
    if (step >= raw) break;
  }
  if (integer && step < 1) [step, e] = [1, 0];
  const tlo = Math.floor(lo / step) * step;
  const thi = Math.ceil(hi / step) * step;
  const values: number[] = [];
  for (let i = 0; tlo + i * step <= thi + step * 1e-9; i++) values.push(Number((tlo + i * step).toPrecision(12)));
  const decimals = Math.max(0, -e + (step / pow10(e) === 10 ? -1 : 0));
  const big = Math.max(Math.abs(tlo), Math.abs(thi)) >= 1e6;
  const format = (v: number) => (big ? trimExp(v.toExponential(2)) : v.toFixed(decimals === 0 ? 0 : Math.min(decimals, 20)));
  return { lo: values[0], hi: values[values.length - 1], step, values, format };
}

function pow10(e: number): number {
  return e >= 0 ? 10 ** e : 1 / 10 ** -e;
}

/** A linear map from a data interval to a pixel interval. */
export function scale(d0: number, d1: number, p0: number, p1: number): (v: number) => number {
  const k = d1 === d0 ? 0 : (p1 - p0) / (d1 - d0);
  return (v) => p0 + (v - d0) * k;
}

export interface Frame {
  /** Plot area in pixels. */
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface AxesSpec {
  frame: Frame;
  xTicks: Ticks;
  yTicks: Ticks;
  xLabel: string;
  yLabel: string;
  grid?: boolean;
}

/** Frame, grid, tick marks, tick labels and axis labels of a plot area. */
export function axes({ frame, xTicks, yTicks, xLabel, yLabel, grid = true }: AxesSpec): string {
  const { x, y, w, h } = frame;
  const sx = scale(xTicks.lo, xTicks.hi, x, x + w);
  const sy = scale(yTicks.lo, yTicks.hi, y + h, y);
  const out: string[] = [];
  if (grid) {
    out.push('<g class="grid" stroke="#e5e5e5" stroke-width="1">');
    for (const v of yTicks.values) out.push(`<line x1="${num(x)}" y1="${num(sy(v))}" x2="${num(x + w)}" y2="${num(sy(v))}"/>`);
    for (const v of xTicks.values) out.push(`<line x1="${num(sx(v))}" y1="${num(y)}" x2="${num(sx(v))}" y2="${num(y + h)}"/>`);
    out.push('</g>');
  }
  out.push(`<rect class="frame" x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" fill="none" stroke="#333" stroke-width="1"/>`);
  out.push('<g class="axis x-axis" font-size="11" text-anchor="middle" fill="#333">');
  for (const v of xTicks.values) {
    const px = num(sx(v));
    out.push(`<line class="tick" x1="${px}" y1="${num(y + h)}" x2="${px}" y2="${num(y + h + 4)}" stroke="#333"/>`);
    out.push(`<text class="tick-label" x="${px}" y="${num(y + h + 16)}">${escapeXml(xTicks.format(v))}</text>`);
  }
  out.push(`<text class="axis-label" x="${num(x + w / 2)}" y="${num(y + h + 34)}" font-size="12">${escapeXml(xLabel)}</text>`);
  out.push('</g>');
  out.push('<g class="axis y-axis" font-size="11" text-anchor="end" fill="#333">');
  for (const v of yTicks.values) {
    const py = num(sy(v));
    out.push(`<line class="tick" x1="${num(x - 4)}" y1="${py}" x2="${num(x)}" y2="${py}" stroke="#333"/>`);
    out.push(`<text class="tick-label" x="${num(x - 7)}" y="${num(sy(v) + 4)}">${escapeXml(yTicks.format(v))}</text>`);
  }
  const lx = num(x - 46);
  const ly = num(y + h / 2);
  out.push(`<text class="axis-label" x="${lx}" y="${ly}" font-size="12" text-anchor="middle" transform="rotate(-90 ${lx} ${ly})">${escapeXml(yLabel)}</text>`);
  out.push('</g>');
  return out.join('\n');
}

/** The opening tag of a standalone SVG document with a title for screen readers. */
export function svgOpen(width: number, height: number, title: string, cls: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="deltaflow-plot ${cls}" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" font-family="system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" role="img">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect class="background" width="100%" height="100%" fill="#fff"/>`,
  ].join('\n');
}

/** Checks a pixel size option. */
export function size(v: number | undefined, fallback: number, what: string, min = 80): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new Error(`${what} must be a number ≥ ${min}, got ${String(v)}`);
  return v;
}
