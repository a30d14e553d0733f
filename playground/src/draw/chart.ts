// A small line chart for loss and accuracy curves: several series, optional log y, legend, hover readout.
import { fmt } from '../dom.js';
import { hover } from '../ui.js';
import { axes, label, line, linear, logScale, setup, type Box, type Scale } from './canvas.js';

export interface Series {
  name: string;
  color: string;
  values: ArrayLike<number>;
  /** x of each value (default 0, 1, 2, …). */
  x?: ArrayLike<number>;
  dash?: number[];
}

export interface ChartOptions {
  width: number;
  height: number;
  logY?: boolean;
  xLabel?: () => string;
  yLabel?: () => string;
  /** Fixed y range (else fitted to the data). */
  y?: [number, number];
  /** Draw the series names in the corner (default true), at the top right or the bottom right. */
  legend?: boolean;
  legendAt?: 'top' | 'bottom';
}

export class LineChart {
  private series: Series[] = [];
  private xs?: Scale;
  private box: Box;

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly o: ChartOptions,
  ) {
    this.box = { x: 56, y: 12, w: o.width - 70, h: o.height - 52 };
    hover(canvas, (mx) => this.describe(mx));
    this.draw([]);
  }

  draw(series: Series[]): void {
    this.series = series;
    const { o, box } = this;
    const ctx = setup(this.canvas, o.width, o.height);
    let n = 1;
    let lo = Infinity;
    let hi = -Infinity;
    let xmax = 1;
    for (const s of series) {
      n = Math.max(n, s.values.length);
      if (s.x && s.x.length) xmax = Math.max(xmax, s.x[s.x.length - 1]);
      for (let i = 0; i < s.values.length; i++) {
        const v = s.values[i];
        if (!Number.isFinite(v) || (o.logY && v <= 0)) continue;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (!series.some((s) => s.x)) xmax = Math.max(1, n - 1);
    if (!Number.isFinite(lo)) [lo, hi] = o.logY ? [1e-3, 1] : [0, 1];
    if (o.y) [lo, hi] = o.y;
    else if (o.logY) [lo, hi] = [10 ** Math.floor(Math.log10(lo)), 10 ** Math.ceil(Math.log10(hi))];
    else [lo, hi] = [Math.min(0, lo), hi === lo ? lo + 1 : hi * 1.05];
    if (o.logY && hi / lo < 10) hi = lo * 10;
    const xs = linear(0, xmax, box.x, box.x + box.w);
    const ys = (o.logY ? logScale : linear)(lo, hi, box.y + box.h, box.y);
    this.xs = xs;
    axes(ctx, box, xs, ys, { xLabel: o.xLabel?.(), yLabel: o.yLabel?.() });
    series.forEach((s) => {
      const px = Array.from(s.values, (_, i) => xs(s.x ? s.x[i] : i));
      const py = Array.from(s.values, (v) => (o.logY && v <= 0 ? NaN : ys(v)));
      line(ctx, px, py, { color: s.color, dash: s.dash, width: 1.8 });
    });
    // Legend, top right, on a light backing so the curves under it stay readable.
    if (o.legend === false) return;
    const legendTop = o.legendAt === 'bottom' ? box.y + box.h - series.length * 16 - 10 : box.y;
    if (series.length) {
      ctx.font = '12px system-ui, sans-serif';
      const lw = Math.max(...series.map((s) => ctx.measureText(s.name).width)) + 36;
      ctx.fillStyle = 'rgba(255,255,255,0.85)';
      ctx.fillRect(box.x + box.w - lw - 6, legendTop + 2, lw + 4, series.length * 16 + 6);
    }
    let ly = legendTop + 14;
    for (const s of series) {
      const lw = Math.max(...series.map((q) => ctx.measureText(q.name).width)) + 36;
      const x0 = box.x + box.w - lw;
      line(ctx, [x0, x0 + 20], [ly - 4, ly - 4], { color: s.color, dash: s.dash, width: 2 });
      label(ctx, s.name, x0 + 26, ly);
      ly += 16;
    }
  }

  private describe(mx: number): string[] | null {
    const xs = this.xs;
    if (!xs || !this.series.length || mx < this.box.x || mx > this.box.x + this.box.w) return null;
    const xv = xs.inv(mx);
    const lines: string[] = [];
    for (const s of this.series) {
      if (!s.values.length) continue;
      let i = Math.round(xv);
      if (s.x) {
        i = 0;
        while (i < s.x.length - 1 && s.x[i + 1] <= xv) i++;
      }
      i = Math.max(0, Math.min(s.values.length - 1, i));
      lines.push(`${s.name} @ ${s.x ? fmt(s.x[i], 2) : i}: ${fmt(s.values[i])}`);
    }
    return lines;
  }
}
