// Canvas basics shared by every panel: crisp (device-pixel) sizing, scales, ticks, axes, lines, text.

export const BG = '#ffffff';
export const INK = '#1f2937';
export const MUTED = '#6b7280';
export const GRID = '#e5e7eb';
export const FONT = '12px system-ui, "Noto Sans KR", "Apple SD Gothic Neo", sans-serif';

/** Sizes the canvas for the device pixel ratio, clears it to the background, returns a CSS-pixel context. */
export function setup(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D {
  const dpr = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
  if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext('2d', { willReadFrequently: false })!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = BG;
  ctx.fillRect(0, 0, width, height);
  ctx.font = FONT;
  return ctx;
}

export interface Scale {
  (v: number): number;
  inv(p: number): number;
  readonly domain: readonly [number, number];
  readonly log: boolean;
}

export function linear(d0: number, d1: number, r0: number, r1: number): Scale {
  const k = (r1 - r0) / (d1 - d0 || 1);
  const s = ((v: number) => r0 + (v - d0) * k) as Scale;
  return Object.assign(s, { inv: (p: number) => d0 + (p - r0) / k, domain: [d0, d1] as const, log: false });
}

export function logScale(d0: number, d1: number, r0: number, r1: number): Scale {
  const l = linear(Math.log10(d0), Math.log10(d1), r0, r1);
  const s = ((v: number) => l(Math.log10(Math.max(v, 1e-300)))) as Scale;
  return Object.assign(s, { inv: (p: number) => 10 ** l.inv(p), domain: [d0, d1] as const, log: true });
}

/** About `count` round tick values across [a, b]. */
export function ticks(a: number, b: number, count = 5): number[] {
  const span = b - a;
  if (!(span > 0)) return [a];
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => span / s <= count) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(a / step) * step; v <= b + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

export function logTicks(a: number, b: number): number[] {
  const out: number[] = [];
  const lo = Math.ceil(Math.log10(a));
  const hi = Math.floor(Math.log10(b));
  const every = Math.max(1, Math.ceil((hi - lo + 1) / 7));
  for (let e = lo; e <= hi; e += every) out.push(10 ** e);
  return out;
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export const tickLabel = (v: number) =>
  v === 0 ? '0' : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-2 ? `1e${Math.round(Math.log10(Math.abs(v)))}` : String(+v.toPrecision(3));

/** Frame, grid lines and tick labels of a plot area. */
export function axes(
  ctx: CanvasRenderingContext2D,
  box: Box,
  xs: Scale,
  ys: Scale,
  opts: { xLabel?: string; yLabel?: string; xTicks?: number[]; yTicks?: number[]; zeroLines?: boolean } = {},
): void {
  const xt = opts.xTicks ?? (xs.log ? logTicks(...(xs.domain as [number, number])) : ticks(...(xs.domain as [number, number])));
  const yt = opts.yTicks ?? (ys.log ? logTicks(...(ys.domain as [number, number])) : ticks(...(ys.domain as [number, number])));
  ctx.save();
  ctx.lineWidth = 1;
  ctx.strokeStyle = GRID;
  ctx.fillStyle = MUTED;
  ctx.font = FONT;
  for (const v of xt) {
    const px = Math.round(xs(v)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(px, box.y);
    ctx.lineTo(px, box.y + box.h);
    ctx.stroke();
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    ctx.fillText(tickLabel(v), px, box.y + box.h + 4);
  }
  for (const v of yt) {
    const py = Math.round(ys(v)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(box.x, py);
    ctx.lineTo(box.x + box.w, py);
    ctx.stroke();
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    ctx.fillText(tickLabel(v), box.x - 5, py);
  }
  if (opts.zeroLines) {
    ctx.strokeStyle = '#9ca3af';
    if (xs.domain[0] < 0 && xs.domain[1] > 0) line(ctx, [xs(0), xs(0)], [box.y, box.y + box.h], { color: '#9ca3af' });
    if (ys.domain[0] < 0 && ys.domain[1] > 0) line(ctx, [box.x, box.x + box.w], [ys(0), ys(0)], { color: '#9ca3af' });
  }
  ctx.strokeStyle = '#9ca3af';
  ctx.strokeRect(box.x + 0.5, box.y + 0.5, box.w, box.h);
  ctx.fillStyle = INK;
  if (opts.xLabel) {
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    ctx.fillText(opts.xLabel, box.x + box.w / 2, box.y + box.h + 20);
  }
  if (opts.yLabel) {
    ctx.translate(box.x - 42, box.y + box.h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.fillText(opts.yLabel, 0, 0);
  }
  ctx.restore();
}

/** A polyline through pixel coordinates (non-finite points break the line). */
export function line(ctx: CanvasRenderingContext2D, px: ArrayLike<number>, py: ArrayLike<number>, o: { color: string; width?: number; dash?: number[]; alpha?: number }): void {
  ctx.save();
  ctx.strokeStyle = o.color;
  ctx.lineWidth = o.width ?? 1.5;
  ctx.globalAlpha = o.alpha ?? 1;
  ctx.setLineDash(o.dash ?? []);
  ctx.lineJoin = 'round';
  ctx.beginPath();
  let pen = false;
  for (let i = 0; i < px.length; i++) {
    if (!Number.isFinite(px[i]) || !Number.isFinite(py[i])) {
      pen = false;
      continue;
    }
    if (pen) ctx.lineTo(px[i], py[i]);
    else ctx.moveTo(px[i], py[i]);
    pen = true;
  }
  ctx.stroke();
  ctx.restore();
}

export function label(ctx: CanvasRenderingContext2D, s: string, x: number, y: number, o: { color?: string; align?: CanvasTextAlign; base?: CanvasTextBaseline; font?: string } = {}): void {
  ctx.save();
  ctx.fillStyle = o.color ?? INK;
  ctx.textAlign = o.align ?? 'left';
  ctx.textBaseline = o.base ?? 'alphabetic';
  ctx.font = o.font ?? FONT;
  ctx.fillText(s, x, y);
  ctx.restore();
}

export function dot(ctx: CanvasRenderingContext2D, x: number, y: number, r: number, fill: string, stroke?: string): void {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, Math.PI * 2);
  ctx.fillStyle = fill;
  ctx.fill();
  if (stroke) {
    ctx.strokeStyle = stroke;
    ctx.lineWidth = 1;
    ctx.stroke();
  }
}
